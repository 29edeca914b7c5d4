"""Reference data kept in each process's memory, fresh the moment it changes.

The filter forms list every document, department, district and ward of the day, and the menu asks for the
user's permissions: read from the database on every request, that was five to seven queries and about a third of
a list page's Python (bench/, docs/benchmarks.md). Those tables change a few times a year (an import, an admin's
edit), so each process keeps what it built from them under a *token*: one row per topic in CacheVersion that a
database trigger rewrites, with a random value, on every insert, update, delete or truncate of the topic's tables.
A page reads the token (one indexed row) and rebuilds only when it differs from the one it built under.

Why a random token and triggers rather than a counter bumped by the code: a rolled-back transaction (a failed
import, every test) rolls its token back with its rows, and a counter would then be reused for different data;
and a trigger sees every write path (admin, bulk imports, `QuerySet.update`, raw SQL), so none can forget it.
What is kept under a token is never older than the tables were when the token was committed: a token is read
before the data it keys, and both change in one transaction.
"""

import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from django.db import connection

# The tables each topic watches. "reference": what the filter forms, the unit names and the documents of a list
# are built from. "access": what a user's permissions are computed from (the user row itself is read on every
# request anyway; is_superuser and is_active are part of the key or checked first).
TOPICS: dict[str, tuple[str, ...]] = {
    "reference": (
        "plans_legaldocument",
        "tasks_department",
        "wards_district",
        "wards_ward",
        "wards_wardchange",
    ),
    "access": (
        "auth_permission",
        "auth_group",
        "auth_group_permissions",
        "accounts_user_groups",
        "accounts_user_user_permissions",
        "django_content_type",
    ),
}

TABLE = "lib_cacheversion"

# Entries kept per process: a few days of filter choices per language and the permissions of the people served.
MAX_ENTRIES = 512

_lock = threading.Lock()
_memo: OrderedDict = OrderedDict()


def token(topic: str) -> str | None:
    """The topic's current token; None before the first write after the tables were emptied (then nothing is
    kept: every caller builds afresh)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT token FROM {TABLE} WHERE topic = %s", [topic])  # noqa: S608 — a constant
        row = cursor.fetchone()
    return row[0] if row else None


_MISSING = object()


def _kept(topic: str, key: tuple, current: str | None) -> tuple[tuple | None, Any]:
    """(the full key, what is kept under it or _MISSING); no key when the topic has no token (nothing is kept)."""
    if current == "":
        current = token(topic)
    if current is None:
        return None, _MISSING
    full_key = (connection.settings_dict["NAME"], topic, current, *key)
    with _lock:
        if full_key in _memo:
            _memo.move_to_end(full_key)
            return full_key, _memo[full_key]
    return full_key, _MISSING


def remembered(topic: str, key: tuple, build: Callable[[], Any], *, current: str | None = "") -> Any:
    """build(), or what it returned under the same key while the topic's token was the same. What build returns
    is shared by every request of the process: it must not be changed by its readers. `current`: the token, when
    the caller read it already for other keys of the same page."""
    full_key, value = _kept(topic, key, current)
    if value is not _MISSING:
        return value
    value = build()
    if full_key is not None:
        with _lock:
            _memo[full_key] = value
            while len(_memo) > MAX_ENTRIES:
                _memo.popitem(last=False)
    return value


def peek(topic: str, key: tuple, *, current: str | None = "") -> Any | None:
    """What remembered() would return without building: None when this process has not built it under the topic's
    current token (the caller then reads the database its own way)."""
    value = _kept(topic, key, current)[1]
    return None if value is _MISSING else value


def forget() -> None:
    """Drop everything kept (tests that compare a build with a recount)."""
    with _lock:
        _memo.clear()


# --- the triggers -------------------------------------------------------------------------------------------

_PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION lib_cache_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO {TABLE} (topic, token) VALUES (TG_ARGV[0], md5(random()::text || clock_timestamp()::text))
  ON CONFLICT (topic) DO UPDATE SET token = EXCLUDED.token;
  RETURN NULL;
END $$;
"""


def install_triggers(using_connection=None) -> list[str]:
    """Creates (or re-creates) each topic's triggers on the tables that exist; returns the tables. Run after every
    `migrate` (apps.py): SQLite rebuilds a table for many schema changes, and its triggers go with the old one."""
    conn = using_connection or connection
    existing = set(conn.introspection.table_names())
    if TABLE not in existing:
        return []
    done = []
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            cursor.execute(_PG_FUNCTION)
        for topic, tables in TOPICS.items():
            for table in tables:
                if table not in existing:
                    continue
                if conn.vendor == "postgresql":
                    cursor.execute(
                        f"CREATE OR REPLACE TRIGGER lib_cache_version_{topic} AFTER INSERT OR UPDATE OR DELETE "
                        f"OR TRUNCATE ON {table} FOR EACH STATEMENT EXECUTE FUNCTION "
                        f"lib_cache_version_bump('{topic}')"
                    )
                elif conn.vendor == "sqlite":
                    for event in ("INSERT", "UPDATE", "DELETE"):
                        cursor.execute(
                            f"CREATE TRIGGER IF NOT EXISTS lib_cv_{table}_{event.lower()} AFTER {event} ON {table} "
                            f"BEGIN INSERT INTO {TABLE} (topic, token) VALUES ('{topic}', lower(hex(randomblob(16)))) "
                            f"ON CONFLICT (topic) DO UPDATE SET token = excluded.token; END"
                        )
                else:  # another database: no triggers, so nothing may be kept (see remembered)
                    continue
                done.append(table)
            if conn.vendor in ("postgresql", "sqlite"):
                # A new random token, never a constant: the tables may hold other rows than when it was last set
                # (a flush, a restored dump).
                cursor.execute(
                    f"INSERT INTO {TABLE} (topic, token) VALUES (%s, %s) ON CONFLICT (topic) DO NOTHING",
                    [topic, uuid.uuid4().hex],
                )
    return done
