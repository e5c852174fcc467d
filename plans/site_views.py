"""A partnership's own site: its accessibility statement and privacy notice (the product's own
for pages of no partnership), their editing by its managers, its logo and its colour.

Statements are shown for any partnership, published plan or not: its members' pages need them
too, and they name nothing that is not already on its public pages.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_http_methods, require_safe

from .branding import WHITE, contrast_ratio, is_brand_colour
from .markdown import render_markdown
from .models import Partnership, PartnershipLogo, PublicNotice
from .notices import LAST_TESTED, notice_text, prefilled_text, save_notice, title_of
from .roles import is_manager_of, is_member_of
from .site_forms import NoticeForm

A_YEAR = 365 * 24 * 60 * 60


def _kind_or_404(kind: str) -> str:
    if kind not in PublicNotice.Kind.values:
        raise Http404("A partnership's site has an accessibility statement and a privacy notice.")
    return kind


def _site_address(request, partnership: Partnership) -> str:
    return request.build_absolute_uri(partnership.get_absolute_url())


@require_safe
def partnership_notice(request, partnership, kind):
    kind = _kind_or_404(kind)
    found = get_object_or_404(Partnership, slug=partnership)
    text = notice_text(found, kind, site_address=_site_address(request, found))
    return render(
        request,
        "site/notice.html",
        {
            "title": title_of(found, kind),
            "body": render_markdown(text, top_heading=2),
            "kind": kind,
            "can_edit": is_manager_of(request.user, found),
            "site_partnership": found,
        },
    )


@require_safe
def product_notice(request, kind):
    return render(request, f"site/product_{_kind_or_404(kind)}.html", {"last_tested": LAST_TESTED})


def _managed_partnership_or_404(user, slug: str) -> Partnership:
    found = get_object_or_404(Partnership, slug=slug)
    if not is_member_of(user, found):
        raise Http404("No such partnership.")
    if not is_manager_of(user, found):
        raise PermissionDenied("Only the partnership's managers edit its statements.")
    return found


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def edit_notice(request, partnership, kind):
    kind = _kind_or_404(kind)
    found = _managed_partnership_or_404(request.user, partnership)
    if request.method == "POST":
        form = NoticeForm(request.POST)
        if form.is_valid():
            save_notice(found, kind, form.cleaned_data["body"])
            messages.success(request, f"{title_of(found, kind)} saved.")
            return redirect("partnership-notice", partnership=found.slug, kind=kind)
    else:
        stored = PublicNotice.objects.of(found, kind)
        body = (
            stored.body
            if stored
            else prefilled_text(
                found,
                kind,
                site_address=_site_address(request, found),
                prepared=timezone.localdate(),
            )
        )
        form = NoticeForm(initial={"body": body})
    return render(
        request,
        "site/edit_notice.html",
        {
            "form": form,
            "title": title_of(found, kind),
            "kind": kind,
            "site_partnership": found,
        },
    )


def _for_a_year(response: HttpResponse) -> HttpResponse:
    """What these addresses serve never changes: a new logo or colour has a new address."""
    patch_cache_control(response, public=True, max_age=A_YEAR, immutable=True)
    return response


@require_safe
def logo(request, partnership, digest, extension):
    stored = (
        PartnershipLogo.objects.filter(
            partnership__slug=partnership, partnership__logo_digest=digest
        )
        .values_list("image", "partnership__logo_type")
        .first()
    )
    if stored is None:
        raise Http404("No such logo: the partnership may have a new one.")
    image, content_type = stored
    return _for_a_year(HttpResponse(bytes(image), content_type=content_type))


@require_safe
def brand_stylesheet(request, colour):
    """A partnership's colour as GOV.UK Frontend's brand colour, which its components use for
    white text on it (banners) and for it on white (borders, inverse buttons): a stylesheet,
    as the Content-Security-Policy allows no style attributes. Only colours that pass the
    contrast check are served, so nothing else can be put on a page this way."""
    colour = f"#{colour}"
    if colour != colour.lower() or not is_brand_colour(colour):
        raise Http404("Not a brand colour.")
    ratio = contrast_ratio(colour, WHITE)
    css = f"/* {ratio:.1f}:1 against white */\n:root {{ --govuk-brand-colour: {colour}; }}\n"
    return _for_a_year(HttpResponse(css, content_type="text/css; charset=utf-8"))
