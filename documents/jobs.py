"""No Celery jobs: a document is written when it is downloaded."""
