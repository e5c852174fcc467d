"""Edits to priorities, action rows and their lines mark their plan version as changed
(see plans.signals), including edits to their many-to-many links."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from plans.models import PlanVersion
from plans.models.tenancy import refuse_links_across_partnerships

from .models import ActionRow, DataLine, Outcome, Priority

M2M_WRITES = {"post_add", "post_remove", "post_clear"}


def versions_of(instance):
    if isinstance(instance, Priority):
        return PlanVersion.objects.filter(pk=instance.plan_version_id)
    if isinstance(instance, ActionRow):
        return PlanVersion.objects.filter(priorities__id=instance.priority_id)
    return PlanVersion.objects.filter(priorities__action_rows__id=instance.action_row_id)


def mark_changed(sender, instance, **kwargs) -> None:
    versions_of(instance).mark_changed()


def mark_changed_on_link(sender, instance, action, reverse, **kwargs) -> None:
    if action in M2M_WRITES and not reverse:
        versions_of(instance).mark_changed()


def connect() -> None:
    for model in (Priority, ActionRow, Outcome, DataLine):
        post_save.connect(mark_changed, sender=model)
        post_delete.connect(mark_changed, sender=model)
    for through in (
        Priority.hotspots.through,
        ActionRow.lead_organisations.through,
        ActionRow.supporting_organisations.through,
        DataLine.indicators.through,
    ):
        m2m_changed.connect(mark_changed_on_link, sender=through)
    refuse_links_across_partnerships(
        Priority.hotspots,
        Priority.allocations,
        ActionRow.lead_organisations,
        ActionRow.supporting_organisations,
        DataLine.indicators,
    )
