"""Vietnamese text: search that ignores diacritics and case ("ba dinh" = "BA ĐÌNH" = "Ba Đình").

`field__vn__contains=fold(query)` compares folded text in SQL: on PostgreSQL `lower(unaccent(field))` with the
`unaccent` extension (plans/migrations/0002 installs it), on SQLite a Python function registered on every new
connection. Both fold Đ/đ to d, which Unicode decomposition alone does not.
"""

import unicodedata

from django.db.backends.signals import connection_created
from django.db.models import CharField, TextField, Transform
from django.dispatch import receiver


def fold(text: str | None) -> str:
    """Lower case, without diacritics: "Phường Đống Đa" → "phuong dong da"."""
    if text is None:
        return ""
    decomposed = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


class VnFold(Transform):
    lookup_name = "vn"

    def as_sql(self, compiler, connection):
        lhs, params = compiler.compile(self.lhs)
        return f"LOWER(unaccent({lhs}))", params

    def as_sqlite(self, compiler, connection):
        lhs, params = compiler.compile(self.lhs)
        return f"vn_fold({lhs})", params


CharField.register_lookup(VnFold)
TextField.register_lookup(VnFold)


@receiver(connection_created)
def _register_sqlite_fold(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function("vn_fold", 1, fold, deterministic=True)
