"""Progress reports, reviews, evidence, extensions and unit policies move here from the tasks app: the models only;
their tables keep their names (tasks_*), so existing databases change nothing but the labels of their content
types (and so of the permissions the roles hold)."""

import django.db.models.deletion
import django.utils.timezone
import reporting.models
from django.conf import settings
from django.db import migrations, models


MOVED = ['progressupdate', 'reportreview', 'evidence', 'extensionrequest', 'extensiondecision', 'unitpolicy']


def relabel_content_types(apps, schema_editor):
    """An existing database knows these models under the tasks app: relabel them, so permissions follow."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if not ContentType.objects.filter(app_label="reporting", model=model).exists():
            ContentType.objects.filter(app_label="tasks", model=model).update(app_label="reporting")


def unrelabel_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="reporting", model__in=MOVED).update(app_label="tasks")

class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('org', '0001_initial'),
        ('tasks', '0007_reporting_moves_to_its_app'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('wards', '0002_ward_import_and_history'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ExtensionRequest',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('requested_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='thời điểm đề nghị')),
                        ('current_due_on', models.DateField(verbose_name='thời hạn khi đề nghị')),
                        ('requested_due_on', models.DateField(verbose_name='thời hạn đề nghị')),
                        ('reason', models.TextField(verbose_name='lý do')),
                        ('assignment', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='extension_requests', to='tasks.assignment', verbose_name='giao nhiệm vụ')),
                        ('requested_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='extension_requests', to=settings.AUTH_USER_MODEL, verbose_name='người đề nghị')),
                    ],
                    options={
                        'verbose_name': 'đề nghị gia hạn',
                        'verbose_name_plural': 'đề nghị gia hạn',
                        'db_table': 'tasks_extensionrequest',
                        'ordering': ['requested_at', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='ExtensionDecision',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('approved', models.BooleanField(verbose_name='đồng ý')),
                        ('effective', models.BooleanField(default=False, verbose_name='có hiệu lực với thời hạn')),
                        ('reason', models.TextField(blank=True, verbose_name='ý kiến')),
                        ('decided_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='thời điểm')),
                        ('decided_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='extension_decisions', to=settings.AUTH_USER_MODEL, verbose_name='người quyết định')),
                        ('request', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='decision', to='reporting.extensionrequest', verbose_name='đề nghị')),
                    ],
                    options={
                        'verbose_name': 'quyết định gia hạn',
                        'verbose_name_plural': 'quyết định gia hạn',
                        'db_table': 'tasks_extensiondecision',
                    },
                ),
                migrations.CreateModel(
                    name='ProgressUpdate',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('reported_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='thời điểm báo cáo')),
                        ('percent', models.PositiveSmallIntegerField(verbose_name='tiến độ (%)')),
                        ('note', models.TextField(blank=True, verbose_name='nội dung báo cáo')),
                        ('completed_on', models.DateField(blank=True, null=True, verbose_name='ngày hoàn thành')),
                        ('outgoing_number', models.CharField(blank=True, max_length=64, verbose_name='số văn bản báo cáo')),
                        ('outgoing_date', models.DateField(blank=True, null=True, verbose_name='ngày văn bản báo cáo')),
                        ('needs_head_approval', models.BooleanField(default=False, verbose_name='cần lãnh đạo đơn vị duyệt')),
                        ('assignment', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='updates', to='tasks.assignment', verbose_name='giao nhiệm vụ')),
                        ('author', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='progress_updates', to=settings.AUTH_USER_MODEL, verbose_name='người báo cáo')),
                    ],
                    options={
                        'verbose_name': 'báo cáo tiến độ',
                        'verbose_name_plural': 'báo cáo tiến độ',
                        'db_table': 'tasks_progressupdate',
                        'ordering': ['-reported_at', '-pk'],
                        'permissions': [('report_progress', 'Báo cáo tiến độ nhiệm vụ của đơn vị mình'), ('approve_unit_report', 'Duyệt báo cáo của đơn vị mình trước khi gửi thành phố'), ('review_report', 'Xác nhận hoặc trả lại báo cáo của các đơn vị'), ('decide_extension', 'Duyệt hoặc từ chối gia hạn')],
                    },
                ),
                migrations.CreateModel(
                    name='Evidence',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('file', models.FileField(max_length=200, upload_to=reporting.models.evidence_upload_to, verbose_name='tệp')),
                        ('original_name', models.CharField(max_length=200, verbose_name='tên tệp gốc')),
                        ('content_type', models.CharField(max_length=100, verbose_name='loại tệp')),
                        ('extension', models.CharField(max_length=10, verbose_name='đuôi tệp')),
                        ('size', models.PositiveIntegerField(verbose_name='dung lượng (byte)')),
                        ('uploaded_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='thời điểm tải lên')),
                        ('update', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='evidence', to='reporting.progressupdate', verbose_name='báo cáo')),
                    ],
                    options={
                        'verbose_name': 'tài liệu minh chứng',
                        'verbose_name_plural': 'tài liệu minh chứng',
                        'db_table': 'tasks_evidence',
                        'ordering': ['pk'],
                    },
                ),
                migrations.CreateModel(
                    name='ReportReview',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('stage', models.CharField(choices=[('unit_head', 'Lãnh đạo đơn vị'), ('city', 'Văn phòng UBND thành phố')], max_length=12, verbose_name='cấp xem xét')),
                        ('outcome', models.CharField(choices=[('approved', 'Đồng ý'), ('returned', 'Trả lại')], max_length=12, verbose_name='kết quả')),
                        ('reason', models.TextField(blank=True, verbose_name='lý do')),
                        ('decided_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='thời điểm')),
                        ('reviewer', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='report_reviews', to=settings.AUTH_USER_MODEL, verbose_name='người xem xét')),
                        ('update', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='reviews', to='reporting.progressupdate', verbose_name='báo cáo')),
                    ],
                    options={
                        'verbose_name': 'xem xét báo cáo',
                        'verbose_name_plural': 'xem xét báo cáo',
                        'db_table': 'tasks_reportreview',
                        'ordering': ['decided_at', 'pk'],
                    },
                ),
                migrations.CreateModel(
                    name='UnitPolicy',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('head_approval_required', models.BooleanField(default=False, verbose_name='lãnh đạo đơn vị duyệt báo cáo trước')),
                        ('department', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='policy', to='org.department', verbose_name='sở, ban, ngành')),
                        ('district', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='report_policy', to='wards.district', verbose_name='quận, thị xã')),
                        ('ward', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='report_policy', to='wards.ward', verbose_name='phường')),
                    ],
                    options={
                        'verbose_name': 'quy định báo cáo của đơn vị',
                        'verbose_name_plural': 'quy định báo cáo của đơn vị',
                        'db_table': 'tasks_unitpolicy',
                    },
                ),
                migrations.AddConstraint(
                    model_name='extensionrequest',
                    constraint=models.CheckConstraint(condition=models.Q(('requested_due_on__gt', models.F('current_due_on'))), name='extension_moves_deadline_later'),
                ),
                migrations.AddConstraint(
                    model_name='extensiondecision',
                    constraint=models.CheckConstraint(condition=models.Q(('approved', True), ('effective', False), _connector='OR'), name='extension_effective_only_if_approved'),
                ),
                migrations.AddConstraint(
                    model_name='extensiondecision',
                    constraint=models.CheckConstraint(condition=models.Q(('approved', True), models.Q(('reason', ''), _negated=True), _connector='OR'), name='extension_refusal_has_reason'),
                ),
                migrations.AddIndex(
                    model_name='progressupdate',
                    index=models.Index(fields=['assignment', '-reported_at'], name='update_assignment_time_idx'),
                ),
                migrations.AddConstraint(
                    model_name='progressupdate',
                    constraint=models.CheckConstraint(condition=models.Q(('percent__lte', 100)), name='update_percent_0_100'),
                ),
                migrations.AddConstraint(
                    model_name='progressupdate',
                    constraint=models.CheckConstraint(condition=models.Q(('completed_on__isnull', True), ('percent', 100), _connector='OR'), name='update_completion_means_100'),
                ),
                migrations.AddConstraint(
                    model_name='reportreview',
                    constraint=models.UniqueConstraint(fields=('update', 'stage'), name='one_review_per_stage'),
                ),
                migrations.AddConstraint(
                    model_name='reportreview',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('outcome', 'returned'), _negated=True), models.Q(('reason', ''), _negated=True), _connector='OR'), name='review_return_has_reason'),
                ),
                migrations.AddConstraint(
                    model_name='unitpolicy',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('department__isnull', False), ('district__isnull', True), ('ward__isnull', True)), models.Q(('department__isnull', True), ('district__isnull', False), ('ward__isnull', True)), models.Q(('department__isnull', True), ('district__isnull', True), ('ward__isnull', False)), _connector='OR'), name='policy_has_exactly_one_unit'),
                ),
            ],
        ),
        migrations.RunPython(relabel_content_types, unrelabel_content_types),
    ]
