from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _install_version_triggers(sender, using="default", **kwargs):
    from django.db import connections

    from .versions import install_triggers

    install_triggers(connections[using])


class LibConfig(AppConfig):
    """The shared helpers (cqdt_portal/lib) as an app: their template tags, the tokens of the data kept in memory
    (versions.py) and one start-up hook."""

    name = "cqdt_portal.lib"
    label = "lib"
    verbose_name = "Thư viện dùng chung"

    def ready(self):
        # Registers the `vn` lookup (diacritics-insensitive search) and SQLite's vn_fold function before the
        # first database connection is made.
        from . import vn  # noqa: F401

        # After every migrate (and every flush): the triggers that keep CacheVersion's tokens (versions.py).
        post_migrate.connect(_install_version_triggers, sender=self, dispatch_uid="lib-version-triggers")
