"""The write side's pages render for their users, in a fixed number of queries whatever the data size."""

from datetime import timedelta

import pytest
from django.urls import reverse

from reporting.models import ReviewOutcome, ReviewStage
from reporting.services import extension_request, progress_report, report_review
from tasks.models import Assignment
from tests.conftest import PDF_BYTES, db_state, upload


def reports(n, task, staff_by_ward):
    for assignment in Assignment.objects.filter(task=task, ward__district__code="001")[:n]:
        progress_report(assignment=assignment, by=staff_by_ward, percent=40, note="Đang làm.")


@pytest.mark.parametrize("n", [2, 10])
def test_review_queue_runs_a_fixed_number_of_queries(
    client, reviewer, ward_staff, ward_assignment, django_assert_max_num_queries, n
):
    reports(n, ward_assignment.task, ward_staff)
    extension_request(
        assignment=ward_assignment,
        by=ward_staff,
        requested_due_on=ward_assignment.due_on + timedelta(1),
        reason="x",
    )
    client.force_login(reviewer)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("reporting:review_queue"))
    assert response.status_code == 200
    assert response.content.decode().count('name="reports"') == n


@pytest.mark.parametrize("district", ["001", "007"])
def test_district_board_shows_every_ward_side_by_side(
    client, district_staff, django_assert_max_num_queries, district
):
    from wards.models import District

    client.force_login(district_staff)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("tasks:district_board", args=[district]))
    assert response.status_code == 200
    board = response.context["board"]
    wards = District.objects.get(code=district).wards.current()
    assert len(board["rows"]) == wards.count() and len(board["tasks"]) >= 2
    assert all(cell is not None for _, cells in board["rows"] for cell in cells)


def test_assignment_timeline_shows_reports_reviews_and_deadline_changes_with_who_and_when(
    client, city_official, ward_staff, reviewer, ward_assignment, django_assert_max_num_queries
):
    client.force_login(ward_staff)
    client.post(
        reverse("reporting:progress_create", args=[ward_assignment.pk]),
        {"percent": "60", "note": "Nửa chặng.", "version": "0", "evidence": [upload("bb.pdf", PDF_BYTES)]},
    )
    update = ward_assignment.updates.get()
    report_review(
        update=update, by=reviewer, stage=ReviewStage.CITY, outcome=ReviewOutcome.RETURNED, reason="Bổ sung."
    )
    extension_request(
        assignment=ward_assignment,
        by=ward_staff,
        requested_due_on=ward_assignment.due_on + timedelta(30),
        reason="Chờ.",
    )
    client.force_login(city_official)
    with django_assert_max_num_queries(14):
        page = client.get(ward_assignment.get_absolute_url()).content.decode()
    for text in (
        "Báo cáo tiến độ",
        "60%",
        "bb.pdf",
        "trả lại",
        "Bổ sung.",
        "Đề nghị gia hạn",
        str(ward_staff),
        str(reviewer),
    ):
        assert text in page


def test_form_pages_render_with_labels_for_every_field(client, ward_staff, reviewer, ward_assignment):
    client.force_login(ward_staff)
    page = client.get(reverse("reporting:progress_create", args=[ward_assignment.pk])).content.decode()
    for field in ("percent", "completed_on", "note", "outgoing_number", "outgoing_date", "evidence"):
        assert f'<label for="id_{field}">' in page
    assert 'type="hidden" name="version" value="0"' in page
    assert "style=" not in page and "<script" not in page
    page = client.get(reverse("reporting:extension_create", args=[ward_assignment.pk])).content.decode()
    assert '<label for="id_requested_due_on">' in page

    update = progress_report(assignment=ward_assignment, by=ward_staff, percent=10, note="Một.")
    request_ = extension_request(
        assignment=ward_assignment,
        by=ward_staff,
        requested_due_on=ward_assignment.due_on + timedelta(9),
        reason="x",
    )
    client.force_login(reviewer)
    for url in (
        reverse("reporting:report_review", args=[update.pk]),
        reverse("reporting:extension_decide", args=[request_.pk]),
        reverse("reporting:review_queue"),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert "style=" not in response.content.decode() and "<script" not in response.content.decode()


def test_admin_shows_the_history_read_only(client, admin_user, ward_staff, reviewer, ward_assignment):
    update = progress_report(assignment=ward_assignment, by=ward_staff, percent=10, note="Một.")
    report_review(update=update, by=reviewer, stage=ReviewStage.CITY, outcome=ReviewOutcome.APPROVED)
    client.force_login(admin_user)
    page = client.get(reverse("admin:tasks_assignment_change", args=[ward_assignment.pk])).content.decode()
    assert "Một." in page and "Đã xác nhận" in page
    page = client.get(reverse("admin:reporting_progressupdate_change", args=[update.pk])).content.decode()
    assert "Văn phòng UBND thành phố" in page


def test_admin_lists_the_new_records_and_offers_no_way_to_edit_history(
    client, admin_user, ward_staff, reviewer, ward_assignment
):
    update = progress_report(assignment=ward_assignment, by=ward_staff, percent=10, note="Một.")
    report_review(update=update, by=reviewer, stage=ReviewStage.CITY, outcome=ReviewOutcome.APPROVED)
    client.force_login(admin_user)
    for name in ("reportreview", "extensionrequest", "extensiondecision", "unitpolicy", "progressupdate"):
        assert client.get(reverse(f"admin:reporting_{name}_changelist")).status_code == 200
    assert client.get(reverse("admin:reporting_unitpolicy_add")).status_code == 200
    assert client.get(reverse("admin:reporting_reportreview_add")).status_code == 403
    review = update.reviews.get()
    before = db_state(ward_assignment)
    client.post(reverse("admin:reporting_reportreview_change", args=[review.pk]), {"reason": "sửa"})
    client.post(reverse("admin:reporting_reportreview_delete", args=[review.pk]), {"post": "yes"})
    assert db_state(ward_assignment) == before
