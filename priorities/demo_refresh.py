"""The demo plan's refresh in progress: the 2024 draft copied from the published version,
edited as a manager would edit it, sent for review, with the partners' comments on it.

Loaded after the demo users exist (`create_demo_users`), from
`fixtures/lichfield-refresh-2024.json`.
"""

from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q

from indicators.models import Indicator
from plans.models import Organisation, Partnership, PlanVersion, VersionEvent

from .demo import DEMO_USERS, ORDER_STEP, load_actions
from .models import ActionRow, Comment
from .refresh import start_refresh

# What a reply is about: the same part as the comment it answers.
SUBJECTS = ["section_id", "priority_id", "action_row_id"]


@transaction.atomic
def load_refresh(partnership: Partnership, data: dict) -> PlanVersion | None:
    """The plan's refresh in progress, as `data["plan"]["refresh"]` describes it: a draft
    copied from the published version by `start_refresh`, edited, sent for review, with the
    partners' comments on it. Needs the demo users (`create_demo_users`).

    Returns the draft; None if there is nothing to do: the file describes no refresh, or the
    plan already has it or another draft, or has no published version to refresh.
    """
    refresh = data["plan"].get("refresh")
    if not refresh:
        return None
    plan = partnership.plans.get(slug=data["plan"]["slug"])
    label = refresh["version"]["label"]
    source = plan.versions.published().first()
    started = plan.versions.filter(Q(label=label) | Q(status__in=PlanVersion.EDITABLE_STATUSES))
    if source is None or started.exists():
        return None

    users = get_user_model().objects.in_bulk(list(DEMO_USERS), field_name="username")
    manager = users["manager"]
    draft = start_refresh(source, manager, label)
    draft.change_summary = refresh["version"]["change_summary"]
    draft._history_user = manager
    draft.save(update_fields=["change_summary", "updated_at"])
    rows = _edit_refresh(draft, refresh, manager, partnership)
    draft.send_for_review(manager)
    # The record shows the refresh as it happened in the demo's year, not today.
    for kind, key in ((VersionEvent.Kind.CREATED, "started_at"),
                      (VersionEvent.Kind.SENT_FOR_REVIEW, "sent_for_review_at")):  # fmt: skip
        draft.events.filter(kind=kind).update(at=datetime.fromisoformat(refresh["version"][key]))
    _load_comments(draft, refresh["comments"], users, rows)
    return draft


def _edit_refresh(draft, refresh, by, partnership) -> dict[tuple[str, str], ActionRow]:
    """The refresh's edits, made as a manager would make them: sections reworded, actions and
    outcomes reworded, actions added and removed. Returns the draft's rows by (priority title,
    action), as they are after the edits."""
    sections = {section.title: section for section in draft.sections.all()}
    for edit in refresh["section_edits"]:
        section = sections[edit["section"]]
        if edit["replace"] not in section.body:
            raise ValueError(f"{section.title} has no sentence {edit['replace']!r} to replace.")
        section.body = section.body.replace(edit["replace"], edit["with"])
        section._history_user = by
        section.save(update_fields=["body"])

    rows = {
        (row.priority.title, row.description): row
        for row in ActionRow.objects.filter(priority__plan_version=draft).select_related("priority")
    }
    for edit in refresh["action_edits"]:
        row = rows.pop((edit["priority"], edit["action"]))
        row.description = edit["to"]
        row._history_user = by
        row.save(update_fields=["description"])
        rows[(edit["priority"], row.description)] = row
    for edit in refresh["outcome_edits"]:
        outcome = rows[(edit["priority"], edit["action"])].outcomes.get(text=edit["outcome"])
        outcome.text = edit["to"]
        outcome._history_user = by
        outcome.save(update_fields=["text"])

    priorities = {row.priority.title: row.priority for row in rows.values()}
    last = {}
    for row in rows.values():
        last[row.priority_id] = max(last.get(row.priority_id, 0), row.order)
    added = []
    for action in refresh["new_actions"]:
        priority = priorities[action["priority"]]
        last[priority.pk] += ORDER_STEP
        added.append((priority, last[priority.pk], action))
    organisations = {item.name: item for item in partnership.organisations.all()}
    themes = {(theme.plan_version_id, theme.name): theme for theme in draft.themes.all()}
    indicators = {
        indicator.code: indicator for indicator in Indicator.objects.filter(partnership=partnership)
    }
    for row, (priority, _, _) in zip(
        load_actions(added, organisations, themes, indicators, by=by), added, strict=True
    ):
        rows[(priority.title, row.description)] = row

    for removal in refresh["removed_actions"]:
        row = rows.pop((removal["priority"], removal["action"]))
        row._history_user = by
        row.delete()
    return rows


def _load_comments(draft, comments, users, rows) -> None:
    """The partners' comments on the draft, their replies, and which are resolved."""
    organisation_of = {
        organisation.name: organisation
        for organisation in Organisation.objects.filter(
            name__in=[name for _, name, _ in DEMO_USERS.values()]
        )
    }

    def comment(item, **about):
        author = users[item["author"]]
        resolved = item.get("resolved")
        return Comment(
            version=draft,
            author=author,
            organisation=organisation_of[DEMO_USERS[item["author"]][1]],
            body=item["body"],
            created_at=datetime.fromisoformat(item["at"]),
            resolved_at=datetime.fromisoformat(resolved["at"]) if resolved else None,
            resolved_by=users[resolved["by"]] if resolved else None,
            **about,
        )

    sections = {section.title: section for section in draft.sections.all()}
    priorities = {priority.title: priority for priority in draft.priorities.all()}
    threads = Comment.objects.bulk_create(
        comment(
            item,
            section=sections[item["section"]] if "section" in item else None,
            priority=priorities[item["priority"]] if "priority" in item else None,
            action_row=rows[(item["action"]["priority"], item["action"]["action"])]
            if "action" in item
            else None,
        )
        for item in comments
    )
    Comment.objects.bulk_create(
        comment(reply, reply_to=thread, **{part: getattr(thread, part) for part in SUBJECTS})
        for thread, item in zip(threads, comments, strict=True)
        for reply in item.get("replies", [])
    )
