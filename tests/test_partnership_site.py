"""A partnership's own site: its colour within GOV.UK Frontend's contrast, its logo (PNG or
JPEG, 200 KB at most, kept in the database), its contact details, and the accessibility
statement and privacy notice every page links to, prefilled and edited by its managers."""

import base64
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from plans.branding import contrast_ratio, logo_digest
from plans.models import PartnershipLogo, PlanVersion, PublicNotice
from tests.admin_forms import admin_form_values
from tests.builders import give_admin_rights
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# A 1×1 PNG, and the start of a JPEG: what the logo check reads is the file's first bytes.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'

ACCESSIBILITY_HEADINGS = [
    "How accessible this website is",
    "Feedback and contact information",
    "Reporting accessibility problems with this website",
    "Enforcement procedure",
    "Technical information about this website's accessibility",
    "Compliance status",
    "Non-accessible content",
    "What we're doing to improve accessibility",
    "Preparation of this accessibility statement",
]


def branded(partnership, **fields):
    for name, value in fields.items():
        setattr(partnership, name, value)
    partnership.save()
    return partnership


def with_logo(partnership, data=PNG, content_type="image/png"):
    PartnershipLogo.objects.create(partnership=partnership, image=data)
    return branded(partnership, logo_digest=logo_digest(data), logo_type=content_type)


# ---- the rules ------------------------------------------------------------------------------


def test_contrast_ratio_follows_wcag():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert contrast_ratio("#1d70b8", "#1d70b8") == pytest.approx(1)
    assert contrast_ratio("#1d70b8", "#ffffff") == pytest.approx(5.17, abs=0.01)
    assert contrast_ratio("#FFFFFF", "#767676") == pytest.approx(4.54, abs=0.01)


# ---- the partnership in the admin -----------------------------------------------------------


@pytest.fixture
def admin_page(admin_manager_client, cast):
    url = f"/admin/plans/partnership/{cast.partnership.pk}/change/"
    page = admin_manager_client.get(url)
    assert page.status_code == 200

    def post(**changes):
        data = admin_form_values(page)
        data.update(changes)
        return admin_manager_client.post(url, data)

    return post


def test_manager_sets_colour_and_contact_details_in_the_admin(admin_page, cast):
    response = admin_page(
        brand_colour="#0B0C0C",
        contact_email="csp@lichfielddc.gov.uk",
        contact_phone="01543 308000",
        contact_address="District Council House\nFrog Lane",
        website="https://www.lichfielddc.gov.uk/",
    )

    assert response.status_code == 302
    cast.partnership.refresh_from_db()
    assert cast.partnership.brand_colour == "#0b0c0c"  # as the stylesheet's address needs it
    assert cast.partnership.contact_phone == "01543 308000"


@pytest.mark.parametrize(
    ("colour", "message"),
    [
        ("#ffdd00", "contrast ratio of 1.3:1"),  # GOV.UK yellow: white text on it is unreadable
        ("#00a33b", "contrast ratio of 3.3:1"),
        ("blue", "Enter the colour as a hex code of 6 characters, like #1d70b8."),
        ("#1d70b", "Enter the colour as a hex code"),
    ],
)
def test_a_colour_without_enough_contrast_is_refused_beside_the_field(
    admin_page, cast, colour, message
):
    response = admin_page(brand_colour=colour, contact_email="kept@example.org")

    assert response.status_code == 200
    assert message in response.context["adminform"].form.errors["brand_colour"][0]
    cast.partnership.refresh_from_db()
    assert cast.partnership.brand_colour == ""
    assert cast.partnership.contact_email == ""  # nothing half saved


def test_manager_uploads_a_png_logo_stored_in_the_database(admin_page, cast):
    response = admin_page(logo_upload=SimpleUploadedFile("logo.png", PNG, "image/png"))

    assert response.status_code == 302
    cast.partnership.refresh_from_db()
    assert cast.partnership.logo_type == "image/png"
    assert bytes(cast.partnership.logo.image) == PNG
    served = Client().get(cast.partnership.logo_url)  # a visitor: a signed-in page is never kept
    assert served.status_code == 200
    assert served.content == PNG
    assert served["Content-Type"] == "image/png"
    assert "immutable" in served["Cache-Control"]
    assert "max-age=31536000" in served["Cache-Control"]


def test_a_new_logo_has_a_new_address_and_the_old_one_is_gone(admin_page, cast):
    with_logo(cast.partnership)
    old_url = cast.partnership.logo_url

    assert (
        admin_page(logo_upload=SimpleUploadedFile("logo.jpg", JPEG, "image/jpeg")).status_code
        == 302
    )

    cast.partnership.refresh_from_db()
    assert cast.partnership.logo_url != old_url
    assert cast.partnership.logo_url.endswith(".jpg")
    assert Client().get(old_url).status_code == 404
    assert Client().get(cast.partnership.logo_url).content == JPEG


def test_manager_removes_the_logo(admin_page, cast):
    with_logo(cast.partnership)

    assert admin_page(remove_logo="on").status_code == 302

    cast.partnership.refresh_from_db()
    assert cast.partnership.logo_url == ""
    assert not PartnershipLogo.objects.exists()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("logo.svg", SVG, "The logo must be a PNG or JPEG image (SVG and other files are not"),
        ("logo.png", b"GIF89a" + b"\x00" * 20, "The logo must be a PNG or JPEG image"),
        ("logo.png", PNG + b"\x00" * (200 * 1024), "The logo must be 200 KB or smaller"),
    ],
)
def test_a_logo_that_is_not_a_small_png_or_jpeg_is_refused(admin_page, cast, name, data, message):
    response = admin_page(
        logo_upload=SimpleUploadedFile(name, data, "image/png"), contact_phone="0800 000000"
    )

    assert response.status_code == 200
    assert message in response.context["adminform"].form.errors["logo_upload"][0]
    cast.partnership.refresh_from_db()
    assert cast.partnership.logo_digest == ""
    assert cast.partnership.contact_phone == ""
    assert not PartnershipLogo.objects.exists()


def test_a_logo_of_exactly_200_kb_is_accepted(admin_page, cast):
    data = PNG + b"\x00" * (200 * 1024 - len(PNG))

    assert admin_page(logo_upload=SimpleUploadedFile("logo.png", data)).status_code == 302
    assert bytes(PartnershipLogo.objects.get().image) == data


def test_manager_of_another_partnership_cannot_brand_this_one(client, cast):
    other = PartnershipFactory(slug="tamworth")
    stranger = give_admin_rights(UserFactory())
    MembershipFactory(user=stranger, partnership=other, role="manager")
    client.force_login(stranger)
    url = f"/admin/plans/partnership/{cast.partnership.pk}/change/"

    response = client.post(url, {"name": "Hijacked", "brand_colour": "#0b0c0c"})

    assert response.status_code == 302
    assert response.url == "/admin/"  # the admin's "no such object": it is not theirs to see
    cast.partnership.refresh_from_db()
    assert cast.partnership.brand_colour == ""
    assert cast.partnership.name != "Hijacked"


# ---- the partnership's pages ----------------------------------------------------------------


def test_partnership_pages_show_its_colour_logo_and_contact_details(client, cast):
    with_logo(cast.partnership)
    branded(
        cast.partnership,
        brand_colour="#0b0c0c",
        contact_email="csp@lichfielddc.gov.uk",
        contact_phone="01543 308000",
        contact_address="District Council House\nFrog Lane",
        website="https://www.lichfielddc.gov.uk/",
    )

    page = client.get(cast.version.get_absolute_url()).content.decode()

    assert '<link rel="stylesheet" href="/brand/0b0c0c.css">' in page
    assert f'src="{cast.partnership.logo_url}" alt="Logo of {cast.partnership.name}"' in page
    assert 'href="mailto:csp@lichfielddc.gov.uk"' in page
    assert "Phone: 01543 308000" in page
    assert "District Council House<br>Frog Lane" in page
    assert 'href="https://www.lichfielddc.gov.uk/"' in page
    slug = cast.partnership.slug
    assert f'href="/partnerships/{slug}/about/accessibility/">Accessibility statement' in page
    assert f'href="/partnerships/{slug}/about/privacy/">Privacy notice' in page


def test_an_unbranded_partnership_keeps_the_standard_look(client, cast):
    page = client.get(cast.version.get_absolute_url()).content.decode()

    assert "/brand/" not in page
    assert "app-brand-bar" not in page
    assert "app-logo" not in page
    assert "app-contact" not in page


def test_pages_of_no_partnership_link_to_the_products_statements(client, cast):
    page = client.get("/").content.decode()

    assert 'href="/accessibility/">Accessibility statement' in page
    assert 'href="/privacy/">Privacy notice' in page
    for url, heading in (
        ("/accessibility/", "Accessibility statement for Community safety plans"),
        ("/privacy/", "Privacy notice for Community safety plans"),
    ):
        assert heading in client.get(url).content.decode()


def test_the_brand_stylesheet_sets_govuk_frontends_brand_colour(client):
    response = client.get("/brand/0b0c0c.css")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/css; charset=utf-8"
    assert ":root { --govuk-brand-colour: #0b0c0c; }" in response.content.decode()
    assert "immutable" in response["Cache-Control"]
    assert client.get("/brand/ffdd00.css").status_code == 404  # too light: never served


def test_a_new_colour_reaches_caches_at_once(client, cast):
    PlanVersion.objects.update(updated_at=timezone.now() - timedelta(hours=1))
    url = cast.version.get_absolute_url()
    held = client.get(url)["Last-Modified"]
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=held).status_code == 304

    branded(cast.partnership, brand_colour="#0b0c0c")

    fresh = client.get(url, HTTP_IF_MODIFIED_SINCE=held)
    assert fresh.status_code == 200
    assert "/brand/0b0c0c.css" in fresh.content.decode()


# ---- the statements -------------------------------------------------------------------------


def test_accessibility_statement_is_prefilled_with_the_model_statements_headings(client, cast):
    branded(cast.partnership, contact_email="csp@example.org", contact_phone="01543 308000")

    response = client.get(f"/partnerships/{cast.partnership.slug}/about/accessibility/")

    page = response.content.decode()
    assert f"Accessibility statement for {cast.partnership.name}</h1>" in page
    for heading in ACCESSIBILITY_HEADINGS:
        assert f">{heading}</h" in page.replace("&#x27;", "'"), heading
    assert "Web Content Accessibility Guidelines version 2.2" in page
    assert "axe-core" in page
    assert 'href="mailto:csp@example.org"' in page
    assert "call 01543 308000" in page
    assert "http://testserver/partnerships/lichfield/" in page


def test_privacy_notice_names_the_lead_council_as_data_controller(client, cast):
    response = client.get(f"/partnerships/{cast.partnership.slug}/about/privacy/")

    page = response.content.decode()
    assert f"Privacy notice for {cast.partnership.name}</h1>" in page
    # The cast's council is of the factory's kind; a district council is named first.
    council = OrganisationFactory(name="Lichfield District Council (DC)", kind="district_council")
    cast.partnership.organisations.add(council)
    page = client.get(f"/partnerships/{cast.partnership.slug}/about/privacy/").content.decode()
    assert "Lichfield District Council (DC) is the data controller" in page
    assert 'href="https://ico.org.uk/make-a-complaint/"' in page
    assert "names and work e-mail" not in page  # the text says it its own way:
    assert "name and work e-mail address" in page


def test_a_partnership_without_a_council_is_its_own_data_controller(client):
    partnership = PartnershipFactory(name="Riverside CSP", slug="riverside")

    page = client.get(f"/partnerships/{partnership.slug}/about/privacy/").content.decode()

    assert "Riverside CSP is the data controller" in page


def test_the_managers_text_replaces_the_prefilled_one_sanitised(client, cast):
    PublicNotice.objects.create(
        partnership=cast.partnership,
        kind="accessibility",
        body="# How accessible this website is\n\nVery.<script>alert(1)</script>",
    )

    page = client.get(f"/partnerships/{cast.partnership.slug}/about/accessibility/")

    html = page.content.decode()
    assert '<h2 class="govuk-heading-l">How accessible this website is</h2>' in html
    assert "Very." in html
    assert "<script>alert" not in html
    assert "Enforcement procedure" not in html


def test_an_unknown_statement_or_partnership_is_not_found(client, cast):
    assert client.get(f"/partnerships/{cast.partnership.slug}/about/cookies/").status_code == 404
    assert client.get("/partnerships/nowhere/about/privacy/").status_code == 404


@pytest.mark.parametrize("kind", ["accessibility", "privacy"])
def test_statement_pages_take_a_fixed_number_of_queries(
    client, cast, django_assert_num_queries, kind
):
    url = f"/partnerships/{cast.partnership.slug}/about/{kind}/"
    queries = {"accessibility": 2, "privacy": 3}[kind]  # partnership, stored text (controller)
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200


# ---- editing the statements ----------------------------------------------------------------


def edit_url(cast, kind="accessibility"):
    return f"/manage/site/{cast.partnership.slug}/{kind}/"


@pytest.mark.parametrize("kind", ["accessibility", "privacy"])
def test_manager_edits_a_statement_prefilled_with_todays_text(manager_client, cast, kind):
    page = manager_client.get(edit_url(cast, kind))

    assert page.status_code == 200
    prefilled = page.context["form"].initial["body"]
    assert timezone.localdate().strftime("%-d %B %Y") in prefilled
    assert cast.partnership.name in prefilled

    response = manager_client.post(edit_url(cast, kind), {"body": "# Our own words\n\nText."})

    assert response.status_code == 302
    assert response.url == f"/partnerships/{cast.partnership.slug}/about/{kind}/"
    assert PublicNotice.objects.get(partnership=cast.partnership, kind=kind).body == (
        "# Our own words\n\nText."
    )
    shown = manager_client.get(response.url).content.decode()
    assert "Our own words" in shown
    assert "saved." in shown
    assert f'href="{edit_url(cast, kind)}"' in shown  # the manager's way back to edit it


def test_the_stored_text_is_what_the_manager_edits_next_time(manager_client, cast):
    PublicNotice.objects.create(partnership=cast.partnership, kind="privacy", body="Kept.")

    page = manager_client.get(edit_url(cast, "privacy"))

    assert page.context["form"].initial["body"] == "Kept."


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "Write the text: the page cannot be empty."),
        ("x" * 20_001, "Shorten this to 20000 characters or fewer (it has 20001)."),
    ],
)
def test_bad_text_is_refused_beside_the_field_and_nothing_saved(
    manager_client, cast, body, message
):
    PublicNotice.objects.create(partnership=cast.partnership, kind="accessibility", body="Kept.")

    response = manager_client.post(edit_url(cast), {"body": body})

    assert response.status_code == 200
    assert response.context["form"].errors["body"] == [message]
    page = response.content.decode()
    assert "There is a problem" in page
    assert 'href="#id_body"' in page
    assert PublicNotice.objects.get().body == "Kept."


@pytest.mark.parametrize(
    ("who", "status"),
    [("officer", 403), ("reviewer", 403), ("other_manager", 404)],
)
def test_only_the_partnerships_managers_edit_its_statements(client, cast, who, status):
    if who == "other_manager":
        user = UserFactory()
        MembershipFactory(user=user, partnership=PartnershipFactory(), role="manager")
    else:
        user = getattr(cast, who)
    client.force_login(user)

    assert client.get(edit_url(cast)).status_code == status
    assert client.post(edit_url(cast), {"body": "Hijacked"}).status_code == status
    assert not PublicNotice.objects.exists()


def test_visitors_are_sent_to_sign_in_and_nothing_is_saved(client, cast):
    response = client.post(edit_url(cast), {"body": "Hijacked"})

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
    assert not PublicNotice.objects.exists()


def test_officers_see_no_edit_link(client, cast):
    client.force_login(cast.officer)

    page = client.get(f"/partnerships/{cast.partnership.slug}/about/accessibility/")

    assert edit_url(cast) not in page.content.decode()


def test_the_edit_page_takes_a_fixed_number_of_queries(
    manager_client, cast, django_assert_num_queries
):
    manager_client.get(edit_url(cast))  # the session is read once warmed
    # session, user, partnership, member?, manager?, its stored text, the navigation's roles
    with django_assert_num_queries(7):
        assert manager_client.get(edit_url(cast)).status_code == 200


def test_the_logo_takes_one_query(client, cast, django_assert_num_queries):
    with_logo(cast.partnership)
    with django_assert_num_queries(1):
        assert client.get(cast.partnership.logo_url).status_code == 200


def test_a_branded_plan_page_takes_no_more_queries_than_a_plain_one(
    client, cast, django_assert_max_num_queries
):
    url = cast.version.get_absolute_url()
    with django_assert_max_num_queries(50) as plain:
        client.get(url)
    with_logo(cast.partnership)
    branded(cast.partnership, brand_colour="#0b0c0c", contact_email="csp@example.org")
    with django_assert_max_num_queries(len(plain.captured_queries)):
        assert "/brand/0b0c0c.css" in client.get(url).content.decode()


def test_the_products_statements_take_no_query_for_a_visitor(client, django_assert_num_queries):
    for url in ("/accessibility/", "/privacy/"):
        with django_assert_num_queries(0):
            assert client.get(url).status_code == 200


def test_the_admin_links_the_manager_to_the_statements(admin_manager_client, cast):
    page = admin_manager_client.get(f"/admin/plans/partnership/{cast.partnership.pk}/change/")

    html = page.content.decode()
    assert f'href="{edit_url(cast, "accessibility")}"' in html
    assert f'href="{edit_url(cast, "privacy")}"' in html
