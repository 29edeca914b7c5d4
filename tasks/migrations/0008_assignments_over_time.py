"""A task has the day it was given, and an assignment exists from that day until its unit ended (when its open
work passed to the unit's successors). Existing rows: a plan's own task was given on its document's date; an
illustrative one (demo, benchmark) on the day it was created."""

import django.db.models.deletion  # noqa: F401
from django.db import migrations, models
from django.utils import timezone


def given_dates(apps, schema_editor):
    Task, Assignment = apps.get_model("tasks", "Task"), apps.get_model("tasks", "Assignment")
    for task in Task.objects.select_related("document"):
        issued = task.document.issued_on
        task.given_on = timezone.localdate(task.created_at) if task.is_illustrative or issued is None else issued
        task.save(update_fields=["given_on"])
        Assignment.objects.filter(task=task).update(given_on=task.given_on)


class Migration(migrations.Migration):
    dependencies = [("tasks", "0007_reporting_moves_to_its_app"), ("plans", "0002_unaccent_extension")]

    operations = [
        migrations.AddField(model_name="task", name="given_on", field=models.DateField(null=True, verbose_name="ngày giao")),
        migrations.AddField(model_name="assignment", name="given_on", field=models.DateField(null=True, verbose_name="ngày giao")),
        migrations.RunPython(given_dates, migrations.RunPython.noop),
        migrations.AlterField(model_name="task", name="given_on", field=models.DateField(verbose_name="ngày giao")),
        migrations.AlterField(model_name="assignment", name="given_on", field=models.DateField(verbose_name="ngày giao")),
        migrations.AddField(
            model_name="assignment",
            name="ended_on",
            field=models.DateField(blank=True, editable=False, help_text="Ngày cuối cùng còn thuộc đơn vị (đơn vị thôi tồn tại; việc chưa xong được chuyển giao).", null=True, verbose_name="ngày kết thúc"),
        ),
        migrations.AddField(
            model_name="assignment",
            name="handed_over_from",
            field=models.ManyToManyField(blank=True, related_name="handed_over_to", to="tasks.assignment", verbose_name="nhận chuyển giao từ"),
        ),
        migrations.AddConstraint(
            model_name="assignment",
            constraint=models.CheckConstraint(condition=models.Q(("ended_on__isnull", True), ("ended_on__gte", models.F("given_on")), _connector="OR"), name="assignment_ends_after_it_is_given"),
        ),
    ]
