"""`make bench`: the benchmark suite on PostgreSQL. Prints a table and writes docs/benchmarks.md.

For each scale in BENCH_SCALES (default "S M"): a database cqdt_bench_<scale> is created (or reused when it
already holds that scale's generated plan; BENCH_REFRESH=1 rebuilds it), migrated, seeded and filled with
bench/generate_load.py. Then, in separate processes: page timings through the test Client (bench/pages.py), the
same pages under gunicorn (2 workers) loaded by wrk over 127.0.0.1 for BENCH_WRK_SECONDS each, and the
exports of the full list (bench/exports.py). Nothing here is a test: it measures, and compares with the targets.
"""

import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
SCALES = os.environ.get("BENCH_SCALES", "S M").split()
WRK_SECONDS = int(os.environ.get("BENCH_WRK_SECONDS", "10"))
PORT = int(os.environ.get("BENCH_PORT", "8917"))
SIZES = {"XS": 30, "S": 300, "M": 3000, "L": 30000}
TITLE_PREFIX = "[Minh hoạ tải] "
# Production-like settings: DEBUG off (templates cached, no query log), static files from a manifest.
BASE_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "benchmark-only-not-a-secret",
    "ALLOWED_HOSTS": "testserver,127.0.0.1",
    "SECURE_SSL_REDIRECT": "0",
    "STATIC_ROOT": "/tmp/cqdt_bench_static",
    "LOG_LEVEL": "ERROR",
}


def log(message):
    print(message, file=sys.stderr, flush=True)


def env_for(db):
    return {**os.environ, **BASE_ENV, "DATABASE_URL": f"{PG}/{db}"}


def psql(sql, db="postgres"):
    result = subprocess.run(["psql", f"{PG}/{db}", "-tAc", sql], capture_output=True, text=True, check=False)
    return result.stdout.strip() if result.returncode == 0 else None


def manage(db, *args):
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env_for(db), check=True, stdout=subprocess.DEVNULL)


def prepare(scale, *, until: str | None = None) -> tuple[str, float | None]:
    """The scale's database, ready; returns its name and how long generate_load took (None when reused).

    With `until` (YYYY-MM-DD), the map and the plan as they stood on that day (nothing given after it: a list
    cannot end a unit before it was given work), in a database of its own: `until="2025-06-30"` keeps the district
    level, for timing the reorganisation of 01/07/2025 (bench/reorganisation.py rolls back what it writes)."""
    db = f"cqdt_bench_{scale.lower()}" + ("_pilot" if until else "")
    have = psql(f"SELECT count(*) FROM tasks_task WHERE title LIKE '{TITLE_PREFIX}%'", db)
    if os.environ.get("BENCH_REFRESH") == "1" or have != str(SIZES[scale]):
        log(f"[{scale}] building {db}")
        psql(f"DROP DATABASE IF EXISTS {db}")
        psql(f"CREATE DATABASE {db}")
        manage(db, "migrate", "--noinput")
        manage(db, "seed", *(["--until", until] if until else []))
        started = time.monotonic()
        subprocess.run(
            [PY, "bench/generate_load.py", "--scale", scale, "--force", *(["--today", until] if until else [])],
            cwd=ROOT, env=env_for(db), check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        generated = time.monotonic() - started
    else:
        manage(db, "migrate", "--noinput")  # new index migrations apply to a reused database
        generated = None
    psql("VACUUM ANALYZE", db)
    return db, generated


def run_json(db, *args):
    out = subprocess.run([PY, *args], cwd=ROOT, env=env_for(db), capture_output=True, text=True, check=True)
    sys.stderr.write(out.stderr)
    return json.loads(out.stdout.strip().splitlines()[-1])


def serve(db):
    """gunicorn with 2 workers on 127.0.0.1, once it answers."""
    server = subprocess.Popen(
        [str(Path(PY).parent / "gunicorn"), "cqdt_portal.wsgi", "-w", "2", "-b", f"127.0.0.1:{PORT}",
         "--log-level", "warning", "--timeout", "60"],
        cwd=ROOT, env=env_for(db), start_new_session=True,
    )  # fmt: skip
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/dang-nhap/", timeout=2)
            break
        except OSError:
            time.sleep(0.2)
    return server


def wrk(db, pages, cookie):
    """Each page under gunicorn (2 workers) and wrk (2 threads, 8 connections) for WRK_SECONDS.

    A fresh gunicorn per page, so that requests a slow page left queued do not count against the next one.
    """
    if not shutil.which("wrk"):
        return None
    results = {}
    for page in pages:
        server = serve(db)
        try:
            url = f"http://127.0.0.1:{PORT}{page['url']}"
            out = subprocess.run(
                ["wrk", "-t2", "-c8", f"-d{WRK_SECONDS}s", "--timeout", "10s", "--latency",
                 "-H", f"Cookie: sessionid={cookie}", "-H", "Host: 127.0.0.1", url],
                capture_output=True, text=True, check=False,
            ).stdout  # fmt: skip
        finally:
            # SIGINT: gunicorn's quick shutdown (SIGTERM would wait for the requests wrk left in flight).
            os.killpg(server.pid, signal.SIGINT)
            server.wait(timeout=60)
        rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
        total = int(re.search(r"(\d+) requests in", out).group(1))
        errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))
        if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
            errors += sum(int(n) for n in m.groups())
        p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)\b", out)
        p50_ms = float(p50.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[p50.group(2)] if p50 else None
        results[page["page"]] = {"rps": rps, "requests": total, "errors": errors, "p50": p50_ms}
        log(f"  wrk {page['page']}: {rps:.1f} req/s, {errors} errors")
    return results


def command_exists(db, name):
    result = subprocess.run(
        [PY, "manage.py", "help", name], cwd=ROOT, env=env_for(db), capture_output=True, check=False
    )
    return result.returncode == 0


def fmt(v, digits=0):
    return "–" if v is None else f"{v:.{digits}f}"


def render(run) -> str:
    scales = list(run["scales"])
    # Targets, references, load and exports are at M (the target scale); L, when added, is extra columns.
    top = "M" if "M" in scales else scales[-1]
    lines = [
        "# Benchmarks",
        "",
        f"Real output of `make bench`, {run['date']} on {run['machine']}. PostgreSQL {run['pg']} on the same "
        "machine. The machine is shared (2 cores): figures vary by about ±20 % between runs, more when other "
        "work runs beside it (see the notes below). The data is the illustrative plan of `bench/generate_load.py` "
        "(never the real plan).",
        "",
        "| scale | tasks | assignments | progress reports | generate_load |",
        "|---|---:|---:|---:|---:|",
    ]
    for scale, data in run["scales"].items():
        c = data["counts"]
        gen = f"{data['generated']:.0f} s" if data["generated"] else "reused"
        if data.get("added"):
            gen += f" (pages only, {data['added']})"
        lines.append(f"| {scale} | {c['tasks']:,} | {c['assignments']:,} | {c['updates']:,} | {gen} |")
    lines += [
        "",
        "## Pages (in-process, Django test Client, signed-in city official)",
        "",
        "Times in ms. *floor*: EXPLAIN ANALYZE (planning + execution) of the page's slowest query; *admin*: the "
        "Django admin change list for the same rows (median). Targets at scale M: p95 < 150 ms, "
        "p95 < 3 × floor + 20 ms, admin ÷ median ≥ 3, the same query count at every scale.",
        "",
        "| page | "
        + " | ".join(f"{s} median | {s} p95 | {s} queries" for s in scales)
        + f" | {top} floor | {top} admin | p95 ÷ floor | admin ÷ median | targets |",
        "|---|" + "---:|---:|---:|" * len(scales) + "---:|---:|---:|---:|---|",
    ]
    by_scale = {s: {p["page"]: p for p in run["scales"][s]["pages"]} for s in scales}
    for page in by_scale[top]:
        cells = []
        for s in scales:
            p = by_scale[s][page]
            cells += [fmt(p["median"], 1), fmt(p["p95"], 1), str(p["queries"])]
        p = by_scale[top][page]
        misses = []
        if p["p95"] >= 150:
            misses.append("p95")
        if p["p95"] >= 3 * p["floor"] + 20:
            misses.append("floor")
        if p["admin_median"] / p["median"] < 3:
            misses.append("admin")
        if len({by_scale[s][page]["queries"] for s in scales}) > 1:
            misses.append("queries")
        verdict = "met" if not misses else "missed: " + ", ".join(misses)
        cells += [fmt(p["floor"], 1), fmt(p["admin_median"], 1), fmt(p["p95"] / p["floor"], 1),
                  fmt(p["admin_median"] / p["median"], 1), verdict]  # fmt: skip
        lines.append(f"| {page} | " + " | ".join(cells) + " |")
    lines += [
        "",
        f"## Under load: gunicorn (2 workers), wrk -t2 -c8 for {WRK_SECONDS} s per page, scale {top}",
        "",
    ]
    if run["wrk"]:
        lines += ["| page | requests/s | requests | errors | p50 (ms) |", "|---|---:|---:|---:|---:|"]
        for page, r in run["wrk"].items():
            lines.append(
                f"| {page} | {r['rps']:.1f} | {r['requests']} | {r['errors']} | {fmt(r['p50'], 1)} |"
            )
        overdue = run["wrk"].get("overdue list (city-wide)")
        if overdue:
            verdict = "met" if overdue["rps"] >= 70 else "missed"
            lines += ["", f"Reference bar: Redmine serves the city-wide overdue list at ~14 req/s (p50 260 ms); "
                      f"target 5× = 70 req/s. The portal: {overdue['rps']:.1f} req/s ({verdict})."]  # fmt: skip
    else:
        lines.append(
            "wrk is not installed: the load test did not run (`make bench` installs it with apt-get)."
        )
    lines += ["", f"## Export of the full assignment list, scale {top}", ""]
    lines += ["| format | rows | seconds | peak RSS (MB) | Python peak, tracemalloc (MB) | file (MB) | target |",
              "|---|---:|---:|---:|---:|---:|---|"]  # fmt: skip
    for e in run["exports"]:
        target = ""
        if e["format"] == "xlsx":
            time_ok, memory_ok = e["seconds"] < 10, e["rss_peak_mb"] < 250
            target = "; ".join(
                [
                    f"time {'met' if time_ok else 'missed'} (< 10 s)",
                    f"memory {'met' if memory_ok else 'missed'} (< 250 MB)",
                ]
            )
        lines.append(
            f"| {e['format']} | {e['rows']:,} | {e['seconds']:.1f} | {e['rss_peak_mb']:.0f} | "
            f"{fmt(e['tracemalloc_peak_mb'])} | {e['bytes'] / 2**20:.1f} | {target} |"
        )
    lines += ["", "Peak RSS is the whole process (Django and its imports included: about "
              f"{run['exports'][0]['rss_before_mb']:.0f} MB before the export). The tracemalloc peak comes "
              "from a second run of the same export with tracing on (tracing slows it, so its time is not used).",
              "", "## Ward import and reminder run", ""]  # fmt: skip
    timings = run.get("command_timings")
    if timings:
        imp, rem = timings["import"], timings["reminders"]
        lines += [
            f"Measured by `bench/commands.py` ({timings.get('date', run['date'])}), scale {top}:",
            "",
            "| run | figure | target |",
            "|---|---:|---:|",
            f"| whole-country ward import, {imp['rows']:,} rows ({imp['hanoi_rows']} real Hà Nội rows, the rest "
            f"synthetic other provinces) | {imp['seconds']} s | 5 s |",
            f"| daily reminder run for {rem['day']}: {rem['reminders']:,} reminders in {rem['digests']} digests "
            f"to the in-memory mail backend | {rem['seconds']} s | 30 s |",
            "",
        ]
    else:
        lines.append("- Not measured in this run (bench/commands.py).")
    lines += reorganisation_lines(run.get("reorganisation"))
    lines += ["", "## Main query of each page (the floor's SQL), scale " + top, ""]
    for p in run["scales"][top]["pages"]:
        lines += [f"<details><summary>{p['page']}: <code>{p['url']}</code> (admin: <code>{p['admin_url']}</code>)"
                  "</summary>", "", "```sql", p["main_sql"], "```", "</details>", ""]  # fmt: skip
    notes = ROOT / "bench" / "NOTES.md"
    if notes.exists():
        lines += [notes.read_text()]
    return "\n".join(lines) + "\n"


def reorganisation_lines(r) -> list[str]:
    if not r:
        return []
    verdict = "met" if r["preview_s"] < 10 and r["apply_s"] < 30 else "missed"
    queries = {d["queries"] for d in r["dashboard"]}
    lines = [
        "",
        "## The reorganisation of 01/07/2025, imported at scale M",
        "",
        f"Measured by `bench/reorganisation.py` (`python bench/run.py --reorganisation`, {r['date']}) on the plan "
        f"of scale M generated on the map of 30/06/2025 ({r['assignments_before']:,} assignments): Hà Nội's 126 "
        "units with the mapping of Nghị quyết 1656/NQ-UBTVQH15, as an admin uploads them (preview, then apply), "
        "rolled back afterwards.",
        "",
        "| step | seconds | target |",
        "|---|---:|---:|",
        f"| preview (read both files, plan, hand-over preview, staged log) | {r['preview_s']} | < 10 s |",
        f"| apply ({r['units_ended']} units end, {r['units_created']} begin, {r['successions']} successions; "
        f"{r['handed_over']:,} open assignments handed over, {r['awaiting_decision']:,} awaiting a decision, "
        f"{r['new_assignments']:,} new) | {r['apply_s']} | < 30 s |",
        "",
        f"Targets {verdict}. The dashboard afterwards, as of three dates (median of 7 requests in process):",
        "",
        "| as of | median (ms) | queries |",
        "|---|---:|---:|",
    ]
    lines += [f"| {d['as_of']} | {d['median_ms']} | {d['queries']} |" for d in r["dashboard"]]
    same = "the same" if len(queries) == 1 else "NOT the same"
    lines += ["", f"Query count as of a past date and today: {same}."]
    return lines


SIDE_BY_SIDE_SECTION = re.compile(r"\n## Side by side with Redmine.*?(?=\n## |\Z)", re.S)
LOAD_TEST_SECTION = re.compile(r"\n## Load test \(`make loadtest`\).*?(?=\n## |\Z)", re.S)
# bench/documents.py writes its own section too: the period report as a document.
DOCUMENTS_SECTION = re.compile(r"\n## The period report as a document.*?(?=\n## |\Z)", re.S)
# …and the figures of bench/worklist.py (Việc của tôi and the navigation's count), written by hand from its output.
WORKLIST_SECTION = re.compile(r"\n## Việc của tôi and the navigation's count.*?(?=\n## |\Z)", re.S)


def write(run):
    doc = ROOT / "docs" / "benchmarks.md"
    text = render(run)
    # `make loadtest` (bench/loadtest.py) owns its own section of the same file: keep it.
    # So do bench/side_by_side.py (the comparison with Redmine) and bench/documents.py (the period report as a
    # document).
    for kept in (WORKLIST_SECTION, SIDE_BY_SIDE_SECTION, DOCUMENTS_SECTION, LOAD_TEST_SECTION):
        if doc.exists() and (section := kept.search(doc.read_text())):
            text = text.rstrip() + "\n" + section.group(0).rstrip() + "\n"
    doc.parent.mkdir(exist_ok=True)
    doc.write_text(text)
    print(text)


def main():
    last = ROOT / "bench" / "last_run.json"
    if "--render" in sys.argv:  # the last run's figures again, after editing bench/NOTES.md
        write(json.loads(last.read_text()))
        return
    if "--commands" in sys.argv:  # the ward import and reminder run again at M, added to the last run
        run = json.loads(last.read_text())
        db, _generated = prepare("M")
        run["command_timings"] = {
            **run_json(db, "bench/commands.py"),
            "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        }
        last.write_text(json.dumps(run, indent=1, default=str))
        write(run)
        return
    # Scale M on the pilot's map, for bench/side_by_side.py (prints its name).
    if "--pilot-database" in sys.argv:
        print(prepare("M", until="2025-06-30")[0])
        return
    if "--reorganisation" in sys.argv:  # the 01/07/2025 import at M and the dashboard as of past dates
        run = json.loads(last.read_text())
        db, _generated = prepare("M", until="2025-06-30")
        log("[M] reorganisation import")
        run["reorganisation"] = {
            **run_json(db, "bench/reorganisation.py"),
            "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        }
        last.write_text(json.dumps(run, indent=1, default=str))
        write(run)
        return
    if "--add-scale" in sys.argv:  # in-process page timings at one more scale (L), added to the last run
        scale = sys.argv[sys.argv.index("--add-scale") + 1]
        run = json.loads(last.read_text())
        db, generated = prepare(scale)
        log(f"[{scale}] pages")
        data = run_json(db, "bench/pages.py")
        data["generated"] = generated
        data["added"] = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        run["scales"][scale] = data
        last.write_text(json.dumps(run, indent=1, default=str))
        write(run)
        return
    started = time.monotonic()
    subprocess.run(
        [PY, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env_for("postgres"), check=True
    )
    run = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{os.cpu_count()} cores, {platform.processor() or platform.machine()}, Linux",
        "scales": {},
    }
    cookie = db = None
    for scale in SCALES:
        db, generated = prepare(scale)
        log(f"[{scale}] pages")
        data = run_json(db, "bench/pages.py")
        data["generated"] = generated
        run["scales"][scale] = data
        cookie = data["cookie"]
    run["pg"] = psql("SHOW server_version", db)
    log("[load] gunicorn + wrk")
    run["wrk"] = wrk(db, run["scales"][SCALES[-1]]["pages"], cookie)
    log("[exports]")
    run["exports"] = []
    for export_format in ("xlsx", "csv"):
        timing = run_json(db, "bench/exports.py", export_format)
        traced = run_json(db, "bench/exports.py", export_format, "--tracemalloc")
        timing["tracemalloc_peak_mb"] = traced["tracemalloc_peak_mb"]
        run["exports"].append(timing)
    run["commands"] = {name: command_exists(db, name) for name in ("import_wards", "send_reminders")}
    log("[commands] national ward import and reminder run")
    run["command_timings"] = {**run_json(db, "bench/commands.py"), "date": run["date"]}
    # The reorganisation import is measured on its own (--reorganisation, on the pilot's database): keep its figures.
    last = ROOT / "bench" / "last_run.json"
    if last.exists() and "reorganisation" in (previous := json.loads(last.read_text())):
        run["reorganisation"] = previous["reorganisation"]
    last.write_text(json.dumps(run, indent=1, default=str))
    write(run)
    log(f"bench done in {time.monotonic() - started:.0f} s; wrote docs/benchmarks.md")


if __name__ == "__main__":
    main()
