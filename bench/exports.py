"""Time and peak memory of one export of the full assignment list (run in its own process by bench/run.py).

Usage: exports.py xlsx|csv [--tracemalloc]. Prints JSON: seconds, rows, bytes, the process's peak resident
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

from accounts.models import User  # noqa: E402
from tasks.models import Assignment  # noqa: E402


def main():
    fmt = sys.argv[1]
    trace = "--tracemalloc" in sys.argv
    user, _ = User.objects.get_or_create(username="bench-lanhdao")
    client = Client()
    client.force_login(user)
    rows = Assignment.objects.count()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    response = client.get(f"/giao-viec/tai-ve.{fmt}")
    size = sum(len(chunk) for chunk in response.streaming_content)
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] / 2**20 if trace else None
    print(
        json.dumps(
            {"format": fmt, "status": response.status_code, "rows": rows, "bytes": size, "seconds": seconds,
             "rss_before_mb": rss_before, "rss_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
             "tracemalloc_peak_mb": peak}
        )
    )  # fmt: skip


if __name__ == "__main__":
    main()
