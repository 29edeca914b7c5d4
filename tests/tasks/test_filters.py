"""Each filter of the assignment list against hand counts on the seeded plan (379 assignments:
3 departments, 13 districts × 2 tasks, 175 wards × 2 tasks)."""

from datetime import date, timedelta
from urllib.parse import urlencode

import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from plans.models import LegalDocument
from tasks.filters import AssignmentFilter, TaskFilter
from tasks.models import Assignment, Task
from tasks.status import Status

AS_OF = "01/08/2021"


def query(**params):
    """Parameters as a browser sends them (a QueryDict, lists repeated)."""
    return QueryDict(urlencode(params, doseq=True))


def count(**params):
    return AssignmentFilter(query(**params), queryset=Assignment.objects.all()).qs.count()


def test_no_filter_lists_every_assignment(db):
    assert count() == 379


@pytest.mark.parametrize("number", ["97/2019/QH14", "32/2021/NĐ-CP", "100/KH-UBND"])
def test_a_document_includes_everything_under_it_in_the_chain(db, decision_under_plan, number):
    doc = LegalDocument.objects.get(number=number)
    assert count(document=doc.pk) == 379 + 175


def test_a_document_at_the_bottom_of_the_chain_has_only_its_own(db, decision_under_plan):
    assert count(document=decision_under_plan.pk) == 175


def test_lead_unit_kind_of_unit_and_assigned_department(db):
    assert count(lead="so-tu-phap") == 1
    assert count(lead="ubnd-tp") == 1
    assert count(unit_kind="department") == 3
    assert count(unit_kind="district") == 26
    assert count(unit_kind="ward") == 350
    assert count(department="so-noi-vu") == 1


def test_district_includes_its_wards_and_ward_is_just_the_ward(db):
    assert count(district="001") == 2 + 14 * 2
    assert count(district="001", unit_kind="district") == 2
    assert count(ward="00001") == 2


def test_status_as_of_a_date(db, reported):
    assert count(as_of=AS_OF, status="done_on_time") == 2  # Phúc Xá, Sở Tư pháp
    assert count(as_of=AS_OF, status="done_late") == 1  # Trúc Bạch
    assert count(as_of=AS_OF, status="open_on_time") == 188  # the 2022 duty
    assert count(as_of=AS_OF, status="overdue") == 379 - 188 - 3
    assert count(as_of=AS_OF, status=["done_on_time", "done_late"]) == 3


def test_status_at_the_boundaries_of_the_as_of_date(db, reported):
    # Trúc Bạch finished on 05/07/2021, four days after its deadline.
    trucbach = {"ward": "00004", "task": Task.objects.get(title__startswith="Sẵn sàng vận hành").pk}
    assert count(as_of="01/07/2021", status="open_on_time", **trucbach) == 1  # due day: still within
    assert count(as_of="02/07/2021", status="overdue", **trucbach) == 1  # the day after: overdue
    assert count(as_of="04/07/2021", status="overdue", **trucbach) == 1
    assert count(as_of="05/07/2021", status="done_late", **trucbach) == 1  # the completion counts that day


def test_not_updated_for_n_days(db, reported):
    # As of 01/08/2021: Vĩnh Phúc last reported 20/06 (42 days), never-reported units count too.
    readiness = Task.objects.get(title__startswith="Sẵn sàng vận hành").pk
    assert count(as_of=AS_OF, stale_days=30, task=readiness, ward="00006") == 1
    assert count(as_of=AS_OF, stale_days=60, task=readiness, ward="00006") == 0
    assert count(as_of=AS_OF, stale_days=30, task=readiness, ward="00001") == 0  # done: not stale
    assert count(as_of=AS_OF, stale_days=30, task=readiness) == 188 - 2


def test_due_date_range(db):
    assert count(due_from="01/07/2021", due_to="01/07/2021") == 188
    assert count(due_to="30/06/2021") == 3
    assert count(due_from="2022-01-01") == 188  # ISO dates are accepted too


@pytest.mark.parametrize("query", ["ba dinh", "BA ĐÌNH", "Ba Đình", "  ba   ĐINH "])
def test_search_ignores_diacritics_and_case(db, query):
    assert count(q=query) == 30  # Quận Ba Đình and its 14 phường, two tasks each


def test_search_matches_task_titles_without_diacritics(db):
    assert count(q="tuyen truyen") == 1
    assert count(q="phuc xa") == 2
    assert count(q="on dinh, thong suot") == 188  # punctuation is part of the phrase
    assert count(q="thong suot phuc xa") == 0  # a phrase, not loose words across fields
    assert TaskFilter({"q": "TUYÊN TRUYỀN"}, queryset=Task.objects.all()).qs.count() == 1


def test_sorting_by_due_date_descending(db):
    rows = list(AssignmentFilter(query(order="-due"), queryset=Assignment.objects.all()).qs[:1])
    assert rows[0].due_on == date(2022, 7, 1)


def test_bad_filter_values_get_a_vietnamese_message_and_no_error(db, client, city_official):
    client.force_login(city_official)
    response = client.get(
        reverse("tasks:assignment_list"), {"status": "bogus", "as_of": "32/13/2021", "zzz": "1"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Hãy chọn một lựa chọn hợp lệ" in html or "Chọn một lựa chọn hợp lệ" in html
    assert "Nhập một ngày hợp lệ" in html


def test_list_page_shows_exactly_the_filtered_rows_and_keeps_filters_in_links(
    db, client, city_official, reported
):
    client.force_login(city_official)
    response = client.get(
        reverse("tasks:assignment_list"), {"district": "001", "status": "overdue", "as_of": AS_OF}
    )
    page = response.context["page"]
    assert (
        page.paginator.count == 13
    )  # Ba Đình's readiness: the district and 14 wards, less Phúc Xá and Trúc Bạch
    assert all(a.status == Status.OVERDUE for a in page.object_list)
    html = response.content.decode()
    assert "tai-ve.xlsx?district=001&amp;status=overdue" in html


def test_default_status_is_as_of_today(db):
    filterset = AssignmentFilter({}, queryset=Assignment.objects.all())
    assert filterset.as_of_date == timezone.localdate()
    assert (
        filterset.qs.filter(status=Status.OVERDUE).count() == 379 - 0
    )  # every deadline has passed, nothing done
    assert timezone.localdate() > date(2022, 7, 1) + timedelta(days=1)


def test_escalated_filter_lists_what_the_leadership_meeting_must_see(db, client, city_official):
    from django.utils import timezone as tz

    flagged = Assignment.objects.filter(ward__code="00001").first()
    Assignment.objects.filter(pk=flagged.pk).update(escalated_at=tz.now())
    assert count(escalated="true") == 1
    assert count(escalated="false") == 378
    client.force_login(city_official)
    html = client.get(reverse("tasks:assignment_list"), {"escalated": "true"}).content.decode()
    assert "báo cáo lãnh đạo</span>" in html
    dashboard = client.get(reverse("dashboards:dashboard")).content.decode()
    assert "/giao-viec/?escalated=true" in dashboard


@pytest.mark.parametrize("url", ["/nhiem-vu/", "/giao-viec/"])
def test_the_sort_options_are_in_vietnamese(client, city_official, url):
    client.force_login(city_official)
    html = client.get(url).content.decode()
    select = html[html.index('name="order"') : html.index("</select>", html.index('name="order"'))]
    assert "Thời hạn (giảm dần)" in select
    assert "descending" not in select and ">Due<" not in select and ">Overdue<" not in select
