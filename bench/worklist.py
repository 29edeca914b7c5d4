"""Việc của tôi and the navigation's count, timed for the two kinds of person who have them: the staff of the ward
with the most running assignments, and a reviewer of the city office (who counts every report awaiting the city).

Usage: DATABASE_URL=… python bench/worklist.py  — on a copy of a benchmark database (it adds two users). For each
person: median and 95th percentile over BENCH_REPEAT requests of Việc của tôi and of a plain page (the document
list: its difference is the navigation's count), the query counts, and the navigation's query alone. Prints JSON.
"""

import json
import os
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
from django.db.models import Count, Q  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from reporting.models import ProgressUpdate, Role  # noqa: E402
from reporting.selectors import nav_counts  # noqa: E402
from reporting.services import roles_ensure  # noqa: E402
from wards.models import Ward  # noqa: E402

REPEAT = int(os.environ.get("BENCH_REPEAT", "20"))


def person(username, role, **unit):
    user, _ = User.objects.get_or_create(username=username, defaults=unit)
    user.groups.add(Group.objects.get(name=role.value))
    return User.objects.get(pk=user.pk)


def timed(fn):
    fn()
    times = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return round(statistics.median(times), 1), round(times[int(0.95 * (len(times) - 1))], 1)


def main():
    settings.ALLOWED_HOSTS = ["*"]
    roles_ensure()
    today = timezone.localdate()
    not_done = Q(assignments__completed_on__isnull=True) & (
        Q(assignments__ended_on__isnull=True) | Q(assignments__ended_on__gte=today)
    )
    ward = Ward.objects.annotate(n=Count("assignments", filter=not_done)).order_by("-n", "pk").first()
    people = {
        "ward staff": person("bench_worklist_staff", Role.UNIT_STAFF, ward=ward),
        "reviewer": person("bench_worklist_reviewer", Role.REVIEWER),
    }
    result = {"reports": ProgressUpdate.objects.count(), "ward": str(ward), "people": {}}
    for name, user in people.items():
        client = Client()
        client.force_login(user)
        row = {"waiting": nav_counts(user)["waiting"]}
        for page, url in (("worklist", "/viec-cua-toi/"), ("document list", "/van-ban/")):
            executed = []

            def record(run, sql, *args, executed=executed):
                executed.append(sql)
                return run(sql, *args)

            with connection.execute_wrapper(record):
                assert client.get(url).status_code == 200
            median, p95 = timed(lambda url=url, client=client: client.get(url))
            row[page] = {"median_ms": median, "p95_ms": p95, "queries": len(executed)}
        median, p95 = timed(lambda user=user: nav_counts(user))
        row["navigation count"] = {"median_ms": median, "p95_ms": p95, "queries": 1}
        result["people"][name] = row
    print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
