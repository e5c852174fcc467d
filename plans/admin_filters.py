"""List filters whose choices come from the small tables (partnerships, agencies, periods),
limited to the signed-in manager's partnerships, never from the list's own table.

Django's RelatedOnlyFieldListFilter finds its choices with a DISTINCT over the listed table:
at national scale (millions of returns) that scan is the slowest part of the page. These read
the related table directly, so a filter costs one small query whatever the list holds.

A superuser sees every partnership: thousands of agencies and quarters nationally, too many to
list or to read. Theirs are listed once the list is filtered to a partnership.
"""

import re

from django.contrib import admin

from . import roles
from .models import Organisation

# A list's partnership filter, on whichever path the list reaches the partnership by.
PARTNERSHIP_CHOSEN = re.compile(r"(^|__)partnership__id__exact$")


def chosen_partnerships(request) -> list[int]:
    """The partnerships the list is filtered to by its partnership filter (none: not filtered)."""
    return [
        int(value)
        for key in request.GET
        if PARTNERSHIP_CHOSEN.search(key)
        for value in request.GET.getlist(key)
        if value.isdigit()
    ]


class TheirOwnFilter(admin.RelatedFieldListFilter):
    """The related objects the manager may see (roles.manageable), read from their table."""

    def choices_queryset(self, field, request):
        return roles.manageable(field.related_model._default_manager.all(), request.user)

    def field_choices(self, field, request, model_admin):
        return [(found.pk, str(found)) for found in self.choices_queryset(field, request)]


class TheirPartnershipsFilter(TheirOwnFilter):
    """A list's partnership: offered to whoever may choose between several. A manager of one
    partnership (most) has nothing to choose, and is spared reading it: the partnerships they
    manage are known already, read once per request."""

    def field_choices(self, field, request, model_admin):
        user = request.user
        if not user.is_superuser and len(roles.managed_partnership_ids(user)) < 2:
            return []
        return super().field_choices(field, request, model_admin)


class TheirAgenciesFilter(TheirOwnFilter):
    """Agencies that are members of the manager's partnerships, by name."""

    def choices_queryset(self, field, request):
        agencies = Organisation.objects.order_by("name")
        if request.user.is_superuser:
            partnerships = chosen_partnerships(request)
            if not partnerships:
                return agencies.none()
        else:
            partnerships = roles.managed_partnership_ids(request.user)
        return agencies.filter(pk__in=Organisation.objects.filter(partnerships__in=partnerships))
