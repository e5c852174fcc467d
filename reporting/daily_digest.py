"""The daily digest of the quarter's routine news, instead of an e-mail per item: each manager
hears what was sent in for their approval, each officer which of their items were approved.

Each item is in a digest once per event (a submission, an approval), for each reader: the
events sent are recorded as Notices, so repeated runs send nothing new. The words are in
templates/emails/digest_*.txt.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.text import get_text_list

from indicators.models import Return, SubmissionStatus
from plans.models import Membership

from . import emails
from .models import Notice
from .notifications import agencies_of, event_key, load_submissions, officers_to_tell

# Approvals older than this are no longer news: a digest missed for up to a week catches up.
DIGEST_LOOKBACK = timedelta(days=7)


@dataclass(frozen=True)
class Section:
    """One agency's items for one quarter in a digest, with the page to act on them."""

    period: object
    agency: str
    address: str


@dataclass
class Line:
    kind: str  # Notice.Kind.SUBMITTED for managers, APPROVED for officers
    user: object
    submission: object
    section: Section

    @property
    def key(self) -> str:
        return event_key(self.kind, self.submission, self.user.pk)

    @property
    def name(self) -> str:
        return emails.item_name(self.submission)

    @property
    def detail(self) -> str:
        """The figure, or the action's status: what the manager decides on."""
        if isinstance(self.submission, Return):
            return self.submission.formatted_value
        return self.submission.get_action_status_display()


def send_daily_digests(*, now=None, connection=None) -> int:
    """E-mail each manager the items sent in for approval, and each officer their items
    approved (in the last 7 days), that no digest has told them of; returns how many e-mails
    went. Side effects: records a Notice per item and reader (see emails.send_once).

    Queries: eight at most, whatever the number of items."""
    now = now or timezone.now()
    news = Q(status=SubmissionStatus.SUBMITTED) | Q(
        status=SubmissionStatus.APPROVED, approved_at__gte=now - DIGEST_LOOKBACK
    )
    # Officers send in the whole area's figures; a ward's figures come in with the manager's
    # imports and are nobody's news.
    submissions = load_submissions(news & Q(area__isnull=True), news)
    lines = [
        *_manager_lines([s for s in submissions if s.status == SubmissionStatus.SUBMITTED]),
        *_officer_lines([s for s in submissions if s.status == SubmissionStatus.APPROVED]),
    ]
    told = Notice.objects.told(line.key for line in lines)
    inbox = defaultdict(dict)  # (kind, user) -> {key: line}
    for line in lines:
        if line.key not in told:
            inbox[line.kind, line.user][line.key] = line
    outgoing = [
        emails.Outgoing(_message(kind, user, list(fresh.values())), kind, list(fresh))
        for (kind, user), fresh in inbox.items()
    ]
    return emails.send_once(outgoing, connection=connection)


def _manager_lines(waiting) -> list[Line]:
    """Each item awaiting approval, for each manager of its partnership."""
    if not waiting:
        return []
    managers_of = defaultdict(dict)
    for membership in (
        Membership.objects.managers()
        .filter(
            partnership_id__in={s.reporting_period.partnership_id for s in waiting},
            user__is_active=True,
        )
        .exclude(user__email="")
        .select_related("user")
        .order_by("user__username")
    ):
        managers_of[membership.partnership_id][membership.user_id] = membership.user
    lines = []
    for submission in waiting:
        period = submission.reporting_period
        agencies = (
            get_text_list([agency.name for agency in agencies_of(submission)], "and")
            or "No owning agency"
        )
        section = Section(period, str(agencies), emails.absolute_url("manage-period", period.pk))
        for user in managers_of[period.partnership_id].values():
            lines.append(Line(Notice.Kind.SUBMITTED, user, submission, section))
    return lines


def _officer_lines(approved) -> list[Line]:
    """Each approved item, for the officers who hear about it (see officers_to_tell)."""
    lines = []
    for submission, memberships in officers_to_tell(approved):
        period = submission.reporting_period
        for membership in memberships:
            agency = membership.organisation
            address = emails.absolute_url("entry", period.pk, agency.pk)
            section = Section(period, agency.name, address)
            lines.append(Line(Notice.Kind.APPROVED, membership.user, submission, section))
    return lines


def _message(kind: str, user, lines: list[Line]):
    sections = defaultdict(list)
    for line in lines:
        sections[line.section].append(line)
    return emails.message(
        "digest_submitted" if kind == Notice.Kind.SUBMITTED else "digest_approved",
        {
            "name": emails.person_name(user),
            "items": emails.count_items(len(lines)),
            "sections": list(sections.items()),
        },
        to=[user.email],
    )
