"""An import in two steps, shared by the ward list and the plan's task list.

Stage: read the uploaded file, work out what it would do (its plan), and keep the file's bytes with that plan in
an import log (cqdt_portal.lib.importlog.ImportLog), writing nothing else. The admin sees the preview.

Apply: in one transaction, lock the log, re-read the kept bytes against the database as it is now, and refuse
unless the plan still does what the preview showed (the same rows created, changed, retired…); then write it
and mark the log applied. A command stages and applies at once, all or nothing.

A plan is any object with `can_apply`, `refused` (a list of (row, reason)), `summary()` (plain data for the log
and the preview) and `fingerprint()` (what the import changes, by key: the part the preview promises).
"""

import hashlib
from collections.abc import Callable
from typing import Protocol

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .importlog import ImportLog


class Plan(Protocol):
    refused: list

    @property
    def can_apply(self) -> bool: ...

    def summary(self) -> dict: ...

    def fingerprint(self) -> dict: ...


class ImportRefused(Exception):
    """The import cannot be applied; `plan` (when there is one) holds the refused rows."""

    def __init__(self, message: str, plan: Plan | None = None):
        super().__init__(message)
        self.plan = plan


def refuse_unless_applicable(plan: Plan) -> None:
    if not plan.can_apply:
        raise ImportRefused(
            _("Tệp có {n} dòng bị từ chối; chưa ghi gì vào cơ sở dữ liệu.").format(n=len(plan.refused)), plan
        )


def import_stage(
    *, log_model: type[ImportLog], plan: Plan, file_name: str, content: bytes, by=None, **fields
):
    """Keep the file and its plan, unapplied, for the preview. Writes only the log."""
    summary = plan.summary() | {"fingerprint": plan.fingerprint()}
    return log_model.objects.create(
        file_name=file_name[:255],
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
        uploaded_by=by,
        summary=summary,
        **fields,
    )


@transaction.atomic
def import_apply(
    *, log: ImportLog, replan: Callable[[ImportLog], Plan], write: Callable[[Plan, ImportLog], None]
) -> Plan:
    """Apply a staged import in one transaction, exactly as previewed, or refuse (ImportRefused) and write nothing.

    `replan(locked_log)` reads the kept bytes again and plans against the database now (taking any locks it
    needs first); `write(plan, locked_log)` does what the plan says.
    """
    locked = type(log).objects.select_for_update().get(pk=log.pk)
    if locked.state != ImportLog.State.PREVIEWED:
        raise ImportRefused(_("Lần nhập này đã được áp dụng."))
    plan = replan(locked)
    refuse_unless_applicable(plan)
    if plan.fingerprint() != locked.summary.get("fingerprint"):
        raise ImportRefused(
            _("Dữ liệu đã thay đổi từ khi xem trước; hãy tải tệp lên và xem trước lại."), plan
        )
    write(plan, locked)
    locked.state = ImportLog.State.APPLIED
    locked.applied_at = timezone.now()
    locked.summary = plan.summary() | {"fingerprint": plan.fingerprint()}
    locked.save(update_fields=["state", "applied_at", "summary"])
    log.refresh_from_db()
    return plan


def refused_lines(plan: Plan, limit: int = 20) -> list[str]:
    """The refused rows as a command prints them, the first `limit` of them."""
    lines = [f"  row {row}: {reason}" if row else f"  {reason}" for row, reason in plan.refused[:limit]]
    if len(plan.refused) > limit:
        lines.append(f"  … and {len(plan.refused) - limit} more")
    return lines
