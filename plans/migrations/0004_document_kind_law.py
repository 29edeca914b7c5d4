"""A legal document may be a law (the Capital Law made the pilot's model law)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('plans', '0003_documents_in_force_and_superseded'),
    ]

    operations = [
        migrations.AlterField(
            model_name='legaldocument',
            name='kind',
            field=models.CharField(choices=[('luat', 'Luật'), ('nghi_quyet', 'Nghị quyết'), ('nghi_dinh', 'Nghị định'), ('ke_hoach', 'Kế hoạch'), ('quyet_dinh', 'Quyết định'), ('thong_tu', 'Thông tư'), ('chi_thi', 'Chỉ thị'), ('cong_van', 'Công văn')], max_length=20, verbose_name='loại văn bản'),
        ),
    ]
