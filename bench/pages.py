"""In-process page timings at one scale (run by bench/run.py in a subprocess with DATABASE_URL set).

For each page: median and 95th percentile over BENCH_REPEAT requests through the Django test Client as a
signed-in city official, the SQL query count, the admin change list for the same rows (signed-in superuser)
and the floor: EXPLAIN ANALYZE of the page's main (slowest) query. Prints one JSON object on stdout.
"""

import json
import os
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cqdt_portal.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from cqdt_portal.lib import versions  # noqa: E402
from org.models import Department  # noqa: E402
from plans.models import LegalDocument  # noqa: E402
from reporting.models import ProgressUpdate, Role  # noqa: E402
from tasks.models import Assignment, Task  # noqa: E402
from tasks.services import status_summary_refresh  # noqa: E402
from wards.models import District  # noqa: E402

REPEAT = int(os.environ.get("BENCH_REPEAT", "30"))
# A page slower than this budget gets fewer requests (at least five), so one slow page cannot stall the run.
PAGE_SECONDS = float(os.environ.get("BENCH_PAGE_SECONDS", "20"))
WARMUP = 3


def pages():
    """(name, portal url, admin url for the same rows or the nearest the admin can show)."""
    plan = LegalDocument.objects.get(number="100/KH-UBND")
    district = District.objects.get(code="001")
    lead = Department.objects.get(code="so-noi-vu")
    today = timezone.localdate().isoformat()
    # The assignment with the longest history (ties: the lowest id), the same at every run.
    detail = (
        Assignment.objects.order_by("-version", "pk").values_list("pk", flat=True).first()
    )  # version counts the reports
    # Quận Ba Đình ended on 30/06/2025 (no district since): the district's pages are read as of its last day.
    as_of = "2025-06-30"
    filters = f"document={plan.pk}&district={district.code}&status=overdue&as_of={as_of}"
    admin_list = "/quan-tri/tasks/assignment/"
    # The admin filters what its list_filter allows: the document itself (not its chain), the district's own
    # assignments (not its wards'), deadlines before today (not "not done"): it shows more rows, not fewer.
    # It cannot filter by a ward's district at all: the matrices compare with the unfiltered change list.
    admin_filtered = f"{admin_list}?district__id__exact={district.pk}&due_on__lt={today}"
    return [
        ("home", "/", admin_list),
        ("dashboard", "/tong-hop/", admin_list),
        ("task list (lead + search)", f"/nhiem-vu/?lead={lead.code}&q=ra+soat", f"/quan-tri/tasks/task/?lead_department__id__exact={lead.pk}&q=r%C3%A0+so%C3%A1t"),
        ("assignment list (3 filters)", f"/giao-viec/?{filters}", admin_filtered),
        ("overdue list (city-wide)", "/giao-viec/?status=overdue", f"{admin_list}?due_on__lt={today}"),
        ("ward matrix (1 district)", f"/ma-tran-phuong/?district={district.code}&as_of={as_of}", admin_list),
        ("ward matrix (all)", "/ma-tran-phuong/", admin_list),
        ("assignment detail + history", f"/giao-viec/{detail}/", f"{admin_list}{detail}/change/"),
        ("API list (3 filters)", f"/api/assignments/?{filters}", admin_filtered),
        ("period report", "/bao-cao-ky/", admin_list),
    ]  # fmt: skip


def login(username, **extra):
    user, _ = User.objects.get_or_create(username=username, defaults=extra)
    if extra.get("is_superuser"):
        user.is_staff = user.is_superuser = True
        user.save()
    else:
        user.groups.add(Group.objects.get_or_create(name=Role.CITY_OFFICIAL.value)[0])
    client = Client()
    client.force_login(user)
    return client


def timed(client, url, repeat):
    for _ in range(WARMUP if PAGE_SECONDS > 0 else 1):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    times = []
    deadline = time.perf_counter() + PAGE_SECONDS
    for i in range(repeat):
        if i >= 5 and time.perf_counter() > deadline:
            break
        started = time.perf_counter()
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return {
        "n": len(times),
        "median": statistics.median(times),
        "p95": times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))],
    }


def explain_ms(sql):
    """Planning + execution time of EXPLAIN ANALYZE, the median of five runs (the first warms the cache)."""
    runs = []
    with connection.cursor() as cursor:
        for _ in range(6):
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
            plan = cursor.fetchone()[0]
            plan = plan[0] if isinstance(plan, list) else json.loads(plan)[0]
            runs.append(plan["Planning Time"] + plan["Execution Time"])
    return statistics.median(runs[1:])


def main():
    official = login("bench-lanhdao")
    admin = login("bench-quantri", is_superuser=True)
    # Today's summary counted, as the day's first write would (generate_load writes past the services, and a
    # database built yesterday in Hà Nội's time keeps only yesterday): every scale is measured in the same state.
    status_summary_refresh()
    results = []
    for name, url, admin_url in pages():
        # Counted as a new worker's first request (the most queries a page runs: the reference data it keeps
        # in memory, cqdt_portal/lib/versions.py, is read once, then not again until it changes).
        versions.forget()
        with CaptureQueriesContext(connection) as captured:
            official.get(url)
        queries = [
            q for q in captured.captured_queries if not re.match(r"^(SAVEPOINT|RELEASE|SET)", q["sql"])
        ]
        main_query = max(queries, key=lambda q: float(q["time"]))
        portal = timed(official, url, REPEAT)
        reference = timed(admin, admin_url, max(10, REPEAT // 2))
        floor = explain_ms(main_query["sql"])
        results.append(
            {"page": name, "url": url, "admin_url": admin_url, "queries": len(queries), **portal,
             "admin_median": reference["median"], "admin_p95": reference["p95"], "floor": floor,
             "main_sql": main_query["sql"][:3000]}
        )  # fmt: skip
        print(f"  {name}: p95 {portal['p95']:.1f} ms, {len(queries)} queries", file=sys.stderr)
    counts = {
        "tasks": Task.objects.count(),
        "assignments": Assignment.objects.count(),
        "updates": ProgressUpdate.objects.count(),
    }
    print(
        json.dumps(
            {"debug": settings.DEBUG, "pages": results, "counts": counts,
             "cookie": official.cookies[settings.SESSION_COOKIE_NAME].value}
        )
    )  # fmt: skip


if __name__ == "__main__":
    main()
