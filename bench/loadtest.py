"""make loadtest: the main pages under load, and a PostgreSQL restart in the middle of it.

Phase 1: scale M (bench/run.py's database, built when missing), gunicorn with 2 workers, wrk with 50
connections for LOAD_SECONDS over the main pages in turn, loopback only. Any error (a non-2xx/3xx answer,
a socket error, a timeout) fails the run.

Phase 2: lighter load while a reporter commits progress reports one after another, and PostgreSQL is
restarted in the middle. Requests that hit the restart may fail (they are counted and shown); what must
hold is that every report whose commit returned is in the database afterwards.

Writes the figures into docs/benchmarks.md (section "Load test") and exits non-zero when a rule is broken.
"""

import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from run import PY, ROOT, env_for, prepare, psql, serve

LOAD_SECONDS = int(os.environ.get("LOADTEST_SECONDS", "60"))
CONNECTIONS = int(os.environ.get("LOADTEST_CONNECTIONS", "50"))
RESTART_SECONDS = int(os.environ.get("LOADTEST_RESTART_SECONDS", "24"))
PORT = int(os.environ.get("BENCH_PORT", "8917"))
DOC = Path(ROOT) / "docs" / "benchmarks.md"

# Plain HTTP on loopback: production mode otherwise (DEBUG off, manifest static files, gunicorn).
os.environ["HTTPS"] = "false"

SETUP = """
from django.test import Client
from accounts.models import User
from tasks.models import Assignment
official, _ = User.objects.get_or_create(username="loadtest-official", defaults={"first_name": "Load"})
client = Client()
client.force_login(official)
detail = Assignment.objects.filter(updates__isnull=False).order_by("pk").values_list("pk", flat=True).first()
print("JSON" + __import__("json").dumps({"cookie": client.cookies["sessionid"].value, "detail": detail}))
"""

# Commits reports one after another for RESTART_SECONDS, surviving a database restart: a report counts as
# committed only once progress_report() has returned, and its id is written to the ack file at that moment.
REPORTER = """
import os, time
from django.db import connections
from django.db.utils import InterfaceError, OperationalError
from accounts.models import User
from tasks.models import Assignment
from reporting.services import progress_report
seconds, ack_path = float(os.environ["LOADTEST_REPORT_SECONDS"]), os.environ["LOADTEST_ACK_FILE"]
by, _ = User.objects.get_or_create(username="loadtest-reporter")
ids = list(Assignment.objects.filter(completed_on__isnull=True).values_list("pk", flat=True)[:200])
failed, deadline, i = 0, time.monotonic() + seconds, 0
with open(ack_path, "w") as ack:
    while time.monotonic() < deadline:
        i += 1
        try:
            update = progress_report(
                assignment=Assignment.objects.get(pk=ids[i % len(ids)]), by=by, percent=i % 100,
                note=f"Báo cáo thử tải số {i}",
            )
        except (OperationalError, InterfaceError):
            failed += 1
            connections.close_all()
            time.sleep(0.2)
            continue
        ack.write(f"{update.pk}\\n")
        ack.flush()
print("JSON" + __import__("json").dumps({"failed_attempts": failed}))
"""


def django_json(db, code, *args):
    out = subprocess.run(
        [PY, "manage.py", "shell", "--no-imports", "-c", code, *args],
        cwd=ROOT, env=env_for(db), capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return json.loads(next(line for line in out.splitlines() if line.startswith("JSON"))[4:])


def lua_script(paths) -> str:
    quoted = ", ".join(f'"{p}"' for p in paths)
    return (
        f"paths = {{{quoted}}}\ncounter = 0\n"
        "request = function()\n  counter = counter + 1\n"
        '  return wrk.format("GET", paths[(counter % #paths) + 1])\nend\n'
    )


def run_wrk(paths, cookie, connections, seconds):
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(lua_script(paths))
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "--latency", "-s", script.name,
         "-H", f"Cookie: sessionid={cookie}", "-H", "Host: 127.0.0.1", f"http://127.0.0.1:{PORT}/"],
        capture_output=True, text=True, check=False, timeout=seconds + 60,
    ).stdout  # fmt: skip
    os.unlink(script.name)
    result = {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "non_2xx_3xx": sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", out)),
        "socket_errors": 0,
        "latency_ms": {},
    }
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        result["socket_errors"] = sum(int(n) for n in m.groups())
    for pct, value, unit in re.findall(r"^\s+(\d+)%\s+([\d.]+)(us|ms|s)\s*$", out, re.M):
        result["latency_ms"][f"p{pct}"] = round(float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit], 1)
    result["errors"] = result["non_2xx_3xx"] + result["socket_errors"]
    return result


def restart_postgres():
    cluster = sorted(os.listdir("/etc/postgresql"))[0]
    started = time.monotonic()
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", cluster, "main", "restart"], check=True)
    return round(time.monotonic() - started, 1)


def stop(server):
    os.killpg(server.pid, signal.SIGINT)
    server.wait(timeout=60)


def main():
    db, _generated = prepare("M")
    subprocess.run(
        [PY, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env_for(db), check=True
    )
    setup = django_json(db, SETUP)
    paths = [
        "/", "/tong-hop/", "/giao-viec/?status=overdue", "/giao-viec/?district=001&unit_kind=ward&status=overdue",
        "/nhiem-vu/", "/ma-tran-phuong/?district=001", f"/giao-viec/{setup['detail']}/",
        "/api/assignments/?status=overdue", "/bao-cao-ky/",
    ]  # fmt: skip
    run = {"date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), "cores": os.cpu_count(), "paths": paths}

    print(f"phase 1: {CONNECTIONS} connections for {LOAD_SECONDS} s over {len(paths)} pages", file=sys.stderr)
    server = serve(db)
    try:
        run["load"] = run_wrk(paths, setup["cookie"], CONNECTIONS, LOAD_SECONDS)
    finally:
        stop(server)
    print(f"  {run['load']}", file=sys.stderr)

    print(f"phase 2: reports committed for {RESTART_SECONDS} s, PostgreSQL restarted", file=sys.stderr)
    before = int(psql("SELECT count(*) FROM tasks_progressupdate", db))
    server = serve(db)
    with tempfile.NamedTemporaryFile("w", suffix=".ack", delete=False) as ack:
        ack_path = ack.name
    reporter = subprocess.Popen(
        [PY, "manage.py", "shell", "--no-imports", "-c", REPORTER],
        cwd=ROOT, stdout=subprocess.PIPE, text=True,
        env={**env_for(db), "LOADTEST_REPORT_SECONDS": str(RESTART_SECONDS), "LOADTEST_ACK_FILE": ack_path},
    )  # fmt: skip
    wrk_during = subprocess.Popen(
        [PY, "-c", "import sys, json, loadtest; print(json.dumps(loadtest.run_wrk(*json.loads(sys.argv[1]))))",
         json.dumps([paths, setup["cookie"], 10, RESTART_SECONDS])],
        cwd=Path(__file__).parent, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    time.sleep(RESTART_SECONDS / 3)
    run["restart_seconds"] = restart_postgres()
    reporter_out, _ = reporter.communicate(timeout=RESTART_SECONDS + 120)
    wrk_out, _ = wrk_during.communicate(timeout=RESTART_SECONDS + 120)
    stop(server)
    acked = [int(x) for x in Path(ack_path).read_text().split()]
    os.unlink(ack_path)
    if not acked:
        print("LOAD TEST FAILED: the reporter committed no report at all", file=sys.stderr)
        sys.exit(1)
    present = int(
        psql(f"SELECT count(*) FROM tasks_progressupdate WHERE id IN ({','.join(map(str, acked))})", db)
    )
    after = int(psql("SELECT count(*) FROM tasks_progressupdate", db))
    run["restart"] = {
        "acknowledged": len(acked),
        "present": present,
        "rows_added": after - before,
        "reporter": json.loads(reporter_out.splitlines()[-1][4:]),
        "wrk": json.loads(wrk_out.strip().splitlines()[-1]),
    }
    print(f"  {run['restart']}", file=sys.stderr)
    write(run)

    problems = []
    if run["load"]["errors"]:
        problems.append(f"{run['load']['errors']} errors under load")
    if present != len(acked) or after - before != len(acked):
        problems.append(f"reports lost or unexpected: {len(acked)} acknowledged, {present} present, "
                        f"{after - before} added")  # fmt: skip
    if problems:
        print("LOAD TEST FAILED: " + "; ".join(problems), file=sys.stderr)
        sys.exit(1)
    print(
        "load test passed: 0 errors under load; no committed report lost across the restart", file=sys.stderr
    )


def write(run):
    load, restart = run["load"], run["restart"]
    latency = " · ".join(f"{k} {v} ms" for k, v in load["latency_ms"].items())
    section = "\n".join(
        [
            "## Load test (`make loadtest`)",
            "",
            f"Real output of `make loadtest`, {run['date']}, {run['cores']} cores, scale M, gunicorn with 2 workers,",
            f"wrk with {CONNECTIONS} connections for {LOAD_SECONDS} s over these pages in turn: "
            + ", ".join(f"`{p}`" for p in run["paths"])
            + ".",
            "",
            "| requests | requests/s | errors | latency distribution |",
            "|---:|---:|---:|---|",
            f"| {load['requests']:,} | {load['rps']:.1f} | {load['errors']} | {latency} |",
            "",
            f"Then PostgreSQL was restarted ({run['restart_seconds']} s) while a reporter committed progress reports "
            f"one after another and wrk kept 10 connections busy for {RESTART_SECONDS} s: "
            f"{restart['acknowledged']} reports were acknowledged and {restart['present']} of them are in the "
            f"database ({restart['rows_added']} rows added); {restart['reporter']['failed_attempts']} attempts "
            f"failed while the server was down and were not acknowledged; the pages answered "
            f"{restart['wrk']['requests']} requests with {restart['wrk']['errors']} errors during the restart "
            "window (requests that reached a worker whose connection had just been cut).",
            "",
        ]
    )
    text = DOC.read_text() if DOC.exists() else "# Benchmarks\n"
    text = (
        re.sub(r"\n## Load test \(`make loadtest`\).*?(?=\n## |\Z)", "", text, flags=re.S).rstrip() + "\n\n"
    )
    DOC.write_text(text + section)


if __name__ == "__main__":
    main()
