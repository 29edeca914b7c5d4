"""Vietnamese text: search that ignores diacritics and case ("ba dinh" = "BA ĐÌNH" = "Ba Đình"), and days as
Vietnamese write them.

`field__vn__contains=fold(query)` compares folded text in SQL: on PostgreSQL `lower(unaccent(field))` with the
`unaccent` extension (plans/migrations/0002 installs it), on SQLite a Python function registered on every new
connection. Both fold Đ/đ to d, which Unicode decomposition alone does not.
"""

import unicodedata
from datetime import date, datetime

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


def parse_day(text: str | None) -> date | None:
    """A day typed the Vietnamese way (dd/mm/yyyy) or as in a link (yyyy-mm-dd); None for anything else."""
    text = (text or "").strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            day = datetime.strptime(text, fmt).date()  # noqa: DTZ007 — a calendar day, no time of day
        except ValueError:
            continue
        return day if day.year >= 1900 else None
    return None
