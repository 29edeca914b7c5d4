"""A deadline the portal had to set (the press gives none) is flagged wherever it appears: the lists, an assignment's
page, the ward matrix, the exports and the API."""

import csv
import io

import pytest
from django.urls import reverse

from tasks.models import Assignment, Task


@pytest.fixture
def illustrative(db):
    task = Task.objects.filter(deadline_is_illustrative=True, assignments__isnull=False).first()
    return task.assignments.first()


def test_the_list_and_the_assignment_page_say_the_deadline_is_illustrative(
    client, city_official, illustrative
):
    client.force_login(city_official)
    listing = client.get(reverse("tasks:assignment_list"), {"task": illustrative.task_id})
    assert listing.text.count("hạn minh hoạ</span>") == listing.context["page"].paginator.count > 0
    real = Task.objects.filter(deadline_is_illustrative=False, assignments__isnull=False).first()
    assert "hạn minh hoạ</span>" not in client.get(reverse("tasks:assignment_list"), {"task": real.pk}).text
    page = client.get(illustrative.get_absolute_url())
    assert "hạn minh hoạ</span>" in page.text


def test_exports_and_the_api_carry_the_flag(client, city_official, illustrative):
    client.force_login(city_official)
    response = client.get(reverse("tasks:assignment_export", args=["csv"]), {"task": illustrative.task_id})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    column = rows[0].index("Hạn minh hoạ")
    assert {r[column] for r in rows[1:]} == {"minh hoạ"}
    api = client.get("/api/assignments/", {"task": illustrative.task_id}).json()
    assert api["results"] and all(item["deadline_is_illustrative"] for item in api["results"])
    real = Assignment.objects.filter(task__deadline_is_illustrative=False).first()
    api = client.get("/api/assignments/", {"task": real.task_id}).json()
    assert not any(item["deadline_is_illustrative"] for item in api["results"])
