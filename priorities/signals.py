"""Whatever changes what a public page shows marks the versions showing it as changed, so
their Last-Modified moves on, the public page cache (plans.public_cache) moves on at once, and
no browser or proxy keeps a withdrawn figure: edits to priorities, rows and lines and their
links (see plans.signals for sections and themes) mark their version; edits to indicators,
figures, comparators, agencies, areas and quarters (published or withdrawn), which the
partnership's results pages show, mark every version of its plans.

Loading data (`loaddata`, raw saves) keeps the timestamps it brings.
"""

from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save

from indicators.models import (
    Comparator,
    Indicator,
    IndicatorTarget,
    ReportingPeriod,
    Return,
    SubmissionStatus,
)
from plans.models import Area, AreaGroup, Organisation, Partnership, PlanVersion
from plans.models.tenancy import refuse_links_across_partnerships

from .models import ActionRow, ActionUpdate, DataLine, Outcome, Priority

M2M_WRITES = {"post_add", "post_remove", "post_clear"}
ROWS = "priorities__action_rows"


def versions_showing(instance):
    """The plan versions whose pages show `instance`."""
    versions = PlanVersion.objects
    match instance:
        case Priority():
            return versions.filter(pk=instance.plan_version_id)
        case ActionRow():
            return versions.filter(priorities__id=instance.priority_id)
        case Outcome() | DataLine():
            return versions.filter(**{f"{ROWS}__id": instance.action_row_id})
        case ActionUpdate():
            # Every version with the same action shows it: updates follow a row's lineage.
            lineage = ActionRow.objects.filter(pk=instance.action_row_id).values("lineage")
            return versions.filter(**{f"{ROWS}__lineage__in": lineage})
        # A partnership's results pages (its indicators, reports, open data) show these
        # whether or not a plan links them: every version of its plans moves on.
        case Indicator():
            return versions.filter(plan__partnership=instance.partnership_id)
        case Return() | IndicatorTarget() | Comparator():
            return versions.filter(plan__partnership__indicators=instance.indicator_id)
        case Organisation():
            return versions.filter(
                Q(plan__partnership__organisations=instance.pk)
                | Q(**{f"{ROWS}__lead_organisations": instance.pk})
                | Q(**{f"{ROWS}__supporting_organisations": instance.pk})
                | Q(**{f"{ROWS}__data_lines__indicators__owner": instance.pk})
            )
        case Area():
            return versions.filter(plan__partnership=instance.partnership_id)
        case Partnership():
            return versions.filter(plan__partnership=instance.pk)
        case ReportingPeriod():
            return versions.filter(plan__partnership=instance.partnership_id)
    raise TypeError(f"No public page shows a {type(instance).__name__}.")


def mark_changed(sender, instance, raw=False, **kwargs) -> None:
    if raw or (isinstance(instance, Return | ActionUpdate) and not could_be_public(instance)):
        return
    versions_showing(instance).mark_changed()


def could_be_public(figure: Return | ActionUpdate) -> bool:
    """Whether saving this figure or update can change a public page: it is approved, or has
    just been sent back (perhaps reopened from approved). Drafts and submissions never show."""
    return figure.status in (SubmissionStatus.APPROVED, SubmissionStatus.RETURNED)


def mark_changed_on_link(sender, instance, action, reverse, model, pk_set, **kwargs) -> None:
    if action not in M2M_WRITES:
        return
    if not reverse or action == "post_clear":
        versions_showing(instance).mark_changed()
    else:  # e.g. indicator.data_lines.add(line): the versions of each line changed
        for other in model._default_manager.filter(pk__in=pk_set):
            versions_showing(other).mark_changed()


SHOWN = (
    Priority,
    ActionRow,
    Outcome,
    DataLine,
    Indicator,
    IndicatorTarget,
    Return,
    Comparator,
    ActionUpdate,
    Organisation,
    Area,
    Partnership,
    ReportingPeriod,
)


def connect() -> None:
    for model in SHOWN:
        post_save.connect(mark_changed, sender=model)
        post_delete.connect(mark_changed, sender=model)
    for through in (
        Priority.hotspots.through,
        Priority.allocations.through,
        ActionRow.lead_organisations.through,
        ActionRow.supporting_organisations.through,
        DataLine.indicators.through,
    ):
        m2m_changed.connect(mark_changed_on_link, sender=through)
    refuse_links_across_partnerships(
        AreaGroup.areas,
        Priority.hotspots,
        Priority.allocations,
        ActionRow.lead_organisations,
        ActionRow.supporting_organisations,
        DataLine.indicators,
    )
