"""History no one can rewrite in the admin: an assignment reported on keeps its unit, task and start; reports are
written only through the unit's form; a completion date lies between the assignment's start and today."""

from datetime import date
from html.parser import HTMLParser

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from reporting.models import ProgressUpdate
from reporting.services import progress_report
from tasks.models import Task
from tests.conftest import db_state
from wards.models import Ward


class _FormFields(HTMLParser):
    """The values an admin change form would post as it stands (inputs, selected options, text areas)."""

    def __init__(self):
        super().__init__()
        self.data, self._select, self._textarea = {}, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "checkbox", "file"):
            self.data[name] = attrs.get("value") or ""
        elif tag == "input" and name and attrs.get("type") == "checkbox" and "checked" in attrs:
            self.data[name] = "on"
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in attrs:
            self.data[self._select] = attrs.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        if tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data


def change_form(client, assignment):
    page = client.get(reverse("admin:tasks_assignment_change", args=[assignment.pk]))
    assert page.status_code == 200
    parser = _FormFields()
    parser.feed(page.content.decode())
    return page.content.decode(), parser.data


@pytest.fixture
def staff_reviewer(reviewer):
    reviewer.is_staff = True
    reviewer.save()
    return reviewer


def test_a_staff_reviewer_cannot_move_a_reported_assignment_to_another_unit_or_task(
    client, staff_reviewer, ward_staff, ward_assignment
):
    progress_report(assignment=ward_assignment, by=ward_staff, percent=40, note="Đang làm.")
    retired = Ward.objects.get(code="00250")  # Bùi Thị Xuân, ended in 2020
    other_task = Task.objects.exclude(pk=ward_assignment.task_id).first()
    client.force_login(staff_reviewer)
    html, data = change_form(client, ward_assignment)
    assert 'name="ward"' not in html and 'name="task"' not in html and 'name="given_on"' not in html
    data.update(ward=str(retired.pk), task=str(other_task.pk), given_on="2001-01-01", _save="Lưu")
    client.post(reverse("admin:tasks_assignment_change", args=[ward_assignment.pk]), data)
    ward_assignment.refresh_from_db()
    assert (ward_assignment.ward_id, ward_assignment.task_id) != (retired.pk, other_task.pk)
    assert ward_assignment.ward.code == "00001" and ward_assignment.given_on != date(2001, 1, 1)


def test_an_assignment_not_yet_reported_on_can_still_be_corrected(client, staff_reviewer, ward_assignment):
    client.force_login(staff_reviewer)
    html, _data = change_form(client, ward_assignment)
    assert 'name="ward"' in html and 'name="task"' in html


def test_the_admin_cannot_add_a_progress_report(client, admin_user, ward_assignment):
    client.force_login(admin_user)
    assert client.get(reverse("admin:reporting_progressupdate_add")).status_code == 403
    before = db_state(ward_assignment)
    client.post(
        reverse("admin:reporting_progressupdate_add"),
        {
            "assignment": ward_assignment.pk,
            "author": admin_user.pk,
            "percent": 100,
            "reported_at_0": "01/01/2020",
        },
    )
    assert db_state(ward_assignment) == before


@pytest.mark.parametrize("day", ["1900-01-01", "0001-01-01", "2021-01-01"])
def test_a_completion_date_before_the_assignment_was_given_is_refused(
    client, ward_staff, ward_assignment, day
):
    client.force_login(ward_staff)
    before = db_state(ward_assignment)
    response = client.post(
        reverse("reporting:progress_create", args=[ward_assignment.pk]),
        {"percent": "100", "note": "Xong.", "completed_on": day, "version": str(ward_assignment.version)},
    )
    assert response.status_code == 200
    assert "không được trước ngày giao nhiệm vụ" in response.content.decode()
    assert db_state(ward_assignment) == before


def test_the_service_refuses_a_completion_date_before_the_start(ward_staff, ward_assignment):
    with pytest.raises(ValidationError) as refused:
        progress_report(
            assignment=ward_assignment,
            by=ward_staff,
            percent=100,
            note="Xong.",
            completed_on=date(1900, 1, 1),
        )
    assert refused.value.error_dict["completed_on"][0].code == "before_given"
    assert not ProgressUpdate.objects.exists()
    progress_report(
        assignment=ward_assignment,
        by=ward_staff,
        percent=100,
        note="Xong.",
        completed_on=ward_assignment.given_on,
    )
