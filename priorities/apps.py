from django.apps import AppConfig


class PrioritiesConfig(AppConfig):
    name = "priorities"
    verbose_name = "Priorities and actions"

    def ready(self):
        from . import signals

        signals.connect()
