"""Districts and wards exist from a day to a day (cqdt_portal.lib.lifespan), and a code names a unit only within
its lifespan: the 2025 list gave old codes to new units. `retired_on` (the first day a unit no longer existed)
becomes `valid_to` (its last day); the successors a retired ward had become Succession rows (how much of it
went where is not recorded for them: "không rõ"); a ward may lie in no district (from 01/07/2025)."""

from datetime import timedelta

import django.db.models.deletion
from django.db import migrations, models

LIFESPAN_FIELDS = [
    ("valid_from", models.DateField(blank=True, help_text="Để trống khi đã có từ trước khi cổng có dữ liệu.", null=True, verbose_name="tồn tại từ ngày")),
    ("valid_to", models.DateField(blank=True, help_text="Ngày cuối cùng còn tồn tại; để trống khi vẫn còn.", null=True, verbose_name="tồn tại đến ngày")),
    ("ended_by", models.CharField(blank=True, help_text="Số, ký hiệu văn bản quy định việc chấm dứt, ví dụ 1656/NQ-UBTVQH15.", max_length=200, verbose_name="văn bản chấm dứt")),
]


def forwards(apps, schema_editor):
    District, Ward, Succession = (apps.get_model("wards", m) for m in ("District", "Ward", "Succession"))
    for model in (District, Ward):
        for unit in model.objects.filter(retired_on__isnull=False):
            unit.valid_to = unit.retired_on - timedelta(days=1)
            unit.save(update_fields=["valid_to"])
    for ward in Ward.objects.filter(retired_on__isnull=False).prefetch_related("successors"):
        kind = {"phuong": "Phường", "xa": "Xã", "thi_tran": "Thị trấn"}.get(ward.kind, "")
        for successor in ward.successors.all():
            Succession.objects.get_or_create(
                predecessor=ward,
                successor=successor,
                defaults={
                    "predecessor_code": ward.code,
                    "predecessor_name": f"{kind} {ward.name}".strip(),
                    "relation": "khong_ro",
                    "effective_on": ward.retired_on,
                },
            )


def backwards(apps, schema_editor):
    District, Ward, Succession = (apps.get_model("wards", m) for m in ("District", "Ward", "Succession"))
    for model in (District, Ward):
        for unit in model.objects.filter(valid_to__isnull=False):
            unit.retired_on = unit.valid_to + timedelta(days=1)
            unit.save(update_fields=["retired_on"])
    for succession in Succession.objects.filter(predecessor__isnull=False):
        succession.predecessor.successors.add(succession.successor)


class Migration(migrations.Migration):
    dependencies = [("wards", "0002_ward_import_and_history")]

    operations = [
        migrations.CreateModel(
            name="Succession",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("predecessor_code", models.CharField(blank=True, max_length=5, verbose_name="mã đơn vị cũ")),
                ("predecessor_name", models.CharField(max_length=200, verbose_name="tên đơn vị cũ")),
                ("relation", models.CharField(choices=[("toan_bo", "toàn bộ"), ("mot_phan", "một phần"), ("phan_con_lai", "phần còn lại"), ("mot_phan_dt", "một phần diện tích"), ("mot_phan_dt_toanbo_ds", "một phần diện tích, toàn bộ dân số"), ("khong_ro", "không rõ phần nào")], max_length=24, verbose_name="phần chuyển sang")),
                ("effective_on", models.DateField(verbose_name="từ ngày")),
                ("legal_basis", models.CharField(blank=True, max_length=200, verbose_name="văn bản")),
                ("predecessor", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="successions", to="wards.ward", verbose_name="đơn vị cũ")),
                ("successor", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="predecessions", to="wards.ward", verbose_name="đơn vị mới")),
            ],
            options={
                "verbose_name": "kế thừa địa bàn",
                "verbose_name_plural": "kế thừa địa bàn",
                "ordering": ["effective_on", "successor__code", "predecessor_code", "pk"],
                "constraints": [
                    models.UniqueConstraint(condition=models.Q(("predecessor__isnull", False)), fields=("predecessor", "successor"), name="one_succession_per_pair"),
                    models.UniqueConstraint(condition=models.Q(("predecessor__isnull", True)), fields=("predecessor_name", "successor"), name="one_named_succession_per_pair"),
                ],
            },
        ),
        *(migrations.AddField(model_name=model, name=name, field=field.clone()) for model in ("district", "ward") for name, field in LIFESPAN_FIELDS),
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(model_name="district", name="retired_on"),
        migrations.RemoveField(model_name="ward", name="retired_on"),
        migrations.RemoveField(model_name="ward", name="successors"),
        migrations.AlterField(
            model_name="district",
            name="code",
            field=models.CharField(help_text="Mã đơn vị hành chính (GSO), ví dụ 001", max_length=3, verbose_name="mã"),
        ),
        migrations.AlterField(
            model_name="ward",
            name="code",
            field=models.CharField(help_text="Mã đơn vị hành chính (GSO), ví dụ 00001", max_length=5, verbose_name="mã"),
        ),
        migrations.AlterField(
            model_name="ward",
            name="district",
            field=models.ForeignKey(blank=True, help_text="Để trống với đơn vị trực thuộc thành phố (từ 01/07/2025).", null=True, on_delete=django.db.models.deletion.PROTECT, related_name="wards", to="wards.district", verbose_name="quận, thị xã"),
        ),
        migrations.AlterField(
            model_name="ward",
            name="retirement_note",
            field=models.TextField(blank=True, verbose_name="ghi chú sắp xếp"),
        ),
        migrations.AlterField(
            model_name="wardchange",
            name="district",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="changes", to="wards.district", verbose_name="quận, thị xã"),
        ),
        migrations.AlterModelOptions(
            name="district",
            options={"ordering": ["code", "valid_from"], "verbose_name": "quận, thị xã", "verbose_name_plural": "quận, thị xã"},
        ),
        migrations.AlterModelOptions(
            name="ward",
            options={"ordering": ["district__code", "code", "valid_from"], "verbose_name": "phường, xã", "verbose_name_plural": "phường, xã"},
        ),
        migrations.AddConstraint(
            model_name="district",
            constraint=models.CheckConstraint(condition=models.Q(("valid_from__isnull", True), ("valid_to__isnull", True), ("valid_to__gte", models.F("valid_from")), _connector="OR"), name="wards_district_ends_after_it_begins"),
        ),
        migrations.AddConstraint(
            model_name="district",
            constraint=models.UniqueConstraint(condition=models.Q(("valid_to__isnull", True)), fields=("code",), name="district_code_unique_while_open"),
        ),
        migrations.AddConstraint(
            model_name="ward",
            constraint=models.CheckConstraint(condition=models.Q(("valid_from__isnull", True), ("valid_to__isnull", True), ("valid_to__gte", models.F("valid_from")), _connector="OR"), name="wards_ward_ends_after_it_begins"),
        ),
        migrations.AddConstraint(
            model_name="ward",
            constraint=models.UniqueConstraint(condition=models.Q(("valid_to__isnull", True)), fields=("code",), name="ward_code_unique_while_open"),
        ),
    ]
