from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from cqdt_portal.lib.staged_import import ImportRefused, refuse_unless_applicable, refused_lines
from tasks.imports import TaskFileError, plan_tasks
from tasks.services import tasks_import


class Command(BaseCommand):
    help = (
        "Import a plan's tasks from .xlsx or CSV. Columns: Văn bản, Mục, Nhiệm vụ, Chủ trì, Phối hợp, Thời hạn "
        "(dd/mm/yyyy), Phạm vi (thành phố / mọi quận / mọi phường / mọi quận và phường), optional Nội dung. "
        "A task is known by its document and title: re-importing updates it and only adds assignments. "
        "All or nothing: any refused row writes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the task list file")
        parser.add_argument("--dry-run", action="store_true", help="show what would change, write nothing")

    def handle(self, *args, path, dry_run, **options):
        file = Path(path)
        try:
            content = file.read_bytes()
        except OSError as e:
            raise CommandError(f"cannot read {path}: {e.strerror}") from None
        try:
            if dry_run:
                with transaction.atomic():
                    plan = plan_tasks(content)
                refuse_unless_applicable(plan)
            else:
                _, plan = tasks_import(file_name=file.name, content=content)
        except TaskFileError as e:
            raise CommandError(f"{file.name}: {e} Nothing was written.") from None
        except ImportRefused as e:
            details = refused_lines(e.plan) if e.plan else []
            raise CommandError("\n".join([f"{file.name}: {e} Nothing was written.", *details])) from None
        counts = plan.counts()
        self.stdout.write(
            f"tasks created: {counts['created']}\ntasks updated: {counts['updated']}\n"
            f"tasks unchanged: {counts['unchanged']}\nassignments added: {counts['new_assignments']}"
        )
        self.stdout.write("Dry run: nothing was written." if dry_run else "Imported.")
