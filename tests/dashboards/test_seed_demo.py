import io

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from reporting.models import ProgressUpdate, ReportReview, ReviewOutcome, ReviewStage
from tasks.models import Assignment
from tasks.status import Status


def test_seed_demo_is_refused_when_debug_is_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo", stdout=io.StringIO())
    assert not User.objects.filter(username="admin").exists()
    assert not ProgressUpdate.objects.exists()


def test_seed_demo_creates_accounts_and_a_living_history_once(db, settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    users, reports = User.objects.count(), ProgressUpdate.objects.count()
    for username in ("admin", "lanhdao", "vanphong", "sotuphap", "quanbadinh", "phucxa", "truongphucxa"):
        assert User.objects.get(username=username).check_password("cqdt-demo-2021")
    assert reports > 300
    # Only confirmed reports count: every demo report is confirmed by the city office's demo reviewer.
    confirmed = ReportReview.objects.filter(stage=ReviewStage.CITY, outcome=ReviewOutcome.APPROVED)
    assert confirmed.count() == reports
    assert set(confirmed.values_list("reviewer__username", flat=True)) == {"vanphong"}
    statuses = {a.current_status for a in Assignment.objects.all()}
    assert {Status.DONE_ON_TIME, Status.DONE_LATE, Status.OVERDUE, Status.OPEN_ON_TIME} <= statuses
    call_command("seed_demo", stdout=io.StringIO())
    assert (User.objects.count(), ProgressUpdate.objects.count()) == (users, reports)
