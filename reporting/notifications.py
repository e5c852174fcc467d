"""E-mails the quarter's steps send at once: to an officer when an item is returned or
reopened, to the managers when an agency has sent in everything for a quarter. Each is sent
once (reporting.models.Notice); approvals and submissions wait for the daily digest
(reporting/daily_digest.py). The words are in templates/emails/.

Callers: reporting/views/entry.py calls `agency_submitted` after a successful Submit;
reporting/views/manage.py calls `decided` after approve / return / reopen decisions (single or
bulk). Both send after the transaction commits, so a decision rolled back tells nobody.
"""

from collections import defaultdict
from functools import partial

from django.db import transaction
from django.db.models import Q
from django.utils.translation import ngettext

from indicators.models import ReportingPeriod, Return, SubmissionStatus
from plans.models import Membership, Organisation
from priorities.models import ActionUpdate

from . import emails
from .due import due_list
from .models import Notice

RETURNING_STEPS = {"return": Notice.Kind.RETURNED, "reopen": Notice.Kind.REOPENED}


# ---- what an e-mail says about an item, and who hears about it --------------------------------


def load_submissions(wanted_returns, wanted_updates) -> list:
    """Returns and action updates matching the two filters (Q objects, or None for none of
    that kind), with what an e-mail names them by: two queries a kind, whatever the number."""
    found = []
    if wanted_returns is not None:
        found += (
            Return.objects.filter(wanted_returns)
            .select_related("indicator__owner", "reporting_period__partnership", "area")
            .order_by("reporting_period", "indicator__code", "area")
        )
    if wanted_updates is not None:
        found += (
            ActionUpdate.objects.filter(wanted_updates)
            .select_related("action_row__priority", "reporting_period__partnership", "organisation")
            .prefetch_related("action_row__lead_organisations")
            .order_by("reporting_period", "action_row__priority__order", "action_row__order")
        )
    return found


def agencies_of(submission) -> list[Organisation]:
    """The agencies that answer for an item: the indicator's owner, or the lead agency whose
    update it is (all the action's lead agencies, for an update older than per-agency ones)."""
    if isinstance(submission, Return):  # an indicator with no owning agency: nobody's
        return [submission.indicator.owner] if submission.indicator.owner_id else []
    if submission.organisation_id:
        return [submission.organisation]
    return list(submission.action_row.lead_organisations.all())


def event_key(kind: str, submission, user_id: int) -> str:
    """The Notice key of telling `user_id` about the item as it is now: its revision moves at
    every save and decision, so each submission or decision is news once."""
    model = submission._meta.model_name
    return f"{kind}:{model}:{submission.pk}:r{submission.revision}:to:{user_id}"


def officers_to_tell(submissions) -> list[tuple[object, list[Membership]]]:
    """Each item with the officer memberships that hear about it: the person who submitted it,
    if they have an e-mail address and are still an active officer of its agency in its
    partnership; otherwise every such officer of its agency. One query."""
    wanted = {
        (submission.reporting_period.partnership_id, agency.pk)
        for submission in submissions
        for agency in agencies_of(submission)
    }
    if not wanted:
        return []
    officers = (
        Membership.objects.officers()
        .filter(
            partnership_id__in={partnership for partnership, _ in wanted},
            organisation_id__in={agency for _, agency in wanted},
            user__is_active=True,
        )
        .exclude(user__email="")
        .select_related("user", "organisation")
        .order_by("organisation__name", "user__username")
    )
    officers_of = defaultdict(list)
    for membership in officers:
        officers_of[membership.partnership_id, membership.organisation_id].append(membership)
    told = []
    for submission in submissions:
        partnership_id = submission.reporting_period.partnership_id
        agency_officers = [
            membership
            for agency in agencies_of(submission)
            for membership in officers_of[partnership_id, agency.pk]
        ]
        submitter = [m for m in agency_officers if m.user_id == submission.submitted_by_id]
        told.append((submission, submitter[:1] or agency_officers))
    return told


# ---- returned or reopened: the officer is told at once ----------------------------------------


def decided(items, step: str, by, reason: str = "") -> None:
    """The manager decided on `items` (returns and/or action updates, already saved):
    `step` is "approve", "return" or "reopen". Sends, after the transaction commits, one
    e-mail per officer for returned or reopened items (with the reason); approvals go into the
    daily digest instead. Never raises for a mail failure."""
    kind = RETURNING_STEPS.get(step)
    if kind is None or not items:
        return
    returns = [item.pk for item in items if isinstance(item, Return)]
    updates = [item.pk for item in items if isinstance(item, ActionUpdate)]
    tell = partial(_tell_officers, kind, returns, updates, by, reason.strip())
    # Robust: a failure once the decision is saved is logged, never shown as an error page.
    transaction.on_commit(tell, robust=True)


def _tell_officers(kind: str, returns: list[int], updates: list[int], by, reason: str) -> int:
    """E-mail each officer the items returned to them, one e-mail each. Items no longer
    returned (decided on again, or a decision refused) are left out."""
    still_returned = Q(status=SubmissionStatus.RETURNED)
    submissions = load_submissions(
        still_returned & Q(pk__in=returns) if returns else None,
        still_returned & Q(pk__in=updates) if updates else None,
    )
    inbox = defaultdict(list)  # user -> [(submission, membership, key)]
    for submission, memberships in officers_to_tell(submissions):
        for membership in memberships:
            key = event_key(kind, submission, membership.user_id)
            inbox[membership.user].append((submission, membership, key))
    told = Notice.objects.told(key for lines in inbox.values() for *_, key in lines)
    outgoing = []
    for user, lines in inbox.items():
        fresh = [line for line in lines if line[2] not in told]
        if fresh:
            message = _returned_message(kind, user, fresh, by, reason)
            outgoing.append(emails.Outgoing(message, kind, [key for *_, key in fresh]))
    return emails.send_once(outgoing)


def _returned_message(kind: str, user, lines, by, reason: str):
    sections = defaultdict(list)  # (period, agency) -> item names
    for submission, membership, _ in lines:
        sections[submission.reporting_period, membership.organisation].append(
            emails.item_name(submission)
        )
    periods = list(dict.fromkeys(period.label for period, _ in sections))
    names = [name for section in sections.values() for name in section]
    return emails.message(
        "returned",
        {
            "name": emails.person_name(user),
            "manager": emails.person_name(by),
            "verb": "reopened" if kind == Notice.Kind.REOPENED else "returned",
            "count": len(names),
            "what": names[0] if len(names) == 1 else emails.count_items(len(names)),
            "periods": " and ".join(periods),
            "reason": reason,
            "sections": [
                {
                    "agency": agency,
                    "period": period,
                    "names": section,
                    "address": emails.absolute_url("entry", period.pk, agency.pk),
                }
                for (period, agency), section in sections.items()
            ],
        },
        to=[user.email],
    )


# ---- an agency has sent in everything: its partnership's managers are told ---------------------


def agency_submitted(period, organisation) -> None:
    """Called after `organisation` submitted items for `period`: if the agency now has nothing
    outstanding for the quarter, its managers get one e-mail saying so (once per agency and
    quarter, however often this is called).

    Once per *completion*: if an item is later returned or reopened and the agency sends
    everything in again, the managers are told again, since they are waiting for it. A
    completion is named by the time of the submission that completed it, so calls with no new
    submission in between never send twice. Sends after the transaction commits."""
    tell = partial(_tell_managers_if_complete, period, organisation)
    transaction.on_commit(tell, robust=True)


def _tell_managers_if_complete(period: ReportingPeriod, organisation: Organisation) -> int:
    owed = due_list(organisation, period)
    if not owed.items or owed.outstanding:
        return 0
    completed = max(
        (item.current.submitted_at for item in owed.items if item.current.submitted_at),
        default=None,
    )
    completion = completed.isoformat() if completed else "before-records"
    managers = {
        membership.user: membership
        for membership in Membership.objects.managers()
        .filter(partnership_id=period.partnership_id, user__is_active=True)
        .exclude(user__email="")
        .select_related("user")
        .order_by("user__username")
    }
    kind = Notice.Kind.AGENCY_COMPLETE
    keys = {
        user: f"{kind}:{period.pk}:{organisation.pk}:{completion}:to:{user.pk}" for user in managers
    }
    told = Notice.objects.told(keys.values())
    context = {
        "agency": organisation,
        "period": period,
        "partnership": period.partnership,
        "figures": ngettext("%(count)d figure", "%(count)d figures", len(owed.returns))
        % {"count": len(owed.returns)},
        "updates": ngettext(
            "%(count)d progress update", "%(count)d progress updates", len(owed.updates)
        )
        % {"count": len(owed.updates)},
        "owed": owed,
        "address": emails.absolute_url("manage-period", period.pk),
    }
    outgoing = [
        emails.Outgoing(
            emails.message(
                "agency_complete",
                {**context, "name": emails.person_name(user)},
                to=[user.email],
            ),
            kind,
            [key],
        )
        for user, key in keys.items()
        if key not in told
    ]
    return emails.send_once(outgoing)
