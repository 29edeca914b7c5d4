"""Times the reorganisation of 01/07/2025 as an admin would import it, and the dashboard as of past dates (run by
`bench/run.py --reorganisation` on a database holding the map of 30/06/2025 and a generated plan; prints one
JSON line).

- Import: Hà Nội's 126 units (../shared/data/reform-2025/hanoi_units_2025.csv) with the mapping of Nghị quyết
  1656/NQ-UBTVQH15 (hanoi_mapping_nq1656.csv): the preview (read, plan, hand-over preview, staged log) and the
  apply (ending 173 units, handing over every open assignment, giving the new units the running tasks).
- Dashboard: its median time and query count today and as of 31/12/2021 and 30/06/2025, after the import.

Everything runs inside one transaction that is rolled back: the database stays at 30/06/2025 and the next run
measures the same work.
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cqdt_portal.settings")
django.setup()

from datetime import date  # noqa: E402

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import User  # noqa: E402
from tasks.models import Assignment  # noqa: E402
from tasks.services import ward_list_apply, ward_list_stage  # noqa: E402

SHARED = ROOT.parent / "shared" / "data" / "reform-2025"
REFORM = date(2025, 7, 1)
REPEAT = 7


class Rollback(Exception):
    pass


def timed(function):
    started = time.monotonic()
    result = function()
    return result, round(time.monotonic() - started, 2)


def dashboard(client, as_of=None) -> dict:
    params = {"as_of": as_of} if as_of else {}
    client.get("/tong-hop/", params)  # warm
    times, queries = [], None
    for _ in range(REPEAT):
        with CaptureQueriesContext(connection) as captured:
            started = time.monotonic()
            response = client.get("/tong-hop/", params)
            times.append((time.monotonic() - started) * 1000)
        assert response.status_code == 200
        queries = len(captured.captured_queries)
    return {"as_of": as_of or "today", "median_ms": round(statistics.median(times), 1), "queries": queries}


def main():
    units, mapping = SHARED / "hanoi_units_2025.csv", SHARED / "hanoi_mapping_nq1656.csv"
    if not units.exists():
        sys.exit(f"{units} is absent: the reorganisation benchmark reads the shared reference data")
    result = {"assignments_before": Assignment.objects.count()}
    try:
        with transaction.atomic():
            (ward_import, plan), result["preview_s"] = timed(
                lambda: ward_list_stage(
                    file_name=units.name, content=units.read_bytes(), province_code="01", effective_on=REFORM,
                    mapping_file_name=mapping.name, mapping_content=mapping.read_bytes(),
                    legal_basis="1656/NQ-UBTVQH15",
                )
            )  # fmt: skip
            assert plan.can_apply, plan.refused[:5]
            applied, result["apply_s"] = timed(lambda: ward_list_apply(ward_import=ward_import))
            counts = applied.counts()
            result |= {
                "units_created": counts["created"],
                "units_ended": counts["retired"] + counts["districts_ended"],
                "successions": counts["successions"],
                "handed_over": counts["handed_over"],
                "awaiting_decision": counts["awaiting_decision"],
                "new_assignments": counts["new_assignments"],
                "assignments_after": Assignment.objects.count(),
            }
            client = Client()
            official = User.objects.filter(groups__name="city_official").first() or User.objects.create(
                username="bench-reorg-official"
            )
            client.force_login(official)
            result["dashboard"] = [
                dashboard(client),
                dashboard(client, "2021-12-31"),
                dashboard(client, "2025-06-30"),
            ]
            raise Rollback
    except Rollback:
        pass
    print(json.dumps(result))


if __name__ == "__main__":
    main()
