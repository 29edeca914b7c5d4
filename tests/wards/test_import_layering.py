"""The ward list tells the task side about new wards through its signals; `wards/` never imports `tasks/`."""

import ast
from pathlib import Path

from django.conf import settings

from wards.signals import count_new_unit_assignments, wards_imported


def test_the_wards_app_never_imports_the_tasks_app():
    offenders = []
    for path in (Path(settings.BASE_DIR) / "wards").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            offenders += [f"{path.name}: {n}" for n in names if n == "tasks" or n.startswith("tasks.")]
    assert offenders == []


def test_the_task_side_answers_both_ward_signals(db):
    assert [r[1]() for r in wards_imported.receivers if r[1]()]
    assert [r[1]() for r in count_new_unit_assignments.receivers if r[1]()]
    answers = count_new_unit_assignments.send(sender=None, ward_codes=[], retired_codes=[], district_codes=[])
    assert [receiver.__module__ for receiver, _ in answers] == ["tasks.receivers"]
