"""The ward matrix at city scale: the screen shows the every-ward tasks a group at a time, the exports all."""

import io
from datetime import date, timedelta

from django.urls import reverse
from openpyxl import load_workbook

from dashboards.selectors import MATRIX_COLUMNS
from plans.models import LegalDocument
from tasks.models import Task, TaskScope
from tasks.services import assignments_sync
from tasks.status import Status


def _many_ward_tasks(n):
    plan = LegalDocument.objects.get(number="100/KH-UBND")
    for i in range(n):
        task = Task.objects.create(
            document=plan, title=f"Nhiệm vụ thử {i:02d} cho mọi phường", scope=TaskScope.EVERY_WARD,
            given_on=plan.issued_on, due_on=date(2030, 1, 1) + timedelta(days=i), is_illustrative=True,
        )  # fmt: skip
        assignments_sync(task=task)


def test_ward_matrix_shows_the_tasks_a_group_at_a_time_and_exports_them_all(db, client, city_official):
    existing = Task.objects.filter(
        scope__in=[TaskScope.EVERY_WARD, TaskScope.EVERY_DISTRICT_AND_WARD]
    ).count()
    _many_ward_tasks(MATRIX_COLUMNS + 3)
    total = existing + MATRIX_COLUMNS + 3
    client.force_login(city_official)

    first = client.get(reverse("dashboards:ward_matrix"), {"district": "001"})
    assert len(first.context["matrix"].tasks) == MATRIX_COLUMNS
    assert f"Nhiệm vụ 1–{MATRIX_COLUMNS} / {total}" in first.content.decode()
    pages = -(-total // MATRIX_COLUMNS)
    rest = total - (pages - 1) * MATRIX_COLUMNS  # the last group holds the tasks left
    last = client.get(reverse("dashboards:ward_matrix"), {"district": "001", "cot": pages})
    matrix = last.context["matrix"]
    assert len(matrix.tasks) == rest
    assert matrix.total[Status.OPEN_ON_TIME] + matrix.total[Status.OVERDUE] == 14 * rest
    assert f"cot={pages - 1}" in last.content.decode()

    export = client.get(reverse("dashboards:ward_matrix_export", args=["xlsx"]), {"district": "001"})
    sheet = load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    header = next(sheet.iter_rows(values_only=True))
    assert len(header) == 3 + total + len(Status)
