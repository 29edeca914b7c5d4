"""A database built before the code was housed by feature migrates in place: no row is copied or lost, the
moved models keep their tables, and the roles keep their permissions under the models' new apps."""

import os
from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

# The last migration of each app before the re-housing (what an existing database has applied).
BEFORE = [
    ("accounts", "0003_reminder_digest_opt_out"),
    ("plans", "0002_unaccent_extension"),
    ("wards", "0002_ward_import_and_history"),
    ("tasks", "0004_reminders"),
    # Apps born in the re-housing: none of their migrations is applied yet.
    ("org", None),
    ("reminders", None),
    ("reporting", None),
]
TABLES = [
    "tasks_department", "tasks_task", "tasks_assignment", "tasks_progressupdate", "tasks_reportreview",
    "tasks_unitpolicy", "tasks_holiday", "tasks_reminder", "tasks_remindersettings", "accounts_user",
]  # fmt: skip


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    applied = [target for target in targets if target[1] is not None]
    return MigrationExecutor(connection).loader.project_state(applied).apps


def row_counts():
    with connection.cursor() as cursor:
        counts = {}
        for table in TABLES:
            cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 — table names from the list above
            counts[table] = cursor.fetchone()[0]
        return counts


@pytest.mark.django_db(transaction=True)
def test_a_database_from_before_the_rehousing_migrates_in_place():
    # A transactional test starts from whatever the last one left (an emptied database, perhaps): seed it.
    call_command("seed", "--until", "2024-12-31", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    old = migrate(BEFORE)
    # As the old code left it: content types and permissions under "tasks" (migrating back put the moved
    # models' labels back), a group holding one of them.
    Group, Permission = old.get_model("auth", "Group"), old.get_model("auth", "Permission")
    staff_role = Group.objects.get_or_create(name="unit_staff_before")[0]
    staff_role.permissions.add(
        Permission.objects.get(content_type__app_label="tasks", codename="report_progress")
    )
    department = old.get_model("tasks", "Department").objects.create(code="so-thu", name="Sở Thử", kind="so")
    ward = old.get_model("wards", "Ward").objects.get(code="00001")
    user = old.get_model("accounts", "User").objects.create(username="phucxa", ward=ward)
    user.groups.add(staff_role)
    head = old.get_model("accounts", "User").objects.create(username="so", department=department)
    document = old.get_model("plans", "LegalDocument").objects.get(number="100/KH-UBND")
    task = old.get_model("tasks", "Task").objects.create(
        document=document, title="Nhiệm vụ trước khi sắp xếp lại mã", due_on=date(2021, 7, 1),
        lead_department=department,
    )  # fmt: skip
    assignment = old.get_model("tasks", "Assignment").objects.create(
        task=task, ward=ward, due_on=date(2021, 7, 1), original_due_on=date(2021, 7, 1)
    )
    update = old.get_model("tasks", "ProgressUpdate").objects.create(
        assignment=assignment, author=user, percent=40, note="Đang làm."
    )
    old.get_model("tasks", "ReportReview").objects.create(
        update=update, stage="city", outcome="approved", reviewer=head
    )
    old.get_model("tasks", "UnitPolicy").objects.create(ward=ward, head_approval_required=True)
    old.get_model("tasks", "Holiday").objects.create(date=date(2019, 12, 31), name="Ngày nghỉ thử")
    old.get_model("tasks", "Reminder").objects.create(
        assignment=assignment, recipient=user, kind="due", sent_on=date(2021, 7, 1), days_to_due=0
    )
    before = row_counts()

    migrate(leaves)

    assert row_counts() == before
    from accounts.models import User
    from reminders.models import Reminder
    from reporting.models import ProgressUpdate, UnitPolicy

    staff = User.objects.get(username="phucxa")
    assert staff.has_perm("reporting.report_progress")  # the group's permission followed its model
    assert User.objects.get(username="so").department.name == "Sở Thử"
    report = ProgressUpdate.objects.with_review_state().get(note="Đang làm.")
    assert (report.note, report.assignment.ward.code, report.state.value) == (
        "Đang làm.",
        "00001",
        "confirmed",
    )
    assert UnitPolicy.objects.get(ward__code="00001").head_approval_required
    assert Reminder.objects.get(recipient=staff).assignment.task.lead_department.code == "so-thu"
