"""Departments move here from the tasks app: the model only; the table keeps its name (tasks_department), so
existing databases change nothing but the label of its content type (and of its permissions)."""

from django.db import migrations, models

MOVED = ["department"]


def relabel_content_type(apps, schema_editor):
    """An existing database knows the model as tasks.department: relabel it, so its permissions follow."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if not ContentType.objects.filter(app_label="org", model=model).exists():
            ContentType.objects.filter(app_label="tasks", model=model).update(app_label="org")


def unrelabel_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="org", model__in=MOVED).update(app_label="tasks")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Department',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('code', models.SlugField(max_length=40, unique=True, verbose_name='mã')),
                        ('name', models.CharField(max_length=200, unique=True, verbose_name='tên')),
                        ('short_name', models.CharField(blank=True, max_length=40, verbose_name='tên viết tắt')),
                        ('kind', models.CharField(choices=[('ubnd_tp', 'UBND thành phố'), ('van_phong', 'Văn phòng'), ('so', 'Sở'), ('ban', 'Ban'), ('nganh', 'Ngành, cơ quan khác')], max_length=12, verbose_name='loại')),
                        ('retired_on', models.DateField(blank=True, null=True, verbose_name='ngày giải thể/sáp nhập')),
                    ],
                    options={
                        'verbose_name': 'sở, ban, ngành',
                        'verbose_name_plural': 'sở, ban, ngành',
                        'db_table': 'tasks_department',
                        'ordering': ['name'],
                    },
                ),
            ],
        ),
        migrations.RunPython(relabel_content_type, unrelabel_content_type),
    ]
