from .models import Membership


def roles(request) -> dict:
    """What the signed-in person's navigation offers, from one query; nothing (and no query)
    for visitors."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    held = set(user.memberships.values_list("role", flat=True).distinct())
    return {
        "nav_is_member": bool(held),
        "nav_is_officer": Membership.Role.OFFICER in held,
        "nav_is_manager": Membership.Role.MANAGER in held,
    }
