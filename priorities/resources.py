"""Spreadsheet import and export of action rows with their outcomes and data lines.

One spreadsheet row is one action row. Its outcomes and its data lines each sit in one cell,
one per line, exactly as they read in the plan's table.
"""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from import_export import fields

from plans.models import Organisation, Theme
from plans.published_admin import is_in_public_version, version_of
from plans.spreadsheets import AllOrNothingResource, ChoiceWidget, LookupWidget, NamesWidget

from .models import ActionRow, DataLine, Outcome, Priority

ORDER_STEP = 10


def split_lines(cell) -> list[str]:
    return [line.strip() for line in str(cell or "").splitlines() if line.strip()]


def _in_priority_version(row) -> dict:
    priority = Priority.objects.filter(pk=str(row.get("priority_id") or "").strip() or None).first()
    return {"plan_version_id": priority.plan_version_id if priority else None}


def replace_lines(action_row: ActionRow, model, texts: list[str]) -> None:
    """Make the action's outcomes (or data lines) read `texts`, in order.

    Lines are updated in place by position, so a data line keeps its indicator links when
    only its wording changes.
    """
    existing = list(model.objects.filter(action_row=action_row).order_by("order"))
    for position, text in enumerate(texts):
        order = (position + 1) * ORDER_STEP
        if position < len(existing):
            line = existing[position]
            if (line.text, line.order) != (text, order):
                line.text, line.order = text, order
                line.save()
        else:
            model.objects.create(action_row=action_row, order=order, text=text)
    for line in existing[len(texts) :]:
        line.delete()


class ActionRowResource(AllOrNothingResource):
    priority = fields.Field(
        attribute="priority",
        column_name="priority_id",
        widget=LookupWidget(Priority, "pk", noun="priority with ID"),
    )
    priority_title = fields.Field(column_name="priority", readonly=True)
    description = fields.Field(attribute="description", column_name="action")
    outcomes = fields.Field(column_name="outcomes")
    data_lines = fields.Field(column_name="data")
    lead_organisations = fields.Field(
        attribute="lead_organisations",
        column_name="lead_organisations",
        widget=NamesWidget(Organisation, "name", noun="organisation"),
    )
    supporting_organisations = fields.Field(
        attribute="supporting_organisations",
        column_name="supporting_organisations",
        widget=NamesWidget(Organisation, "name", noun="organisation"),
    )
    theme = fields.Field(
        attribute="theme",
        column_name="theme",
        widget=LookupWidget(Theme, "name", noun="theme in this plan", scope=_in_priority_version),
    )
    status = fields.Field(
        attribute="status", column_name="status", widget=ChoiceWidget(ActionRow.Status)
    )

    class Meta:
        model = ActionRow
        fields = [
            "id",
            "priority",
            "priority_title",
            "order",
            "description",
            "outcomes",
            "data_lines",
            "lead_organisations",
            "supporting_organisations",
            "theme",
            "status",
        ]
        clean_model_instances = True

    def get_export_queryset(self, request=None):
        return ActionRow.objects.select_related("priority", "theme").prefetch_related(
            "outcomes", "data_lines", "lead_organisations", "supporting_organisations"
        )

    def dehydrate_priority_title(self, action_row) -> str:
        return action_row.priority.title

    def dehydrate_outcomes(self, action_row) -> str:
        return "\n".join(outcome.text for outcome in action_row.outcomes.all())

    def dehydrate_data_lines(self, action_row) -> str:
        return "\n".join(line.text for line in action_row.data_lines.all())

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
            errors["data_lines"] = ValidationError("Give at least one data line, one per line.")
        if errors:
            raise ValidationError(errors)

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
            replace_lines(instance, DataLine, split_lines(row["data"]))
