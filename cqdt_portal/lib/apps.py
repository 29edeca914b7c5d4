from django.apps import AppConfig


class LibConfig(AppConfig):
    """The shared helpers (cqdt_portal/lib) as an app only for their template tags and one start-up hook."""

    name = "cqdt_portal.lib"
    label = "lib"
    verbose_name = "Thư viện dùng chung"

    def ready(self):
        # Registers the `vn` lookup (diacritics-insensitive search) and SQLite's vn_fold function before the
        # first database connection is made.
        from . import vn  # noqa: F401
