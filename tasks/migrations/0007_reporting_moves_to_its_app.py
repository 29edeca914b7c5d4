"""Reports, reviews, evidence, extensions and unit policies now live in the reporting app (same tables): removed
from this app's model state only."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('tasks', '0006_reminders_move_to_their_app'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='extensiondecision',
                    name='decided_by',
                ),
                migrations.RemoveField(
                    model_name='extensiondecision',
                    name='request',
                ),
                migrations.RemoveField(
                    model_name='extensionrequest',
                    name='assignment',
                ),
                migrations.RemoveField(
                    model_name='extensionrequest',
                    name='requested_by',
                ),
                migrations.RemoveField(
                    model_name='progressupdate',
                    name='assignment',
                ),
                migrations.RemoveField(
                    model_name='progressupdate',
                    name='author',
                ),
                migrations.RemoveField(
                    model_name='reportreview',
                    name='update',
                ),
                migrations.RemoveField(
                    model_name='reportreview',
                    name='reviewer',
                ),
                migrations.RemoveField(
                    model_name='unitpolicy',
                    name='department',
                ),
                migrations.RemoveField(
                    model_name='unitpolicy',
                    name='district',
                ),
                migrations.RemoveField(
                    model_name='unitpolicy',
                    name='ward',
                ),
                migrations.DeleteModel(
                    name='Evidence',
                ),
                migrations.DeleteModel(
                    name='ExtensionDecision',
                ),
                migrations.DeleteModel(
                    name='ExtensionRequest',
                ),
                migrations.DeleteModel(
                    name='ProgressUpdate',
                ),
                migrations.DeleteModel(
                    name='ReportReview',
                ),
                migrations.DeleteModel(
                    name='UnitPolicy',
                ),
            ],
        ),
    ]
