"""The officer's entry page as it is shown: every item due, grouped by the plan's priorities,
each with its form (when it can take an entry), what is stored, and what was typed but could not
be saved, with why; a contents list and a progress line. And `receive`: what one press of Save
draft or Submit does, item by item.

A draft saves every valid item and keeps every invalid one typed beside its error. Submit sends
the items that are complete; an incomplete one is saved as a draft (when it is valid as one)
and listed with what it still needs. An item that changed since the page was shown is not
saved: what was typed stays on screen with who changed it, when, and what is stored now.
"""

import re
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import urlencode

from django.utils import timezone
from django.utils.translation import ngettext

from .due import DueList, ReturnItem, place_under_priorities
from .entry import EntryRefused, PeriodClosed, save_entry
from .forms import (
    FIGURE_DETAILS,
    ActionUpdateFormSet,
    PlainDraft,
    ReturnFormSet,
    is_ready,
    item_name,
    was_posted,
)

KINDS = {"returns": ReturnFormSet, "updates": ActionUpdateFormSet}


@dataclass
class HeldBack:
    """What the officer typed into an item that could not be saved, and why."""

    reason: str
    typed: list[tuple[str, str]]  # (label, what was typed)


@dataclass
class Entry:
    """One item on the page: its form when it can take an entry, else what is stored; and
    `held`, what was typed but not saved."""

    item: object
    prefix: str  # "returns-12": what its boxes are named by
    form: object = None
    held: HeldBack | None = None

    @property
    def anchor(self) -> str:
        return f"item-{self.prefix}"

    @property
    def is_figure(self) -> bool:
        return isinstance(self.item, ReturnItem)

    @property
    def priority(self):
        return self.item.priority if self.is_figure else self.item.action_row.priority

    @cached_property
    def ready(self) -> bool:
        """Its stored entry would pass the checks for submitting it."""
        return is_ready(self.item)

    @property
    def details_open(self) -> bool:
        """Whether a figure's further boxes start open: one is filled in or has an error."""
        form = self.form
        return form is not None and any(
            name in form.errors or form[name].value() not in (None, "") for name in FIGURE_DETAILS
        )


@dataclass
class Group:
    """A priority's items (figures evidencing it, then actions under it), or the other figures."""

    anchor: str
    title: str
    entries: list[Entry]

    @property
    def counts_text(self) -> str:
        total = len(self.entries)
        ready = sum(1 for entry in self.entries if entry.ready)
        sent = sum(1 for entry in self.entries if entry.item.is_sent_in)
        parts = [ngettext("%(n)d item", "%(n)d items", total) % {"n": total}]
        if ready:
            parts.append(f"{ready} ready")
        if sent:
            parts.append(f"{sent} sent in")
        return ", ".join(parts)


@dataclass
class FormList:
    """The forms of one kind shown on the page, in page order."""

    forms: list


@dataclass
class Page:
    period: object
    entries: list[Entry]
    errors: list[tuple[str, str]] = field(default_factory=list)  # (link, message)
    errors_intro: str = ""

    @cached_property
    def groups(self) -> list[Group]:
        found, other = {}, []
        for entry in self.entries:
            priority = entry.priority
            if priority is None:
                other.append(entry)
            else:
                found.setdefault(priority.pk, (priority, []))[1].append(entry)
        ordered = sorted(found.values(), key=lambda pair: (pair[0].plan_version_id, pair[0].order))
        groups = [Group(f"group-{p.pk}", p.heading, entries) for p, entries in ordered]
        if other:
            groups.append(Group("group-other", "Other figures", other))
        return groups

    @property
    def progress_text(self) -> str:
        """ "12 of 40 ready to submit, 5 already sent in." """
        total = len(self.entries)
        sent = sum(1 for entry in self.entries if entry.item.is_sent_in)
        if sent == total:
            return ngettext("The item is sent in.", "All %(n)d items are sent in.", total) % {
                "n": total
            }
        if not self.period.is_open:
            return f"{sent} of {total} sent in."
        ready = sum(1 for entry in self.entries if entry.ready)
        text = f"{ready} of {total - sent} ready to submit"
        return f"{text}, {sent} already sent in." if sent else f"{text}."

    def forms_of(self, kind: str) -> FormList:
        return FormList(
            [e.form for e in self.entries if e.form is not None and e.prefix.startswith(kind)]
        )

    @property
    def has_forms(self) -> bool:
        return any(entry.form is not None for entry in self.entries)


@dataclass
class Received:
    """What a save did: the page to show again (when anything needs the officer), the message
    to give, and how many items were submitted."""

    page: Page | None  # None when nothing needs showing again
    done: bool  # everything sent was saved as asked: go back to the page
    message: str = ""
    submitted: int = 0


def _prefix(kind: str, item) -> str:
    return f"{kind}-{item.key}"


def _kind_items(items: DueList) -> dict:
    return {"returns": items.returns, "updates": items.updates}


def show(items: DueList, period) -> Page:
    """The page as it stands: a fresh form for every item that can take an entry."""
    place_under_priorities(items.returns, period)
    entries = []
    for kind, owed in _kind_items(items).items():
        form_class = KINDS[kind].form
        for item in owed:
            prefix = _prefix(kind, item)
            form = None
            if period.is_open and item.is_editable:
                form = form_class(item=item, submitting=False, prefix=prefix)
            entries.append(Entry(item, prefix, form))
    return Page(period, entries)


def _stored_entry(stored) -> str:
    """What is stored for an item, in words: the figure, or the action's status."""
    if hasattr(stored, "formatted_value"):
        return stored.formatted_value or "no figure"
    return stored.get_action_status_display()


def _saved_by(stored) -> tuple[str, str]:
    when = timezone.localtime(stored.updated_at).strftime("%-d %B %Y at %H:%M")
    who = stored.entered_by.username if stored.entered_by else "someone"
    return who, when


def _conflict_message(item, stored) -> str:
    name = item_name(item)
    if stored is None:
        return f"{name} was removed while you were editing. Reload the page."
    who, when = _saved_by(stored)
    return (
        f"{name} was not saved: {who} saved this on {when} while you were editing. The stored "
        f"entry is now: {_stored_entry(stored)}. Your entry is still below: save again to "
        "replace it, or change it first."
    )


def _locked_message(item, stored) -> str:
    who, when = _saved_by(stored)
    return (
        f"{item_name(item)} was not saved: {who} saved this on {when} and it is now "
        f"{stored.get_status_display().lower()}, so it can no longer be changed here. The "
        f"stored entry is: {_stored_entry(stored)}."
    )


def _not_sent_message(item) -> str:
    return f"{item_name(item)} was not on the page you sent: check it and submit again."


def _closed_message(period) -> str:
    return f"{period.label} is closed, so nothing can be entered for it."


def _typed(form) -> list[tuple[str, str]]:
    """What the officer typed into a bound form, as the labels and words the page showed."""
    typed = []
    for name, form_field in form.fields.items():
        if name == "revision":
            continue
        value = form[name].value()
        if value in (None, ""):
            continue
        choices = dict(getattr(form_field, "choices", []))
        typed.append((str(form_field.label), str(choices.get(value, value))))
    return typed


def _form_errors(form, anchor: str) -> list[tuple[str, str]]:
    found = [(f"#{anchor}", message) for message in form.non_field_errors()]
    for name, errors in form.errors.items():
        if name != "__all__":
            found += [(f"#{form[name].auto_id}", message) for message in errors]
    return found


@dataclass
class Sent:
    """The items the page sent, read: the form to show again for each item that can take an
    entry, what was typed into items that no longer can, and the valid forms to save."""

    shown: dict = field(default_factory=dict)  # prefix -> form (submitting, when submitting)
    held: dict = field(default_factory=dict)  # prefix -> HeldBack
    to_save: dict = field(default_factory=lambda: {"returns": [], "updates": []})

    def form(self, prefix: str):
        """The item's form as sent: one read as a plain draft is built now."""
        shown = self.shown[prefix]
        if isinstance(shown, PlainDraft):
            shown = self.shown[prefix] = shown.as_form()
        return shown

    def forms(self) -> dict:
        return {prefix: self.form(prefix) for prefix in self.shown}

    @property
    def all_saved(self) -> bool:
        """Nothing sent needs the officer: no item held back, none with an error."""
        return not self.held and all(
            isinstance(shown, PlainDraft) or not shown.errors for shown in self.shown.values()
        )


def receive(items: DueList, period, data, *, user, submitting: bool) -> Received:
    """Save what the officer sent, item by item, and say what happened.

    `data` is a mutable copy of the POST: the revisions of saved items are moved on in it, so
    that the page shown again saves over them. Side effects: see `save_entry`.
    """
    sent = _read(items, period, data, submitting=submitting)
    page_errors, saved = _save(sent, period, data, user=user)
    if not submitting and not page_errors and sent.all_saved:
        return Received(None, True, _message(period, saved, done=True))
    page = _page_after(items, period, sent.forms(), sent.held)
    page.errors = [("#entry-form", message) for message in page_errors]
    not_sent = 0
    for entry in page.entries:
        if entry.held is not None and period.is_open:
            page.errors.append((f"#{entry.anchor}", entry.held.reason))
        if entry.form is None:
            continue
        if entry.form.is_bound:
            page.errors += _form_errors(entry.form, entry.anchor)
        if submitting:
            not_sent += 1
            if not entry.form.is_bound and sent.shown:
                page.errors.append((f"#{entry.anchor}", _not_sent_message(entry.item)))
    if submitting and not_sent:
        page.errors_intro = ngettext(
            "%(n)d item was not submitted: it stays as it is until it is complete.",
            "%(n)d items were not submitted: they stay as they are until they are complete.",
            not_sent,
        ) % {"n": not_sent}
    elif page.errors and saved is not None and not page_errors:
        page.errors_intro = (
            "The items below were not saved: what you typed is still in their boxes. Correct "
            "them and save again; everything else was saved."
        )
    done = not page.errors
    if not done:  # the page is shown again, grouped by priority
        place_under_priorities(items.returns, period)
    return Received(page, done, _message(period, saved, done=done), saved.submitted if saved else 0)


def _read(items: DueList, period, data, *, submitting: bool) -> Sent:
    """Each item's boxes as sent, checked: complete ones to submit (when submitting), valid
    ones to save as drafts; and what was typed into items that can no longer take it."""
    sent = Sent()
    for kind, owed in _kind_items(items).items():
        formset_class = KINDS[kind]
        editable = [item for item in owed if period.is_open and item.is_editable]
        if kind == "returns" and not submitting:
            editable = _read_plain_drafts(editable, data, sent)
        drafts = formset_class(data, items=editable, submitting=False, prefix=kind).forms
        complete = drafts
        if submitting:
            complete = formset_class(data, items=editable, submitting=True, prefix=kind).forms
        for draft, whole in zip(drafts, complete, strict=True):
            if not draft.is_bound:
                continue  # not on the page that was sent
            sent.shown[draft.prefix] = whole
            if whole.is_valid():
                sent.to_save[kind].append(whole)
            elif draft.is_valid():
                sent.to_save[kind].append(draft)  # incomplete: kept as a draft
        # Typed into an item that was submitted, approved or closed since the page was shown.
        for item in owed:
            prefix = _prefix(kind, item)
            if prefix in sent.shown or not was_posted(data, prefix):
                continue
            typed = _typed(formset_class.form(data, item=item, submitting=False, prefix=prefix))
            if typed:
                reason = (
                    _closed_message(period)
                    if not period.is_open
                    else _locked_message(item, item.current)
                )
                sent.held[prefix] = HeldBack(reason, typed)
    return sent


def _read_plain_drafts(items: list[ReturnItem], data, sent: Sent) -> list[ReturnItem]:
    """Read the plain figures of a draft straight into `sent`; returns the other items."""
    others = []
    for item in items:
        prefix = _prefix("returns", item)
        plain = PlainDraft.read(data, item, prefix) if was_posted(data, prefix) else None
        if plain is None:
            others.append(item)
        else:
            sent.shown[prefix] = plain
            sent.to_save["returns"].append(plain)
    return others


def _save(sent: Sent, period, data, *, user):
    """Save the valid forms; then carry the new revisions into `data`, and put each refused
    item back on the page with why. Returns the page's own errors and what `save_entry` did."""
    if not period.is_open:
        message = f"{_closed_message(period)} What you typed is shown below under “Not saved”."
        return [f"Nothing was saved: {message}"], None
    if not sent.shown and not sent.held:
        return [
            "Nothing was saved: the page sent had none of your items. Reload the page and "
            "enter them again."
        ], None
    try:
        saved = save_entry(
            user=user,
            period=period,
            return_forms=sent.to_save["returns"],
            update_forms=sent.to_save["updates"],
        )
    except PeriodClosed:
        period.refresh_from_db()
        for prefix, form in sent.forms().items():
            if typed := _typed(form):
                sent.held[prefix] = HeldBack(_closed_message(period), typed)
        sent.shown.clear()
        return [
            f"Nothing was saved: {period.label} was closed while you were editing. What you "
            "typed is shown below under “Not saved”."
        ], None
    except EntryRefused:
        return [
            "Nothing was saved: someone else saved some of these items at the same moment. "
            "What you typed is still below: save again."
        ], None
    for form, row in saved.saved:
        form.item.current = row
        data[form.add_prefix("revision")] = row.revision
    for form, stored in saved.refused:
        form.item.current = stored or form.item.current
        if stored is not None and not stored.is_editable:
            typed = _typed(sent.form(form.prefix))
            sent.held[form.prefix] = HeldBack(_locked_message(form.item, stored), typed)
            sent.shown.pop(form.prefix, None)
            continue
        sent.form(form.prefix).add_error(None, _conflict_message(form.item, stored))
        data[form.add_prefix("revision")] = stored.revision if stored else 0
    return [], saved


def _page_after(items: DueList, period, shown: dict, held: dict) -> Page:
    """The page again after a save: the sent forms (with their errors) of the items that can
    still take an entry, a fresh form for any other, and what was held back."""
    entries = []
    for kind, owed in _kind_items(items).items():
        form_class = KINDS[kind].form
        for item in owed:
            prefix = _prefix(kind, item)
            form = None
            if period.is_open and item.is_editable and prefix not in held:
                form = shown.get(prefix) or form_class(item=item, submitting=False, prefix=prefix)
            entries.append(Entry(item, prefix, form, held.get(prefix)))
    return Page(period, entries)


def _message(period, saved, *, done: bool) -> str:
    if saved is None:
        return ""
    if done:
        if saved.submitted:
            return f"Your returns for {period.label} were submitted to the partnership manager."
        return f"Your returns for {period.label} were saved as a draft."
    parts = []
    if saved.submitted:
        parts.append(
            ngettext(
                "%(n)d item was submitted to the partnership manager.",
                "%(n)d items were submitted to the partnership manager.",
                saved.submitted,
            )
            % {"n": saved.submitted}
        )
    if saved.drafted:
        parts.append(
            ngettext(
                "%(n)d item was saved as a draft.",
                "%(n)d items were saved as a draft.",
                saved.drafted,
            )
            % {"n": saved.drafted}
        )
    return " ".join(parts)


FOCUS_ID = re.compile(r"[A-Za-z][\w-]{0,99}")
ITEM_BOX = re.compile(r"id_((?:returns|updates)-\d+)-\w+")


def back_to(address: str, focus: str) -> str:
    """The page's address after a save, taking the officer back where they were: the box (or
    button) that had focus, named for static/js/entry.js, and its item as the fragment."""
    if not FOCUS_ID.fullmatch(focus):
        return address
    box = ITEM_BOX.fullmatch(focus)
    fragment = f"item-{box[1]}" if box else focus
    return f"{address}?{urlencode({'focus': focus})}#{fragment}"
