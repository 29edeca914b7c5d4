"""Dashboard, ward matrix and period report: the numbers, their links, and a fixed number of queries."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cqdt_portal.lib.periods import period, period_containing
from tasks.models import RankingRule, Task, TaskScope
from tasks.services import assignments_sync
from tasks.status import Status
from tests.conftest import in_a_new_worker


def test_dashboard_counts_per_district_include_the_districts_wards(db, client, city_official, reported):
    client.force_login(city_official)
    response = client.get(reverse("dashboards:dashboard"), {"as_of": "01/08/2021"})
    per_district = {d.code: c for d, c, _params in response.context["per_district"]}
    ba_dinh = per_district["001"]
    assert ba_dinh.total == 30
    assert ba_dinh[Status.DONE_ON_TIME] == 1 and ba_dinh[Status.DONE_LATE] == 1
    assert ba_dinh[Status.OPEN_ON_TIME] == 15 and ba_dinh[Status.OVERDUE] == 13
    assert ba_dinh.on_time_rate == round(100 / 15, 1)  # 1 on time among 15 due
    per_lead = {d.code: c for d, c, _params in response.context["per_lead"]}
    assert per_lead["so-tu-phap"][Status.DONE_ON_TIME] == 1


def test_every_dashboard_number_links_to_the_list_behind_it(db, client, city_official, reported):
    client.force_login(city_official)
    html = client.get(reverse("dashboards:dashboard"), {"as_of": "01/08/2021"}).content.decode()
    link = 'href="/giao-viec/?district=001&amp;status=overdue&amp;as_of=2021-08-01"'
    assert link in html
    listed = client.get("/giao-viec/?district=001&status=overdue&as_of=2021-08-01")
    assert listed.context["page"].paginator.count == 13


def test_ranking_puts_units_done_on_time_first(db, client, city_official, reported):
    RankingRule.objects.create(pk=1, min_due=1)  # rank even units with a single task due
    client.force_login(city_official)
    response = client.get(reverse("dashboards:dashboard"), {"as_of": "01/08/2021"})
    best = [str(r.unit) for r in response.context["best"]]
    assert best[:2] == ["Phường Phúc Xá", "Sở Tư pháp"]  # 100 %, then by name
    worst = response.context["worst"]
    assert all(r.counts.on_time_rate == 0 for r in worst)


def test_ward_matrix_for_one_district(db, client, city_official, reported):
    client.force_login(city_official)
    response = client.get(reverse("dashboards:ward_matrix"), {"district": "001", "as_of": "01/08/2021"})
    matrix = response.context["matrix"]
    assert [t.scope for t in matrix.tasks] == [TaskScope.EVERY_DISTRICT_AND_WARD] * 2
    assert len(matrix.rows) == 14
    rows = {ward.code: (cells, counts) for ward, cells, counts in matrix.rows}
    assert [c["status"] for c in rows["00001"][0]] == [Status.DONE_ON_TIME, Status.OPEN_ON_TIME]
    assert rows["00004"][1][Status.DONE_LATE] == 1
    assert matrix.column_counts[0][Status.OVERDUE] == 12  # 14 wards less Phúc Xá and Trúc Bạch
    assert matrix.total.total == 28
    html = response.content.decode()
    assert "Chú giải" in html and "✗" in html  # readable without colour


def test_ward_matrix_for_the_whole_city_has_every_ward(db, client, city_official):
    client.force_login(city_official)
    matrix = client.get(reverse("dashboards:ward_matrix")).context["matrix"]
    assert len(matrix.rows) == 175


@pytest.mark.parametrize(
    "kind, year, number, start, end",
    [
        ("month", 2021, 7, date(2021, 6, 15), date(2021, 7, 14)),
        ("month", 2021, 1, date(2020, 12, 15), date(2021, 1, 14)),
        ("quarter", 2021, 3, date(2021, 6, 15), date(2021, 9, 14)),
        ("half", 2021, 2, date(2021, 6, 15), date(2021, 12, 14)),
        ("year", 2021, 1, date(2020, 12, 15), date(2021, 12, 14)),
    ],
)
def test_reporting_periods_cut_off_on_the_14th(kind, year, number, start, end):
    p = period(kind, year, number)
    assert (p.start, p.end) == (start, end)


def test_the_15th_belongs_to_the_next_months_period():
    assert period_containing("month", date(2021, 7, 14)).number == 7
    assert period_containing("month", date(2021, 7, 15)).number == 8
    assert period_containing("year", date(2021, 12, 15)).year == 2022


def test_period_report_counts_as_of_the_periods_end(db, client, city_official, reported):
    client.force_login(city_official)
    response = client.get(reverse("dashboards:period_report"), {"kind": "month", "year": 2021, "number": 7})
    total = response.context["total"]  # as of 14/07/2021
    assert total[Status.DONE_ON_TIME] == 2 and total[Status.DONE_LATE] == 1
    assert total[Status.OPEN_ON_TIME] == 188
    assert response.context["completed_in_period"] == 3  # Sở Tư pháp 25/06, Phúc Xá 30/06, Trúc Bạch 05/07
    html = response.content.decode()
    assert "15/06/2021" in html and "14/07/2021" in html


def test_period_before_the_plan_counts_nothing(db, client, city_official):
    client.force_login(city_official)
    response = client.get(reverse("dashboards:period_report"), {"kind": "month", "year": 2021, "number": 3})
    assert response.context["total"].total == 0


def test_bad_period_gets_a_message(db, client, city_official):
    client.force_login(city_official)
    response = client.get(reverse("dashboards:period_report"), {"kind": "quarter", "year": 2021, "number": 7})
    assert response.status_code == 200
    assert "Kỳ số của loại kỳ này chỉ từ 1 đến 4" in response.content.decode()


def _grow():
    """A second data size: ten more tasks for every ward and district (+1,880 assignments)."""
    plan_task = Task.objects.get(title__startswith="Sẵn sàng vận hành")
    for i in range(10):
        task = Task.objects.create(
            document=plan_task.document, title=f"Nhiệm vụ thử {i}", scope=TaskScope.EVERY_DISTRICT_AND_WARD,
            given_on=plan_task.given_on, due_on=date(2021, 8, 1 + i), is_illustrative=True,
        )  # fmt: skip
        assignments_sync(task=task)


READ_PAGES = [
    ("dashboards:home", {}),
    ("dashboards:dashboard", {}),
    ("dashboards:dashboard", {"as_of": "01/08/2021", "document": "3"}),
    ("tasks:assignment_list", {"district": "001", "status": "overdue", "q": "ba dinh"}),
    ("tasks:task_list", {"q": "nhiem vu"}),
    ("dashboards:ward_matrix", {}),
    ("dashboards:ward_matrix", {"district": "007"}),
    ("dashboards:period_report", {"kind": "year", "year": 2021}),
]
EXPORTS = [
    ("tasks:assignment_export", {"status": "overdue"}),
    ("dashboards:ward_matrix_export", {}),
    ("dashboards:period_report_export", {"kind": "year", "year": 2021}),
]


def _query_counts(client):
    counts = {}
    for name, params in READ_PAGES:
        in_a_new_worker()
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse(name), params).status_code == 200
        counts[(name, str(params))] = len(ctx.captured_queries)
    for name, params in EXPORTS:
        for fmt in ("xlsx", "csv"):
            in_a_new_worker()
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(reverse(name, args=[fmt]), params)
                b"".join(response.streaming_content)
            counts[(name, fmt)] = len(ctx.captured_queries)
    for fmt in ("docx", "pdf"):  # the period report as a document
        in_a_new_worker()
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(
                reverse("dashboards:period_report_export", args=[fmt]), {"kind": "year", "year": 2021}
            )
            assert response.status_code == 200
        counts[("dashboards:period_report_document", fmt)] = len(ctx.captured_queries)
    return counts


def test_read_pages_and_exports_run_a_fixed_number_of_queries(
    db, client, city_official, reported, django_assert_max_num_queries
):
    client.force_login(city_official)
    small = _query_counts(client)
    _grow()
    large = _query_counts(client)
    assert large == small  # the same queries whatever the number of rows
    # …and few of them (session and user included): one GROUP BY per breakdown on the dashboard.
    # The period report as a document adds the overdue list (one query, and one per kind of unit it names) and
    # the issuing office to the breakdown.
    limits = {"dashboards:dashboard": 16, "dashboards:period_report_document": 14}
    for (name, _params), n in small.items():
        assert n <= limits.get(name, 12), (name, n)
    with django_assert_max_num_queries(16):
        client.get(reverse("dashboards:dashboard"), {"document": "3"})
