"""Loads the project's own reference-data files (JSON under <app>/data/)."""

import json
from datetime import date
from pathlib import Path

from django.conf import settings


def load(relative_path: str) -> dict:
    with open(Path(settings.BASE_DIR) / relative_path, encoding="utf-8") as f:
        return json.load(f)


def parse_date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None
