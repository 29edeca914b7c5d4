"""A department exists from a day to a day (cqdt_portal.lib.lifespan): `retired_on` (the first day it no longer
existed) becomes `valid_to` (the last day it existed), with the legal act that ended it."""

from datetime import timedelta

from django.db import migrations, models


def retired_on_to_valid_to(apps, schema_editor):
    Department = apps.get_model("org", "Department")
    for department in Department.objects.filter(retired_on__isnull=False):
        department.valid_to = department.retired_on - timedelta(days=1)
        department.save(update_fields=["valid_to"])


def valid_to_to_retired_on(apps, schema_editor):
    Department = apps.get_model("org", "Department")
    for department in Department.objects.filter(valid_to__isnull=False):
        department.retired_on = department.valid_to + timedelta(days=1)
        department.save(update_fields=["retired_on"])


class Migration(migrations.Migration):
    dependencies = [("org", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="department",
            name="valid_from",
            field=models.DateField(blank=True, help_text="Để trống khi đã có từ trước khi cổng có dữ liệu.", null=True, verbose_name="tồn tại từ ngày"),
        ),
        migrations.AddField(
            model_name="department",
            name="valid_to",
            field=models.DateField(blank=True, help_text="Ngày cuối cùng còn tồn tại; để trống khi vẫn còn.", null=True, verbose_name="tồn tại đến ngày"),
        ),
        migrations.AddField(
            model_name="department",
            name="ended_by",
            field=models.CharField(blank=True, help_text="Số, ký hiệu văn bản quy định việc chấm dứt, ví dụ 1656/NQ-UBTVQH15.", max_length=200, verbose_name="văn bản chấm dứt"),
        ),
        migrations.RunPython(retired_on_to_valid_to, valid_to_to_retired_on),
        migrations.RemoveField(model_name="department", name="retired_on"),
        migrations.AddConstraint(
            model_name="department",
            constraint=models.CheckConstraint(condition=models.Q(("valid_from__isnull", True), ("valid_to__isnull", True), ("valid_to__gte", models.F("valid_from")), _connector="OR"), name="org_department_ends_after_it_begins"),
        ),
    ]
