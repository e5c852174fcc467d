"""The print header and footer of a plan version's pages (the plan and its priorities): every
printed page names the plan, its address and the day it was printed, and is numbered. A draft's
is for members only, like the draft (404 for everyone else)."""

from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from plans import printing

from ..drafts import readable_version_or_404


@require_safe
def plan_print_styles(request, partnership: str, plan: str, number: int):
    version = readable_version_or_404(request.user, partnership, plan, number)
    if version.is_public:
        title = version.plan.title
        address = version.get_absolute_url()
    else:
        title = f"Draft, not published: {version.plan.title} ({version.label})"
        address = reverse("plan-draft", args=[partnership, plan, number])
    css = printing.page_css(
        title=title,
        printed=timezone.localdate(),
        address=request.build_absolute_uri(address),
        size="A4",
        orientation="portrait",
    )
    return printing.stylesheet_response(css)
