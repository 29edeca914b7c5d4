"""Twenty staff of one ward report on the same assignment at the same moment: nothing is lost.

Real parallel connections (one thread and one PostgreSQL connection per person), so PostgreSQL only.
"""

import re

import pytest
from django.test import Client
from django.urls import reverse

from reporting.models import ProgressUpdate, Role
from reporting.services import progress_report
from tasks.models import Assignment
from tests.conftest import make_user
from tests.reliability.conftest import run_together
from wards.models import Ward

pytestmark = pytest.mark.postgres

PEOPLE = 20


def phuc_xa_staff() -> list:
    ward = Ward.objects.get(code="00001")
    return [make_user(f"canbo{i:02d}", Role.UNIT_STAFF, ward=ward) for i in range(PEOPLE)]


def readiness() -> Assignment:
    return Assignment.objects.get(task__title__startswith="Sẵn sàng vận hành", ward__code="00001")


def test_twenty_staff_reporting_at_once_each_get_their_report_recorded(parallel_db):
    staff = phuc_xa_staff()
    assignment = readiness()
    version_before = assignment.version

    def report(user, i):
        # No expected_version: each person's form was read from a fresh page, so none of them is stale.
        return progress_report(
            assignment=Assignment.objects.get(pk=assignment.pk), by=user, percent=i, note=f"Báo cáo số {i}"
        )

    results = run_together([lambda u=u, i=i: report(u, i) for i, u in enumerate(staff)])

    assert [type(r) for r in results] == [ProgressUpdate] * PEOPLE, results
    updates = ProgressUpdate.objects.filter(assignment=assignment)
    assert sorted(updates.values_list("note", flat=True)) == sorted(f"Báo cáo số {i}" for i in range(PEOPLE))
    assert sorted(updates.values_list("author__username", flat=True)) == sorted(u.username for u in staff)
    assignment.refresh_from_db()
    assert assignment.version == version_before + PEOPLE


VERSION = re.compile(r'name="version" value="(\d+)"')


def test_twenty_staff_submitting_the_form_at_once_lose_no_note(parallel_db):
    """All twenty open the form on the same version and press "Gửi báo cáo" together: one report is saved per
    version, the others see the stale-form message with their note kept, and submit again until all are in."""
    staff = phuc_xa_staff()
    assignment = readiness()
    url = reverse("reporting:progress_create", args=[assignment.pk])
    clients = {}
    for user in staff:
        clients[user.username] = Client()
        clients[user.username].force_login(user)
    version_before = assignment.version
    pending = {u.username: str(version_before) for u in staff}  # the version each form carries
    rounds = 0

    def submit(username, version):
        note = f"Ghi chú của {username}"
        response = clients[username].post(url, {"percent": "30", "note": note, "version": version})
        return username, note, response

    while pending and rounds < PEOPLE:
        rounds += 1
        results = run_together([lambda n=n, v=v: submit(n, v) for n, v in pending.items()])
        assert not [r for r in results if isinstance(r, BaseException)], results
        saved = [name for name, _, response in results if response.status_code == 302]
        # Everyone submitted a form of the same version: exactly one is recorded, whatever the order.
        assert len(saved) == 1, [(name, r.status_code) for name, _, r in results]
        assert ProgressUpdate.objects.filter(assignment=assignment).count() == rounds
        for name, note, response in results:
            if name in saved:
                del pending[name]
                continue
            body = response.content.decode()
            assert response.status_code == 200
            assert "CHƯA được lưu" in body  # the stale-form message
            assert note in body  # their note is shown back to them, not lost
            pending[name] = VERSION.search(body).group(1)  # the form now carries the newer version

    assert pending == {} and rounds == PEOPLE
    notes = ProgressUpdate.objects.filter(assignment=assignment).values_list("note", flat=True)
    assert sorted(notes) == sorted(f"Ghi chú của {u.username}" for u in staff)
    assignment.refresh_from_db()
    assert assignment.version == version_before + PEOPLE
