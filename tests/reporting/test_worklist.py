"""Việc của tôi: each person's own work in one place, and what waits counted in the navigation."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from reporting.models import ReviewOutcome, ReviewStage, Role
from reporting.services import extension_decide, extension_request, progress_report, report_review
from tests.conftest import in_a_new_worker, make_user
from tests.reminders.conftest import make_assignment, quiet_seeded_assignments

PASSWORD = "mat-khau-thu-nghiem-2021"


def today():
    return timezone.localdate()


@pytest.fixture
def work(db):
    """Phúc Xá's running work today: 3 days overdue, due in 2 days, due in 30 days (nothing else open)."""
    quiet_seeded_assignments()
    return {
        "overdue": make_assignment(today() - timedelta(days=3), title="Việc đã quá hạn"),
        "soon": make_assignment(today() + timedelta(days=2), title="Việc sắp đến hạn"),
        "later": make_assignment(today() + timedelta(days=30), title="Việc còn xa"),
    }


@pytest.mark.parametrize(
    ("persona", "home"),
    [
        ("ward_staff", "reporting:worklist"),
        ("reviewer", "reporting:worklist"),
        ("city_official", "dashboards:home"),
    ],
)
def test_after_login_unit_staff_and_reviewers_land_on_their_work_and_officials_on_the_dashboard(
    db, client, request, persona, home
):
    user = request.getfixturevalue(persona)
    user.set_password(PASSWORD)
    user.save()
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse(home)
    # A page asked for before signing in still wins.
    client.logout()
    response = client.post(
        reverse("login") + "?next=/nhiem-vu/", {"username": user.username, "password": PASSWORD}
    )
    assert response["Location"] == "/nhiem-vu/"


def test_the_unit_sees_its_work_by_urgency_its_returned_reports_and_decisions(
    client, work, ward_staff, other_ward_staff, reviewer
):
    update = progress_report(assignment=work["later"], by=ward_staff, percent=30, note="Mới bắt đầu.")
    report_review(
        update=update, by=reviewer, stage=ReviewStage.CITY, outcome=ReviewOutcome.RETURNED,
        reason="Cần ghi rõ kết quả.",
    )  # fmt: skip
    progress_report(assignment=work["soon"], by=ward_staff, percent=90, note="Sắp xong.")
    request = extension_request(
        assignment=work["overdue"],
        by=ward_staff,
        requested_due_on=today() + timedelta(days=30),
        reason="Chờ.",
    )
    extension_decide(request=request, by=reviewer, approved=False, reason="Không đủ căn cứ.")

    client.force_login(ward_staff)
    response = client.get(reverse("reporting:worklist"))
    page = response.content.decode()

    def section(anchor):
        return page.split(f'id="{anchor}"')[1].split("</section>")[0]

    assert "Việc đã quá hạn" in section("qua-han") and "Việc sắp đến hạn" not in section("qua-han")
    assert "Việc sắp đến hạn" in section("sap-den-han") and "Việc còn xa" not in section("sap-den-han")
    assert "Việc còn xa" in section("con-lai") and "Việc đã quá hạn" not in section("con-lai")
    assert "quá hạn 3 ngày" in page and "còn 2 ngày" in page
    assert "đã báo cáo, chờ xem xét" in page  # the 90 % report awaits the city office
    returned = section("tra-lai")
    assert "Việc còn xa" in returned and "Cần ghi rõ kết quả." in returned
    assert reverse("reporting:progress_create", args=[work["later"].pk]) in returned
    decisions = section("gia-han")
    assert "Không đồng ý gia hạn" in decisions and "Không đủ căn cứ." in decisions
    # The count in the navigation: 1 overdue + 1 returned report.
    assert 'Việc của tôi <span class="badge">2<' in page

    # Answering the returned report takes it off the list and the count.
    progress_report(assignment=work["later"], by=ward_staff, percent=40, note="Đã làm rõ kết quả.")
    page = client.get(reverse("reporting:worklist")).content.decode()
    assert "Cần ghi rõ kết quả." not in page and 'Việc của tôi <span class="badge">1<' in page

    client.force_login(other_ward_staff)
    page = client.get(reverse("reporting:worklist")).content.decode()
    assert "Việc đã quá hạn" not in page and "Phường Trúc Bạch" in page


def test_reviewers_and_unit_heads_see_what_waits_for_their_decision(
    client, work, ward_staff, unit_head, reviewer
):
    from reporting.models import UnitPolicy

    UnitPolicy.objects.create(ward=work["soon"].ward, head_approval_required=True)
    progress_report(assignment=work["soon"], by=ward_staff, percent=90, note="Sắp xong.")
    extension_request(
        assignment=work["overdue"],
        by=ward_staff,
        requested_due_on=today() + timedelta(days=30),
        reason="Chờ.",
    )
    client.force_login(unit_head)
    page = client.get(reverse("reporting:worklist")).content.decode()
    assert "Báo cáo chờ anh/chị duyệt" in page and "Việc sắp đến hạn" in page
    assert "Đề nghị gia hạn chờ quyết định" not in page

    client.force_login(reviewer)
    page = client.get(reverse("reporting:worklist")).content.decode()
    assert "Báo cáo chờ anh/chị xác nhận" in page and "Đề nghị gia hạn chờ quyết định" in page
    assert reverse("reporting:extension_decide", args=[work["overdue"].extension_requests.get().pk]) in page
    # Văn phòng's own unit has nothing overdue; one extension request waits (the report waits for the head).
    assert 'Việc của tôi <span class="badge">1<' in page


def test_the_work_handed_over_to_a_unit_says_from_whom(client, map_until, admin_user):
    from datetime import date

    from tasks.models import Assignment
    from tasks.services import assignment_hand_over
    from wards.models import Ward

    map_until("2025-07-01")
    receiver = Ward.objects.existing_on(date(2025, 7, 1)).order_by("code").first()
    # A district's open work of a task the ward has not finished either.
    open_there = Assignment.objects.filter(ward=receiver, completed_on__isnull=True).values("task")
    waiting = (
        Assignment.objects.awaiting_hand_over()
        .filter(district__isnull=False, task__in=open_there)
        .order_by("pk")
        .first()
    )
    staff = make_user("nhan", Role.UNIT_STAFF, ward=receiver)
    assignment_hand_over(assignment=waiting, to=[receiver], by=admin_user)
    client.force_login(staff)
    received = client.get(reverse("reporting:worklist")).content.decode().split('id="chuyen-giao"')[1]
    received = received.split("</section>")[0]
    item = next(li for li in received.split("<li") if waiting.task.title in li)
    assert "Đã chuyển giao từ" in item and str(waiting.unit) in item and "nhận từ 01/07/2025" in item


def test_a_city_official_has_no_worklist_link_and_an_anonymous_visitor_logs_in(client, city_official):
    response = client.get(reverse("reporting:worklist"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    client.force_login(city_official)
    assert "Việc của tôi" not in client.get(reverse("dashboards:home")).content.decode()
    page = client.get(reverse("reporting:worklist")).content.decode()
    assert "Tài khoản chưa thuộc đơn vị nào" in page


def grow(n, staff, reviewer):
    """n more of each kind of row: open assignments, returned reports, extension decisions, waiting reports."""
    for i in range(n):
        for days in (-5 - i, 3, 40 + i):
            make_assignment(today() + timedelta(days=days))
    from tasks.models import Assignment

    for assignment in Assignment.objects.filter(ward__code="00001", completed_on__isnull=True)[:n]:
        update = progress_report(assignment=assignment, by=staff, percent=10, note="x")
        report_review(
            update=update, by=reviewer, stage=ReviewStage.CITY, outcome=ReviewOutcome.RETURNED, reason="y"
        )
        progress_report(assignment=assignment, by=staff, percent=20, note="z")
        request = extension_request(
            assignment=assignment,
            by=staff,
            requested_due_on=assignment.due_on + timedelta(days=60),
            reason="r",
        )
        extension_decide(request=request, by=reviewer, approved=True)


@pytest.mark.parametrize("persona", ["ward_staff", "reviewer", "unit_head"])
def test_the_worklist_and_the_navigation_run_a_fixed_number_of_queries(
    client, work, ward_staff, reviewer, unit_head, request, django_assert_num_queries, persona
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = request.getfixturevalue(persona)
    client.force_login(user)

    def count(url):
        in_a_new_worker()
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    grow(1, ward_staff, reviewer)  # one row of each kind, then many
    progress_report(assignment=work["soon"], by=ward_staff, percent=50, note="Chờ xác nhận.")
    small = {url: count(url) for url in (reverse("reporting:worklist"), reverse("tasks:document_list"))}
    grow(12, ward_staff, reviewer)
    large = {url: count(url) for url in small}
    assert large == small
    assert small[reverse("reporting:worklist")] <= 16
