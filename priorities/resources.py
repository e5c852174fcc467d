"""Spreadsheet import and export of action rows with their outcomes and data lines.

One spreadsheet row is one action row, keyed by what people see: the priority (its title,
its label such as "Priority 5", or its number) in the plan version imported into, and the
row's order number. Its outcomes and its data lines each sit in one cell, one per line, as they
read in the plan's table; the indicators cell gives each data line's indicator codes, one line
per data line ("SV-KNIVES; DA-REPEAT", "none" or blank for none).
"""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from import_export import fields

from indicators.models import Indicator
from plans.models import Organisation, PlanVersion, Theme
from plans.published_admin import is_in_public_version, version_of
from plans.spreadsheet_lookups import NameIndex, normalise
from plans.spreadsheet_widgets import ChoiceWidget, LookupWidget, NamesWidget
from plans.spreadsheets import AllOrNothingResource

from .models import ActionRow, DataLine, Outcome, Priority

ORDER_STEP = 10
NO_INDICATORS = "none"


def split_lines(cell) -> list[str]:
    return [line.strip() for line in str(cell or "").splitlines() if line.strip()]


def indicator_lines(cell) -> list[list[str]]:
    """The indicators cell read as one list of codes per data line ("none" or blank: none;
    not "-", which a spreadsheet program would take for a formula)."""
    lines = [line.strip() for line in str(cell or "").splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    return [
        [code.strip() for code in line.split(";") if code.strip()]
        if line.casefold() != NO_INDICATORS
        else []
        for line in lines
    ]


def replace_lines(action_row: ActionRow, model, texts: list[str]) -> list:
    """Make the action's outcomes (or data lines) read `texts`, in order; return the lines.

    Lines are updated in place by position, so a data line keeps its indicator links when
    only its wording changes.
    """
    existing = list(model.objects.filter(action_row=action_row).order_by("order"))
    lines = []
    for position, text in enumerate(texts):
        order = (position + 1) * ORDER_STEP
        if position < len(existing):
            line = existing[position]
            if (line.text, line.order) != (text, order):
                line.text, line.order = text, order
                line.save()
        else:
            line = model.objects.create(action_row=action_row, order=order, text=text)
        lines.append(line)
    for line in existing[len(texts) :]:
        line.delete()
    return lines


class PriorityWidget(LookupWidget):
    """A priority of the plan version imported into, by its title, its label ("Priority 5"),
    both ("Priority 5: Prevent") or its number."""

    def __init__(self):
        super().__init__(
            Priority,
            ("title", "label", "heading", lambda priority: str(priority.order)),
            noun="priority in this plan version",
        )

    def render(self, value, obj=None, **kwargs):
        return value.title if value else ""


class VersionWidget(LookupWidget):
    """A plan version as the export writes it, "Plan title (Refresh April 2024)", or its label."""

    def __init__(self):
        super().__init__(PlanVersion, (str, "label"), noun="plan version")

    def get_queryset(self, value, row, *args, **kwargs):
        return super().get_queryset(value, row).select_related("plan")


class ActionRowResource(AllOrNothingResource):
    """Given `plan_version` (the admin's import page asks for it), every row goes into that
    version; without it, each row's plan_version cell names its version."""

    plan_version = fields.Field(column_name="plan_version", widget=VersionWidget())
    priority = fields.Field(attribute="priority", column_name="priority", widget=PriorityWidget())
    description = fields.Field(attribute="description", column_name="action")
    outcomes = fields.Field(column_name="outcomes")
    data_lines = fields.Field(column_name="data")
    indicators = fields.Field(column_name="indicators")
    lead_organisations = fields.Field(
        attribute="lead_organisations",
        column_name="lead_organisations",
        widget=NamesWidget(Organisation, ("name", "short_name"), noun="organisation"),
    )
    supporting_organisations = fields.Field(
        attribute="supporting_organisations",
        column_name="supporting_organisations",
        widget=NamesWidget(Organisation, ("name", "short_name"), noun="organisation"),
    )
    theme = fields.Field(
        attribute="theme",
        column_name="theme",
        widget=LookupWidget(Theme, "name", noun="theme in this plan version"),
    )
    status = fields.Field(
        attribute="status", column_name="status", widget=ChoiceWidget(ActionRow.Status)
    )

    class Meta:
        model = ActionRow
        fields = [
            "plan_version",
            "priority",
            "order",
            "description",
            "outcomes",
            "data_lines",
            "indicators",
            "lead_organisations",
            "supporting_organisations",
            "theme",
            "status",
        ]
        import_id_fields = ["priority", "order"]
        clean_model_instances = True

    # The blank template's columns and example row (the plan version is chosen on the page).
    example_row = {
        "priority": "Priority 1",
        "order": 10,
        "action": "Install knife surrender bins in the city centre",
        "outcomes": "Fewer knives carried\nPeople feel safer at night",
        "data": "Number of knives surrendered",
        "indicators": "SV-KNIVES",
        "lead_organisations": "Staffordshire Police",
        "supporting_organisations": "Lichfield District Council",
        "theme": "",
        "status": "Not started",
    }

    def __init__(self, plan_version=None, form=None, **kwargs):
        if plan_version is None and form is not None and hasattr(form, "cleaned_data"):
            plan_version = form.cleaned_data.get("plan_version")
        self.plan_version = plan_version
        super().__init__(**kwargs)
        # Names are looked up in the row's plan version and its partnership only.
        self.fields["priority"].widget.scope = self.in_version("plan_version_id")
        self.fields["theme"].widget.scope = self.in_version("plan_version_id")
        for name in ("lead_organisations", "supporting_organisations"):
            self.fields[name].widget.lookup.scope = self.in_version("partnerships__plans__versions")
        self.indicator_indexes = {}

    def in_version(self, path: str):
        """A scope for LookupWidget: what `path` leads from to the row's plan version."""

        def scope(row) -> dict:
            version_id = self.version_id(row)
            return {path: version_id} if version_id else {"pk": None}  # no version: nothing

        return scope

    def version_id(self, row) -> int | None:
        if self.plan_version is not None:
            return self.plan_version.pk
        try:
            found = self.fields["plan_version"].clean(row or {})
        except ValueError:
            return None  # reported beside its column
        return found.pk if found else None

    def get_export_queryset(self, request=None):
        return self.filter_export(ActionRow.objects.all())

    def filter_export(self, queryset, **kwargs):
        # The admin exports its (filtered) list's queryset: fetch what each row's cells read
        # with it, so an export runs a fixed number of queries however many rows it holds.
        return queryset.select_related("priority__plan_version__plan", "theme").prefetch_related(
            "outcomes",
            "data_lines__indicators",
            "lead_organisations",
            "supporting_organisations",
        )

    # What the export writes, and the preview shows, for the cells that are not model fields.

    def dehydrate_plan_version(self, action_row) -> str:
        return str(action_row.priority.plan_version) if action_row.priority_id else ""

    def dehydrate_outcomes(self, action_row) -> str:
        if action_row.pk is None:
            return ""
        return "\n".join(outcome.text for outcome in action_row.outcomes.all())

    def dehydrate_data_lines(self, action_row) -> str:
        if action_row.pk is None:
            return ""
        return "\n".join(line.text for line in action_row.data_lines.all())

    def dehydrate_indicators(self, action_row) -> str:
        if action_row.pk is None:
            return ""
        codes = [
            "; ".join(indicator.code for indicator in line.indicators.all()) or NO_INDICATORS
            for line in action_row.data_lines.all()
        ]
        return "" if all(line == NO_INDICATORS for line in codes) else "\n".join(codes)

    # Import.

    def indicator_index(self, row) -> NameIndex:
        """The indicators of the row's partnership, by code."""
        version_id = self.version_id(row)
        if version_id not in self.indicator_indexes:
            found = Indicator.objects.filter(partnership__plans__versions=version_id or -1)
            self.indicator_indexes[version_id] = NameIndex(
                found, lambda indicator: [indicator.code], noun="indicator"
            )
        return self.indicator_indexes[version_id]

    def linked_indicators(self, row) -> list[list[Indicator]]:
        """Each data line's indicators as the row's cells give them; ValueError if wrong."""
        lines = indicator_lines(row.get("indicators"))
        data = split_lines(row.get("data"))
        if len(lines) > len(data):
            raise ValueError(
                f"There are {len(lines)} lines of indicator codes for {len(data)} data "
                f'line(s): give one line per data line, in the same order ("none" for none).'
            )
        index = self.indicator_index(row)
        unknown = []
        found = []
        for codes in lines:
            try:
                found.append(index.find_all(codes))
            except ValueError as error:
                unknown.append(str(error))
        if unknown:
            raise ValueError(" ".join(unknown))
        return found + [[] for _ in data[len(lines) :]]

    def import_instance(self, instance, row, **kwargs):
        """Check every cell, including the many-to-many and line cells the library saves later,
        so that a bad row is reported as invalid with all its problems and nothing is saved."""
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for field in (self.fields["lead_organisations"], self.fields["supporting_organisations"]):
            if field.column_name in row:
                try:
                    field.clean(row)
                except ValueError as error:
                    errors[field.attribute] = ValidationError(str(error))
        if "outcomes" in row and not split_lines(row["outcomes"]):
            errors["outcomes"] = ValidationError("Give at least one outcome, one per line.")
        if "data" in row and not split_lines(row["data"]):
            errors["data"] = ValidationError("Give at least one data line, one per line.")
        if "indicators" in row:
            try:
                self.linked_indicators(row)
            except ValueError as error:
                errors["indicators"] = ValidationError(str(error))
        errors.update(self.version_errors(row))
        if errors:
            raise ValidationError(errors)

    def version_errors(self, row) -> dict:
        """The plan_version cell, where given, must name the version imported into: a sheet
        exported from another version is not poured into this one by mistake."""
        text = str(row.get("plan_version") or "").strip()
        if self.plan_version is None:
            if self.version_id(row) is not None:
                return {}
            if not text:
                return {"plan_version": ValidationError("Choose the plan version to import into.")}
            try:
                self.fields["plan_version"].clean(row)
            except ValueError as error:
                return {"plan_version": ValidationError(str(error))}
            return {}
        names = {normalise(str(self.plan_version)), normalise(self.plan_version.label)}
        if text and normalise(text) not in names:
            return {
                "plan_version": ValidationError(
                    f'This row is from "{text}", not "{self.plan_version}", which you are '
                    "importing into. Import it into its own version, or clear this cell."
                )
            }
        return {}

    def check_row(self, instance, row) -> None:
        """A public version's actions are corrected one at a time in the admin, with the
        reason, never imported: a row that would add to one, move a row in or out of one, or
        change one is refused. An unchanged row (of a sheet exported whole) is skipped."""
        super().check_row(instance, row)
        stored = self._stored(instance)
        public = [
            version
            for version in (version_of(instance), version_of(stored))
            if version is not None and version.is_public
        ]
        if not public or (stored is not None and not self._changes(stored, instance, row)):
            return
        raise ValidationError(
            {
                NON_FIELD_ERRORS: f"This action is in “{public[0]}”, which is published: it "
                "cannot be imported. Correct a published action in the admin, giving the "
                "reason, or import into a draft version (the yearly refresh)."
            }
        )

    @staticmethod
    def _stored(instance) -> ActionRow | None:
        if instance.pk is None:
            return None
        found = ActionRow.objects.select_related("priority__plan_version__plan")
        return found.filter(pk=instance.pk).first()

    def _changes(self, stored, instance, row) -> bool:
        """Whether the row changes what is stored: its cells, its agencies or its lines."""
        cells = ("priority_id", "order", "description", "theme_id", "status")
        if any(getattr(stored, name) != getattr(instance, name) for name in cells):
            return True
        for name in ("lead_organisations", "supporting_organisations"):
            field = self.fields[name]
            if field.column_name not in row:
                continue
            try:
                given = {organisation.pk for organisation in field.clean(row)}
            except ValueError:
                return True  # reported beside its column
            if given != set(getattr(stored, name).values_list("pk", flat=True)):
                return True
        for column, lines in (("outcomes", stored.outcomes), ("data", stored.data_lines)):
            if column in row and split_lines(row[column]) != [
                line.text for line in lines.order_by("order")
            ]:
                return True
        if "indicators" in row:
            try:
                given = [{i.pk for i in found} for found in self.linked_indicators(row)]
            except ValueError:
                return True  # reported beside its column
            stored_links = [
                set(line.indicators.values_list("pk", flat=True))
                for line in stored.data_lines.order_by("order")
            ]
            if given != stored_links:
                return True
        return False

    def skip_row(self, instance, original, row, import_validation_errors=None):
        # A row of a public version that reaches here changes nothing (check_row): not saved.
        if not import_validation_errors and is_in_public_version(instance):
            return True
        return super().skip_row(instance, original, row, import_validation_errors)

    def after_save_instance(self, instance, row, **kwargs):
        if "outcomes" in row:
            replace_lines(instance, Outcome, split_lines(row["outcomes"]))
        if "data" in row:
            lines = replace_lines(instance, DataLine, split_lines(row["data"]))
            if "indicators" in row:
                for line, indicators in zip(lines, self.linked_indicators(row), strict=True):
                    line.indicators.set(indicators)
