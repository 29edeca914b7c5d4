"""Two people submit on the same assignment at the same moment: one report is recorded, the other is told its
form is stale. Needs real row locks, so it runs on PostgreSQL only."""

import os
import threading

import pytest
from django.core.management import call_command
from django.db import connection, connections

from reporting.models import ProgressUpdate, Role
from reporting.services import StaleVersion, progress_report
from tasks.models import Assignment
from tests.conftest import make_user
from wards.models import Ward


@pytest.mark.postgres
def test_simultaneous_reports_on_one_version_record_one_and_refuse_the_other(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("row locks (select_for_update) need PostgreSQL")
    # Committed data, visible to the two threads. transactional_db empties the database afterwards (pytest-django
    # runs such tests after the others), hence the seed here.
    call_command("seed", "--until", "2024-12-31", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    ward = Ward.objects.get(code="00001")
    staff = make_user("phucxa", Role.UNIT_STAFF, ward=ward)
    head = make_user("truongphucxa", Role.UNIT_HEAD, ward=ward)
    assignment = Assignment.objects.get(task__title__startswith="Sẵn sàng vận hành", ward=ward)
    start = threading.Barrier(2)
    outcomes = []

    def submit(user, percent):
        try:
            start.wait()
            progress_report(assignment=assignment, by=user, percent=percent, note="x", expected_version=0)
            outcomes.append("saved")
        except StaleVersion:
            outcomes.append("stale")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(u, p)) for u, p in ((staff, 40), (head, 60))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    assert sorted(outcomes) == ["saved", "stale"]
    assert ProgressUpdate.objects.filter(assignment=assignment).count() == 1
    assignment.refresh_from_db()
    assert assignment.version == 1
