"""Fill a database with an ILLUSTRATIVE plan for the benchmarks, on top of the seeded wards and departments.

    python bench/generate_load.py --scale M [--seed 7] [--force]

Scale M = 3,000 tasks, about 60,000 assignments and 600,000 progress reports dated 2021 to today; S is a tenth
of M, L ten times M, XS a hundredth (for tests). Every task is marked is_illustrative and titled
"[Minh hoạ tải] …"; its documents are numbered "MH-…". Never run it on the city's database: refused when DEBUG
is off unless --force. Run `manage.py seed` first. All or nothing.
"""

import argparse
import os
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class LoadRefused(Exception):
    """The database is not one to fill with illustrative data (or not ready for it)."""


def generate(*, scale: str, seed: int = 7, force: bool = False, today=None):
    """Generate the load in the configured database; returns its counts. Raises LoadRefused."""
    from django.conf import settings

    from bench.loadgen import load_generate
    from tasks.models import Assignment

    if not settings.DEBUG and not force:
        raise LoadRefused(
            "generate_load writes illustrative tasks that must never mix with the real plan; it runs only "
            "with DEBUG on. On a dedicated benchmark database, add --force."
        )
    if not Assignment.objects.exists():
        raise LoadRefused("No reference data yet: run `python manage.py seed` first.")
    try:
        return load_generate(scale=scale, seed=seed, today=today)
    except ValueError as error:
        raise LoadRefused(str(error)) from error


def main(argv=None) -> int:
    from bench.loadgen import SCALES

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=list(SCALES), default="S")
    parser.add_argument("--seed", type=int, default=7, help="Random seed: the same seed gives the same data.")
    parser.add_argument("--force", action="store_true", help="Run even with DEBUG off (a benchmark host).")
    parser.add_argument(
        "--today", type=date.fromisoformat, help="Generate as if on this day, YYYY-MM-DD (default: today)."
    )
    args = parser.parse_args(argv)
    started = time.monotonic()
    try:
        counts = generate(scale=args.scale, seed=args.seed, force=args.force, today=args.today)
    except LoadRefused as error:
        print(f"generate_load: {error}", file=sys.stderr)
        return 1
    print(
        f"scale {args.scale}: documents {counts.documents}, tasks {counts.tasks}, assignments "
        f"{counts.assignments}, progress reports {counts.updates}, reporter accounts {counts.users} "
        f"in {time.monotonic() - started:.1f} s"
    )
    print("Illustrative load generated (not the real plan).")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cqdt_portal.settings")
    import django

    django.setup()
    sys.exit(main())
