"""No Celery jobs: the ward list changes through its import (tasks/services.py) and `seed`."""
