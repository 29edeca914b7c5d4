"""Chasing (đôn đốc): who may chase whom, the mail the unit's people get, the timeline, and what it counts for."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail
from django.test import TestCase

from accounts.models import User
from cqdt_portal.celery import app as celery_app
from reminders.models import Chase, Reminder, ReminderKind, ReminderStatus
from reminders.services import reminders_send_due
from reporting.models import Role
from tests.conftest import make_user
from tests.reminders.conftest import make_assignment
from wards.models import District, Ward

TODAY = date(2024, 11, 20)  # a Wednesday, districts still exist
URL = "/don-doc/"


@pytest.fixture(autouse=True)
def eager_jobs(monkeypatch):
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)


@pytest.fixture(autouse=True)
def on_today():
    with time_machine.travel(f"{TODAY.isoformat()}T03:00:00Z", tick=False):
        yield


@pytest.fixture
def overdue(quiet):
    return {
        "phucxa": make_assignment(TODAY - timedelta(days=10), ward="00001", title="Việc quá hạn của Phúc Xá"),
        "trucbach": make_assignment(
            TODAY - timedelta(days=3), ward="00004", title="Việc quá hạn của Trúc Bạch"
        ),
        "noivu": make_assignment(
            TODAY - timedelta(days=5), department="so-noi-vu", title="Việc của Sở Nội vụ"
        ),
    }


def post(client, assignments, message="Đề nghị báo cáo tiến độ trước ngày 25/11."):
    """Post a chase; its mails, queued after the commit, go at once (eager Celery)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(URL, {"assignments": [a.pk for a in assignments], "message": message}, follow=True)


def test_the_city_office_chases_two_units_and_their_staff_get_one_mail_each(
    client, reviewer, ward_staff, unit_head, overdue
):
    trucbach = make_user("trucbach", Role.UNIT_STAFF, ward=Ward.objects.get(code="00004"))
    client.force_login(reviewer)
    page = client.get(URL).content.decode()
    for a in overdue.values():
        assert a.task.title in page
    response = post(client, [overdue["phucxa"], overdue["trucbach"]])
    assert "Đã đôn đốc 2 nhiệm vụ của 2 đơn vị; thư gửi tới 3 người." in response.content.decode()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([ward_staff.email, unit_head.email, trucbach.email])
    message = [m for m in mail.outbox if m.to == [trucbach.email]][0]
    assert "Đôn đốc" in message.subject and "1 nhiệm vụ quá hạn" in message.subject
    assert "Đề nghị báo cáo tiến độ trước ngày 25/11." in message.body
    assert str(reviewer) in message.body and "Việc quá hạn của Trúc Bạch" in message.body
    assert "Việc quá hạn của Phúc Xá" not in message.body
    assert set(Reminder.objects.values_list("kind", "status")) == {(ReminderKind.CHASE, ReminderStatus.SENT)}
    # The timeline of each assignment shows the chase, who sent it and the message.
    timeline = client.get(overdue["phucxa"].get_absolute_url()).content.decode()
    assert "Đôn đốc" in timeline and str(reviewer) in timeline
    assert "Đề nghị báo cáo tiến độ trước ngày 25/11." in timeline and str(ward_staff) in timeline


def test_a_chase_counts_as_a_reminder_towards_escalation(client, reviewer, ward_staff, overdue, settings):
    # Three reminders that reached the unit: two chases and the daily one; the next daily one escalates.
    assignment = make_assignment(TODAY - timedelta(days=8), ward="00001")  # overdue reminder on 20/11, 27/11
    client.force_login(reviewer)
    post(client, [assignment])
    post(client, [assignment], "Nhắc lần hai.")
    reminders_send_due(today=TODAY)
    assert Reminder.objects.filter(assignment=assignment, kind="overdue").exists()
    run = reminders_send_due(today=TODAY + timedelta(days=7))
    assert assignment.pk in run.escalated
    escalation = [m for m in mail.outbox if "[Báo cáo lãnh đạo]" in m.subject][-1]
    assert "Đã nhắc 3 lần: 20/11/2024, 20/11/2024, 20/11/2024" in escalation.body


def test_a_lead_department_chases_its_tasks_only(client, dept_staff, overdue):
    # make_assignment's tasks are led by Sở Tư pháp (dept_staff's department).
    client.force_login(dept_staff)
    page = client.get(URL).content.decode()
    assert "Việc quá hạn của Phúc Xá" in page
    other = make_assignment(TODAY - timedelta(days=4), ward="00001")
    other.task.lead_department = other.task.lead_department.__class__.objects.get(code="so-noi-vu")
    other.task.save()
    assert other.task.title not in client.get(URL).content.decode()
    assert post(client, [overdue["phucxa"], other]).status_code == 403
    assert not Chase.objects.exists()


def test_a_district_chases_its_own_wards_while_districts_exist(client, district_staff, ward_staff, overdue):
    client.force_login(district_staff)
    other_district_ward = make_assignment(
        TODAY - timedelta(days=4), ward=Ward.objects.exclude(district__code="001").first().code
    )
    page = client.get(URL).content.decode()
    assert "Việc quá hạn của Phúc Xá" in page and other_district_ward.task.title not in page
    assert post(client, [other_district_ward]).status_code == 403
    post(client, [overdue["phucxa"]])
    assert [m.to for m in mail.outbox] == [[ward_staff.email]]
    # On a day when districts no longer exist, a district chases nobody.
    District.objects.filter(code="001").update(valid_to=TODAY - timedelta(days=1))
    assert client.get(URL).status_code == 403


@pytest.mark.parametrize("persona", ["ward_staff", "city_official"])
def test_ward_staff_and_readers_may_not_chase(client, persona, request, overdue):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"assignments": [overdue["phucxa"].pk], "message": "x"}).status_code == 403


def test_a_chase_needs_a_message_and_overdue_work_and_writes_nothing_otherwise(client, reviewer, overdue):
    client.force_login(reviewer)
    assert "Nhập lời nhắn đôn đốc." in post(client, [overdue["phucxa"]], "  ").content.decode()
    assert "Chọn ít nhất một nhiệm vụ quá hạn" in post(client, []).content.decode()
    not_yet = make_assignment(TODAY + timedelta(days=3), ward="00001", title="Việc chưa đến hạn")
    html = post(client, [overdue["phucxa"], not_yet]).content.decode()
    assert "Chỉ đôn đốc được nhiệm vụ đang quá hạn" in html
    assert not Chase.objects.exists() and not Reminder.objects.exists() and mail.outbox == []


def test_chasing_a_unit_nobody_can_be_mailed_at_says_so(client, reviewer, overdue):
    client.force_login(reviewer)
    html = post(client, [overdue["noivu"]]).content.decode()
    assert "Chưa có ai nhận được thư ở: Sở Nội vụ" in html
    assert mail.outbox == []


def test_the_search_ignores_diacritics(client, reviewer, overdue):
    client.force_login(reviewer)
    page = client.get(URL, {"q": "phuc xa"}).content.decode()
    assert "Việc quá hạn của Phúc Xá" in page and "Việc quá hạn của Trúc Bạch" not in page


@pytest.mark.parametrize("n", [3, 40])
def test_the_chase_page_runs_a_fixed_number_of_queries(
    client, reviewer, quiet, n, django_assert_max_num_queries
):
    for i in range(n):
        make_assignment(TODAY - timedelta(days=1 + i % 9), ward="00001" if i % 2 else "00004")
    client.force_login(reviewer)
    with django_assert_max_num_queries(12):
        response = client.get(URL)
    assert response.content.decode().count('name="assignments"') == n
    assert User.objects.exists()
