"""Notifications: who is told of what, in the portal's inbox and by e-mail once, after the event commits."""

import io
from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from cqdt_portal.celery import app as celery_app
from notifications.emails import notification_emails_send
from notifications.models import EmailStatus, Notification, NotificationKind
from reporting.models import ReviewOutcome, ReviewStage, Role, UnitPolicy
from reporting.services import extension_decide, extension_request, progress_report, report_review
from tasks.models import Assignment
from tasks.services import assignment_hand_over
from tests.conftest import make_user
from wards.models import Ward


@pytest.fixture
def eager(monkeypatch):
    """Celery runs each queued job at once, in the test (as a worker would after the commit)."""
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)


def titles(user):
    return list(Notification.objects.filter(recipient=user).values_list("title", flat=True))


def report(assignment, staff, percent=60):
    return progress_report(assignment=assignment, by=staff, percent=percent, note="Đang triển khai.")


def test_a_returned_report_tells_the_unit_with_the_reason_by_inbox_and_one_email_after_commit(
    eager, settings, ward_staff, other_ward_staff, unit_head, reviewer, ward_assignment,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    settings.SITE_URL = "https://cqdt.hanoi.gov.vn"
    update = report(ward_assignment, ward_staff)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as queued:
        report_review(
            update=update, by=reviewer, stage=ReviewStage.CITY, outcome=ReviewOutcome.RETURNED,
            reason="Thiếu biên bản kiện toàn.",
        )  # fmt: skip
    # Nothing leaves before the commit; the rows are part of the same transaction as the review.
    assert mail.outbox == [] and len(queued) == 1
    told = Notification.objects.filter(kind=NotificationKind.REPORT_RETURNED)
    assert {n.recipient for n in told} == {
        ward_staff,
        unit_head,
    }  # the unit; not another ward, not the reviewer
    queued[0]()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([ward_staff.email, unit_head.email])
    message = mail.outbox[0]
    assert message.subject.startswith("[CQĐT] Báo cáo bị trả lại: Sẵn sàng vận hành")
    assert "Lý do (Văn phòng UBND thành phố): Thiếu biên bản kiện toàn." in message.body
    assert f"https://cqdt.hanoi.gov.vn/giao-viec/{ward_assignment.pk}/" in message.body
    assert set(told.values_list("email_status", flat=True)) == {EmailStatus.SENT}
    # The job again (a retry, a duplicate message), and the catch-up: nobody gets it twice.
    assert notification_emails_send(keys=[f"report_returned:{update.pk}"]) == 0
    out = io.StringIO()
    call_command("send_notifications", stdout=out)
    # The catch-up sends only what was still unsent: the reviewer's "report waiting" of the first report, whose
    # job this test never ran.
    assert out.getvalue() == "notification e-mails sent 1\n"
    assert [m.to for m in mail.outbox[2:]] == [[reviewer.email]]
    assert titles(other_ward_staff) == []


def test_a_confirmed_report_tells_the_unit(eager, ward_staff, reviewer, ward_assignment,
                                           django_capture_on_commit_callbacks):  # fmt: skip
    update = report(ward_assignment, ward_staff)
    with django_capture_on_commit_callbacks(execute=True):
        report_review(update=update, by=reviewer, stage=ReviewStage.CITY, outcome=ReviewOutcome.APPROVED)
    confirmed = Notification.objects.get(recipient=ward_staff, kind=NotificationKind.REPORT_CONFIRMED)
    assert confirmed.title.startswith("Báo cáo đã được xác nhận: Sẵn sàng vận hành")
    assert confirmed.link == ward_assignment.get_absolute_url()
    assert [m.to for m in mail.outbox if "xác nhận" in m.subject] == [[ward_staff.email]]


def test_a_person_who_turned_emails_off_sees_the_notification_but_gets_no_mail(
    eager, client, ward_staff, reviewer, ward_assignment, django_capture_on_commit_callbacks
):
    client.force_login(ward_staff)
    response = client.post(
        reverse("accounts:notification_settings"), {"notification_email_opt_out": "on"}, follow=True
    )
    assert "Đã lưu cài đặt thông báo." in response.content.decode()
    update = report(ward_assignment, ward_staff)
    with django_capture_on_commit_callbacks(execute=True):
        report_review(update=update, by=reviewer, stage=ReviewStage.CITY, outcome=ReviewOutcome.APPROVED)
    assert mail.outbox == []
    notification = Notification.objects.get(recipient=ward_staff)
    assert notification.email_status == EmailStatus.SKIPPED
    assert "Báo cáo đã được xác nhận" in client.get(reverse("notifications:inbox")).content.decode()


def test_a_report_waits_for_the_reviewers_or_first_for_the_units_head(
    ward_staff, unit_head, reviewer, city_official, ward_assignment
):
    update = report(ward_assignment, ward_staff)
    awaiting = Notification.objects.filter(kind=NotificationKind.REPORT_AWAITING)
    assert [n.recipient for n in awaiting] == [reviewer]
    assert awaiting.get().link == reverse("reporting:report_review", args=[update.pk])

    UnitPolicy.objects.create(ward=ward_assignment.ward, head_approval_required=True)
    second = report(ward_assignment, ward_staff, percent=80)
    assert list(awaiting.filter(key__endswith=f":{second.pk}").values_list("recipient", flat=True)) == [
        unit_head.pk
    ]
    report_review(update=second, by=unit_head, stage=ReviewStage.UNIT_HEAD, outcome=ReviewOutcome.APPROVED)
    assert sorted(awaiting.filter(key__endswith=f":{second.pk}").values_list("recipient", flat=True)) == [
        unit_head.pk, reviewer.pk,
    ]  # fmt: skip
    assert titles(city_official) == []


def test_an_extension_request_waits_for_the_reviewers_and_its_decision_tells_the_unit(
    ward_staff, reviewer, ward_assignment
):
    request = extension_request(
        assignment=ward_assignment, by=ward_staff, requested_due_on=ward_assignment.due_on + timedelta(60),
        reason="Chờ trụ sở.", requested_at=timezone.make_aware(timezone.datetime(2021, 6, 20, 10)),
    )  # fmt: skip
    assert titles(reviewer) == [
        "Đề nghị gia hạn chờ quyết định: Sẵn sàng vận hành mô hình chính quyền đô thị từ 01/07/2021"
    ]
    extension_decide(
        request=request, by=reviewer, approved=True, granted_due_on=ward_assignment.due_on + timedelta(30),
        reason="Đủ một tháng.", document_number="12/VP", decided_at=timezone.make_aware(timezone.datetime(2021, 6, 25, 10)),
    )  # fmt: skip
    decided = Notification.objects.get(recipient=ward_staff, kind=NotificationKind.EXTENSION_DECIDED)
    assert decided.title.startswith("Đồng ý gia hạn đến 31/07/2021")
    assert "Đơn vị đề nghị đến 30/08/2021; thời hạn được chấp thuận: 31/07/2021." in decided.body
    assert "Văn bản: số 12/VP" in decided.body and "Ý kiến: Đủ một tháng." in decided.body


def test_a_unit_is_told_of_a_task_given_to_every_ward(db):
    from plans.models import LegalDocument
    from tasks.models import Task, TaskScope
    from tasks.services import assignments_sync

    staff = make_user("phucxa", Role.UNIT_STAFF, ward=Ward.objects.get(code="00001"))
    task = Task.objects.create(
        document=LegalDocument.objects.get(number="100/KH-UBND"), title="Rà soát trụ sở sau sắp xếp",
        scope=TaskScope.EVERY_WARD, given_on=date(2024, 6, 1), due_on=date(2024, 12, 31),
    )  # fmt: skip
    with time_machine.travel(date(2024, 6, 1), tick=False):
        assignments_sync(task=task)
    given = Notification.objects.get(recipient=staff, kind=NotificationKind.ASSIGNMENT_GIVEN)
    assert given.title == "Nhiệm vụ mới của đơn vị: Rà soát trụ sở sau sắp xếp"
    assert given.body == "Phường Phúc Xá được giao nhiệm vụ theo Kế hoạch 100/KH-UBND; thời hạn 31/12/2024."
    assert given.link == Assignment.objects.get(task=task, ward__code="00001").get_absolute_url()
    assert Notification.objects.filter(kind=NotificationKind.ASSIGNMENT_GIVEN).count() == 1  # no one else


def test_a_unit_is_told_of_work_handed_over_to_it(map_until, admin_user):
    # 01/07/2025: the districts end with no successor on record; the city hands a district's work to a ward.
    map_until("2025-07-01")
    waiting = Assignment.objects.awaiting_hand_over().filter(district__isnull=False).order_by("pk").first()
    receiver = Ward.objects.existing_on(waiting.ended_on + timedelta(days=1)).order_by("code").first()
    people = make_user("nhan", Role.UNIT_STAFF, ward=receiver)
    assignment_hand_over(assignment=waiting, to=[receiver], by=admin_user)
    received = Notification.objects.get(recipient=people, kind=NotificationKind.HANDED_OVER)
    assert received.title.startswith("Đơn vị nhận chuyển giao nhiệm vụ: ")
    assert received.body.startswith(f"Nhận từ {waiting.unit} (đã chuyển giao ngày 01/07/2025)")


def test_the_inbox_lists_ones_own_marks_read_and_goes_to_the_subject(
    client, ward_staff, other_ward_staff, reviewer, ward_assignment
):
    update = report(ward_assignment, ward_staff)
    report_review(
        update=update,
        by=reviewer,
        stage=ReviewStage.CITY,
        outcome=ReviewOutcome.RETURNED,
        reason="Bổ sung số liệu.",
    )
    client.force_login(ward_staff)
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert "Báo cáo bị trả lại" in page and "Bổ sung số liệu." in page
    assert 'class="badge">1<' in page  # the unread count in the navigation
    notification = Notification.objects.get(recipient=ward_staff)
    response = client.get(reverse("notifications:open", args=[notification.pk]))
    assert response.status_code == 302 and response["Location"] == ward_assignment.get_absolute_url()
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert 'class="badge">1<' not in client.get(reverse("notifications:inbox")).content.decode()

    client.force_login(other_ward_staff)
    assert client.get(reverse("notifications:open", args=[notification.pk])).status_code == 404
    assert "Bổ sung số liệu." not in client.get(reverse("notifications:inbox")).content.decode()


def test_mark_all_read_is_a_post(client, ward_staff, reviewer, ward_assignment):
    for percent in (20, 40):
        update = report(ward_assignment, ward_staff, percent)
        report_review(update=update, by=reviewer, stage=ReviewStage.CITY, outcome=ReviewOutcome.APPROVED)
    client.force_login(ward_staff)
    assert client.get(reverse("notifications:read_all")).status_code == 405
    response = client.post(reverse("notifications:read_all"), follow=True)
    assert "Đã đánh dấu 2 thông báo là đã đọc." in response.content.decode()
    assert not Notification.objects.filter(recipient=ward_staff, read_at__isnull=True).exists()


def test_anonymous_is_sent_to_login(client):
    for url in (reverse("notifications:inbox"), reverse("notifications:open", args=[1])):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("n", [2, 30])
def test_the_inbox_runs_a_fixed_number_of_queries(client, ward_staff, reviewer, ward_assignment,
                                                  django_assert_max_num_queries, n):  # fmt: skip
    for i in range(n):
        update = report(ward_assignment, ward_staff, percent=i + 1)
        report_review(update=update, by=reviewer, stage=ReviewStage.CITY, outcome=ReviewOutcome.APPROVED)
    client.force_login(ward_staff)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("notifications:inbox"))
    assert response.content.decode().count('class="inbox-item') == min(n, 25)


def test_seed_schedules_the_catch_up_of_unsent_emails_every_ten_minutes(db):
    from django_celery_beat.models import PeriodicTask

    entry = PeriodicTask.objects.get(task="notifications.jobs.send_pending_notification_emails")
    assert (entry.interval.every, entry.interval.period, entry.enabled) == (10, "minutes", True)


def test_once_decided_by_one_reviewer_what_waited_no_longer_waits_in_the_others_inboxes(
    client, ward_staff, reviewer, ward_assignment
):
    other = make_user("vanphong2", Role.REVIEWER)
    update = report(ward_assignment, ward_staff)
    request = extension_request(
        assignment=ward_assignment, by=ward_staff, requested_due_on=ward_assignment.due_on + timedelta(30),
        reason="Chờ trụ sở.", requested_at=timezone.make_aware(timezone.datetime(2021, 6, 20, 10)),
    )  # fmt: skip
    assert Notification.objects.filter(recipient=other, read_at__isnull=True).count() == 2

    report_review(update=update, by=reviewer, stage=ReviewStage.CITY, outcome=ReviewOutcome.APPROVED)
    extension_decide(
        request=request, by=reviewer, approved=False, reason="Không đủ căn cứ.",
        decided_at=timezone.make_aware(timezone.datetime(2021, 6, 25, 10)),
    )  # fmt: skip

    # Still listed in the inbox (history is kept), but nothing is unread: the count in the navigation is gone.
    assert Notification.objects.filter(recipient=other).count() == 2
    assert Notification.objects.filter(recipient=other, read_at__isnull=True).count() == 0
    client.force_login(other)
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert "0 thông báo chưa đọc" in page and "(chưa đọc)" not in page
