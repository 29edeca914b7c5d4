"""No Celery jobs: departments change only through the admin and `seed`."""
