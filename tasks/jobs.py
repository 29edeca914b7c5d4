"""No Celery jobs: the plan changes through pages, imports and `seed`; reminders/jobs.py runs the daily job."""
