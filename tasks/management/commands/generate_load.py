import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tasks.loadgen import SCALES, TITLE_PREFIX, load_generate
from tasks.models import Assignment


class Command(BaseCommand):
    help = (
        "Fill the database with an ILLUSTRATIVE plan for benchmarks, on top of the seeded wards and departments: "
        "scale M = 3,000 tasks, ≈ 60,000 assignments, ≈ 600,000 progress reports dated 2021 to today; "
        "S is a tenth of M, L ten times M, XS a hundredth (for tests). Every task is marked is_illustrative and "
        f"titled '{TITLE_PREFIX}…'; its documents are numbered 'MH-…'. Never run it on the city's database: "
        "refused when DEBUG is off unless --force. Run `seed` first. All or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=list(SCALES), default="S")
        parser.add_argument(
            "--seed", type=int, default=7, help="Random seed: the same seed gives the same data."
        )
        parser.add_argument(
            "--force", action="store_true", help="Run even with DEBUG off (a benchmark host)."
        )

    def handle(self, *args, scale, seed, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "generate_load writes illustrative tasks that must never mix with the real plan; it runs only "
                "with DEBUG on. On a dedicated benchmark database, add --force."
            )
        if not Assignment.objects.exists():
            raise CommandError("No reference data yet: run `python manage.py seed` first.")
        started = time.monotonic()
        try:
            counts = load_generate(scale=scale, seed=seed)
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"scale {scale}: documents {counts.documents}, tasks {counts.tasks}, assignments "
            f"{counts.assignments}, progress reports {counts.updates}, reporter accounts {counts.users} "
            f"in {time.monotonic() - started:.1f} s"
        )
        self.stdout.write(self.style.SUCCESS("Illustrative load generated (not the real plan)."))
