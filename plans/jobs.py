"""No Celery jobs: documents change only through the admin and `seed`."""
