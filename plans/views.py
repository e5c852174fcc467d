"""Public pages of the plans app: the home page. (A partnership's page shows its results too,
so it is in reporting.)"""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from .public import public_partnerships


@require_safe
def home(request):
    return render(request, "public/home.html", {"partnerships": public_partnerships()})
