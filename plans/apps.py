from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = "Văn bản"

    def ready(self):
        # Registers the `vn` lookup (diacritics-insensitive search) and SQLite's vn_fold function.
        import cqdt_portal.vn  # noqa: F401
