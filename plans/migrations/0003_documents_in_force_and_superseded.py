"""A document may say when it came into force and which later act superseded it (the pilot's resolution by the
Capital Law); a source may not give the day it was issued."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import F


def give_undated_documents_a_day(apps, schema_editor):
    """Going back to a schema where every document has an issue day: the day it came into force stands in."""
    documents = apps.get_model("plans", "LegalDocument").objects.filter(issued_on__isnull=True)
    documents.update(issued_on=F("in_force_on"))


class Migration(migrations.Migration):

    dependencies = [
        ('plans', '0002_unaccent_extension'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='legaldocument',
            options={'ordering': [models.OrderBy(models.F('issued_on'), nulls_last=True), 'number'], 'verbose_name': 'văn bản', 'verbose_name_plural': 'văn bản'},
        ),
        migrations.AddField(
            model_name='legaldocument',
            name='in_force_on',
            field=models.DateField(blank=True, null=True, verbose_name='ngày có hiệu lực'),
        ),
        migrations.AddField(
            model_name='legaldocument',
            name='superseded_by',
            field=models.ForeignKey(blank=True, help_text='Văn bản chấm dứt hoặc thay thế văn bản này, ví dụ luật thay cho nghị quyết thí điểm.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='supersedes', to='plans.legaldocument', verbose_name='được thay thế bởi'),
        ),
        migrations.AlterField(
            model_name='legaldocument',
            name='issued_on',
            field=models.DateField(blank=True, help_text='Để trống khi nguồn không nêu.', null=True, verbose_name='ngày ban hành'),
        ),
        migrations.RunPython(migrations.RunPython.noop, give_undated_documents_a_day),
        migrations.AddConstraint(
            model_name='legaldocument',
            constraint=models.CheckConstraint(condition=models.Q(('superseded_by', models.F('pk')), _negated=True), name='document_does_not_supersede_itself'),
        ),
    ]
