"""A unit's reporting policy belongs to its unit through org.UnitMember (foreign keys, one policy per unit)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('org', '0001_initial'),
        ('reporting', '0001_initial'),
        ('wards', '0002_ward_import_and_history'),
    ]

    operations = [
        migrations.AlterField(
            model_name='unitpolicy',
            name='department',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='%(class)ss', to='org.department', verbose_name='sở, ban, ngành'),
        ),
        migrations.AlterField(
            model_name='unitpolicy',
            name='district',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='%(class)ss', to='wards.district', verbose_name='quận, thị xã'),
        ),
        migrations.AlterField(
            model_name='unitpolicy',
            name='ward',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='%(class)ss', to='wards.ward', verbose_name='phường'),
        ),
        migrations.AddConstraint(
            model_name='unitpolicy',
            constraint=models.UniqueConstraint(condition=models.Q(('department__isnull', False)), fields=('department',), name='one_policy_per_department'),
        ),
        migrations.AddConstraint(
            model_name='unitpolicy',
            constraint=models.UniqueConstraint(condition=models.Q(('district__isnull', False)), fields=('district',), name='one_policy_per_district'),
        ),
        migrations.AddConstraint(
            model_name='unitpolicy',
            constraint=models.UniqueConstraint(condition=models.Q(('ward__isnull', False)), fields=('ward',), name='one_policy_per_ward'),
        ),
    ]
