"""The action-row import page asks which plan version the rows go into, so that a sheet names
priorities as people see them ("Domestic Abuse", "Priority 5") and never a database ID."""

from django import forms
from import_export.forms import ConfirmImportForm, ImportForm

from plans import roles
from plans.models import PlanVersion


def importable_versions(user):
    """The draft and in-review versions a person manages: public ones are only corrected."""
    versions = PlanVersion.objects.filter(status__in=PlanVersion.EDITABLE_STATUSES)
    return roles.manageable(versions.select_related("plan"), user).order_by("plan", "-number")


def version_field(user, **kwargs) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        queryset=importable_versions(user),
        label="Plan version to import into",
        help_text="A draft or a version in review. The sheet names each row's priority by its "
        'title, its label ("Priority 5") or its number in this version.',
        **kwargs,
    )


class PlanVersionImportForm(ImportForm):
    def __init__(self, formats, resources, user=None, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.fields["plan_version"] = version_field(user)


class PlanVersionConfirmForm(ConfirmImportForm):
    def __init__(self, user=None, **kwargs):
        super().__init__(**kwargs)
        self.fields["plan_version"] = version_field(user, widget=forms.HiddenInput)


class ImportIntoPlanVersion:
    """Admin mixin: the import and confirm forms carry the chosen plan version, which the
    resource reads from the form (ActionRowResource's `form` argument)."""

    import_form_class = PlanVersionImportForm
    confirm_form_class = PlanVersionConfirmForm

    def get_import_form_kwargs(self, request):
        return {**super().get_import_form_kwargs(request), "user": request.user}

    def get_confirm_form_kwargs(self, request, import_form=None):
        return {**super().get_confirm_form_kwargs(request, import_form), "user": request.user}

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            initial["plan_version"] = import_form.cleaned_data["plan_version"].pk
        return initial
