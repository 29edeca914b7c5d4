"""Time and peak memory of one export of the full assignment list (run in its own process by bench/run.py).

Usage: exports.py xlsx|csv [--tracemalloc] [--as-of dd/mm/yyyy]. With --as-of, the list of that day (on a
database generated with history, 30/06/2025 holds the 58,344 assignments of the map before the reorganisation;
today's list is the 9,704 left after it). Prints JSON: seconds, rows, bytes, the process's peak resident
memory (resource.getrusage) before and after, and with --tracemalloc the peak of Python allocations.
"""

import json
import os
import resource
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cqdt_portal.settings")

import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from cqdt_portal.lib.vn import parse_day  # noqa: E402
from tasks.models import Assignment  # noqa: E402


def main():
    fmt = sys.argv[1]
    trace = "--tracemalloc" in sys.argv
    as_of = sys.argv[sys.argv.index("--as-of") + 1] if "--as-of" in sys.argv else None
    user, _ = User.objects.get_or_create(username="bench-lanhdao")
    client = Client()
    client.force_login(user)
    rows = Assignment.objects.existing_on(parse_day(as_of) or timezone.localdate()).count()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if trace:
        tracemalloc.start()
    started, cpu_started = time.perf_counter(), time.process_time()
    response = client.get(f"/giao-viec/tai-ve.{fmt}", {"as_of": as_of} if as_of else {})
    size = sum(len(chunk) for chunk in response.streaming_content)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    peak = tracemalloc.get_traced_memory()[1] / 2**20 if trace else None
    print(
        json.dumps(
            {"format": fmt, "status": response.status_code, "rows": rows, "bytes": size, "seconds": seconds,
             "cpu_seconds": cpu_seconds,
             "rss_before_mb": rss_before, "rss_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
             "tracemalloc_peak_mb": peak}
        )
    )  # fmt: skip


if __name__ == "__main__":
    main()
