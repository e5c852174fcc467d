"""Importing a plan from its Word document: the manager uploads the .docx and chooses the plan
(or a new one); the preview shows everything read and everything that could not be placed;
the manager places or leaves out those rows and imports, which makes a draft version.

Between the two steps the session holds what was read, never the client: the preview's choices
are checked against it. Partnership managers only; anyone else is refused (403).
"""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Layout
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from plans.models import Partnership, Plan, text
from plans.roles import managed_partnerships

from ..docx_document import MAX_FILE_BYTES, UnreadableDocument
from ..docx_draft import create_draft, draft_in_progress, refuse_second_draft
from ..docx_import import TITLE_LIMIT, ReadPlan, read_plan

SESSION_KEY = "docx_import"
NEW = "new-"  # a plan choice's prefix for "a new plan of partnership <pk>"


def _helper(*fields) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(*fields)
    return helper


def _year(label: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=2000,
        max_value=2100,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-4"}),
        error_messages={
            "invalid": f"Enter the {label.lower()} as a number, for example 2025.",
            "min_value": f"Enter a {label.lower()} from 2000 to 2100.",
            "max_value": f"Enter a {label.lower()} from 2000 to 2100.",
        },
    )


class UploadForm(forms.Form):
    document = forms.FileField(
        label="The plan as a Word document",
        help_text=f"A .docx file of {MAX_FILE_BYTES // (1024 * 1024)} MB or less, laid out as "
        "the plan: a heading for each section and each priority, and each priority's actions "
        "in tables whose first row is Action | Outcome | Data.",
        error_messages={
            "required": "Choose the plan's Word document (.docx).",
            "empty": "The selected file is empty.",
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".docx"}),
    )
    plan = forms.ChoiceField(
        label="Import it into",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the plan to import into, or a new plan.",
            "invalid_choice": "Choose one of your partnership's plans, or a new plan.",
        },
    )
    title = forms.CharField(
        label="Title of the new plan (if new)",
        required=False,
        max_length=200,
        help_text="Leave blank to take the document's title.",
        error_messages={"max_length": text.TOO_LONG},
    )
    start_year = _year("First year")
    end_year = _year("Last year")
    label = forms.CharField(
        label="Name of the new version",
        max_length=120,
        help_text='Shown under the plan\'s title, e.g. "Refresh April 2025". It starts as a '
        "draft: nothing is published until you publish it.",
        error_messages={"required": "Name the new version.", "max_length": text.TOO_LONG},
    )

    def __init__(self, *args, partnerships: list[Partnership], plans: list[Plan], **kwargs):
        super().__init__(*args, **kwargs)
        several = len(partnerships) > 1
        self.plans = {str(plan.pk): plan for plan in plans}
        self.partnerships = {f"{NEW}{p.pk}": p for p in partnerships}
        self.fields["plan"].choices = [
            (pk, f"{plan.title} ({plan.partnership.name})" if several else plan.title)
            for pk, plan in self.plans.items()
        ] + [
            (key, f"A new plan of {p.name}" if several else "A new plan")
            for key, p in self.partnerships.items()
        ]
        self.helper = _helper("document", "plan", "title", "start_year", "end_year", "label")

    def clean_document(self):
        upload = self.cleaned_data["document"]
        if not upload.name.lower().endswith(".docx"):
            raise ValidationError(
                "The selected file must be a Word document (.docx). Save an older .doc, or a "
                "PDF, as .docx in Word first."
            )
        if upload.size > MAX_FILE_BYTES:
            raise ValidationError(
                f"The selected file must be smaller than {MAX_FILE_BYTES // (1024 * 1024)} MB."
            )
        try:
            return read_plan(upload.read())
        except UnreadableDocument as error:
            raise ValidationError(str(error)) from None

    def clean(self):
        data = super().clean()
        choice = data.get("plan")
        if choice in self.plans:
            try:
                refuse_second_draft(draft_in_progress(self.plans[choice]))
            except ValidationError as error:
                self.add_error("plan", error)
        elif choice in self.partnerships:
            self._clean_new_plan(data)
        return data

    def _clean_new_plan(self, data) -> None:
        read = data.get("document")
        if not data.get("title") and read is not None:
            data["title"] = read.title
            if not read.title:
                self.add_error("title", "Enter the new plan's title: the document has none.")
            elif len(read.title) > TITLE_LIMIT:
                self.add_error("title", "Enter a shorter title: the document's is longer than "
                               f"{TITLE_LIMIT} characters.")  # fmt: skip
        for name, what in (("start_year", "first"), ("end_year", "last")):
            if data.get(name) is None and name not in self.errors:
                self.add_error(name, f"Enter the {what} year the new plan covers.")
        start, end = data.get("start_year"), data.get("end_year")
        if start and end and end < start:
            self.add_error("end_year", "The last year cannot be before the first year.")

    def pending(self) -> dict:
        """What the preview needs, for the session: ids and plain values only."""
        data = self.cleaned_data
        plan = self.plans.get(data["plan"])
        partnership = plan.partnership if plan else self.partnerships[data["plan"]]
        new_plan = None
        if plan is None:
            new_plan = {key: data[key] for key in ("title", "start_year", "end_year")}
        return {
            "partnership": partnership.pk,
            "plan": plan.pk if plan else None,
            "new_plan": new_plan,
            "label": data["label"],
            "filename": _file_name(self.files["document"].name),
            "read": data["document"].to_dict(),
        }


def _file_name(name: str) -> str:
    return name.rsplit("/", 1)[-1][:100]


class PlacementForm(forms.Form):
    """A choice per placeable unplaced row: leave it out, or one of the priorities read."""

    def __init__(self, *args, read: ReadPlan, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "Leave it out")] + [
            (str(index), priority.title) for index, priority in enumerate(read.priorities)
        ]
        self.rows = []
        for row in read.unplaced:
            name = f"row_{row.position}"
            if row.placeable:
                self.fields[name] = forms.ChoiceField(
                    label=f"Where “{row.action[:80]}” goes",
                    choices=choices,
                    required=False,
                    error_messages={"invalid_choice": "Choose a priority from the list."},
                )
            self.rows.append((row, self[name] if row.placeable else None))

    def placed(self) -> dict[int, int]:
        return {
            int(name.removeprefix("row_")): int(value)
            for name, value in self.cleaned_data.items()
            if value != ""
        }


def _managed_partnerships_or_403(user) -> list[Partnership]:
    partnerships = list(managed_partnerships(user))
    if not partnerships:
        raise PermissionDenied("Only a partnership's managers import its plan.")
    return partnerships


@login_required
@require_http_methods(["GET", "POST"])
def upload(request):
    partnerships = _managed_partnerships_or_403(request.user)
    plans = list(
        Plan.objects.filter(partnership__in=partnerships)
        .select_related("partnership")
        .order_by("partnership__name", "title")
    )
    chosen = request.GET.get("plan", "")
    form = UploadForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        partnerships=partnerships,
        plans=plans,
        initial={"plan": chosen if any(str(p.pk) == chosen for p in plans) else None},
    )
    if request.method == "POST" and form.is_valid():
        request.session[SESSION_KEY] = form.pending()
        return redirect("plan-import-preview")
    return render(
        request,
        "docx/upload.html",
        {"form": form, "site_partnership": partnerships[0] if len(partnerships) == 1 else None},
    )


def _pending_or_none(request, partnerships: list[Partnership]):
    """What was uploaded, if the person still manages the partnership it goes into."""
    pending = request.session.get(SESSION_KEY)
    if not pending:
        return None
    partnership = next((p for p in partnerships if p.pk == pending["partnership"]), None)
    if partnership is None:
        raise PermissionDenied("Only a partnership's managers import its plan.")
    if pending["plan"] is not None:
        plan = get_object_or_404(Plan, pk=pending["plan"], partnership=partnership)
        plan.partnership = partnership
    else:
        plan = Plan(partnership=partnership, **pending["new_plan"])
    return pending, plan, ReadPlan.from_dict(pending["read"])


@login_required
@require_http_methods(["GET", "POST"])
def preview(request):
    found = _pending_or_none(request, _managed_partnerships_or_403(request.user))
    if found is None:
        messages.info(request, "Upload the plan's Word document first: nothing is waiting.")
        return redirect("plan-import")
    pending, plan, read = found
    form = PlacementForm(request.POST if request.method == "POST" else None, read=read)
    if request.method == "POST" and form.is_valid():
        try:
            version = create_draft(
                read, form.placed(), plan=plan, label=pending["label"], by=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            del request.session[SESSION_KEY]
            messages.success(
                request,
                f"{version.label} is imported from {pending['filename']} as a draft of "
                f"{plan.title}.",
            )
            return redirect("plan-draft", plan.partnership.slug, plan.slug, version.number)
    return render(
        request,
        "docx/preview.html",
        {
            "form": form,
            "read": read,
            "plan": plan,
            "pending": pending,
            "site_partnership": plan.partnership,
        },
    )
