from django.apps import AppConfig


class PrioritiesConfig(AppConfig):
    name = "priorities"
    verbose_name = "Priorities and actions"

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import signals

        signals.connect()
        post_migrate.connect(give_managers_new_models, sender=self)


def give_managers_new_models(sender, using="default", **kwargs) -> None:
    """After migrating, an existing "Partnership managers" group gains the rights to models a
    release added (a version's record, area groups, comments), as the demo's group has them."""
    from django.contrib.auth.models import Group

    from .demo import MANAGER_GROUP, managers_group

    if Group.objects.using(using).filter(name=MANAGER_GROUP).exists():
        managers_group()
