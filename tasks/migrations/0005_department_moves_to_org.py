"""Departments now live in org (same table): the tasks' foreign keys point there, in the model state only."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0004_user_unit_from_org'),
        ('org', '0001_initial'),
        ('tasks', '0004_reminders'),
        ('wards', '0002_ward_import_and_history'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='task',
                    name='lead_department',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='led_tasks', to='org.department', verbose_name='đơn vị chủ trì'),
                ),
                migrations.AlterField(
                    model_name='assignment',
                    name='department',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='%(class)ss', to='org.department', verbose_name='sở, ban, ngành'),
                ),
                migrations.AlterField(
                    model_name='unitpolicy',
                    name='department',
                    field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='policy', to='org.department', verbose_name='sở, ban, ngành'),
                ),
                migrations.AlterField(
                    model_name='assignment',
                    name='district',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='%(class)ss', to='wards.district', verbose_name='quận, thị xã'),
                ),
                migrations.AlterField(
                    model_name='assignment',
                    name='ward',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='%(class)ss', to='wards.ward', verbose_name='phường'),
                ),
                migrations.AlterField(
                    model_name='task',
                    name='coordinating_departments',
                    field=models.ManyToManyField(blank=True, related_name='coordinated_tasks', to='org.department', verbose_name='đơn vị phối hợp'),
                ),
                migrations.DeleteModel(
                    name='Department',
                ),
            ],
        ),
    ]
