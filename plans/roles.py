"""Who someone is in a partnership, read from their memberships. Every signed-in view asks here."""

from .models import Membership, Organisation, Partnership


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


def managed_partnerships(user):
    if not user.is_authenticated:
        return Partnership.objects.none()
    return Partnership.objects.filter(
        pk__in=Membership.objects.managers().filter(user=user).values("partnership")
    )


def is_manager_of(user, partnership: Partnership) -> bool:
    return managed_partnerships(user).filter(pk=partnership.pk).exists()
