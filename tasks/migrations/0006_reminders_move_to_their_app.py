"""Holidays, reminder settings and reminders now live in the reminders app (same tables): removed from this app's
model state only."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('tasks', '0005_department_moves_to_org'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(
                    name='Holiday',
                ),
                migrations.RemoveField(
                    model_name='reminder',
                    name='assignment',
                ),
                migrations.RemoveField(
                    model_name='reminder',
                    name='recipient',
                ),
                migrations.DeleteModel(
                    name='ReminderSettings',
                ),
                migrations.DeleteModel(
                    name='Reminder',
                ),
            ],
        ),
    ]
