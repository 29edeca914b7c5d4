"""The diacritics-insensitive search on both databases: PostgreSQL's unaccent and SQLite's Python fold.

The suite runs on one database at a time (CI: PostgreSQL), so the other one is checked here in a subprocess
on a fresh SQLite file, with the same filter and the same hand count as tests/tasks/test_filters.py.
"""

import os
import subprocess
import sys

import pytest
from django.db import connection

from cqdt_portal.lib.vn import fold

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

CHECK = """
from django.http import QueryDict
from tasks.filters import AssignmentFilter
from tasks.models import Assignment
for q in ("ba dinh", "BA ĐÌNH", "Ba Đình"):
    n = AssignmentFilter(QueryDict("q=" + q), queryset=Assignment.objects.all()).qs.count()
    print(q, n)
"""


@pytest.mark.parametrize(
    "text, folded",
    [("Phường Đống Đa", "phuong dong da"), ("BA ĐÌNH", "ba dinh"), ("Nghĩa Đô", "nghia do"), ("", "")],
)
def test_fold_removes_diacritics_and_case_including_d_with_stroke(text, folded):
    assert fold(text) == folded


def test_search_on_the_other_database_finds_the_same_rows(tmp_path):
    if connection.vendor == "sqlite":
        pytest.skip("the suite itself runs on SQLite: tests/tasks/test_filters.py covers it")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'search.sqlite3'}", "DEBUG": "true"}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    for command in (
        ["migrate", "-v0"],
        ["seed", "--until", "2024-12-31", "-v0"],
        ["shell", "--no-imports", "-c", CHECK],
    ):
        result = subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:3] == ["ba dinh 30", "BA ĐÌNH 30", "Ba Đình 30"]
