"""Settings for the killed-worker test's Celery subprocesses (tests/reminders/test_reminders_worker.py).

A slow file mail backend, so the test can kill a worker while it waits for the "mail server", and a Redis
transport that hands an unacknowledged message back after 3 s and looks for such messages every second
(production: 2 hours, see cqdt_portal/settings.py), so the redelivery happens within the test's patience.
"""

from cqdt_portal.settings import *  # noqa: F403

EMAIL_BACKEND = "tests.reminders.mail_backends.SlowFileBackend"
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 3,
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
