"""Public pages of the plans app: the home page. (A partnership's page shows its results too,
so it is in reporting.)"""

from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render
from django.views.decorators.http import require_safe

from .public import home_stamp, listed_partnerships, public_partnerships
from .public_cache import public_page

PARTNERSHIPS_PER_PAGE = 20
LONGEST_SEARCH = 100


@require_safe
@public_page(home_stamp)
def home(request):
    """Partnerships with a published plan, by name, a page at a time; `?q=` finds them by name
    or area. A page number that is not one gives the first page, one past the end the last."""
    search = request.GET.get("q", "").strip()[:LONGEST_SEARCH]
    partnerships = public_partnerships().order_by("name", "pk")
    if search:
        partnerships = partnerships.filter(
            Q(name__icontains=search) | Q(area_name__icontains=search)
        )
    page = Paginator(partnerships, PARTNERSHIPS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "public/home.html",
        {
            "partnerships": listed_partnerships(page.object_list),
            "page": page,
            "page_numbers": page.paginator.get_elided_page_range(
                page.number, on_each_side=1, on_ends=1
            ),
            "search": search,
        },
    )
