"""Every figure is true as of its date (issue 16): only what existed that day, grouped by that day's map, and every
number a link to a list that shows exactly that many rows."""

import re
from datetime import date
from html import unescape

import pytest
from django.urls import reverse

from org.models import Department
from plans.models import LegalDocument
from tasks.models import Assignment, Task, TaskScope
from tasks.services import assignments_sync

LINK = re.compile(r'<a href="(/giao-viec/\?[^"]+)"[^>]*>\s*([0-9]+)\s*</a>')


def linked_numbers(html: str) -> list[tuple[str, int]]:
    return [(unescape(url), int(n)) for url, n in LINK.findall(html)]


def assert_every_number_is_its_list(client, html, at_least):
    links = linked_numbers(html)
    assert len(links) >= at_least
    for url, n in links:
        assert "as_of=" in url, url
        listed = client.get(url)
        assert listed.status_code == 200, url
        assert listed.context["page"].paginator.count == n, url


@pytest.fixture
def task_given_in_2026(db):
    """A task imported late in 2026, due 12/2026: it did not exist in 2021."""
    task = Task.objects.create(
        document=LegalDocument.objects.get(number="100/KH-UBND"), title="Nhiệm vụ giao năm 2026",
        scope=TaskScope.EVERY_WARD, given_on=date(2026, 11, 20), due_on=date(2026, 12, 31),
        lead_department=Department.objects.get(code="so-noi-vu"),
    )  # fmt: skip
    assert assignments_sync(task=task) == 175
    return task


def test_a_figure_as_of_a_day_before_a_task_existed_does_not_count_it(
    client, city_official, task_given_in_2026
):
    client.force_login(city_official)
    as_of_2021 = client.get(reverse("dashboards:dashboard"), {"as_of": "31/12/2021"}).context["counts"]
    assert as_of_2021.total == Assignment.objects.filter(given_on__lte=date(2021, 12, 31)).count()
    assert as_of_2021.total == Assignment.objects.exclude(task=task_given_in_2026).count()
    report = client.get(reverse("dashboards:period_report"), {"kind": "year", "year": 2021})
    assert "Nhiệm vụ giao năm 2026" not in report.text
    assert report.context["total"].total == as_of_2021.total
    listed = client.get(
        reverse("tasks:assignment_list"), {"as_of": "2021-12-31", "task": task_given_in_2026.pk}
    )
    assert listed.context["page"].paginator.count == 0


def test_every_number_of_the_period_report_is_its_list(client, city_official, reported):
    client.force_login(city_official)
    page = client.get(reverse("dashboards:period_report"), {"kind": "year", "year": 2021})
    assert_every_number_is_its_list(client, page.text, at_least=20)


def test_every_number_of_the_dashboard_is_its_list(client, city_official, reported):
    client.force_login(city_official)
    page = client.get(reverse("dashboards:dashboard"), {"as_of": "31/12/2021"})
    assert_every_number_is_its_list(client, page.text, at_least=20)


def test_the_2021_report_shows_the_pilots_map_and_q4_2025_the_new_one(client, city_official, map_until):
    map_until("2026-01-01")
    client.force_login(city_official)
    report_2021 = client.get(reverse("dashboards:period_report"), {"kind": "year", "year": 2021})
    sections = {str(title): rows for title, rows in report_2021.context["sections"]}
    assert len(sections["Quận, thị xã (gồm các phường)"]) == 13
    assert "Phường, xã trực thuộc thành phố" not in sections
    assert report_2021.context["total"].total == Assignment.objects.existing_on(date(2021, 12, 14)).count()
    quarter = {"kind": "quarter", "year": 2025, "number": 4}
    report_2025 = client.get(reverse("dashboards:period_report"), quarter)
    sections = {str(title): rows for title, rows in report_2025.context["sections"]}
    assert "Quận, thị xã (gồm các phường)" not in sections
    # Each of the 126 units has its row, those that hold no work yet with zeros.
    communes = sections["Phường, xã trực thuộc thành phố"]
    assert len(communes) == 126 and all(unit.valid_from == date(2025, 7, 1) for unit, _c, _p in communes)
    assert_every_number_is_its_list(client, report_2025.text, at_least=4)


def test_a_unit_code_in_a_filter_means_the_unit_of_the_as_of_day(client, city_official, map_until):
    map_until("2026-01-01")
    client.force_login(city_official)
    truc_bach = client.get("/api/assignments/", {"ward": "00004", "as_of": "2025-06-30"}).json()
    ba_dinh = client.get("/api/assignments/", {"ward": "00004", "as_of": "2025-12-31"}).json()
    assert {r["unit_name"] for r in truc_bach["results"]} == {"Phường Trúc Bạch"}
    assert {r["unit_name"] for r in ba_dinh["results"]} == {"Phường Ba Đình"}
    page = client.get(reverse("tasks:assignment_list"), {"ward": "00004", "as_of": "2025-06-30"})
    assert {str(a.unit) for a in page.context["page"]} == {"Phường Trúc Bạch"}


def test_searching_a_code_finds_every_unit_that_ever_had_it(client, city_official, map_until):
    map_until("2026-01-01")
    client.force_login(city_official)
    page = client.get(reverse("tasks:district_list"), {"q": "00004"})
    text = page.text
    assert "Phường Trúc Bạch" in text and "Phường Ba Đình" in text
    assert "30/06/2025" in text and "01/07/2025" in text
    unit = client.get(reverse("tasks:unit_detail", args=["phuong", "00097"]))
    assert "Phường Hồng Hà" in unit.text and "1656/NQ-UBTVQH15" in unit.text and "Phúc Xá" in unit.text


def test_the_api_gives_the_units_of_a_day(client, city_official, map_until):
    map_until("2026-01-01")
    client.force_login(city_official)
    wards_2025 = client.get("/api/wards/", {"as_of": "2025-12-31", "page_size": 500}).json()
    assert wards_2025["count"] == 126
    hong_ha = client.get("/api/wards/", {"as_of": "2025-12-31", "code": "00097"}).json()["results"][0]
    assert (hong_ha["name"], hong_ha["district"], hong_ha["valid_from"]) == ("Hồng Hà", None, "2025-07-01")
    assert any(p["code"] == "00001" for p in hong_ha["predecessors"])
    assert client.get("/api/districts/", {"as_of": "2025-12-31"}).json()["count"] == 0
    assert client.get("/api/districts/", {"as_of": "2024-12-31"}).json()["count"] == 13


def test_the_legal_chain_says_the_pilot_ended_and_what_followed(client, city_official):
    client.force_login(city_official)
    resolution = LegalDocument.objects.get(number="97/2019/QH14")
    assert resolution.superseded_by.number == "39/2024/QH15"
    page = client.get(resolution.get_absolute_url())
    assert "39/2024/QH15" in page.text and "01/01/2025" in page.text
    home = client.get(reverse("dashboards:home"))
    assert "Luật Thủ đô" in home.text


def test_the_ranking_states_its_rule_and_labels_each_rate(client, city_official, reported):
    client.force_login(city_official)
    page = client.get(reverse("dashboards:dashboard"), {"as_of": "01/08/2021"})
    assert "Chỉ xếp hạng đơn vị có từ 5 việc đã đến hạn trở lên" in page.text
    assert all(row.counts.due >= 5 for row in [*page.context["best"], *page.context["worst"]])
    departments = client.get(reverse("tasks:department_list"), {"as_of": "2021-08-01"})
    assert "Tỷ lệ đúng hạn (chủ trì)" in departments.text and "Tỷ lệ đúng hạn (được giao)" in departments.text
    assert 'href="/don-vi/"' in departments.text  # in the navigation


def test_a_unit_renamed_since_shows_the_name_it_had_then(client, city_official, map_until):
    map_until("2025-01-01")  # Trung Tự (00226) became Phương Liên - Trung Tự
    client.force_login(city_official)
    then = client.get(reverse("dashboards:ward_matrix"), {"district": "006", "as_of": "2024-06-30"})
    assert "Phường Trung Tự" in then.text and "Phương Liên - Trung Tự" not in then.text
    now = client.get(reverse("dashboards:ward_matrix"), {"district": "006", "as_of": "2025-03-01"})
    assert "Phương Liên - Trung Tự" in now.text
