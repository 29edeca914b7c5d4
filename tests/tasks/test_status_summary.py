"""The summary the write services keep (tasks.StatusSummary) always equals a recount of the assignments, for
every day it keeps (today and the last quarter's cut-off), after every kind of write; and the pages
that read it show what a recount shows, today and as of past days."""

from datetime import date, timedelta

import pytest
import time_machine
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from org.models import Department
from reporting.models import ReviewOutcome, ReviewStage
from reporting.services import extension_decide, extension_request, progress_report, report_review
from tasks.models import Assignment, StatusSummaryDay, Task
from tasks.selectors import grouped_counts, summary_counts
from tasks.services import status_summary_refresh, summary_days
from tests.conftest import at, make_user
from wards.models import Ward

FIELDS = ("lead_department_id", "department_id", "district_id", "ward_id")


def recount(day: date) -> dict:
    per = grouped_counts(
        Assignment.objects.existing_on(day), day, g_lead=F("task__lead_department"), g_dep=F("department"),
        g_dist=F("district"), g_ward=F("ward"),
    )  # fmt: skip
    return {key: counts.by_status for key, counts in per.items()}


def assert_summary_is_a_recount():
    """Every day kept equals a recount; after a write, the days kept are those of the day of the write."""
    days = set(StatusSummaryDay.objects.values_list("day", flat=True))
    assert days
    for day in days:
        summary = {key: counts.by_status for key, counts in summary_counts(day, *FIELDS).items()}
        assert summary == recount(day), day


def test_the_seeded_plan_and_confirmed_reports_are_counted(db, reported):
    assert set(StatusSummaryDay.objects.values_list("day", flat=True)) == summary_days(timezone.localdate())
    assert_summary_is_a_recount()


def test_a_confirmed_report_moves_the_totals_in_its_own_transaction(db, reported, ward_assignment):
    staff, office = make_user("bc2"), make_user("xn2")
    update = progress_report(assignment=ward_assignment, by=staff, percent=100, note="Xong.", reported_at=at(date(2021, 7, 20)))  # fmt: skip
    assert_summary_is_a_recount()  # a report alone changes nothing
    report_review(update=update, by=office, stage=ReviewStage.CITY, outcome=ReviewOutcome.APPROVED,
                  decided_at=at(date(2021, 7, 21)))  # fmt: skip
    assert_summary_is_a_recount()


def test_an_extension_decided_moves_the_totals(db, dept_assignment, dept_staff, reviewer):
    with time_machine.travel(at(date(2021, 6, 25)), tick=False):
        request = extension_request(
            assignment=dept_assignment,
            by=dept_staff,
            requested_due_on=date(2021, 8, 15),
            reason="Chờ ý kiến.",
        )
        extension_decide(request=request, by=reviewer, approved=True)
        assert date(2021, 6, 25) in StatusSummaryDay.objects.values_list("day", flat=True)
        assert_summary_is_a_recount()
    assert_summary_is_a_recount()


def test_the_reorganisations_and_the_citys_hand_over_decisions_move_the_totals(
    db, map_until, client, admin_user
):
    map_until("2025-01-01")  # 15 phường end with no successor on record: their open work waits for the city
    assert_summary_is_a_recount()
    waiting = Assignment.objects.awaiting_hand_over().select_related("ward", "task").first()
    receivers = Ward.objects.existing_on(waiting.ended_on + timedelta(days=1)).filter(
        district=waiting.ward.district
    )
    client.force_login(admin_user)
    url = reverse("admin:tasks_awaitinghandover_change", args=[waiting.pk])
    assert client.post(url, {"receivers": [w.pk for w in receivers[:2]]}).status_code == 302
    assert Assignment.objects.filter(handed_over_from=waiting).exists()
    assert_summary_is_a_recount()
    map_until("2025-07-01")  # no more districts: units end, work is handed over, new units get their tasks
    assert_summary_is_a_recount()


def test_an_admin_edit_of_a_task_or_an_assignment_moves_the_totals(db, reported, client, admin_user):
    client.force_login(admin_user)
    task = Task.objects.filter(lead_department__isnull=False).first()
    other = Department.objects.exclude(pk=task.lead_department_id).first()
    data = {
        "document": task.document_id, "section": task.section, "title": task.title, "description": task.description,
        "lead_department": other.pk, "lead_label": "", "coordination_note": "", "scope": task.scope,
        "given_on": task.given_on.strftime("%d/%m/%Y"), "due_on": task.due_on.strftime("%d/%m/%Y"),
        "created_at_0": timezone.localtime(task.created_at).strftime("%d/%m/%Y"),
        "created_at_1": timezone.localtime(task.created_at).strftime("%H:%M:%S"),
    }  # fmt: skip
    response = client.post(reverse("admin:tasks_task_change", args=[task.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Task.objects.get(pk=task.pk).lead_department == other
    assert_summary_is_a_recount()


def test_a_new_day_is_counted_by_the_first_write_and_pages_count_for_themselves_until_then(
    db, reported, client, city_official, ward_assignment
):
    tomorrow = timezone.localdate() + timedelta(days=1)
    with time_machine.travel(at(tomorrow), tick=False):
        client.force_login(city_official)
        assert not StatusSummaryDay.objects.filter(day=tomorrow).exists()
        page = client.get(reverse("dashboards:dashboard"))
        expected = Assignment.objects.existing_on(tomorrow).count()
        assert page.context["counts"].total == expected
        status_summary_refresh(assignments=Assignment.objects.filter(pk=ward_assignment.pk))
        assert_summary_is_a_recount()
        assert client.get(reverse("dashboards:dashboard")).context["counts"].total == expected


@pytest.mark.parametrize("params", [{}, {"as_of": "14/09/2021"}, {"as_of": "01/08/2021", "document": "3"}])
def test_the_dashboard_shows_a_recount_with_or_without_the_summary(
    db, reported, client, city_official, params
):
    client.force_login(city_official)
    page = client.get(reverse("dashboards:dashboard"), params).context
    day = page["as_of"]
    expected = {key: sum(by.values()) for key, by in recount(day).items()}
    assert page["counts"].total == sum(expected.values())
    if not params:
        assert summary_counts(day, *FIELDS) is not None  # today: read from the summary
    home = client.get(reverse("dashboards:home")).context
    assert home["counts"].total == Assignment.objects.existing_on(timezone.localdate()).count()


def test_the_default_period_report_reads_a_kept_day_and_shows_a_recount(db, reported, client, city_official):
    client.force_login(city_official)
    page = client.get(reverse("dashboards:period_report")).context
    end = page["period"].end
    assert end in summary_days(timezone.localdate())
    assert page["total"].total == Assignment.objects.existing_on(end).count()
    per_department = {dept.pk: counts.by_status for dept, counts, _params in page["sections"][0][1]}
    expected = {}
    for (_lead, dep, _dist, _ward), by in recount(end).items():
        if dep:
            for status, n in by.items():
                expected.setdefault(dep, {}).setdefault(status, 0)
                expected[dep][status] += n
    assert {k: v for k, v in per_department.items() if v} == expected


def _list_cases():
    ward = Ward.objects.filter(district__code="001").order_by("code").first()
    department = Assignment.objects.exclude(department=None).order_by("pk").first().department
    lead = Task.objects.exclude(lead_department=None).order_by("pk").first().lead_department
    return [
        {},
        {"status": ["overdue"]},
        {"status": ["overdue", "open_on_time"], "order": "-due"},
        {"ward": ward.code},
        {"ward": ward.code, "status": ["overdue"]},
        {"district": "001"},
        {"district": "001", "status": ["done_on_time"]},
        {"department": department.code},
        {"lead": lead.code},
        {"unit_kind": "ward"},
        {"unit_kind": "department", "status": ["overdue", "done_late"]},
    ]


def test_a_lists_counts_come_from_the_summary_and_equal_a_recount(db, reported):
    """The list's counts per status (the city-wide overdue list, a ward's, a department's…) read the summary on a
    kept day, and show what counting the rows shows; other filters and other days count the rows."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tasks.filters import AssignmentFilter
    from tasks.list_selectors import list_status_counts
    from tasks.selectors import status_counts

    for data in _list_cases():
        filterset = AssignmentFilter(data, queryset=Assignment.objects.all())
        with CaptureQueriesContext(connection) as queries:
            counts = list_status_counts(filterset)
        assert not any("tasks_assignment" in q["sql"] for q in queries.captured_queries), data
        assert counts.by_status == status_counts(filterset.qs, filterset.as_of_date).by_status, data
        assert counts.total, data  # the cases are chosen to have rows
    for data in ({"q": "phường", "status": ["overdue"]}, {"as_of": "2022-03-01", "status": ["overdue"]}):
        filterset = AssignmentFilter(data, queryset=Assignment.objects.all())
        assert (
            list_status_counts(filterset).by_status
            == status_counts(filterset.qs, filterset.as_of_date).by_status
        )
