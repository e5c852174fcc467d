from django.urls import path, register_converter

from . import people_views, site_views, views


class Pattern:
    """A URL part matching `regex`, passed to the view as it is."""

    regex = ""

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class LogoDigest(Pattern):
    regex = "[0-9a-f]{16}"


class LogoExtension(Pattern):
    regex = "png|jpg"


class HexColour(Pattern):
    regex = "[0-9a-f]{6}"


register_converter(LogoDigest, "logo_digest")
register_converter(LogoExtension, "logo_extension")
register_converter(HexColour, "hex_colour")

urlpatterns = [
    path("", views.home, name="home"),
    # A partnership's own site (plans/site_views.py); the product's statements for the rest
    path(
        "accessibility/",
        site_views.product_notice,
        {"kind": "accessibility"},
        name="accessibility",
    ),
    path("privacy/", site_views.product_notice, {"kind": "privacy"}, name="privacy"),
    path(
        "partnerships/<slug:partnership>/about/<str:kind>/",
        site_views.partnership_notice,
        name="partnership-notice",
    ),
    path(
        "manage/site/<slug:partnership>/<str:kind>/",
        site_views.edit_notice,
        name="partnership-notice-edit",
    ),
    path(
        "partnerships/<slug:partnership>/logo-<logo_digest:digest>.<logo_extension:extension>",
        site_views.logo,
        name="partnership-logo",
    ),
    path("brand/<hex_colour:colour>.css", site_views.brand_stylesheet, name="brand-stylesheet"),
    # The manager's: the partnership's people
    path("manage/people/", people_views.people_home, name="people"),
    path("manage/people/<slug:partnership>/", people_views.people, name="people-partnership"),
    path(
        "manage/people/<slug:partnership>/invite/",
        people_views.invite_person,
        name="people-invite",
    ),
    path(
        "manage/people/<slug:partnership>/<int:membership_id>/remove/",
        people_views.remove_member,
        name="people-remove",
    ),
    path(
        "manage/people/<slug:partnership>/<int:membership_id>/send-again/",
        people_views.resend_invitation,
        name="people-resend",
    ),
]
