"""The portal and Redmine on the same work, in one run: `python bench/side_by_side.py [--label before]`.

Redmine is the peer a city would otherwise install: ../shared/peers/redmine (setup.sh, load.sh; read its README)
must be running on 127.0.0.1:3000 with its 70,000 issues. The portal runs under gunicorn (2 workers, DEBUG off)
on a scale-M database: BENCH_DB (default cqdt_bench_m; point it at a copy, the reminder run writes and rolls
back). Both are loaded by the same client with the same settings as the peer's measure.sh: wrk -t1 -c4 -d20s
after a 5 s warm-up that is not recorded, every request on a new connection (Connection: close), the two servers
interleaved measure by measure, ROUNDS times.

The machine is shared, so requests/s moves with the neighbours; the fair figure is each server's CPU time per
request, read from /proc/<pid>/stat: puma's master and workers for Redmine (its SQLite runs inside them); gunicorn's
master and workers plus the PostgreSQL backends connected to the portal's database. A sampler reads them every
half second, so a process that comes and goes during a run is still counted. The load average is recorded.

The reminder run: Redmine's `rake redmine:send_reminders days=7` against the portal's `send_reminders` for
today (bench/commands.py, rolled back), CPU time of the whole process tree (and the portal's database backend)
per item delivered (an assignment in a digest; an issue listed in a Redmine mail).

Writes bench/side_by_side_<label>.json and the section "Side by side with Redmine" of docs/benchmarks.md (every
stored label: before and after).
"""

import contextlib
import json
import os
import re
import resource
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
DB = os.environ.get("BENCH_DB", "cqdt_bench_m")
PORT = int(os.environ.get("BENCH_PORT", "8918"))
ROUNDS = int(os.environ.get("ROUNDS", "2"))
DURATION = os.environ.get("DURATION", "20s")
WARMUP = os.environ.get("WARMUP", "5s")
CONNS = int(os.environ.get("CONNS", "4"))
PEER = Path(os.environ.get("PEER_DIR", ROOT.parent / "shared" / "peers" / "redmine"))
PEER_RUN = Path(os.environ.get("RUN_DIR", "/tmp/redmine-peer"))
REDMINE = "http://127.0.0.1:3000"
REDMINE_PASSWORD = os.environ.get("ADMIN_PASSWORD", "redmine-peer-admin")
REDMINE_PROJECT = os.environ.get("PROJECT", "dv-001")
REDMINE_ROOT = Path("/usr/share/redmine")
# The peer's query: open, due more than a day ago, by due date (measure.sh).
REDMINE_QUERY = "set_filter=1&status_id=o&due_date=%3Ct-1&sort=due_date&per_page=25"
TICK = os.sysconf("SC_CLK_TCK")
BASE_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "benchmark-only-not-a-secret",
    "ALLOWED_HOSTS": "testserver,127.0.0.1",
    "SECURE_SSL_REDIRECT": "0",
    "STATIC_ROOT": os.environ.get("BENCH_STATIC_ROOT", f"/tmp/{DB}_static"),
    "LOG_LEVEL": "ERROR",
}
LUA = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) bad = 0 end
function response(status, headers, body) if status ~= 200 then bad = bad + 1 end end
function done(summary, latency, requests)
  local b = 0
  for _, t in ipairs(threads) do b = b + t:get("bad") end
  io.write(string.format("RESULT requests=%d rps=%.2f p50_ms=%.1f p99_ms=%.1f non200=%d errors=%d bytes=%d\\n",
    summary.requests, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, b,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.bytes))
end
"""


def log(message):
    print(message, file=sys.stderr, flush=True)


def portal_env():
    return {**os.environ, **BASE_ENV, "DATABASE_URL": f"{PG}/{DB}"}


# --- CPU time of a set of processes -------------------------------------------------------------------------


def cpu_seconds(pid: int) -> float | None:
    """utime + stime of a live process (all its threads), in seconds."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / TICK


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            found += [int(p) for p in (task / "children").read_text().split()]
    return found


class Sampler:
    """The CPU time of the processes `pids()` names, summed over a run: each process counts from the first time it
    is seen (0 if it began during the run) to the last."""

    def __init__(self, pids):
        self.pids = pids
        self.first: dict[int, float] = {}
        self.last: dict[int, float] = {}
        self._stop = threading.Event()

    def _sample(self, started: bool):
        for pid in self.pids():
            cpu = cpu_seconds(pid)
            if cpu is None:
                continue
            self.first.setdefault(pid, cpu if not started else 0.0)
            self.last[pid] = cpu

    def __enter__(self):
        self._sample(started=False)
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()
        return self

    def _loop(self):
        while not self._stop.wait(0.5):
            self._sample(started=True)

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self._sample(started=True)

    @property
    def seconds(self) -> float:
        return sum(self.last[pid] - self.first[pid] for pid in self.last)


def pg_backends() -> list[int]:
    """The PostgreSQL backends connected to the portal's database (asked from the `postgres` database, so this
    question's own backend is not counted)."""
    out = subprocess.run(
        ["psql", f"{PG}/postgres", "-tAc", f"SELECT pid FROM pg_stat_activity WHERE datname = '{DB}'"],
        capture_output=True, text=True, check=False,
    ).stdout  # fmt: skip
    return [int(line) for line in out.split()]


def puma_pids() -> list[int]:
    master = int((PEER_RUN / "puma.pid").read_text())
    return [master, *children(master)]


def loadavg() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


# --- wrk ----------------------------------------------------------------------------------------------------


def wrk(url: str, header: str, pids, lua: Path) -> dict:
    common = ["wrk", "-t1", f"-c{CONNS}", "--timeout", "30s", "-H", header, "-H", "Connection: close"]
    subprocess.run([*common, f"-d{WARMUP}", url], capture_output=True, check=False)
    load_before = loadavg()
    with Sampler(pids) as cpu:
        out = subprocess.run(
            [*common, f"-d{DURATION}", "--latency", "-s", str(lua), url],
            capture_output=True,
            text=True,
            check=False,
        ).stdout
    match = re.search(r"^RESULT (.*)$", out, re.M)
    if not match:
        raise RuntimeError(f"wrk gave no result for {url}:\n{out}")
    result = {k: float(v) for k, v in (item.split("=") for item in match.group(1).split())}
    result["cpu_s"] = cpu.seconds
    result["cpu_ms_per_request"] = 1000 * cpu.seconds / result["requests"] if result["requests"] else None
    result["bytes_per_response"] = result.pop("bytes") / result["requests"] if result["requests"] else None
    result["load"] = round((load_before + loadavg()) / 2, 2)
    return result


# --- the two servers ----------------------------------------------------------------------------------------


def redmine_credentials() -> tuple[str, str]:
    """(session cookie of admin, admin's API key), as measure.sh gets them."""
    if urllib.request.urlopen(f"{REDMINE}/login", timeout=10).status != 200:
        raise RuntimeError("Redmine is not answering on 127.0.0.1:3000: run ../shared/peers/redmine/setup.sh")
    key = (PEER_RUN / "api_key").read_text().strip()
    with tempfile.NamedTemporaryFile() as jar:
        page = subprocess.run(
            ["curl", "-s", "-c", jar.name, f"{REDMINE}/login"], capture_output=True, text=True
        ).stdout
        token = re.search(r'name="authenticity_token" value="([^"]*)"', page).group(1)
        subprocess.run(
            ["curl", "-s", "-b", jar.name, "-c", jar.name, "-o", "/dev/null",
             "--data-urlencode", f"authenticity_token={token}", "--data-urlencode", "username=admin",
             "--data-urlencode", f"password={REDMINE_PASSWORD}", f"{REDMINE}/login"],
            check=True,
        )  # fmt: skip
        cookie = [
            line.split("\t") for line in Path(jar.name).read_text().splitlines() if line.count("\t") >= 6
        ]
    name, value = cookie[-1][5], cookie[-1][6]
    return f"{name}={value}", key


def portal_serve():
    with open(f"/tmp/{DB}_gunicorn.log", "ab") as errors:  # gunicorn keeps its own copy of the file
        server = subprocess.Popen(
            [str(Path(PY).parent / "gunicorn"), "cqdt_portal.wsgi", "-w", "2", "-b", f"127.0.0.1:{PORT}",
             "--log-level", "warning", "--timeout", "60"],
            cwd=ROOT, env=portal_env(), start_new_session=True, stderr=errors,
        )  # fmt: skip
    for _ in range(150):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/dang-nhap/", timeout=2)
            return server
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def portal_credentials() -> dict:
    """Run in a subprocess with the portal's settings: a city official's session, an API token for a script
    (when the portal has token auth), and the ward with the most overdue assignments today (the peer's one
    project is one ward)."""
    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cqdt_portal.settings")
    django.setup()
    from django.apps import apps
    from django.conf import settings
    from django.contrib.auth.models import Group
    from django.db.models import Count
    from django.test import Client
    from django.utils import timezone

    from accounts.models import User
    from reporting.models import Role
    from tasks.models import Assignment
    from tasks.status import Status, status_q

    user, _ = User.objects.get_or_create(username="bench-lanhdao")
    user.groups.add(Group.objects.get_or_create(name=Role.CITY_OFFICIAL.value)[0])
    client = Client()
    client.force_login(user)
    today = timezone.localdate()
    ward = (
        Assignment.objects.existing_on(today)
        .filter(status_q(Status.OVERDUE, today), ward__isnull=False)
        .values("ward__code")
        .annotate(n=Count("pk"))
        .order_by("-n", "ward__code")
        .first()
    )
    # The summary the write services keep (when the portal has one) counted as the first write of the day would:
    # generate_load writes the assignments in bulk, past the services.
    from tasks import services

    if hasattr(services, "status_summary_refresh"):
        services.status_summary_refresh()
    token = None
    if apps.is_installed("rest_framework.authtoken"):
        from rest_framework.authtoken.models import Token

        token = Token.objects.get_or_create(user=user)[0].key
    return {"cookie": client.cookies[settings.SESSION_COOKIE_NAME].value, "token": token, "ward": ward}


def portal_reminders() -> dict:
    """Run in a subprocess: the daily reminder run of bench/commands.py (its working day), rolled back, with the CPU
    time of this process's database backend."""
    sys.path.insert(0, str(ROOT))
    from django.db import connection

    from bench.commands import time_reminders

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    before = cpu_seconds(backend)
    result = time_reminders()
    result["db_cpu_s"] = cpu_seconds(backend) - before
    return result


def subprocess_json(flag: str) -> dict:
    out = subprocess.run([PY, __file__, flag], cwd=ROOT, env=portal_env(), capture_output=True, text=True)
    if out.returncode:
        raise RuntimeError(out.stderr)
    return json.loads(out.stdout.strip().splitlines()[-1])


def redmine_reminders() -> dict:
    mails = PEER_RUN / "mails"
    for f in mails.glob("*"):
        f.unlink()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    load_before = loadavg()
    subprocess.run(
        ["runuser", "-u", "www-data", "--", "env", "REDMINE_INSTANCE=default", "RAILS_ENV=production", "HOME=/tmp",
         "rake", "redmine:send_reminders", "days=7"],
        cwd=REDMINE_ROOT, capture_output=True, check=True,
    )  # fmt: skip
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    items = digests = 0
    import email
    import email.header

    for f in mails.glob("*"):
        message = email.message_from_binary_file(f.open("rb"))
        subject = str(email.header.make_header(email.header.decode_header(message["Subject"])))
        digests += 1
        items += int(re.match(r"\s*(\d+)", subject).group(1))
    return {"wall_s": wall, "cpu_s": cpu, "digests": digests, "items": items,
            "load": round((load_before + loadavg()) / 2, 2)}  # fmt: skip


def portal_reminder_run() -> dict:
    """The portal's run in a subprocess: its whole CPU time (Django's start-up included, as Rails' boot is on
    Redmine's side) plus its database backend's."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    load_before = loadavg()
    result = subprocess_json("--portal-reminders")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall_s": time.monotonic() - started, "cpu_s": cpu + result["db_cpu_s"], "python_cpu_s": cpu,
            "db_cpu_s": result["db_cpu_s"], "digests": result["digests"], "items": result["reminders"],
            "day": result["day"], "load": round((load_before + loadavg()) / 2, 2)}  # fmt: skip


# --- the run ------------------------------------------------------------------------------------------------


def measures(portal: dict, cookie: str, key: str) -> list[dict]:
    """(name, Redmine url and header, portal url and header); portal-only measures have no Redmine side."""
    session = f"Cookie: sessionid={portal['cookie']}"
    api = f"Authorization: Token {portal['token']}" if portal["token"] else session
    ward = portal["ward"]["ward__code"]
    return [
        {"name": "city-wide overdue list (HTML)", "redmine": (f"{REDMINE}/issues?{REDMINE_QUERY}", f"Cookie: {cookie}"),
         "portal": ("/giao-viec/?status=overdue&order=due", session), "goal": 5},
        {"name": "one ward's overdue list (HTML)",
         "redmine": (f"{REDMINE}/projects/{REDMINE_PROJECT}/issues?{REDMINE_QUERY}", f"Cookie: {cookie}"),
         "portal": (f"/giao-viec/?status=overdue&ward={ward}&order=due", session), "goal": 5},
        {"name": "JSON API overdue list",
         "redmine": (f"{REDMINE}/issues.json?{REDMINE_QUERY}&limit=25", f"X-Redmine-API-Key: {key}"),
         "portal": ("/api/assignments/?status=overdue&order=due", api), "goal": 5,
         "auth": "token" if portal["token"] else "session"},
        {"name": "dashboard", "portal": ("/tong-hop/", session), "rps_goal": 40},
        {"name": "period report", "portal": ("/bao-cao-ky/", session), "rps_goal": 30},
        {"name": "ward matrix", "portal": ("/ma-tran-phuong/", session), "rps_goal": 30, "kb_goal": 300},
        {"name": "home", "portal": ("/", session)},
    ]  # fmt: skip


def run(label: str, reminders: bool) -> dict:
    subprocess.run(
        [PY, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=portal_env(), check=True
    )
    cookie, key = redmine_credentials()
    portal = subprocess_json("--credentials")
    server = portal_serve()
    lua = Path(tempfile.mkstemp(suffix=".lua")[1])
    lua.write_text(LUA)

    def portal_pids():
        return [server.pid, *children(server.pid), *pg_backends()]

    result = {"label": label, "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), "db": DB,
              "wrk": f"-t1 -c{CONNS} -d{DURATION} after -d{WARMUP}, Connection: close", "rounds": ROUNDS,
              "commit": subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                       text=True).stdout.strip(),
              "ward": portal["ward"], "measures": []}  # fmt: skip
    try:
        items = measures(portal, cookie, key)
        for item in items:
            item["runs"] = {"redmine": [], "portal": []}
        for r in range(ROUNDS):
            for item in items:
                if "redmine" in item:
                    url, header = item["redmine"]
                    item["runs"]["redmine"].append(wrk(url, header, puma_pids, lua))
                    log(f"round {r + 1} {item['name']} redmine: {item['runs']['redmine'][-1]}")
                path, header = item["portal"]
                item["runs"]["portal"].append(wrk(f"http://127.0.0.1:{PORT}{path}", header, portal_pids, lua))
                log(f"round {r + 1} {item['name']} portal: {item['runs']['portal'][-1]}")
        for item in items:
            item["redmine"] = item["redmine"][0] if "redmine" in item else None
            item["portal"] = item["portal"][0]
        result["measures"] = items
    finally:
        os.killpg(server.pid, signal.SIGINT)
        server.wait(timeout=60)
        lua.unlink()
    if reminders:
        log("reminder run: Redmine")
        result["reminders"] = {"redmine": redmine_reminders()}
        log(f"  {result['reminders']['redmine']}")
        log("reminder run: portal")
        result["reminders"]["portal"] = portal_reminder_run()
        log(f"  {result['reminders']['portal']}")
    return result


# --- the table ----------------------------------------------------------------------------------------------


def median(values):
    values = sorted(v for v in values if v is not None)
    if not values:
        return None
    mid = len(values) // 2
    return values[mid] if len(values) % 2 else (values[mid - 1] + values[mid]) / 2


def fmt(value, digits=1):
    return "–" if value is None else f"{value:,.{digits}f}"


def render_run(run: dict) -> list[str]:
    lines = [
        f"### {run['label']}: {run['date']}, commit {run['commit']}, portal on `{run['db']}`",
        "",
        f"wrk {run['wrk']}, {run['rounds']} rounds interleaved (Redmine, then the portal, measure by measure). "
        f"One ward: {run['ward']['ward__code']} ({run['ward']['n']:,} overdue) for the portal, "
        f"{REDMINE_PROJECT} for Redmine. Medians over the rounds; *load* is the 1-minute load average during the runs.",
        "",
        "| measure | Redmine req/s | p50 | p99 | CPU ms/req | load | portal req/s | p50 | p99 | CPU ms/req | KB/resp "
        "| load | CPU per request, Redmine ÷ portal | goal |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for item in run["measures"]:
        portal = item["runs"]["portal"]
        redmine = item["runs"]["redmine"]
        p = {k: median([r[k] for r in portal]) for k in portal[0]}
        cells = [item["name"] + (" (token)" if item.get("auth") == "token" else "")]
        if redmine:
            m = {k: median([r[k] for r in redmine]) for k in redmine[0]}
            cells += [fmt(m["rps"]), fmt(m["p50_ms"], 0), fmt(m["p99_ms"], 0), fmt(m["cpu_ms_per_request"]),
                      fmt(m["load"])]  # fmt: skip
        else:
            cells += ["–"] * 5
        cells += [fmt(p["rps"]), fmt(p["p50_ms"], 0), fmt(p["p99_ms"], 0), fmt(p["cpu_ms_per_request"]),
                  fmt(p["bytes_per_response"] / 1024, 0), fmt(p["load"])]  # fmt: skip
        goals = []
        if redmine:
            ratio = m["cpu_ms_per_request"] / p["cpu_ms_per_request"]
            cells.append(f"{ratio:.1f}×")
            goals.append(f"≥ {item['goal']}× {'met' if ratio >= item['goal'] else 'missed'}")
        else:
            cells.append("–")
        if item.get("rps_goal"):
            # req/s on 2 shared cores: also given as the rate the CPU per request allows on 2 idle cores.
            capacity = 2000 / p["cpu_ms_per_request"]
            ok = p["rps"] >= item["rps_goal"] or capacity >= item["rps_goal"]
            goals.append(
                f"≥ {item['rps_goal']} req/s {'met' if ok else 'missed'} ({capacity:.0f} req/s on 2 idle cores)"
            )
        if item.get("kb_goal"):
            kb = p["bytes_per_response"] / 1024
            goals.append(f"≤ {item['kb_goal']} KB {'met' if kb <= item['kb_goal'] else 'missed'}")
        cells.append("; ".join(goals))
        lines.append("| " + " | ".join(cells) + " |")
    rem = run.get("reminders")
    if rem and rem["portal"]["items"]:
        r, p = rem["redmine"], rem["portal"]
        per_r, per_p = 1000 * r["cpu_s"] / r["items"], 1000 * p["cpu_s"] / p["items"]
        ratio = per_r / per_p
        lines += [
            "",
            "| reminder run | wall (s) | CPU (s) | digests | items delivered | CPU ms per item | load |",
            "|---|---:|---:|---:|---:|---:|---:|",
            f"| Redmine `rake redmine:send_reminders days=7` (Rails boot included) | {fmt(r['wall_s'])} | "
            f"{fmt(r['cpu_s'])} | {r['digests']} | {r['items']:,} | {per_r:.2f} | {fmt(r['load'])} |",
            f"| portal `send_reminders` for {p['day']} (Django's start-up and the database backend's "
            f"{fmt(p['db_cpu_s'])} s included) | {fmt(p['wall_s'])} | {fmt(p['cpu_s'])} | {p['digests']} | {p['items']:,} | "
            f"{per_p:.2f} | {fmt(p['load'])} |",
            "",
            f"CPU per item delivered, Redmine ÷ portal: {ratio:.1f}× (goal ≥ 5×: {'met' if ratio >= 5 else 'missed'}).",
        ]
    return lines + [""]


SECTION = re.compile(r"\n## Side by side with Redmine.*?(?=\n## |\Z)", re.S)


def section() -> str:
    runs = []
    for path in sorted(
        ROOT.glob("bench/side_by_side_*.json"), key=lambda p: json.loads(p.read_text())["date"]
    ):
        runs.append(json.loads(path.read_text()))
    lines = [
        "",
        "## Side by side with Redmine (`python bench/side_by_side.py`)",
        "",
        "The peer is Debian's Redmine 5.0.4 under puma (2 workers × 5 threads, SQLite, 70,000 issues, "
        "../shared/peers/redmine); the portal runs under gunicorn (2 sync workers, DEBUG off, PostgreSQL) at "
        "scale M. Same machine, same client: wrk -t1 -c4 -d20s, Connection: close. The machine is shared with "
        "other work, so requests/s and latencies move with it; CPU time per request (puma's processes for Redmine; "
        "gunicorn's plus its PostgreSQL backends for the portal, from /proc) is the fair comparison. The portal's "
        "HTML pages show 50 rows, Redmine's 25. The req/s goals are judged on the req/s measured, or, when the "
        "neighbours took the cores, on the rate the CPU per request allows on 2 idle cores (2,000 ÷ CPU ms).",
        "",
    ]
    for run in runs:
        lines += render_run(run)
    notes = ROOT / "bench" / "SIDE_BY_SIDE_NOTES.md"
    if notes.exists():
        lines += [notes.read_text()]
    return "\n".join(lines)


def write_doc():
    doc = ROOT / "docs" / "benchmarks.md"
    text = doc.read_text()
    new = section()
    text = (
        SECTION.sub(lambda _m: new.rstrip("\n"), text) if SECTION.search(text) else text.rstrip() + "\n" + new
    )
    doc.write_text(text.rstrip() + "\n")


def main():
    if "--credentials" in sys.argv:
        print(json.dumps(portal_credentials()))
        return
    if "--portal-reminders" in sys.argv:
        print(json.dumps(portal_reminders(), default=str))
        return
    if "--reminders-only" in sys.argv:  # the reminder runs again, into a stored run
        path = ROOT / "bench" / f"side_by_side_{sys.argv[sys.argv.index('--label') + 1]}.json"
        result = json.loads(path.read_text())
        result["reminders"] = {"redmine": redmine_reminders(), "portal": portal_reminder_run()}
        path.write_text(json.dumps(result, indent=1, default=str))
    elif "--render" not in sys.argv:
        label = sys.argv[sys.argv.index("--label") + 1] if "--label" in sys.argv else "after"
        result = run(label, reminders="--no-reminders" not in sys.argv)
        (ROOT / "bench" / f"side_by_side_{re.sub(r'[^a-z0-9]+', '-', label.lower())}.json").write_text(
            json.dumps(result, indent=1, default=str)
        )
    write_doc()
    log("wrote docs/benchmarks.md (Side by side with Redmine)")


if __name__ == "__main__":
    main()
