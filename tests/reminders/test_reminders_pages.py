"""What people see of the reminders: the settings page, the timeline, the dashboard, the admin, the schedule."""

import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from accounts.models import User
from org.models import Department
from reminders.models import Holiday, ReminderSettings
from reminders.services import DAILY_REMINDER_ENTRY, reminders_send_due
from tests.conftest import make_user
from wards.models import Ward

DUE = date(2025, 10, 16)
URL = "/tai-khoan/thong-bao/"


def test_anonymous_users_are_sent_to_login_from_the_notification_settings(client):
    response = client.get(URL)
    assert response.status_code == 302 and response.url.startswith("/dang-nhap/")


def test_a_user_opts_out_of_the_digest_and_back_in(client, ward_staff):
    client.force_login(ward_staff)
    page = client.get(URL)
    assert page.status_code == 200
    assert "Cài đặt thông báo" in page.content.decode()
    response = client.post(URL, {"reminder_digest_opt_out": "on"}, follow=True)
    assert "Đã lưu cài đặt thông báo." in response.content.decode()
    assert User.objects.get(pk=ward_staff.pk).reminder_digest_opt_out
    client.post(URL, {})
    assert not User.objects.get(pk=ward_staff.pk).reminder_digest_opt_out


def test_the_notification_settings_refuse_other_methods(client, ward_staff):
    client.force_login(ward_staff)
    assert client.put(URL).status_code == 405


def test_the_assignment_timeline_shows_its_reminders(client, assign, ward_staff, unit_head):
    assignment = assign(DUE)
    reminders_send_due(today=DUE)
    client.force_login(ward_staff)
    html = client.get(assignment.get_absolute_url()).content.decode()
    assert "Nhắc hạn" in html and "16/10/2025" in html
    assert "Đến hạn" in html and str(unit_head) in html and "đã gửi" in html


def test_the_dashboard_lists_escalated_assignments(client, assign, ward_staff, city_official):
    assignment = assign(date(2025, 10, 1), title="Việc quá hạn đã nhắc nhiều lần")
    for day in (date(2025, 10, 2), date(2025, 10, 9), date(2025, 10, 16)):  # three reminders reach the ward
        reminders_send_due(today=day)
    reminders_send_due(today=date(2025, 10, 23))  # the 4th overdue reminder
    client.force_login(city_official)
    html = client.get("/").content.decode()
    section = html[html.index('id="bao-cao-lanh-dao"') :]
    assert "Việc quá hạn đã nhắc nhiều lần" in section[: section.index("</section>")]
    page = client.get(assignment.get_absolute_url()).content.decode()
    assert "Báo cáo lãnh đạo" in page and "quá hạn 22 ngày" in page


def test_the_digest_link_shows_the_units_open_assignments(client, assign, ward_staff):
    assign(DUE, title="Việc còn mở")
    done = assign(DUE, title="Việc đã xong")
    type(done).objects.filter(pk=done.pk).update(completed_on=date(2025, 10, 1), percent=100)
    client.force_login(ward_staff)
    html = client.get("/don-vi/phuong/00001/?status=open").content.decode()
    assert "Việc còn mở" in html and "Việc đã xong" not in html
    assert "Việc đã xong" in client.get("/don-vi/phuong/00001/").content.decode()


def test_the_admin_shows_the_reminder_log_read_only_and_who_opted_out(admin_client, assign, ward_staff):
    assign(DUE)
    reminders_send_due(today=DUE)
    log = admin_client.get("/quan-tri/reminders/reminder/")
    assert log.status_code == 200
    assert str(ward_staff) in log.content.decode() and "Đã gửi" in log.content.decode()
    assert admin_client.get("/quan-tri/reminders/reminder/add/").status_code == 403
    User.objects.filter(pk=ward_staff.pk).update(reminder_digest_opt_out=True)
    opted_out = admin_client.get("/quan-tri/accounts/user/?reminder_digest_opt_out__exact=1")
    assert opted_out.status_code == 200
    assert "phucxa" in opted_out.content.decode()
    for page in ("/quan-tri/reminders/holiday/", "/quan-tri/reminders/remindersettings/1/change/"):
        assert admin_client.get(page).status_code == 200


def test_seed_creates_the_0800_schedule_holidays_and_settings_once_and_keeps_admins_changes(db):
    entry = PeriodicTask.objects.get(name=DAILY_REMINDER_ENTRY)
    assert entry.task == "tasks.jobs.send_due_reminders" and entry.enabled
    assert (entry.crontab.minute, entry.crontab.hour, str(entry.crontab.timezone)) == (
        "0",
        "8",
        "Asia/Ho_Chi_Minh",
    )
    # From the holidays library: the lunar Tết, Giỗ Tổ (10/3 âm lịch) and the days in lieu it knows, in Vietnamese.
    assert Holiday.objects.get(date=date(2026, 2, 17)).name == "Tết Nguyên Đán"  # mùng 1 Tết Bính Ngọ
    assert Holiday.objects.get(date=date(2025, 1, 27)).name == "29 Tết"
    assert Holiday.objects.get(date=date(2025, 4, 7)).name == "Ngày Giỗ Tổ Hùng Vương"
    assert Holiday.objects.filter(date__year=2025).count() == 13
    assert ReminderSettings.objects.get().offsets == [7, 3, 1]
    entry.crontab.hour = "7"
    entry.crontab.save()
    holidays = Holiday.objects.count()
    call_command("seed", stdout=io.StringIO())
    assert PeriodicTask.objects.filter(name=DAILY_REMINDER_ENTRY).count() == 1
    assert PeriodicTask.objects.get(name=DAILY_REMINDER_ENTRY).crontab.hour == "7"
    assert Holiday.objects.count() == holidays


def test_the_beat_scheduler_fires_the_daily_job_at_0800_in_hanoi(db):
    from django_celery_beat.schedulers import DatabaseScheduler, ModelEntry

    from cqdt_portal.celery import app

    task = PeriodicTask.objects.get(name=DAILY_REMINDER_ENTRY)
    last_run = datetime(2025, 10, 15, 8, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    with time_machine.travel("2025-10-16T00:59:00Z", tick=False):  # 07:59 in Hà Nội
        assert task in DatabaseScheduler(app=app, lazy=True).enabled_models_qs()
        due, wait = ModelEntry(task, app=app).schedule.is_due(last_run)
        assert not due and 55 <= wait <= 65
    with time_machine.travel("2025-10-16T01:00:05Z", tick=False):  # 08:00:05 in Hà Nội
        due, _ = ModelEntry(task, app=app).schedule.is_due(last_run)
        assert due


UNREACHABLE = "/nhac-han/don-vi-chua-co-nguoi-nhan-thu/"


def test_admins_see_the_units_nobody_can_be_mailed_at(client, admin_client, assign, ward_staff, dept_staff):
    today = timezone.localdate()
    assign(today - timedelta(days=3), department="so-noi-vu")  # nobody of Sở Nội vụ has an account
    assign(today + timedelta(days=3), ward="00004")  # nor of Trúc Bạch
    assign(today - timedelta(days=3), ward="00001")  # Phúc Xá has ward_staff
    html = admin_client.get(UNREACHABLE).content.decode()
    assert "Đơn vị chưa có người nhận thư" in html
    assert "Sở Nội vụ" in html and "Trúc Bạch" in html and "Phúc Xá" not in html
    # Sở Nội vụ first: it has work overdue.
    assert html.index("Sở Nội vụ") < html.index("Trúc Bạch")
    # A user without an e-mail address does not count as someone to remind.
    no_mail = make_user("noivu-khong-thu", department=Department.objects.get(code="so-noi-vu"))
    User.objects.filter(pk=no_mail.pk).update(email="")
    assert "Sở Nội vụ" in admin_client.get(UNREACHABLE).content.decode()
    make_user("noivu", department=Department.objects.get(code="so-noi-vu"))
    assert "Sở Nội vụ" not in admin_client.get(UNREACHABLE).content.decode()
    client.force_login(ward_staff)
    assert client.get(UNREACHABLE).status_code == 403


@pytest.mark.parametrize("n_units", [2, 20])
def test_the_list_of_units_nobody_can_be_mailed_at_runs_a_fixed_number_of_queries(
    admin_client, assign, n_units, django_assert_max_num_queries
):
    today = timezone.localdate()
    for ward in Ward.objects.current().order_by("code")[:n_units]:
        assign(today - timedelta(days=2), ward=ward.code)
    with django_assert_max_num_queries(10):
        html = admin_client.get(UNREACHABLE).content.decode()
    assert html.count("Thêm người dùng") >= n_units
