"""No Celery jobs: reports are written on the request, nothing is queued (reminders/jobs.py sends mail)."""
