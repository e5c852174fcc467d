from .roles import managed_partnerships, officer_memberships


def roles(request) -> dict:
    """What the signed-in person's navigation offers; nothing (and no query) for visitors."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_is_officer": officer_memberships(user).exists(),
        "nav_is_manager": managed_partnerships(user).exists(),
    }
