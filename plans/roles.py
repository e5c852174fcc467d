"""Who someone is in a partnership, read from their memberships, and so what they may see and
change. Every signed-in view and every admin page asks here.

In the admin a superuser sees everything; a partnership manager sees and changes only their
own partnerships' objects; anyone else (an officer, a reviewer, staff with no membership) sees
nothing. Each model says how to reach its partnership (`partnership_path`, see
plans/models/tenancy.py).
"""

from django.db.models import Q

from .models import Membership, Organisation, Partnership
from .models.tenancy import partnership_id_of, partnership_ids_of


def officer_memberships(user):
    """The (partnership, organisation) pairs a person enters returns for."""
    if not user.is_authenticated:
        return Membership.objects.none()
    return user.memberships.officers().select_related("partnership", "organisation")


def is_officer_of(user, organisation: Organisation, partnership: Partnership) -> bool:
    return (
        officer_memberships(user)
        .filter(organisation=organisation, partnership=partnership)
        .exists()
    )


def member_partnerships(user):
    """Partnerships a person belongs to in any role: they read its draft pages and reports."""
    if not user.is_authenticated:
        return Partnership.objects.none()
    return Partnership.objects.filter(pk__in=user.memberships.values("partnership"))


def is_member_of(user, partnership: Partnership) -> bool:
    return member_partnerships(user).filter(pk=partnership.pk).exists()


def managed_partnerships(user):
    if not user.is_authenticated:
        return Partnership.objects.none()
    return Partnership.objects.filter(
        pk__in=Membership.objects.managers().filter(user=user).values("partnership")
    )


def is_manager_of(user, partnership: Partnership) -> bool:
    return managed_partnerships(user).filter(pk=partnership.pk).exists()


def managed_partnership_ids(user) -> set[int]:
    """The partnerships a person manages, read once per request."""
    if not user.is_authenticated:
        return set()
    if not hasattr(user, "_managed_partnership_ids"):
        user._managed_partnership_ids = set(managed_partnerships(user).values_list("pk", flat=True))
    return user._managed_partnership_ids


def manages_any(user) -> bool:
    return user.is_superuser or bool(managed_partnership_ids(user))


def manageable(queryset, user):
    """The part of `queryset` a person may see in the admin."""
    if user.is_superuser:
        return queryset
    managed = managed_partnerships(user)
    model = queryset.model
    if model is Organisation:
        # Agencies serve several partnerships: a manager sees their members, and agencies not
        # yet in any partnership (so a new one can be added).
        return queryset.filter(Q(partnerships__in=managed) | Q(partnerships=None)).distinct()
    path = model.partnership_path or "pk"
    return queryset.filter(**{f"{path}__in": managed})


def can_see(user, obj) -> bool:
    if user.is_superuser:
        return True
    if isinstance(obj, Organisation):
        theirs = partnership_ids_of(obj)
        return not theirs or bool(theirs & managed_partnership_ids(user))
    return partnership_id_of(obj) in managed_partnership_ids(user)


def can_manage(user, obj) -> bool:
    """Whether a person may change or delete `obj`. An agency shared with partnerships they do
    not manage is read-only to them: renaming it would change others' plans."""
    if user.is_superuser:
        return True
    if isinstance(obj, Organisation):
        return partnership_ids_of(obj) <= managed_partnership_ids(user)
    found = partnership_id_of(obj)
    return found is not None and found in managed_partnership_ids(user)
