"""Deadline extensions at their dates: the original deadline stays; only a timely approval moves the deadline."""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from reporting.models import ExtensionDecision, ExtensionRequest, ReviewOutcome, ReviewStage
from reporting.services import (
    NotAwaiting,
    extension_decide,
    extension_request,
    progress_report,
    report_review,
)
from tasks.status import Status
from tests.conftest import db_state

DUE = date(2021, 7, 1)
NEW_DUE = date(2021, 8, 15)


def at(day: date, hour=10):
    return timezone.make_aware(datetime.combine(day, datetime.min.time().replace(hour=hour)))


@pytest.fixture
def request_(ward_assignment, ward_staff):
    return extension_request(
        assignment=ward_assignment,
        by=ward_staff,
        requested_due_on=NEW_DUE,
        reason="Chờ bàn giao trụ sở.",
        requested_at=at(date(2021, 6, 20)),
    )


def complete(assignment, staff, reviewer, day):
    update = progress_report(assignment=assignment, by=staff, percent=100, note="Xong.", reported_at=at(day))
    report_review(update=update, by=reviewer, stage=ReviewStage.CITY, outcome=ReviewOutcome.APPROVED)
    assignment.refresh_from_db()


@pytest.mark.parametrize("decided_on", [date(2021, 6, 25), DUE])  # before, and on, the due day
def test_extension_approved_before_the_deadline_passed_moves_it(
    ward_assignment, ward_staff, reviewer, request_, decided_on
):
    decision = extension_decide(request=request_, by=reviewer, approved=True, decided_at=at(decided_on))
    ward_assignment.refresh_from_db()
    assert decision.effective
    assert (ward_assignment.due_on, ward_assignment.original_due_on) == (NEW_DUE, DUE)
    complete(ward_assignment, ward_staff, reviewer, date(2021, 8, 10))
    assert ward_assignment.status_on(date(2021, 9, 1)) == Status.DONE_ON_TIME


def test_extension_approved_after_the_deadline_passed_is_recorded_but_counts_keep_the_original(
    ward_assignment, ward_staff, reviewer, request_
):
    decision = extension_decide(
        request=request_, by=reviewer, approved=True, decided_at=at(DUE + timedelta(days=1))
    )
    ward_assignment.refresh_from_db()
    assert decision.approved and not decision.effective
    assert (ward_assignment.due_on, ward_assignment.original_due_on) == (DUE, DUE)
    complete(ward_assignment, ward_staff, reviewer, date(2021, 8, 10))
    assert ward_assignment.status_on(date(2021, 9, 1)) == Status.DONE_LATE


def test_refused_extension_keeps_the_deadline_and_needs_a_reason(ward_assignment, reviewer, request_):
    before = db_state(ward_assignment)
    with pytest.raises(ValidationError):
        extension_decide(request=request_, by=reviewer, approved=False, decided_at=at(date(2021, 6, 25)))
    assert db_state(ward_assignment) == before
    extension_decide(
        request=request_,
        by=reviewer,
        approved=False,
        reason="Không có căn cứ.",
        decided_at=at(date(2021, 6, 25)),
    )
    ward_assignment.refresh_from_db()
    assert ward_assignment.due_on == DUE


def test_an_extension_is_decided_once(ward_assignment, reviewer, request_):
    extension_decide(request=request_, by=reviewer, approved=True, decided_at=at(date(2021, 6, 25)))
    before = db_state(ward_assignment)
    with pytest.raises(NotAwaiting):
        extension_decide(request=request_, by=reviewer, approved=False, reason="x")
    assert db_state(ward_assignment) == before


def test_one_open_request_at_a_time(ward_assignment, ward_staff, request_):
    with pytest.raises(ValidationError) as error:
        extension_request(
            assignment=ward_assignment, by=ward_staff, requested_due_on=NEW_DUE, reason="Lần hai."
        )
    assert "đang chờ" in error.value.messages[0]
    assert ExtensionRequest.objects.count() == 1


def test_the_requested_date_must_be_after_the_deadline_in_force(client, ward_staff, ward_assignment):
    client.force_login(ward_staff)
    before = db_state(ward_assignment)
    response = client.post(
        reverse("reporting:extension_create", args=[ward_assignment.pk]),
        {"requested_due_on": "2021-06-30", "reason": "Lý do."},
    )
    assert response.status_code == 200
    assert "phải sau thời hạn hiện tại (01/07/2021)" in response.context["form"].errors["requested_due_on"][0]
    assert db_state(ward_assignment) == before


def test_extension_request_needs_a_reason(client, ward_staff, ward_assignment):
    client.force_login(ward_staff)
    before = db_state(ward_assignment)
    response = client.post(
        reverse("reporting:extension_create", args=[ward_assignment.pk]),
        {"requested_due_on": "2021-08-01", "reason": ""},
    )
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    assert db_state(ward_assignment) == before


def test_done_assignment_needs_no_extension(ward_assignment, ward_staff, reviewer):
    complete(ward_assignment, ward_staff, reviewer, date(2021, 6, 20))
    with pytest.raises(ValidationError):
        extension_request(assignment=ward_assignment, by=ward_staff, requested_due_on=NEW_DUE, reason="x")


def test_reviewer_decides_through_the_page_and_the_page_shows_both_deadlines(
    client, ward_assignment, reviewer, request_
):
    client.force_login(reviewer)
    with time_machine.travel(at(date(2021, 6, 25)), tick=False):
        response = client.post(
            reverse("reporting:extension_decide", args=[request_.pk]), {"approved": "1"}, follow=True
        )
    assert response.status_code == 200
    assert ExtensionDecision.objects.get().effective
    page = response.content.decode()
    assert "Đề nghị gia hạn" in page and "Quyết định gia hạn" in page
    assert "15/08/2021" in page and "ban đầu: 01/07/2021" in page


def test_late_approval_through_the_page_warns_that_counts_keep_the_old_deadline(client, reviewer, request_):
    client.force_login(reviewer)
    response = client.post(
        reverse("reporting:extension_decide", args=[request_.pk]), {"approved": "1"}, follow=True
    )
    assert "việc tính đúng hạn vẫn theo thời hạn cũ" in response.content.decode()


# --- Decisions as offices make them: document numbers, and a date other than the one asked -----------------

OTHER_DUE = date(2021, 7, 31)


def test_reviewer_grants_an_earlier_date_than_asked_with_a_reason_and_only_that_date_counts(
    client, ward_assignment, ward_staff, reviewer
):
    client.force_login(ward_staff)
    with time_machine.travel(at(date(2021, 6, 20)), tick=False):
        response = client.post(
            reverse("reporting:extension_create", args=[ward_assignment.pk]),
            {
                "requested_due_on": "2021-08-15",
                "reason": "Chờ bàn giao trụ sở.",
                "document_number": "45/TTr-UBND",
                "document_date": "2021-06-19",
            },
        )
    assert response.status_code == 302
    request_ = ExtensionRequest.objects.get()
    assert (request_.document_number, request_.document_date) == ("45/TTr-UBND", date(2021, 6, 19))

    client.force_login(reviewer)
    url = reverse("reporting:extension_decide", args=[request_.pk])
    with time_machine.travel(at(date(2021, 6, 25)), tick=False):
        assert client.get(url).context["form"]["granted_due_on"].value() == NEW_DUE
        before = db_state(ward_assignment)
        refused = client.post(url, {"approved": "1", "granted_due_on": "2021-07-31"})
        assert "Cần nêu lý do khi chấp thuận thời hạn khác với thời hạn đơn vị đề nghị (15/08/2021)." in (
            refused.content.decode()
        )
        assert db_state(ward_assignment) == before
        response = client.post(
            url,
            {
                "approved": "1",
                "granted_due_on": "2021-07-31",
                "reason": "Đủ thời gian hoàn thành trong tháng 7.",
                "document_number": "1234/VP-KSTTHC",
                "document_date": "2021-06-25",
            },
            follow=True,
        )
    decision = ExtensionDecision.objects.get()
    assert (decision.granted_due_on, decision.effective) == (OTHER_DUE, True)
    assert decision.document_label == "số 1234/VP-KSTTHC ngày 25/06/2021"
    ward_assignment.refresh_from_db()
    assert (ward_assignment.due_on, ward_assignment.original_due_on) == (OTHER_DUE, DUE)
    page = response.content.decode()
    assert "thời hạn mới 31/07/2021" in page and "đơn vị đề nghị 15/08/2021" in page
    assert "số 1234/VP-KSTTHC ngày 25/06/2021" in page and "số 45/TTr-UBND ngày 19/06/2021" in page
    # Done on 10/08: within the date asked, but after the date granted, which is the one in force.
    complete(ward_assignment, ward_staff, reviewer, date(2021, 8, 10))
    assert ward_assignment.status_on(date(2021, 9, 1)) == Status.DONE_LATE


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        (
            {"granted_due_on": DUE},
            "granted_due_on",
            "Thời hạn chấp thuận phải sau thời hạn khi đề nghị (01/07/2021).",
        ),
        ({"document_date": date(2021, 6, 20)}, "document_number", "Có ngày văn bản thì cần ghi số văn bản."),
        (
            {"document_number": "1/VP", "document_date": date(2021, 6, 26)},
            "document_date",
            "Ngày không được sau ngày báo cáo.",
        ),
    ],
)
def test_a_decision_with_a_bad_date_or_document_is_refused_and_writes_nothing(
    ward_assignment, reviewer, request_, values, field, message
):
    before = db_state(ward_assignment)
    with pytest.raises(ValidationError) as refused:
        extension_decide(
            request=request_,
            by=reviewer,
            approved=True,
            reason="x",
            decided_at=at(date(2021, 6, 25)),
            **values,
        )
    assert refused.value.message_dict[field] == [message]
    assert db_state(ward_assignment) == before


def test_a_refusal_grants_no_date(ward_assignment, reviewer, request_):
    decision = extension_decide(
        request=request_, by=reviewer, approved=False, reason="Không đủ căn cứ.", granted_due_on=OTHER_DUE
    )
    assert decision.granted_due_on is None
    ward_assignment.refresh_from_db()
    assert ward_assignment.due_on == DUE


def test_a_request_with_a_document_date_but_no_number_is_refused(ward_assignment, ward_staff):
    before = db_state(ward_assignment)
    with pytest.raises(ValidationError) as refused:
        extension_request(
            assignment=ward_assignment,
            by=ward_staff,
            requested_due_on=NEW_DUE,
            reason="x",
            document_date=date(2021, 6, 1),
            requested_at=at(date(2021, 6, 20)),
        )
    assert refused.value.message_dict["document_number"] == ["Có ngày văn bản thì cần ghi số văn bản."]
    assert db_state(ward_assignment) == before
