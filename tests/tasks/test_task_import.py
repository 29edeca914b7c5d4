"""Admins import a plan's tasks from .xlsx/.csv with the same preview and all-or-nothing rules as the ward list."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from cqdt_portal.lib.staged_import import ImportRefused
from tasks.imports import plan_tasks
from tasks.models import Assignment, Task, TaskImport, TaskScope
from tasks.services import tasks_import, tasks_import_apply, tasks_import_stage
from tests.wards.builders import snapshot, write_csv, write_xlsx
from wards.models import District, Ward

HEADER = ["Văn bản", "Mục", "Nhiệm vụ", "Chủ trì", "Phối hợp", "Thời hạn", "Phạm vi"]
# Illustrative rows (not from the plan's text, which the press does not give).
ROWS = [
    ["100/KH-UBND", "II.1", "Rà soát quy chế làm việc của UBND phường (minh hoạ)", "so-noi-vu",
     "Sở Tư pháp; Các đơn vị liên quan", "30/09/2021", "mọi phường"],
    ["100/KH-UBND", "II.2", "Báo cáo sơ kết 6 tháng thực hiện thí điểm (minh hoạ)", "UBND các quận, thị xã",
     "", "31/12/2021", "mọi quận"],
    ["100/KH-UBND", "II.3", "Tổng hợp kiến nghị về thủ tục hành chính tại phường (minh hoạ)", "Sở Tư pháp",
     "SNV", "15/10/2021", "thành phố"],
]  # fmt: skip


def test_a_plans_tasks_are_created_with_their_assignments(db, tmp_path):
    path = write_xlsx(tmp_path / "ke_hoach.xlsx", HEADER, ROWS)
    before = Assignment.objects.count()
    task_import, plan = tasks_import(file_name=path.name, content=path.read_bytes())
    assert plan.counts() == {"created": 3, "updated": 0, "unchanged": 0, "refused": 0, "new_assignments": 189}
    every_ward = Task.objects.get(title__startswith="Rà soát quy chế")
    assert (every_ward.section, every_ward.scope, every_ward.due_on) == (
        "II.1",
        TaskScope.EVERY_WARD,
        datetime.date(2021, 9, 30),
    )
    assert every_ward.lead_department.code == "so-noi-vu"
    assert [d.code for d in every_ward.coordinating_departments.all()] == ["so-tu-phap"]
    assert every_ward.coordination_note == "Các đơn vị liên quan"
    assert every_ward.assignments.count() == Ward.objects.current().count() == 175
    every_district = Task.objects.get(title__startswith="Báo cáo sơ kết")
    assert every_district.lead_department is None and every_district.lead_label == "UBND các quận, thị xã"
    assert every_district.assignments.count() == District.objects.count() == 13
    city = Task.objects.get(title__startswith="Tổng hợp kiến nghị")
    assert [a.department.code for a in city.assignments.all()] == ["so-tu-phap"]
    assert Assignment.objects.count() - before == 189
    assert task_import.state == TaskImport.State.APPLIED


def test_reimporting_the_same_task_list_changes_nothing(db, tmp_path):
    path = write_csv(tmp_path / "ke_hoach.csv", HEADER, ROWS)
    tasks_import(file_name=path.name, content=path.read_bytes())
    before = snapshot("tasks")
    before.pop("tasks.TaskImport")
    _, plan = tasks_import(file_name=path.name, content=path.read_bytes())
    after = snapshot("tasks")
    after.pop("tasks.TaskImport")
    assert plan.counts()["unchanged"] == 3 and plan.counts()["new_assignments"] == 0
    assert after == before


def test_a_changed_deadline_updates_the_task_and_keeps_existing_assignments(db, tmp_path):
    path = write_csv(tmp_path / "v1.csv", HEADER, ROWS)
    tasks_import(file_name=path.name, content=path.read_bytes())
    changed = [row[:] for row in ROWS]
    changed[2][5] = "30/11/2021"
    path = write_csv(tmp_path / "v2.csv", HEADER, changed)
    _, plan = tasks_import(file_name=path.name, content=path.read_bytes())
    assert [(t["row"], t["fields"]) for t in plan.updated] == [(4, ["thời hạn"])]
    city = Task.objects.get(title__startswith="Tổng hợp kiến nghị")
    assert city.due_on == datetime.date(2021, 11, 30)
    assert city.assignments.get().due_on == datetime.date(2021, 10, 15)


BAD_ROWS = [
    (0, 0, "99/KH-UBND", "row 2: Không có văn bản số “99/KH-UBND”."),
    (0, 5, "31/02/2021", "row 2: Thời hạn “31/02/2021” không đúng dạng ngày/tháng/năm."),
    (0, 6, "cả nước", "row 2: Phạm vi “cả nước” không hợp lệ"),
    (2, 3, "Sở Không Có", "row 4: Không tìm thấy đơn vị chủ trì “Sở Không Có”."),
    (1, 2, ROWS[0][2], "row 3: Nhiệm vụ trùng với dòng 2."),
]


@pytest.mark.parametrize(("row", "column", "value", "message"), BAD_ROWS)
def test_a_bad_row_refuses_the_whole_file_and_writes_nothing(db, tmp_path, row, column, value, message):
    rows = [r[:] for r in ROWS]
    rows[row][column] = value
    path = write_csv(tmp_path / "sai.csv", HEADER, rows)
    before = snapshot("tasks")
    with pytest.raises(CommandError) as refused:
        call_command("import_tasks", str(path))
    assert message in str(refused.value)
    assert snapshot("tasks") == before


def test_a_missing_column_is_named(db, tmp_path):
    path = write_csv(tmp_path / "thieu.csv", HEADER[:5] + HEADER[6:], [r[:5] + r[6:] for r in ROWS])
    with pytest.raises(CommandError, match="Thiếu cột “Thời hạn”"):
        call_command("import_tasks", str(path))
    assert not TaskImport.objects.exists()


def test_the_command_dry_run_writes_nothing(db, tmp_path, capsys):
    path = write_csv(tmp_path / "ke_hoach.csv", HEADER, ROWS)
    before = snapshot("tasks")
    call_command("import_tasks", str(path), "--dry-run")
    assert "tasks created: 3" in capsys.readouterr().out
    assert snapshot("tasks") == before


def test_the_preview_is_what_apply_does(db, tmp_path):
    path = write_csv(tmp_path / "ke_hoach.csv", HEADER, ROWS)
    task_import, preview = tasks_import_stage(file_name=path.name, content=path.read_bytes())
    assert not Task.objects.filter(title=ROWS[0][2]).exists()
    before = Assignment.objects.count()
    applied = tasks_import_apply(task_import=task_import)
    assert applied.summary() == preview.summary()
    assert Assignment.objects.count() - before == preview.new_assignments
    with pytest.raises(ImportRefused, match="đã được áp dụng"):
        tasks_import_apply(task_import=task_import)


def test_admin_uploads_previews_and_confirms_a_task_list(client, admin_user, tmp_path):
    path = write_xlsx(tmp_path / "ke_hoach.xlsx", HEADER, ROWS)
    client.force_login(admin_user)
    changelist = client.get(reverse("admin:tasks_task_changelist"))
    assert "Nhập nhiệm vụ từ tệp" in changelist.text
    response = client.post(
        reverse("admin:tasks_task_import"), {"file": SimpleUploadedFile(path.name, path.read_bytes())}
    )
    assert response.status_code == 302
    preview = client.get(response.url)
    assert "Rà soát quy chế làm việc" in preview.text and "Xác nhận nhập" in preview.text
    assert preview.context["counts"]["new_assignments"] == 189
    assert not Task.objects.filter(title=ROWS[0][2]).exists()
    confirmed = client.post(response.url)
    assert confirmed.status_code == 302 and confirmed.url == reverse("admin:tasks_task_changelist")
    assert Task.objects.filter(title=ROWS[0][2]).exists()
    assert client.post(response.url).status_code == 404


def test_task_import_refuses_unreadable_files_on_the_form(client, admin_user, tmp_path):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:tasks_task_import"), {"file": SimpleUploadedFile("ke_hoach.xlsx", b"PK\x03\x04broken")}
    )
    assert response.status_code == 200 and "tệp bị hỏng" in response.text
    assert not TaskImport.objects.exists()


def test_the_task_import_page_needs_task_permissions(client, city_official):
    city_official.is_staff = True
    city_official.save(update_fields=["is_staff"])
    client.force_login(city_official)
    assert client.get(reverse("admin:tasks_task_import")).status_code == 403


def test_plan_tasks_reads_dates_typed_as_excel_dates(db, tmp_path):
    rows = [r[:] for r in ROWS]
    rows[0][5] = datetime.date(2021, 9, 30)  # openpyxl reads it back as a datetime
    plan = plan_tasks(write_xlsx(tmp_path / "dates.xlsx", HEADER, rows).read_bytes())
    assert plan.can_apply and plan.created[0]["due_on"] == "2021-09-30"


def test_an_unknown_lead_unit_is_refused_not_stored_as_free_text(db, tmp_path):
    rows = [[*ROWS[2][:3], "Sở ABC", *ROWS[2][4:]]]
    path = write_csv(tmp_path / "ke_hoach.csv", HEADER, rows)
    before = snapshot("tasks", skip=("tasks.TaskImport",))
    with pytest.raises(ImportRefused) as refused:
        tasks_import(file_name=path.name, content=path.read_bytes())
    assert refused.value.plan.refused == [(2, "Không tìm thấy đơn vị chủ trì “Sở ABC”.")]
    assert snapshot("tasks", skip=("tasks.TaskImport",)) == before


def test_a_task_is_given_on_the_files_date_or_on_the_import_day(db, tmp_path):
    rows = [[*ROWS[0], "01/09/2021"], [*ROWS[2], ""]]
    path = write_csv(tmp_path / "ke_hoach.csv", [*HEADER, "Ngày giao"], rows)
    tasks_import(file_name=path.name, content=path.read_bytes())
    dated = Task.objects.get(title__startswith="Rà soát quy chế")
    assert dated.given_on == datetime.date(2021, 9, 1)
    assert set(dated.assignments.values_list("given_on", flat=True)) == {datetime.date(2021, 9, 1)}
    undated = Task.objects.get(title__startswith="Tổng hợp kiến nghị")
    assert undated.given_on == timezone.localdate()
    # As of a day before it was given, the task counts nowhere.
    assert not Assignment.objects.existing_on(datetime.date(2021, 8, 31)).filter(task=dated).exists()
