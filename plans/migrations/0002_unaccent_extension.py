# PostgreSQL's unaccent extension backs the portal's diacritics-insensitive search (cqdt_portal/vn.py).
# SQLite gets an equivalent Python function per connection instead, so this is a no-op there.
from django.db import migrations


def create_unaccent(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")


class Migration(migrations.Migration):
    dependencies = [("plans", "0001_initial")]

    operations = [migrations.RunPython(create_unaccent, migrations.RunPython.noop)]
