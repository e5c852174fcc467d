"""Spreadsheet import and export (CSV, XLSX) of indicators and returns.

Rows name things the way managers do, in any case: the partnership's slug, the indicator's
code, the period's label ("2023/24 Q1"), the area's name, the owner's name or abbreviation;
each looked up in the row's partnership only (and only among those the importer manages).
"""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from import_export import fields

from plans.models import Area, Organisation, Partnership
from plans.spreadsheet_widgets import (
    ChoiceWidget,
    LookupWidget,
    NumberWidget,
    WholeNumberWidget,
)
from plans.spreadsheets import AllOrNothingResource

from . import periods
from .models import Indicator, ReportingPeriod, Return, SubmissionStatus


class PartnershipRows(AllOrNothingResource):
    """Rows that name their partnership (its slug or name) in a `partnership` column; the
    other names in the row are looked up in that partnership only."""

    def partnership_id(self, row) -> int | None:
        try:
            found = self.fields["partnership"].widget.clean(row.get("partnership"), row)
        except ValueError:
            return None  # reported beside its column, or the row's other cells say it
        return found.pk if found else None

    def in_partnership(self, path: str):
        """A scope for LookupWidget: what `path` leads from to the row's partnership."""

        def scope(row) -> dict:
            partnership_id = self.partnership_id(row)
            return {path: partnership_id} if partnership_id else {"pk": None}  # nothing

        return scope


def partnership_widget() -> LookupWidget:
    return LookupWidget(Partnership, ("slug", "name"), noun="partnership you manage")


class PeriodLabelWidget(LookupWidget):
    """Finds a reporting period from its label, "2023/24 Q1", within the row's partnership."""

    def __init__(self):
        super().__init__(ReportingPeriod, field="pk", noun="reporting period")

    def look_up(self, text, row):
        financial_year, quarter = periods.parse_period_label(text)  # ValueError explains itself
        period = (
            self.get_queryset(text, row)
            .filter(financial_year=financial_year, quarter=quarter)
            .first()
        )
        if period is None:
            raise ValueError(f'The partnership has no reporting period "{text}".')
        return period

    def render(self, value, obj=None, **kwargs):
        return value.label if value else ""


class IndicatorResource(PartnershipRows):
    partnership = fields.Field(
        attribute="partnership", column_name="partnership", widget=partnership_widget()
    )
    unit = fields.Field(attribute="unit", column_name="unit", widget=ChoiceWidget(Indicator.Unit))
    good_direction = fields.Field(
        attribute="good_direction",
        column_name="good_direction",
        widget=ChoiceWidget(Indicator.Direction),
    )
    baseline_value = fields.Field(
        attribute="baseline_value", column_name="baseline_value", widget=NumberWidget()
    )
    baseline_span = fields.Field(
        attribute="baseline_span", column_name="baseline_span", widget=ChoiceWidget(Indicator.Span)
    )
    rag_tolerance = fields.Field(
        attribute="rag_tolerance", column_name="rag_tolerance", widget=NumberWidget()
    )
    # A blank cell: no one agency sends in the figures (the plan names none).
    owner = fields.Field(
        attribute="owner",
        column_name="owner",
        widget=LookupWidget(
            Organisation, ("name", "short_name"), noun="organisation in this partnership"
        ),
        saves_null_values=True,
    )

    class Meta:
        model = Indicator
        fields = [
            "partnership",
            "code",
            "name",
            "description",
            "unit",
            "good_direction",
            "baseline_value",
            "baseline_period",
            "baseline_span",
            "is_cumulative",
            "rag_tolerance",
            "owner",
            "is_active",
        ]
        import_id_fields = ["partnership", "code"]
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    # The blank template's columns and example row.
    example_row = {
        "partnership": "lichfield",
        "code": "SV-KNIVES",
        "name": "Knives surrendered",
        "description": "Knives handed in at the surrender bins, from police records.",
        "unit": "Count",
        "good_direction": "Higher is better",
        "baseline_value": 120,
        "baseline_period": "2023/24",
        "baseline_span": "A whole year",
        "is_cumulative": "yes",
        "rag_tolerance": 10,
        "owner": "Staffordshire Police",
        "is_active": "yes",
    }

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.fields["owner"].widget.scope = self.in_partnership("partnerships")

    def get_export_queryset(self, request=None):
        return Indicator.objects.select_related("partnership", "owner")

    def get_instance(self, instance_loader, row):
        # The indicator the row updates: its code in any case, in the row's partnership.
        code = str(row.get("code") or "").strip()
        partnership_id = self.partnership_id(row)
        if not code or partnership_id is None:
            return None
        return Indicator.objects.filter(partnership_id=partnership_id, code__iexact=code).first()

    def check_row(self, instance, row) -> None:
        """The baseline obeys the unit's rules, as a quarter's figure does on the entry page."""
        super().check_row(instance, row)
        if instance.baseline_value is None or "baseline_value" not in row:
            return
        try:
            instance.check_value(instance.baseline_value)
        except ValidationError as error:
            raise ValidationError({"baseline_value": error.messages}) from None


class ReturnResource(PartnershipRows):
    partnership = fields.Field(
        column_name="partnership", readonly=True, widget=partnership_widget()
    )
    indicator = fields.Field(
        attribute="indicator",
        column_name="indicator",
        widget=LookupWidget(Indicator, "code", noun="indicator"),
    )
    reporting_period = fields.Field(
        attribute="reporting_period", column_name="period", widget=PeriodLabelWidget()
    )
    area = fields.Field(
        attribute="area",
        column_name="area",
        widget=LookupWidget(Area, "name", noun="area"),
    )
    value = fields.Field(attribute="value", column_name="value", widget=NumberWidget())
    rag_override = fields.Field(
        attribute="rag_override", column_name="rating_override", widget=ChoiceWidget(Return.Rag)
    )
    rag_override_reason = fields.Field(
        attribute="rag_override_reason", column_name="rating_override_reason"
    )
    comparison_rank = fields.Field(
        attribute="comparison_rank", column_name="comparison_rank", widget=WholeNumberWidget()
    )
    comparison_group_size = fields.Field(
        attribute="comparison_group_size",
        column_name="comparison_group_size",
        widget=WholeNumberWidget(),
    )
    # Where a figure stands is the workflow's to say: exported, never imported.
    status = fields.Field(
        attribute="status",
        column_name="status",
        widget=ChoiceWidget(SubmissionStatus),
        readonly=True,
    )
    returned_reason = fields.Field(
        attribute="returned_reason", column_name="returned_reason", readonly=True
    )

    class Meta:
        model = Return
        fields = [
            "partnership",
            "indicator",
            "reporting_period",
            "area",
            "value",
            "rag_override",
            "rag_override_reason",
            "commentary",
            "comparison_rank",
            "comparison_group_size",
            "status",
            "returned_reason",
        ]
        import_id_fields = ["indicator", "reporting_period", "area"]
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    # The blank template's columns and example row (status is the workflow's: not imported).
    example_row = {
        "partnership": "lichfield",
        "indicator": "SV-KNIVES",
        "period": "2024/25 Q1",
        "area": "",
        "value": 31,
        "rating_override": "",
        "rating_override_reason": "",
        "commentary": "Two new bins opened in May.",
        "comparison_rank": "",
        "comparison_group_size": "",
    }

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        for name in ("indicator", "reporting_period", "area"):
            self.fields[name].widget.scope = self.in_partnership("partnership_id")

    def get_export_queryset(self, request=None):
        return self.filter_export(Return.objects.all())

    def filter_export(self, queryset, **kwargs):
        # The admin exports its (filtered) list's queryset: join what each row's cells read,
        # so an export runs a fixed number of queries however many rows it holds.
        return queryset.select_related("indicator__partnership", "reporting_period", "area")

    def dehydrate_partnership(self, instance) -> str:
        return instance.indicator.partnership.slug if instance.indicator_id else ""

    def check_row(self, instance, row) -> None:
        """New figures come in as drafts; a figure already sent to the manager is theirs to
        decide on, and an approved one is locked until reopened."""
        super().check_row(instance, row)
        if instance._state.adding or instance.is_editable or not self._changes(instance):
            return  # an unchanged row of an exported sheet is skipped, not refused
        if instance.status == SubmissionStatus.APPROVED:
            message = "This figure is approved: reopen it first (Manage returns) to change it."
        else:
            message = (
                "This figure is submitted: approve it or return it to the officer before "
                "changing it."
            )
        raise ValidationError({NON_FIELD_ERRORS: message})

    @staticmethod
    def _changes(instance) -> bool:
        stored = type(instance).objects.get(pk=instance.pk)
        return any(
            getattr(stored, name) != getattr(instance, name)
            for name in (
                "value",
                "commentary",
                "rag_override",
                "rag_override_reason",
                "comparison_rank",
                "comparison_group_size",
            )
        )

    def before_save_instance(self, instance, row, **kwargs):
        # A change moves the revision, so an officer's page showing the old one is refused.
        instance.revision += 1
        if self.user is not None:
            instance.entered_by = self.user
