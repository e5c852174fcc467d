"""A partnership's accessibility statement and privacy notice: what its manager wrote, or until
then a text prefilled from what the product knows (templates/site/defaults/)."""

from datetime import date

from django.template.loader import render_to_string

from .models import Organisation, Partnership, PublicNotice

# When the product's pages were last checked against WCAG 2.2 AA (the browser tests run axe-core
# on every page type): the date a prefilled statement gives for its test.
LAST_TESTED = date(2026, 11, 22)

TITLES = {
    PublicNotice.Kind.ACCESSIBILITY: "Accessibility statement for {name}",
    PublicNotice.Kind.PRIVACY: "Privacy notice for {name}",
}


def title_of(partnership: Partnership, kind: str) -> str:
    return TITLES[kind].format(name=partnership.name)


def data_controller(partnership: Partnership) -> str:
    """Who decides how the site's personal data is used: the partnership's district council
    (the usual lead of a Community Safety Partnership), else its county council, else itself."""
    councils = {
        kind: name
        for name, kind in partnership.organisations.filter(
            kind__in=[Organisation.Kind.DISTRICT_COUNCIL, Organisation.Kind.COUNTY_COUNCIL]
        )
        .order_by("-name")
        .values_list("name", "kind")
    }
    return (
        councils.get(Organisation.Kind.DISTRICT_COUNCIL)
        or councils.get(Organisation.Kind.COUNTY_COUNCIL)
        or partnership.name
    )


def prefilled_text(partnership: Partnership, kind: str, *, site_address: str, prepared: date):
    """The statement as the product would write it for this partnership today."""
    contact = (
        f"[{partnership.contact_email}](mailto:{partnership.contact_email})"
        if partnership.contact_email
        else partnership.name
    )
    context = {
        "partnership": partnership,
        "site_address": site_address,
        "contact": contact,
        "prepared": prepared,
        "tested": LAST_TESTED,
    }
    if kind == PublicNotice.Kind.PRIVACY:
        context["controller"] = data_controller(partnership)
    return render_to_string(f"site/defaults/{kind}.md", context).strip() + "\n"


def notice_text(partnership: Partnership, kind: str, *, site_address: str) -> str:
    """What the partnership's page shows: its manager's text, else the prefilled one."""
    stored = PublicNotice.objects.of(partnership, kind)
    if stored is not None:
        return stored.body
    return prefilled_text(partnership, kind, site_address=site_address, prepared=LAST_TESTED)


def save_notice(partnership: Partnership, kind: str, body: str) -> PublicNotice:
    notice, _ = PublicNotice.objects.update_or_create(
        partnership=partnership, kind=kind, defaults={"body": body}
    )
    return notice
