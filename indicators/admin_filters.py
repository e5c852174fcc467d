"""The reporting-period filter of the returns and action updates lists: the manager's newest
quarters, read from the periods table (see plans/admin_filters.py for why not the list's)."""

from plans.admin_filters import TheirOwnFilter, chosen_partnerships

# A manager chooses among the last three years; older quarters are reached from the reporting
# periods list, whose every row links to its returns and action updates.
NEWEST_PERIODS = 12


class RecentPeriodsFilter(TheirOwnFilter):
    def choices_queryset(self, field, request):
        periods = super().choices_queryset(field, request)
        if not request.user.is_superuser:
            return periods
        # Every partnership's newest quarters are the same quarter three hundred times over.
        partnerships = chosen_partnerships(request)
        return periods.filter(partnership__in=partnerships) if partnerships else periods.none()

    def field_choices(self, field, request, model_admin):
        newest = (
            self.choices_queryset(field, request)
            .select_related("partnership")
            .order_by("-financial_year", "-quarter", "partnership__name")[:NEWEST_PERIODS]
        )
        periods = list(newest)
        several = len({period.partnership_id for period in periods}) > 1
        return [
            (period.pk, f"{period} ({period.partnership})" if several else str(period))
            for period in periods
        ]
