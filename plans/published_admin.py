"""A public version's text is read-only in the admin, except by correction.

A version that is published (or was, and has been superseded) is what readers of the plan saw.
Nothing is added to it or deleted from it here: a new version comes from the yearly refresh.
Its parts listed inside another's form (inlines) cannot be changed either. A part may be
changed on its own page only as a correction: the form then asks for the reason, which the
version's public page shows as "Corrected on …: …". Drafts and versions in review are edited
freely.

Each model of a version's text names the way to its version in `version_path` (see
plans/models/documents.py); `PublicVersionAdmin` and `PublicVersionInline` are mixed into the
admins of those models, before `ScopedAdmin`.
"""

from django import forms
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html

from .models import PlanVersion
from .models.tenancy import follow
from .models.text import NOTE
from .tenant_admin import ScopedForm

REASON = "correction_reason"
ADDED_TO_PUBLIC = (
    "This version is published: nothing is added to it. Add this to a draft version instead "
    "(a new version comes from the yearly refresh)."
)
NO_REASON = "Say what you corrected and why: the plan's public page shows it beside the correction."
STATE_MOVES = "Move this version between draft, review and published on the plan's page"


def version_of(obj) -> PlanVersion | None:
    """The plan version `obj` is part of (a version is its own); None for anything else, or
    while it is not yet known (an unsaved part whose parent is unset)."""
    path = getattr(type(obj), "version_path", None)
    if obj is None or path is None:
        return None
    return follow(obj, filter(None, path.split("__")))


def is_in_public_version(obj) -> bool:
    version = version_of(obj)
    return version is not None and version.is_public


def parent_field(model) -> str | None:
    """The foreign key that puts a part in its version ("plan_version", "priority"…)."""
    path = getattr(model, "version_path", "")
    return path.split("__")[0] if path else None


def state_moves_link(plan_id) -> str:
    """Where a manager moves the plan's versions between states, once the plan is saved."""
    if plan_id is None:
        return "–"
    try:
        url = reverse("manage-plan", kwargs={"plan_id": plan_id})
    except NoReverseMatch:  # the plan's page is not in this build
        return f"{STATE_MOVES}."
    return format_html('<a href="{}">{}</a>', url, STATE_MOVES)


class VersionPartForm(ScopedForm):
    """Refuses, beside the field, putting a part into a public version (adding it there, or
    moving a draft's part there)."""

    def clean(self):
        data = super().clean()
        field = parent_field(self._meta.model)
        chosen = field in self.fields and (
            self.instance._state.adding or field in self.changed_data
        )
        if chosen and is_in_public_version(data.get(field)):
            self.add_error(field, ADDED_TO_PUBLIC)
        return data


class CorrectionForm(VersionPartForm):
    """The form of a part of a public version: any change needs its reason."""

    correction_reason = forms.CharField(
        label="Reason for the correction (shown on the public page)",
        required=False,  # only a change needs one: saving an unchanged form corrects nothing
        max_length=NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Readers of the plan see it as “Corrected on <date>: <reason>”.",
    )

    # A revert from the history page fills the form with an old record, so that nothing looks
    # changed, while saving writes it over the stored one: always a change.
    reverts = False

    def changes_anything(self) -> bool:
        return self.reverts or any(name != REASON for name in self.changed_data)

    @property
    def correction(self) -> str:
        """The reason, if the form changes anything; "" if it changes nothing."""
        return self.cleaned_data.get(REASON, "").strip() if self.changes_anything() else ""

    def clean(self):
        data = super().clean()
        if self.changes_anything() and not data.get(REASON, "").strip():
            self.add_error(REASON, NO_REASON)
        return data


def correction_form(form: type[forms.ModelForm]) -> type[forms.ModelForm]:
    """`form` with the correction's reason and rules added."""
    if issubclass(form, CorrectionForm):
        return form
    return type(f"Correction{form.__name__}", (CorrectionForm, form), {})


class PublicVersionAdmin:
    """Mix into the ModelAdmin of a version, or of a part of one, before `ScopedAdmin`.

    In a public version: no deleting; a change is a correction with its reason, recorded on the
    version; the link to the version (`locked_when_public`, by default the parent foreign key)
    cannot change, so that nothing moves in or out of what the public read.
    """

    form = VersionPartForm
    locked_when_public: list[str] | None = None

    def locked_fields(self) -> list[str]:
        if self.locked_when_public is not None:
            return list(self.locked_when_public)
        field = parent_field(self.model)
        return [field] if field else []

    def get_form(self, request, obj=None, **kwargs):
        if is_in_public_version(obj):
            form = correction_form(kwargs.get("form", self.form))
            if getattr(request, "reverts_history", False):
                form = type(form.__name__, (form,), {"reverts": True})
            kwargs["form"] = form
        form = super().get_form(request, obj, **kwargs)
        if is_in_public_version(obj):
            # Shown but fixed (a disabled field keeps its stored value whatever is posted),
            # not read-only: the history page prepopulates the slug, and needs it in the form.
            for name in self.locked_fields():
                if name in form.base_fields:
                    form.base_fields[name].disabled = True
        return form

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        request.reverts_history = request.method == "POST"
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not is_in_public_version(obj):
            return fieldsets
        rest = [
            (name, {**options, "fields": [f for f in options["fields"] if f != REASON]})
            for name, options in fieldsets
        ]
        correction = (
            "Correction to the published version",
            {
                "fields": [REASON],
                "description": "This version is public, so a change here corrects what readers "
                "saw. Give the reason for it: the plan's page shows it.",
            },
        )
        return [correction, *rest]

    def get_prepopulated_fields(self, request, obj=None):
        prepopulated = super().get_prepopulated_fields(request, obj)
        if not is_in_public_version(obj):
            return prepopulated
        # A locked field cannot change: nothing to fill in as the title is typed.
        locked = self.locked_fields()
        return {field: sources for field, sources in prepopulated.items() if field not in locked}

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not is_in_public_version(obj)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        reason = getattr(form, "correction", "")
        if change and reason:
            version_of(obj).record_correction(request.user, reason)


class PublicVersionInline:
    """Mix into an inline of a version's parts, before `ScopedAdmin`: inside a public version
    it is read-only (each part is corrected on its own page, with the reason)."""

    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not is_in_public_version(obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not is_in_public_version(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not is_in_public_version(obj)
