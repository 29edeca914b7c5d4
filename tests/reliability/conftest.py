"""Fixtures for the reliability tests: real parallel connections on PostgreSQL, and a portal without Redis."""

import os
import threading

import pytest
from django.core.management import call_command
from django.db import connection, connections


def require_postgres(reason: str) -> None:
    """Skip on SQLite (a developer's quick run), but fail under CI=true: CI must run these on PostgreSQL."""
    if connection.vendor == "postgresql":
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI must run this test on PostgreSQL (DATABASE_URL): {reason}")
    pytest.skip(f"needs PostgreSQL: {reason}")


@pytest.fixture
def parallel_db(transactional_db):
    """Committed seed data that threads with their own connections can see.

    transactional_db empties the database after the test (pytest-django runs such tests after the others), so
    the reference data is seeded here again.
    """
    require_postgres("real parallel connections and row locks (SQLite serialises every writer)")
    call_command("seed", "--until", "2024-12-31", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115


def run_together(targets: list, timeout: float = 120) -> list:
    """Run each callable in its own thread, all released at once by a barrier; return their results in order.

    Each thread closes its own database connection at the end; an exception in a thread is returned as its result.
    """
    start = threading.Barrier(len(targets))
    results: list = [None] * len(targets)

    def run(index, target):
        try:
            start.wait(timeout=timeout)
            results[index] = target()
        except BaseException as error:  # handed back to the test, which asserts on it
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, t)) for i, t in enumerate(targets)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert not any(thread.is_alive() for thread in threads), "a thread is still running (a deadlock?)"
    return results
