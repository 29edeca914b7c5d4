"""The rule the emulation ranking follows: the least number of due assignments a unit needs to be ranked."""

import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('tasks', '0008_assignments_over_time'),
    ]

    operations = [
        migrations.CreateModel(
            name='RankingRule',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('min_due', models.PositiveSmallIntegerField(default=5, help_text='Đơn vị có ít việc đã đến hạn hơn số này không được xếp hạng thi đua.', validators=[django.core.validators.MinValueValidator(1)], verbose_name='số việc đến hạn tối thiểu để xếp hạng')),
            ],
            options={
                'verbose_name': 'quy tắc xếp hạng thi đua',
                'verbose_name_plural': 'quy tắc xếp hạng thi đua',
                'constraints': [models.CheckConstraint(condition=models.Q(('pk', 1)), name='ranking_rule_single_row')],
            },
        ),
    ]
