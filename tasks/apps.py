from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "tasks"
    verbose_name = "Nhiệm vụ"

    def ready(self):
        from . import receivers

        receivers.connect()
