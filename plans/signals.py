"""A change to any part of a plan version's text marks the version as changed, so public pages
send a correct Last-Modified."""

from django.db.models.signals import post_delete, post_save

from .models import Partnership, PlanVersion, Section, Theme


def mark_version_of_part_changed(sender, instance, raw=False, **kwargs) -> None:
    if not raw:  # loading data keeps the timestamps it brings
        PlanVersion.objects.filter(pk=instance.plan_version_id).mark_changed()


def mark_versions_of_partnership_changed(
    sender, instance, created=False, raw=False, **kwargs
) -> None:
    """Its name, colour, logo and contact details are on every page of its plans (a new
    partnership has none yet)."""
    if not raw and not created:
        PlanVersion.objects.filter(plan__partnership=instance).mark_changed()


def connect() -> None:
    post_save.connect(mark_versions_of_partnership_changed, sender=Partnership)
    for model in (Section, Theme):
        post_save.connect(mark_version_of_part_changed, sender=model)
        post_delete.connect(mark_version_of_part_changed, sender=model)
