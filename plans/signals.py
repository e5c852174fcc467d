"""A change to any part of a plan version's text marks the version as changed, and a change to
what a partnership's results pages show (funds, risks, priority areas, branding) marks every
version of its plans, so public pages send a correct Last-Modified and the public page cache
(plans.public_cache) moves on at once."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from .models import (
    Allocation,
    AreaGroup,
    Fund,
    Partnership,
    PartnershipLogo,
    Plan,
    PlanVersion,
    Risk,
    Section,
    Theme,
    VersionEvent,
)


def mark_version_of_part_changed(sender, instance, raw=False, **kwargs) -> None:
    if not raw:  # loading data keeps the timestamps it brings
        version = instance.version_id if sender is VersionEvent else instance.plan_version_id
        PlanVersion.objects.filter(pk=version).mark_changed()


def mark_versions_of_partnership_changed(
    sender, instance, created=False, raw=False, **kwargs
) -> None:
    """Its name, colour, logo and contact details are on every page of its plans (a new
    partnership has none yet)."""
    if not raw and not created:
        PlanVersion.objects.filter(plan__partnership=instance).mark_changed()


def mark_versions_of_plan_changed(sender, instance, raw=False, **kwargs) -> None:
    """A plan's title, years or address are on every page of its versions."""
    if not raw:
        PlanVersion.objects.filter(plan=instance.pk).mark_changed()


def mark_partnership_part_changed(sender, instance, raw=False, **kwargs) -> None:
    if raw:
        return
    if isinstance(instance, Allocation):
        owners = Fund.objects.filter(pk=instance.fund_id).values("partnership")
    else:
        owners = [instance.partnership_id]
    PlanVersion.objects.filter(plan__partnership__in=owners).mark_changed()


def mark_partnership_link_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    """A priority area gains or loses a ward, or a partnership an agency."""
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if isinstance(instance, Partnership):
        owners = [instance.pk]
    elif sender is Partnership.organisations.through:  # from the agency's side
        owners = instance.partnerships.all() if pk_set is None else pk_set
    else:  # a priority area or a ward: each belongs to one partnership
        owners = [instance.partnership_id]
    PlanVersion.objects.filter(plan__partnership__in=owners).mark_changed()


def mark_other_versions_changed(sender, instance, **kwargs) -> None:
    """A deleted version leaves its partnership's pages (their lists of versions)."""
    PlanVersion.objects.filter(plan__partnership__plans=instance.plan_id).mark_changed()


def connect() -> None:
    post_save.connect(mark_versions_of_partnership_changed, sender=Partnership)
    post_save.connect(mark_versions_of_plan_changed, sender=Plan)
    for model in (Section, Theme, VersionEvent):  # a version's record shows on its page
        post_save.connect(mark_version_of_part_changed, sender=model)
        post_delete.connect(mark_version_of_part_changed, sender=model)
    for model in (Fund, Allocation, Risk, AreaGroup, PartnershipLogo):
        post_save.connect(mark_partnership_part_changed, sender=model)
        post_delete.connect(mark_partnership_part_changed, sender=model)
    for through in (AreaGroup.areas.through, Partnership.organisations.through):
        m2m_changed.connect(mark_partnership_link_changed, sender=through)
    post_delete.connect(mark_other_versions_changed, sender=PlanVersion)
