"""No Celery jobs: users are managed in the admin."""
