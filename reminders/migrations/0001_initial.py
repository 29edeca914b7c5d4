"""Reminders move here from the tasks app: the models only; their tables keep their names (tasks_*), so existing
databases change nothing but the labels of their content types."""

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
import re
from django.conf import settings
from django.db import migrations, models


MOVED = ['holiday', 'remindersettings', 'reminder']


def relabel_content_types(apps, schema_editor):
    """An existing database knows these models under the tasks app: relabel them, so permissions follow."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if not ContentType.objects.filter(app_label="reminders", model=model).exists():
            ContentType.objects.filter(app_label="tasks", model=model).update(app_label="reminders")


def unrelabel_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="reminders", model__in=MOVED).update(app_label="tasks")

class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('tasks', '0006_reminders_move_to_their_app'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Holiday',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('date', models.DateField(unique=True, verbose_name='ngày')),
                        ('name', models.CharField(max_length=200, verbose_name='tên ngày nghỉ')),
                    ],
                    options={
                        'verbose_name': 'ngày nghỉ lễ, Tết',
                        'verbose_name_plural': 'ngày nghỉ lễ, Tết',
                        'db_table': 'tasks_holiday',
                        'ordering': ['date'],
                    },
                ),
                migrations.CreateModel(
                    name='ReminderSettings',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('days_before', models.CharField(help_text='Các số ngày trước thời hạn, cách nhau bởi dấu phẩy, ví dụ: 7,3,1', max_length=100, validators=[django.core.validators.RegexValidator(re.compile('^\\d+(?:,\\d+)*\\Z'), code='invalid', message='Enter only digits separated by commas.')], verbose_name='nhắc trước hạn (ngày)')),
                        ('overdue_every_days', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1)], verbose_name='nhắc lại khi quá hạn, mỗi (ngày)')),
                        ('escalate_after', models.PositiveSmallIntegerField(help_text='Việc vẫn quá hạn sau ngần ấy lần nhắc được gửi thêm lãnh đạo đơn vị và đơn vị chủ trì.', validators=[django.core.validators.MinValueValidator(1)], verbose_name='báo cáo lãnh đạo sau số lần nhắc quá hạn')),
                    ],
                    options={
                        'verbose_name': 'cấu hình nhắc hạn',
                        'verbose_name_plural': 'cấu hình nhắc hạn',
                        'db_table': 'tasks_remindersettings',
                        'constraints': [models.CheckConstraint(condition=models.Q(('pk', 1)), name='reminder_settings_single_row')],
                    },
                ),
                migrations.CreateModel(
                    name='Reminder',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('before_due', 'Sắp đến hạn'), ('due', 'Đến hạn'), ('overdue', 'Quá hạn'), ('escalation', 'Quá hạn, đã nhắc nhiều lần — báo cáo lãnh đạo')], max_length=12, verbose_name='loại nhắc')),
                        ('sent_on', models.DateField(verbose_name='ngày nhắc')),
                        ('days_to_due', models.SmallIntegerField(help_text='Âm khi đã quá hạn.', verbose_name='số ngày đến hạn')),
                        ('status', models.CharField(choices=[('pending', 'Chờ gửi'), ('sending', 'Đang gửi'), ('sent', 'Đã gửi'), ('failed', 'Gửi lỗi, sẽ gửi lại'), ('skipped', 'Bỏ qua')], default='pending', max_length=8, verbose_name='trạng thái')),
                        ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='số lần gửi')),
                        ('claim_token', models.CharField(blank=True, editable=False, max_length=64)),
                        ('claimed_at', models.DateTimeField(blank=True, null=True, verbose_name='nhận gửi lúc')),
                        ('sent_at', models.DateTimeField(blank=True, null=True, verbose_name='gửi lúc')),
                        ('last_error', models.TextField(blank=True, verbose_name='lỗi gần nhất')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='ngày tạo')),
                        ('assignment', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='reminders', to='tasks.assignment', verbose_name='giao nhiệm vụ')),
                        ('recipient', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='reminders', to=settings.AUTH_USER_MODEL, verbose_name='người nhận')),
                    ],
                    options={
                        'verbose_name': 'thư nhắc hạn',
                        'verbose_name_plural': 'nhật ký nhắc hạn',
                        'db_table': 'tasks_reminder',
                        'ordering': ['-sent_on', 'recipient_id', 'assignment_id'],
                        'indexes': [models.Index(fields=['recipient', 'sent_on'], name='reminder_recipient_day_idx'), models.Index(fields=['status', 'sent_on'], name='reminder_status_day_idx')],
                        'constraints': [models.UniqueConstraint(fields=('assignment', 'recipient', 'sent_on'), name='one_reminder_per_assignment_person_day')],
                    },
                ),
            ],
        ),
        migrations.RunPython(relabel_content_types, unrelabel_content_types),
    ]
