"""Reports count only once confirmed; returned reports tell the unit why; bulk confirmation is all or nothing."""

from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from reporting.models import ReportReview, ReportState, ReviewOutcome, ReviewStage, Role, UnitPolicy
from reporting.services import NotAwaiting, progress_report, report_review, reports_review_many
from tasks.status import Status
from tests.conftest import db_state, in_a_new_worker, make_user


def at(day: date, hour=9):
    return timezone.make_aware(datetime.combine(day, datetime.min.time().replace(hour=hour)))


def test_ward_reports_reviewer_confirms_and_the_assignment_is_done_on_time(
    client, ward_staff, reviewer, ward_assignment
):
    client.force_login(ward_staff)
    response = client.post(
        reverse("reporting:progress_create", args=[ward_assignment.pk]),
        {"percent": "100", "note": "Đã sẵn sàng.", "completed_on": "2021-06-28", "version": "0"},
    )
    assert response.status_code == 302
    ward_assignment.refresh_from_db()
    assert (ward_assignment.percent, ward_assignment.completed_on) == (0, None)  # recorded, not counted yet
    update = ward_assignment.updates.get()
    assert update.state == ReportState.AWAITING_CITY

    client.force_login(reviewer)
    queue = client.get(reverse("reporting:review_queue")).content.decode()
    assert f'value="{update.pk}"' in queue
    response = client.post(reverse("reporting:report_review", args=[update.pk]), {"outcome": "approved"})
    assert response.status_code == 302

    ward_assignment.refresh_from_db()
    assert (ward_assignment.percent, ward_assignment.completed_on) == (100, date(2021, 6, 28))
    assert ward_assignment.status_on(date(2021, 12, 31)) == Status.DONE_ON_TIME
    page = client.get(ward_assignment.get_absolute_url()).content.decode()
    assert "Đã xác nhận" in page and "Hoàn thành đúng hạn" in page


def test_returned_report_does_not_count_and_the_unit_sees_why(client, ward_staff, reviewer, ward_assignment):
    update = progress_report(assignment=ward_assignment, by=ward_staff, percent=100, note="Xong.")
    client.force_login(reviewer)
    response = client.post(
        reverse("reporting:report_review", args=[update.pk]),
        {"outcome": "returned", "reason": "Thiếu biên bản bàn giao con dấu."},
    )
    assert response.status_code == 302
    ward_assignment.refresh_from_db()
    assert (ward_assignment.percent, ward_assignment.completed_on) == (0, None)

    client.force_login(ward_staff)
    page = client.get(ward_assignment.get_absolute_url()).content.decode()
    assert "Bị trả lại" in page and "Thiếu biên bản bàn giao con dấu." in page


def test_returning_without_a_reason_is_refused_next_to_the_field(
    client, ward_staff, reviewer, ward_assignment
):
    update = progress_report(assignment=ward_assignment, by=ward_staff, percent=40, note="Đang làm.")
    client.force_login(reviewer)
    before = db_state(ward_assignment)
    response = client.post(
        reverse("reporting:report_review", args=[update.pk]), {"outcome": "returned", "reason": " "}
    )
    assert response.status_code == 200
    assert "Cần ghi lý do trả lại" in response.context["form"].errors["reason"][0]
    assert 'aria-describedby="id_reason_help id_reason_error"' in response.content.decode()
    assert db_state(ward_assignment) == before


def test_the_assignment_follows_the_latest_confirmed_report_whatever_the_order_of_confirmation(
    ward_staff, reviewer, ward_assignment
):
    early = progress_report(
        assignment=ward_assignment, by=ward_staff, percent=60, note="A", reported_at=at(date(2021, 6, 1))
    )
    late = progress_report(
        assignment=ward_assignment, by=ward_staff, percent=100, note="B", reported_at=at(date(2021, 6, 20))
    )
    report_review(update=late, by=reviewer, stage=ReviewStage.CITY, outcome=ReviewOutcome.APPROVED)
    report_review(update=early, by=reviewer, stage=ReviewStage.CITY, outcome=ReviewOutcome.APPROVED)
    ward_assignment.refresh_from_db()
    assert (ward_assignment.percent, ward_assignment.completed_on) == (100, date(2021, 6, 20))


def test_a_report_is_decided_once_per_stage(ward_staff, reviewer, ward_assignment):
    update = progress_report(assignment=ward_assignment, by=ward_staff, percent=40, note="Đang làm.")
    report_review(update=update, by=reviewer, stage=ReviewStage.CITY, outcome=ReviewOutcome.APPROVED)
    before = db_state(ward_assignment)
    with pytest.raises(NotAwaiting):
        report_review(
            update=update, by=reviewer, stage=ReviewStage.CITY, outcome=ReviewOutcome.RETURNED, reason="x"
        )
    assert db_state(ward_assignment) == before


def test_return_without_reason_is_refused_by_the_service_too(ward_staff, reviewer, ward_assignment):
    update = progress_report(assignment=ward_assignment, by=ward_staff, percent=40, note="Đang làm.")
    with pytest.raises(ValidationError) as error:
        report_review(update=update, by=reviewer, stage=ReviewStage.CITY, outcome=ReviewOutcome.RETURNED)
    assert "reason" in error.value.message_dict
    assert not ReportReview.objects.exists()


def test_head_approval_comes_first_where_the_ward_asks_for_it(
    client, ward_staff, unit_head, reviewer, ward_assignment
):
    UnitPolicy.objects.create(ward=ward_assignment.ward, head_approval_required=True)
    update = progress_report(assignment=ward_assignment, by=ward_staff, percent=50, note="Đã kiện toàn.")
    assert update.state == ReportState.AWAITING_HEAD

    client.force_login(reviewer)
    assert f'value="{update.pk}"' not in client.get(reverse("reporting:review_queue")).content.decode()

    client.force_login(unit_head)
    assert f'value="{update.pk}"' in client.get(reverse("reporting:review_queue")).content.decode()
    client.post(reverse("reporting:reports_confirm"), {"reports": [update.pk]})
    update.refresh_from_db()
    assert update.state == ReportState.AWAITING_CITY
    ward_assignment.refresh_from_db()
    assert ward_assignment.percent == 0  # the head's approval alone does not count

    client.force_login(reviewer)
    client.post(reverse("reporting:reports_confirm"), {"reports": [update.pk]})
    ward_assignment.refresh_from_db()
    assert ward_assignment.percent == 50


def test_head_return_stops_the_report_before_the_city(ward_staff, unit_head, ward_assignment):
    UnitPolicy.objects.create(ward=ward_assignment.ward, head_approval_required=True)
    update = progress_report(assignment=ward_assignment, by=ward_staff, percent=50, note="Đã kiện toàn.")
    report_review(
        update=update,
        by=unit_head,
        stage=ReviewStage.UNIT_HEAD,
        outcome=ReviewOutcome.RETURNED,
        reason="Sửa số liệu.",
    )
    from reporting.models import ProgressUpdate

    assert not ProgressUpdate.objects.awaiting_city().filter(pk=update.pk).exists()
    assert ProgressUpdate.objects.with_review_state().get(pk=update.pk).state == ReportState.RETURNED


def test_a_heads_own_report_needs_no_head_approval(unit_head, ward_assignment):
    UnitPolicy.objects.create(ward=ward_assignment.ward, head_approval_required=True)
    update = progress_report(assignment=ward_assignment, by=unit_head, percent=50, note="Đã kiện toàn.")
    assert update.state == ReportState.AWAITING_CITY


def test_reviewer_confirms_several_reports_at_once(
    client, reviewer, ward_staff, other_ward_staff, ward_assignment
):
    from tasks.models import Assignment

    other = Assignment.objects.get(task=ward_assignment.task, ward__code="00004")
    one = progress_report(assignment=ward_assignment, by=ward_staff, percent=100, note="Xong.")
    two = progress_report(assignment=other, by=other_ward_staff, percent=70, note="Gần xong.")
    client.force_login(reviewer)
    response = client.post(reverse("reporting:reports_confirm"), {"reports": [one.pk, two.pk]})
    assert response.status_code == 302
    ward_assignment.refresh_from_db()
    other.refresh_from_db()
    assert (ward_assignment.percent, other.percent) == (100, 70)
    assert ReportReview.objects.filter(outcome=ReviewOutcome.APPROVED).count() == 2


def test_bulk_confirmation_writes_nothing_when_one_report_was_decided_meanwhile(
    client, reviewer, ward_staff, other_ward_staff, ward_assignment
):
    from tasks.models import Assignment

    other = Assignment.objects.get(task=ward_assignment.task, ward__code="00004")
    one = progress_report(assignment=ward_assignment, by=ward_staff, percent=100, note="Xong.")
    two = progress_report(assignment=other, by=other_ward_staff, percent=70, note="Gần xong.")
    # Another reviewer returns the second report while this one has the queue open.
    report_review(
        update=two, by=reviewer, stage=ReviewStage.CITY, outcome=ReviewOutcome.RETURNED, reason="Sai."
    )
    before = db_state(ward_assignment, other)
    with pytest.raises(NotAwaiting):
        reports_review_many(decisions=[(one, ReviewStage.CITY), (two, ReviewStage.CITY)], by=reviewer)
    assert db_state(ward_assignment, other) == before

    client.force_login(reviewer)
    response = client.post(reverse("reporting:reports_confirm"), {"reports": [one.pk, two.pk]})
    assert response.status_code == 403  # the returned report is no longer this reviewer's to decide
    assert db_state(ward_assignment, other) == before


def test_bulk_confirmation_with_nothing_selected_says_so(client, reviewer):
    client.force_login(reviewer)
    response = client.post(reverse("reporting:reports_confirm"), {}, follow=True)
    assert "Chọn ít nhất một báo cáo" in response.content.decode()


def test_late_report_confirmed_counts_as_done_late(ward_staff, reviewer, ward_assignment):
    update = progress_report(
        assignment=ward_assignment, by=ward_staff, percent=100, note="Xong.", reported_at=at(date(2021, 7, 5))
    )
    report_review(update=update, by=reviewer, stage=ReviewStage.CITY, outcome=ReviewOutcome.APPROVED)
    ward_assignment.refresh_from_db()
    assert ward_assignment.status_on(date(2021, 7, 5) + timedelta(days=1)) == Status.DONE_LATE


def test_bulk_confirmation_runs_a_fixed_number_of_queries_however_many_reports(
    client, reviewer, ward_staff, ward_assignment
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tasks.models import Assignment

    wards = list(
        Assignment.objects.filter(task=ward_assignment.task, ward__isnull=False).order_by("ward__code")[:22]
    )
    # Each batch has someone to tell (Phúc Xá's staff; one of the twenty wards' staff): one INSERT of
    # notifications each, whatever the number of reports.
    make_user("vinhphuc", Role.UNIT_STAFF, ward=wards[2].ward)
    client.force_login(reviewer)

    def confirm(assignments):
        updates = [
            progress_report(assignment=a, by=ward_staff, percent=60, note="Đang làm.") for a in assignments
        ]
        in_a_new_worker()
        with CaptureQueriesContext(connection) as queries:
            response = client.post(reverse("reporting:reports_confirm"), {"reports": [u.pk for u in updates]})
        assert response.status_code == 302
        assert ReportReview.objects.filter(update__in=updates, outcome=ReviewOutcome.APPROVED).count() == len(
            updates
        )
        assert set(
            Assignment.objects.filter(pk__in=[a.pk for a in assignments]).values_list("percent", flat=True)
        ) == {60}
        return len(queries)

    assert confirm(wards[:2]) == confirm(wards[2:22])
