from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = "Partnerships and plans"

    def ready(self):
        from . import signals

        signals.connect()
