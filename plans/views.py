"""Public pages of the plans app: the home page and a partnership's page."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from .public import public_partnership_or_404, public_partnerships


@require_safe
def home(request):
    return render(request, "public/home.html", {"partnerships": public_partnerships()})


@require_safe
def partnership(request, partnership):
    found = public_partnership_or_404(partnership)
    organisations = found.organisations.all()
    return render(
        request,
        "public/partnership.html",
        {"partnership": found, "organisations": organisations, "site_partnership": found},
    )
