import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

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


def test_seed_demo_creates_accounts_and_a_living_history_once(settings, map_until):
    """As `make run` does: the history on the pilot's map, the 2025 reorganisations, then today's part."""
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    assert not User.objects.filter(username="hongha").exists()  # Hồng Hà is not on the map of 2024
    map_until("2026-01-01")
    call_command("seed_demo", stdout=io.StringIO())
    users, reports = User.objects.count(), ProgressUpdate.objects.count()
    for username in DEMO_USERNAMES:
        assert User.objects.get(username=username).check_password("cqdt-demo-2021")
    assert reports > 300
    # Only confirmed reports count: every demo report is confirmed by the city office's demo reviewer.
    confirmed = ReportReview.objects.filter(stage=ReviewStage.CITY, outcome=ReviewOutcome.APPROVED)
    assert confirmed.count() == reports
    assert set(confirmed.values_list("reviewer__username", flat=True)) == {"vanphong"}
    statuses = {a.current_status for a in Assignment.objects.existing_on(timezone.localdate())}
    assert {Status.DONE_ON_TIME, Status.OVERDUE, Status.OPEN_ON_TIME} <= statuses
    assert Status.DONE_LATE in {a.current_status for a in Assignment.objects.all()}
    # Phúc Xá's account keeps its ward (ended 30/06/2025); Hồng Hà's staff work on what Phúc Xá left open.
    hong_ha = User.objects.get(username="hongha").ward
    assert (hong_ha.code, hong_ha.name, User.objects.get(username="phucxa").ward.valid_to) == (
        "00097", "Hồng Hà", datetime.date(2025, 6, 30)
    )  # fmt: skip
    left_open = Assignment.objects.filter(
        ward__code="00001", ward__valid_to="2025-06-30", completed_on__isnull=True
    )
    assert all(a.handed_over_to.filter(ward=hong_ha).exists() for a in left_open)
    call_command("seed_demo", stdout=io.StringIO())
    assert (User.objects.count(), ProgressUpdate.objects.count()) == (users, reports)


DEMO_USERNAMES = ["admin", "lanhdao", "vanphong", "sotuphap", "quanbadinh", "phucxa", "truongphucxa", "hongha",
                  "truonghongha"]  # fmt: skip
