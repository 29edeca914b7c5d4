"""No Celery jobs: every page is computed on request."""
