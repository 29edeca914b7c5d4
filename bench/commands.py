"""Times the whole-country ward import and the daily reminder run (run by bench/run.py; prints one JSON line).

- Ward import: a file in the statistics office's layout with 10,604 rows, the size of its national export:
  Hà Nội's real 579 rows (from ../shared/data, when present) followed by synthetic rows for other provinces,
  which the import counts as out of scope. Timed in-process around `import_wards` (Django's start-up excluded).
- Reminder run: `send_reminders` for DAY on the scale's database, mail to Django's in-memory backend, after
  giving the generated staff accounts an e-mail address. It runs inside a transaction that is rolled back, so
  the database stays as generated and the next run measures the same work.
"""

import contextlib
import csv
import io
import json
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cqdt_portal.settings")
django.setup()

from django.core import mail  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

from accounts.models import User  # noqa: E402
from bench.loadgen import USER_PREFIX  # noqa: E402
from reminders.models import Reminder  # noqa: E402

NATIONAL_ROWS = 10_604
HEADER = ["Tỉnh Thành Phố", "Mã TP", "Quận Huyện", "Mã QH", "Phường Xã", "Mã PX", "Cấp", "Tên Tiếng Anh"]
DAY = date.fromisoformat(os.environ.get("BENCH_REMINDER_DAY", "2026-11-25"))


class Rollback(Exception):
    pass


def national_file(path: Path) -> int:
    """Writes the national-size file; returns how many of its rows are Hà Nội's real ones."""
    rows = []
    xls = ROOT.parent / "shared" / "data" / "wards" / "hanoi_2021-02_gso.xls"
    if xls.exists():
        import xlrd

        sheet = xlrd.open_workbook(xls, logfile=io.StringIO()).sheet_by_index(0)
        rows = [sheet.row_values(i) for i in range(1, sheet.nrows)]
    real = len(rows)
    n = 0
    while len(rows) < NATIONAL_ROWS:
        province = 2 + n // 900  # synthetic provinces 02, 03, … (codes only: no real names are claimed)
        district = 100 + n // 12
        rows.append([f"Tỉnh thử {province:02d}", f"{province:02d}", f"Huyện thử {district}", f"{district:03d}",
                     f"Xã thử {n}", f"{20000 + n:05d}", "Xã", ""])  # fmt: skip
        n += 1
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return real


class _RolledBack(Exception):
    pass


def time_import() -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ca-nuoc.csv"
        real = national_file(path)
        out = io.StringIO()
        # The 2021 list is older than the 2025 reorganisations on record: it goes in only as a historical
        # correction, and is rolled back so that the database stays as generated for the next run.
        with contextlib.suppress(_RolledBack), transaction.atomic():
            started = time.perf_counter()
            call_command(
                "import_wards", str(path), "--effective-on", "2021-03-01", "--correction", stdout=out
            )
            seconds = time.perf_counter() - started
            raise _RolledBack
    return {"rows": NATIONAL_ROWS, "hanoi_rows": real, "seconds": round(seconds, 2),
            "summary": out.getvalue().strip().splitlines()[-3:]}  # fmt: skip


def time_reminders() -> dict:
    result = {}
    try:
        with (
            transaction.atomic(),
            override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"),
        ):
            staff = User.objects.filter(username__startswith=USER_PREFIX, email="")
            for user in staff:
                user.email = f"{user.username}@bench.invalid"
            User.objects.bulk_update(staff, ["email"], batch_size=2000)
            mail.outbox = []
            started = time.perf_counter()
            call_command("send_reminders", "--today", DAY.isoformat(), stdout=io.StringIO())
            result = {
                "day": DAY.isoformat(),
                "seconds": round(time.perf_counter() - started, 2),
                "digests": len(mail.outbox),
                "reminders": Reminder.objects.filter(sent_on=DAY).count(),
                "staff_with_email": len(staff),
            }
            raise Rollback
    except Rollback:
        pass
    return result


if __name__ == "__main__":
    print(json.dumps({"import": time_import(), "reminders": time_reminders()}, default=str))
