"""Separation of duties: no one decides their own extension request or reviews their own report, whatever roles
they hold; the pages say who may instead."""

from datetime import date, timedelta

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from reporting.models import ExtensionRequest, ProgressUpdate, ReportReview, ReviewOutcome, ReviewStage, Role
from reporting.services import extension_decide, extension_request, progress_report, report_review
from tests.conftest import db_state, make_user
from wards.models import Ward

OWN_WORK = "Không ai tự xem xét báo cáo hay tự quyết định đề nghị của chính mình."


@pytest.fixture(autouse=True)
def _before_the_deadline():
    with time_machine.travel(date(2021, 6, 20), tick=False):
        yield


@pytest.fixture
def staff_and_reviewer(db):
    """A Phúc Xá staff member who is also in the city office's reviewer group."""
    user = make_user("kiemnhiem", Role.UNIT_STAFF, ward=Ward.objects.get(code="00001"))
    user.groups.add(Group.objects.get(name=Role.REVIEWER.value))
    return user


def test_a_reviewer_cannot_approve_their_own_extension_request(client, reviewer, ward_assignment):
    client.force_login(reviewer)
    response = client.post(
        reverse("reporting:extension_create", args=[ward_assignment.pk]),
        {
            "requested_due_on": str(ward_assignment.due_on + timedelta(days=365)),
            "reason": "Cần thêm một năm.",
        },
    )
    assert response.status_code == 302
    request_ = ExtensionRequest.objects.get()
    page = client.get(reverse("reporting:assignment_detail", args=[ward_assignment.pk])).content.decode()
    assert "một cán bộ khác của Văn phòng UBND thành phố quyết định" in page
    assert reverse("reporting:extension_decide", args=[request_.pk]) not in page
    refused = client.get(reverse("reporting:extension_decide", args=[request_.pk]))
    assert refused.status_code == 403 and OWN_WORK in refused.content.decode()
    before = db_state(ward_assignment)
    response = client.post(reverse("reporting:extension_decide", args=[request_.pk]), {"approved": "yes"})
    assert response.status_code == 403
    assert db_state(ward_assignment) == before
    assert request_ not in client.get(reverse("reporting:review_queue")).context["queue"]["extensions"]
    with pytest.raises(PermissionDenied):
        extension_decide(request=request_, by=reviewer, approved=True)

    colleague = make_user("vanphong2", Role.REVIEWER)
    client.force_login(colleague)
    assert client.get(reverse("reporting:extension_decide", args=[request_.pk])).status_code == 200


def test_the_admin_cannot_decide_their_own_request_either(client, admin_user, ward_assignment):
    request_ = extension_request(
        assignment=ward_assignment, by=admin_user, requested_due_on=ward_assignment.due_on + timedelta(30),
        reason="Thử.",
    )  # fmt: skip
    client.force_login(admin_user)
    assert client.get(reverse("reporting:extension_decide", args=[request_.pk])).status_code == 403


def test_staff_who_are_also_reviewers_cannot_confirm_their_own_report(
    client, staff_and_reviewer, reviewer, ward_assignment
):
    client.force_login(staff_and_reviewer)
    response = client.post(
        reverse("reporting:progress_create", args=[ward_assignment.pk]),
        {"percent": "100", "note": "Đã xong.", "version": str(ward_assignment.version)},
    )
    assert response.status_code == 302
    update = ProgressUpdate.objects.get()
    page = client.get(reverse("reporting:assignment_detail", args=[ward_assignment.pk])).content.decode()
    assert "một cán bộ khác của Văn phòng UBND thành phố xem xét" in page
    assert reverse("reporting:report_review", args=[update.pk]) not in page
    queue = client.get(reverse("reporting:review_queue"))
    assert update not in queue.context["queue"]["city"]
    refused = client.get(reverse("reporting:report_review", args=[update.pk]))
    assert refused.status_code == 403 and OWN_WORK in refused.content.decode()
    before = db_state(ward_assignment)
    client.post(reverse("reporting:report_review", args=[update.pk]), {"outcome": "approved"})
    client.post(reverse("reporting:reports_confirm"), {"reports": [update.pk]})
    assert db_state(ward_assignment) == before
    with pytest.raises(PermissionDenied):
        report_review(
            update=update, by=staff_and_reviewer, stage=ReviewStage.CITY, outcome=ReviewOutcome.APPROVED
        )
    assert not ReportReview.objects.exists()

    # Another reviewer confirms it.
    client.force_login(reviewer)
    response = client.post(reverse("reporting:report_review", args=[update.pk]), {"outcome": "approved"})
    assert response.status_code == 302
    ward_assignment.refresh_from_db()
    assert ward_assignment.percent == 100


def test_a_reviewer_still_reviews_the_reports_of_others(
    client, staff_and_reviewer, ward_staff, ward_assignment
):
    update = progress_report(assignment=ward_assignment, by=ward_staff, percent=30, note="Đang làm.")
    client.force_login(staff_and_reviewer)
    assert client.get(reverse("reporting:report_review", args=[update.pk])).status_code == 200
