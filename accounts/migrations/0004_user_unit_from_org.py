"""A user's unit fields come from org.UnitMember and point at org.Department: state only, the columns and their
foreign keys are unchanged."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0003_reminder_digest_opt_out'),
        ('org', '0001_initial'),
        ('wards', '0002_ward_import_and_history'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='user',
                    name='department',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='%(class)ss', to='org.department', verbose_name='sở, ban, ngành'),
                ),
                migrations.AlterField(
                    model_name='user',
                    name='district',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='%(class)ss', to='wards.district', verbose_name='quận, thị xã'),
                ),
                migrations.AlterField(
                    model_name='user',
                    name='ward',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='%(class)ss', to='wards.ward', verbose_name='phường'),
                ),
            ],
        ),
    ]
