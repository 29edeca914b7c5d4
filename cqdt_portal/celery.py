"""The Celery app. Redis (REDIS_URL) is the broker; each app's jobs live in its jobs.py."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cqdt_portal.settings")

app = Celery("cqdt_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(related_name="jobs")
