"""The daily reminder run: who gets what, one digest a day, exactly once, escalation, failures, opt-out."""

import io
from datetime import date, timedelta

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.models import User
from dashboards.selectors import escalated_assignments
from reminders import jobs
from reminders.models import Reminder, ReminderKind, ReminderSettings, ReminderStatus
from reminders.selectors import reminders_due, units_nobody_receives
from reminders.services import reminder_digest_send, reminders_record_due, reminders_send_due
from reporting.models import Role
from tasks.models import Assignment
from tests.conftest import make_user
from tests.reminders.mail_backends import FailingBackend
from wards.models import Ward

DUE = date(2025, 10, 16)  # a Thursday
SEVEN_BEFORE, THREE_BEFORE, ONE_BEFORE = date(2025, 10, 9), date(2025, 10, 13), date(2025, 10, 15)
OVERDUE_DAYS = [date(2025, 10, 17), date(2025, 10, 24), date(2025, 10, 31)]
FOURTH_OVERDUE = date(2025, 11, 7)


def send(today):
    return reminders_send_due(today=today)


def mails_to(address):
    return [m for m in mail.outbox if m.to == [address]]


@pytest.fixture
def failing_mail(settings):
    settings.EMAIL_BACKEND = "tests.reminders.mail_backends.FailingBackend"
    FailingBackend.FAIL_FOR, FailingBackend.failures = set(), 10**6
    yield FailingBackend
    FailingBackend.FAIL_FOR, FailingBackend.failures = set(), 10**6


@pytest.mark.parametrize(
    "today, kind, days_to_due",
    [
        (SEVEN_BEFORE, ReminderKind.BEFORE_DUE, 7),
        (THREE_BEFORE, ReminderKind.BEFORE_DUE, 3),
        (ONE_BEFORE, ReminderKind.BEFORE_DUE, 1),
        (DUE, ReminderKind.DUE, 0),
        (OVERDUE_DAYS[0], ReminderKind.OVERDUE, -1),
    ],
)
def test_the_unit_is_mailed_at_each_offset_on_the_due_day_and_when_overdue(
    assign, ward_staff, today, kind, days_to_due
):
    assignment = assign(DUE)
    send(today)
    reminder = Reminder.objects.get(assignment=assignment, recipient=ward_staff)
    assert (reminder.kind, reminder.sent_on, reminder.days_to_due) == (kind, today, days_to_due)
    assert reminder.status == ReminderStatus.SENT and reminder.attempts == 1
    [message] = mail.outbox
    assert message.to == [ward_staff.email]
    assert f"http://127.0.0.1:8000/giao-viec/{assignment.pk}/" in message.body


def test_no_mail_on_days_between_reminders_or_on_a_weekend(assign, ward_staff):
    assign(DUE)
    for day in (date(2025, 10, 10), date(2025, 10, 11), date(2025, 10, 12), date(2025, 10, 14)):
        assert send(day).digests == []
    assert mail.outbox == [] and not Reminder.objects.exists()


def test_a_deadline_on_saturday_is_reminded_on_friday(assign, ward_staff):
    assignment = assign(date(2025, 10, 18))
    send(date(2025, 10, 17))
    reminder = Reminder.objects.get(assignment=assignment)
    assert (reminder.kind, reminder.days_to_due) == (ReminderKind.DUE, 1)
    assert "còn 1 ngày" in mail.outbox[0].body


def test_a_holiday_admins_add_moves_the_reminder_to_the_working_day_before(assign, ward_staff, admin_client):
    assignment = assign(DUE)
    response = admin_client.post(
        "/quan-tri/reminders/holiday/add/", {"date": "2025-10-15", "name": "Ngày nghỉ kiểm thử"}
    )
    assert response.status_code == 302
    send(ONE_BEFORE)
    assert mail.outbox == []
    send(date(2025, 10, 14))  # Tuesday: the 1-day reminder moved from the holiday
    assert Reminder.objects.get(assignment=assignment).days_to_due == 2


def test_the_seeded_holidays_stop_reminders_on_national_day(assign, ward_staff):
    # 7 days before is Tue 2/9; Quốc khánh was Mon 1/9 and Tue 2/9 in 2025 (the holidays library knows both):
    # sent on Fri 29/8.
    assign(date(2025, 9, 9))
    assert send(date(2025, 9, 2)).digests == []
    assert send(date(2025, 9, 1)).digests == []
    send(date(2025, 8, 29))
    assert Reminder.objects.get().days_to_due == 11


def test_overdue_reminders_repeat_every_m_days_set_by_admins(assign, ward_staff):
    ReminderSettings.objects.filter(pk=1).update(overdue_every_days=2)
    assign(DUE)
    for day in (date(2025, 10, 17), date(2025, 10, 20), date(2025, 10, 21), date(2025, 10, 22)):
        send(day)
    # 17 (Fri), 19 (Sun → Mon 20), 21; not 22.
    assert list(Reminder.objects.order_by("sent_on").values_list("sent_on", flat=True)) == [
        date(2025, 10, 17),
        date(2025, 10, 20),
        date(2025, 10, 21),
    ]


def test_an_assignment_overdue_after_three_reminders_goes_to_the_unit_head_and_the_lead_department(
    assign, ward_staff, unit_head, dept_staff, other_dept_staff
):
    assignment = assign(DUE)
    ward_staff.reminder_digest_opt_out = True  # escalations reach those who opted out, too
    ward_staff.save()
    for day in OVERDUE_DAYS:
        send(day)
    assert set(Reminder.objects.values_list("recipient__username", "kind")) == {("truongphucxa", "overdue")}
    assert not escalated_assignments(FOURTH_OVERDUE).exists()
    mail.outbox.clear()

    run = send(FOURTH_OVERDUE)
    assert run.escalated == [assignment.pk]
    today = Reminder.objects.filter(sent_on=FOURTH_OVERDUE)
    assert sorted(today.values_list("recipient__username", "kind")) == [
        ("phucxa", "escalation"),
        ("sotuphap", "escalation"),  # staff of the lead department (Sở Tư pháp)
        ("truongphucxa", "escalation"),
    ]
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [ward_staff.email, dept_staff.email, unit_head.email]
    )
    assert "[Báo cáo lãnh đạo]" in mail.outbox[0].subject
    assignment.refresh_from_db()
    assert assignment.escalated_at is not None
    assert list(escalated_assignments(FOURTH_OVERDUE)) == [assignment]
    # Done: off the dashboard list.
    Assignment.objects.filter(pk=assignment.pk).update(completed_on=FOURTH_OVERDUE, percent=100)
    assert not escalated_assignments(FOURTH_OVERDUE).exists()


def test_a_ward_officer_with_twelve_due_items_gets_one_mail_listing_them_all(assign, ward_staff):
    assignments = [assign(DUE) for _ in range(6)] + [assign(date(2025, 10, 7)) for _ in range(6)]
    run = send(date(2025, 10, 15))  # 1 day before DUE; the second overdue reminder of 7/10
    assert run.digests == [(ward_staff.pk, date(2025, 10, 15))]
    [message] = mail.outbox
    assert "12 nhiệm vụ" in message.subject
    for assignment in assignments:
        assert f"/giao-viec/{assignment.pk}/" in message.body
    html = message.alternatives[0][0]
    assert html.count("<tr>") == 12 + 2  # a header row per section (overdue, due soon)
    assert "Quá hạn" in message.body and "Sắp đến hạn" in message.body
    assert "http://127.0.0.1:8000/don-vi/phuong/00001/?status=open" in message.body


def test_running_twice_the_same_day_sends_nothing_new(assign, ward_staff, unit_head):
    for _ in range(3):
        assign(DUE)
    send(DUE)
    assert len(mail.outbox) == 2 and Reminder.objects.count() == 6
    second = send(DUE)
    assert (second.created, second.digests) == (0, [])
    assert len(mail.outbox) == 2 and Reminder.objects.count() == 6


def test_a_digest_job_queued_twice_sends_once(
    assign, ward_staff, django_capture_on_commit_callbacks, monkeypatch
):
    assign(DUE)
    queued = []
    monkeypatch.setattr(jobs.send_reminder_digest, "delay", lambda *args: queued.append(args))
    with django_capture_on_commit_callbacks(execute=True):
        jobs.send_due_reminders(DUE.isoformat())
    with django_capture_on_commit_callbacks(execute=True):
        jobs.send_due_reminders(DUE.isoformat())  # a second beat before the first digest went: queued again
    assert queued == [(ward_staff.pk, "2025-10-16"), (ward_staff.pk, "2025-10-16")]
    assert mail.outbox == []
    sent = [reminder_digest_send(recipient_id=pk, day=date.fromisoformat(day)) for pk, day in queued]
    assert sent == [1, 0] and len(mail.outbox) == 1


def test_a_claim_is_taken_back_by_its_redelivered_job_or_after_the_lease(assign, ward_staff):
    assign(DUE)
    reminders_record_due(today=DUE)  # records the row; the queued job is never run here
    Reminder.objects.update(status=ReminderStatus.SENDING, claim_token="job-a", claimed_at=timezone.now())
    assert reminder_digest_send(recipient_id=ward_staff.pk, day=DUE, claim_token="job-b") == 0
    assert reminder_digest_send(recipient_id=ward_staff.pk, day=DUE, claim_token="job-a") == 1
    Reminder.objects.update(
        status=ReminderStatus.SENDING, claim_token="job-c", claimed_at=timezone.now() - timedelta(minutes=16)
    )
    assert reminder_digest_send(recipient_id=ward_staff.pk, day=DUE, claim_token="job-d") == 1
    assert len(mail.outbox) == 2


def test_recipients_are_the_units_active_users_with_an_email(assign, ward_staff, district_staff):
    inactive = make_user("nghiviec", ward=Ward.objects.get(code="00001"))
    inactive.is_active = False
    inactive.save()
    User.objects.create_user("khongmail", email="", ward=Ward.objects.get(code="00001"))
    make_user("phuongkhac", Role.UNIT_STAFF, ward=Ward.objects.get(code="00004"))
    assign(DUE)
    assign(DUE, department="so-noi-vu")
    send(DUE)
    assert sorted(m.to[0] for m in mail.outbox) == [ward_staff.email]  # not the district, other wards, depts


def test_a_user_who_opted_out_gets_no_digest(assign, ward_staff, unit_head):
    User.objects.filter(pk=ward_staff.pk).update(reminder_digest_opt_out=True)
    assign(DUE)
    assert [p.recipient for p in reminders_due(today=DUE)] == [unit_head]
    send(DUE)
    assert [m.to for m in mail.outbox] == [[unit_head.email]]


def test_a_failing_mail_server_is_recorded_does_not_block_others_and_is_retried(
    assign, ward_staff, unit_head, failing_mail
):
    assign(DUE)
    failing_mail.FAIL_FOR = {ward_staff.email}
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 digest"):
        call_command("send_reminders", "--today", "2025-10-16", stdout=out)
    assert "FAILED" in out.getvalue()
    assert [m.to for m in mail.outbox] == [[unit_head.email]]
    failed = Reminder.objects.get(recipient=ward_staff)
    assert failed.status == ReminderStatus.FAILED and failed.attempts == 1
    assert "SMTPServerDisconnected" in failed.last_error
    failing_mail.failures = 0  # the server is back: the next run sends what failed, and only that
    call_command("send_reminders", "--today", "2025-10-16", stdout=io.StringIO())
    failed.refresh_from_db()
    assert (failed.status, failed.attempts, failed.last_error) == (ReminderStatus.SENT, 2, "")
    assert sorted(m.to[0] for m in mail.outbox) == sorted([unit_head.email, ward_staff.email])


def test_the_digest_job_retries_with_backoff_until_the_mail_goes(assign, ward_staff, failing_mail):
    assert jobs.send_reminder_digest.autoretry_for == (OSError,)
    assert jobs.send_reminder_digest.retry_backoff and jobs.send_reminder_digest.max_retries >= 3
    assign(DUE)
    reminders_record_due(today=DUE)
    failing_mail.failures = 2
    result = jobs.send_reminder_digest.apply(args=[ward_staff.pk, "2025-10-16"], task_id="digest-1")
    assert result.successful() and result.result == 1
    reminder = Reminder.objects.get()
    assert (reminder.status, reminder.attempts) == (ReminderStatus.SENT, 3)
    assert len(mail.outbox) == 1


def test_unsent_reminders_of_earlier_days_are_offered_again(assign, ward_staff, failing_mail):
    assign(DUE)
    send(ONE_BEFORE)
    assert Reminder.objects.get().status == ReminderStatus.FAILED
    failing_mail.failures = 0
    run = send(DUE)
    assert run.digests == [(ward_staff.pk, ONE_BEFORE), (ward_staff.pk, DUE)]
    assert len(mail.outbox) == 2


def test_the_daily_job_plans_for_today_in_hanoi(
    assign, ward_staff, django_capture_on_commit_callbacks, monkeypatch
):
    assign(DUE)
    queued = []
    monkeypatch.setattr(jobs.send_reminder_digest, "delay", lambda *args: queued.append(args))
    # 01:30 UTC on 16/10 is 08:30 in Hà Nội.
    with (
        time_machine.travel("2025-10-16T01:30:00Z", tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert jobs.send_due_reminders.apply().result == 1
    assert queued == [(ward_staff.pk, "2025-10-16")]


def test_dry_run_prints_what_would_be_sent_and_writes_nothing(assign, ward_staff):
    assign(DUE, title="Việc kiểm thử chạy thử")
    out = io.StringIO()
    call_command("send_reminders", "--today", "2025-10-16", "--dry-run", stdout=out)
    assert f"would send to {ward_staff.email}" in out.getvalue()
    assert "Việc kiểm thử chạy thử" in out.getvalue()
    assert "1 digest(s), 1 reminder(s)" in out.getvalue()
    assert not Reminder.objects.exists() and mail.outbox == []


def test_the_command_prints_what_it_sent_and_refuses_a_bad_date(assign, ward_staff):
    assign(DUE)
    out = io.StringIO()
    call_command("send_reminders", "--today", "2025-10-16", stdout=out)
    assert f"sent user {ward_staff.pk} (16/10/2025): 1 reminder(s)" in out.getvalue()
    assert "digests sent 1, failed 0" in out.getvalue()
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_reminders", "--today", "16/10/2025", stdout=io.StringIO())
    out = io.StringIO()
    call_command("send_reminders", "--today", "2025-10-18", stdout=out)
    assert "not a working day" in out.getvalue()


def test_an_escalation_reaches_a_unit_head_who_opted_out_but_not_other_units_heads(assign, ward_staff):
    head = make_user("phochutich", ward=Ward.objects.get(code="00001"))
    head.groups.add(Group.objects.get(name=Role.UNIT_HEAD))
    head.reminder_digest_opt_out = True
    head.save()
    other_head = make_user("truongtrucbach", Role.UNIT_HEAD, ward=Ward.objects.get(code="00004"))
    assert other_head.has_role(Role.UNIT_HEAD)
    assign(DUE - timedelta(days=22))  # the fourth overdue reminder falls on DUE
    for day in (date(2025, 9, 25), date(2025, 10, 2), date(2025, 10, 9)):  # the first three reach phucxa
        send(day)
    assert {(p.recipient.username, p.kind) for p in reminders_due(today=DUE)} == {
        ("phucxa", ReminderKind.ESCALATION),
        ("phochutich", ReminderKind.ESCALATION),
    }


@pytest.mark.parametrize("n_assignments", [3, 30])
def test_planning_the_day_runs_a_fixed_number_of_queries(
    assign, ward_staff, unit_head, dept_staff, n_assignments, django_assert_max_num_queries
):
    for n in range(n_assignments):
        assign(DUE - timedelta(days=22) if n % 2 else DUE, ward="00001" if n % 3 else "00004")
    with django_assert_max_num_queries(5):
        planned = reminders_due(today=DUE)
    assert len(planned) >= n_assignments


def test_a_person_deactivated_before_the_digest_goes_is_skipped_not_mailed(assign, ward_staff):
    assign(DUE)
    reminders_record_due(today=DUE)  # recorded; the queued job runs after the deactivation
    User.objects.filter(pk=ward_staff.pk).update(is_active=False)
    assert reminder_digest_send(recipient_id=ward_staff.pk, day=DUE, claim_token="job-a") == 0
    reminder = Reminder.objects.get()
    assert (reminder.status, reminder.attempts, mail.outbox) == (ReminderStatus.SKIPPED, 0, [])
    assert "không có e-mail" in reminder.last_error
    assert send(DUE).digests == []  # not offered again


def test_a_unit_nobody_can_be_mailed_at_is_not_escalated_in_silence_but_listed_for_admins(
    assign, dept_staff, admin_user
):
    assignment = assign(DUE, department="so-noi-vu")  # no user of Sở Nội vụ in this test
    for day in [*OVERDUE_DAYS, FOURTH_OVERDUE]:
        send(day)
    assignment.refresh_from_db()
    # No reminder reached the unit, so none counts: no escalation, and nobody is mailed in its name.
    assert assignment.escalated_at is None
    assert not Reminder.objects.exists() and mail.outbox == []
    [row] = [u for u in units_nobody_receives(today=FOURTH_OVERDUE) if u["unit"].code == "so-noi-vu"]
    assert (row["open"], row["overdue"], row["oldest_due"]) == (1, 1, DUE)
    # The admins' daily mail lists it, once a day.
    assert jobs.send_unreachable_units_notice(FOURTH_OVERDUE.isoformat()) == 1
    assert jobs.send_unreachable_units_notice(FOURTH_OVERDUE.isoformat()) == 0
    [notice] = mails_to(admin_user.email)
    assert "Đơn vị chưa có người nhận thư" in notice.subject
    assert "Sở Nội vụ" in notice.body and "1 việc chưa xong, 1 quá hạn" in notice.body
    assert "/nhac-han/don-vi-chua-co-nguoi-nhan-thu/" in notice.body


def test_the_first_reminder_a_unit_ever_gets_never_escalates_however_long_overdue(
    assign, ward_staff, dept_staff
):
    # Overdue for eight weeks (its 9th overdue reminder on the calendar), never reminded (the portal not yet
    # running, or nobody to mail): the first reminder it gets is a plain overdue one.
    assignment = assign(DUE - timedelta(days=57))
    send(DUE)
    assert list(Reminder.objects.values_list("recipient__username", "kind")) == [("phucxa", "overdue")]
    assignment.refresh_from_db()
    assert assignment.escalated_at is None
    [message] = mail.outbox
    assert "[Báo cáo lãnh đạo]" not in message.subject
    assert "quá hạn sau nhiều lần nhắc" not in message.body and "Đã nhắc" not in message.body


def test_only_reminders_that_reached_the_unit_count_and_the_escalation_says_how_many_and_when(
    assign, ward_staff, unit_head, failing_mail
):
    assignment = assign(DUE)
    failing_mail.FAIL_FOR = {ward_staff.email, unit_head.email}
    for day in OVERDUE_DAYS:
        send(day)
    assert set(Reminder.objects.values_list("status", flat=True)) == {ReminderStatus.FAILED}
    # Three overdue reminders planned, none delivered: the next ones are plain overdue reminders until three
    # have reached the unit.
    failing_mail.failures = 0
    delivered = [FOURTH_OVERDUE + timedelta(days=7 * n) for n in range(3)]  # 07/11, 14/11, 21/11
    for day in delivered:
        send(day)
        assert set(Reminder.objects.filter(sent_on=day).values_list("kind", flat=True)) == {"overdue"}
    assignment.refresh_from_db()
    assert assignment.escalated_at is None
    mail.outbox.clear()
    run = send(date(2025, 11, 28))
    assert run.escalated == [assignment.pk]
    message = mails_to(ward_staff.email)[0]
    assert "[Báo cáo lãnh đạo]" in message.subject
    assert "Đã nhắc 3 lần: 07/11/2025, 14/11/2025, 21/11/2025" in message.body
    assert "đã nhắc 3 lần: 07/11/2025, 14/11/2025, 21/11/2025" in message.alternatives[0][0]


def test_each_mail_says_when_a_deadline_is_illustrative(assign, ward_staff):
    assignment = assign(DUE)
    assignment.task.deadline_is_illustrative = True
    assignment.task.save()
    send(DUE)
    [message] = mail.outbox
    assert "Thời hạn minh hoạ: do cổng đặt, không có trong văn bản gốc." in message.body
    assert "thời hạn minh hoạ" in message.alternatives[0][0]
