"""Times the period report as a document (.pdf and .docx) and the .xlsx export of the assignment list, and writes
their section of docs/benchmarks.md.

Usage: documents.py [--xlsx-database NAME --as-of dd/mm/yyyy] [--write]. On the database of DATABASE_URL (scale
M: a copy of cqdt_bench_m), the period report of the current quarter and of the last quarter that has ended, each
the median of three downloads in process (Django test Client, signed in). With --xlsx-database, also the .xlsx
export of the whole list as of --as-of on that database, by bench/exports.py (a plan generated on the map of
30/06/2025 holds 58,344 assignments that day; today's scale M list holds about 10,000).
Prints one JSON line; with --write, replaces the section "## The period report as a document" in
docs/benchmarks.md (bench/run.py keeps that section when it rewrites the rest).
"""

import io
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cqdt_portal.settings")

import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from accounts.models import User  # noqa: E402
from cqdt_portal.lib.periods import period_containing  # noqa: E402
from dashboards.forms import PeriodForm  # noqa: E402
from dashboards.selectors import overdue_by_task  # noqa: E402
from tasks.models import Assignment  # noqa: E402

REPEAT = 3
SECTION = "## The period report as a document, scale M"


def timed(client, url, params) -> tuple[float, bytes, float]:
    """Wall time, the body, and the CPU time of this process (the web process's own work; PostgreSQL's is apart):
    on a shared machine, wall time grows with the neighbours' load, CPU time much less."""
    started, cpu_started = time.perf_counter(), time.process_time()
    response = client.get(url, params)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert response.status_code == 200, (url, response.status_code)
    return time.perf_counter() - started, body, time.process_time() - cpu_started


def documents(client) -> list[dict]:
    today = timezone.localdate()
    rows = []
    for name, period in (
        ("current", period_containing("quarter", today)),
        ("last ended", PeriodForm.default_period()),
    ):
        params = {"kind": "quarter", "year": period.year, "number": period.number}
        as_of = min(period.end, today)
        overdue = overdue_by_task(as_of)
        for fmt in ("pdf", "docx"):
            runs = [timed(client, f"/bao-cao-ky/tai-ve.{fmt}", params) for _ in range(REPEAT)]
            body = runs[-1][1]
            rows.append({
                "period": f"{period.label} ({name})", "format": fmt, "median_s": round(statistics.median(r[0] for r in runs), 2),
                "max_s": round(max(r[0] for r in runs), 2), "kb": round(len(body) / 1024),
                "cpu_s": round(statistics.median(r[2] for r in runs), 2),
                "pages": len(PdfReader(io.BytesIO(body)).pages) if fmt == "pdf" else None,
                "assignments": Assignment.objects.existing_on(as_of).count(),
                "overdue": sum(len(t.units) for t in overdue), "overdue_tasks": len(overdue),
            })  # fmt: skip
    return rows


def export(database: str, as_of: str) -> dict:
    url = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/" + database
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "exports.py"), "xlsx", "--as-of", as_of],
        env={**os.environ, "DATABASE_URL": url}, capture_output=True, text=True, check=True,
    )  # fmt: skip
    timing = json.loads(out.stdout.strip().splitlines()[-1])
    return {"rows": timing["rows"], "seconds": round(timing["seconds"], 2), "mb": round(timing["bytes"] / 2**20, 1),
            "as_of": as_of, "rss_mb": round(timing["rss_peak_mb"]), "cpu_s": round(timing["cpu_seconds"], 2)}  # fmt: skip


def section(run) -> str:
    lines = [
        SECTION,
        "",
        f"Measured by `bench/documents.py` ({run['date']}, load average {run['load']} on the shared 2 cores): the "
        "period report downloaded as a document, the median and the slowest of three downloads in process (Django "
        "test Client, signed in), with the CPU time of the process: on the shared machine, the wall time is about the "
        "CPU time when a core is free and grows with the neighbours' load. Target: the .pdf under 10 s.",
        "",
        "| period | format | assignments | overdue (tasks) | median (s) | slowest (s) | CPU, median (s) | pages | size (KB) |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for d in run["documents"]:
        lines.append(
            f"| {d['period']} | .{d['format']} | {d['assignments']:,} | {d['overdue']:,} ({d['overdue_tasks']:,}) | "
            f"{d['median_s']} | {d['max_s']} | {d['cpu_s']} | {d['pages'] or '–'} | {d['kb']:,} |"
        )
    slowest = max((d for d in run["documents"] if d["format"] == "pdf"), key=lambda d: d["max_s"])
    cpu = max(d["cpu_s"] for d in run["documents"] if d["format"] == "pdf")
    lines += [
        "",
        f"Target {'met' if slowest['max_s'] < 10 else 'missed'} in this run: the slowest .pdf took "
        f"{slowest['max_s']} s at a load of {run['load']}; a .pdf needs at most {cpu} s of CPU.",
    ]
    if x := run.get("xlsx"):
        lines += [
            "",
            f"The .xlsx export of the whole list as of {x['as_of']} ({x['rows']:,} rows, with the title block and "
            f"print set-up, written by XlsxWriter in constant memory; `bench/exports.py xlsx --as-of {x['as_of']}`): "
            f"{x['seconds']} s ({x['cpu_s']} s of CPU in the web process), {x['mb']} MB, peak RSS {x['rss_mb']} MB "
            "(target < 10 s: "
            f"{'met' if x['seconds'] < 10 else 'missed'}; before the new writer: 19.1 s at 60,324 rows, above).",
        ]
    return "\n".join(lines) + "\n"


def write(text: str):
    doc = ROOT / "docs" / "benchmarks.md"
    current = doc.read_text()
    start = current.find(SECTION)
    if start < 0:
        doc.write_text(current.rstrip() + "\n\n" + text)
        return
    end = current.find("\n## ", start + len(SECTION))
    doc.write_text(current[:start] + text + (current[end:] if end >= 0 else ""))


def main():
    user, _ = User.objects.get_or_create(username="bench-lanhdao")
    client = Client()
    client.force_login(user)
    xlsx = None
    if "--xlsx-database" in sys.argv:
        xlsx = export(
            sys.argv[sys.argv.index("--xlsx-database") + 1], sys.argv[sys.argv.index("--as-of") + 1]
        )
    run = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "load": round(os.getloadavg()[0], 1),
        "documents": documents(client),
        "xlsx": xlsx,
    }
    print(json.dumps(run))
    if "--write" in sys.argv:
        write(section(run))


if __name__ == "__main__":
    main()
