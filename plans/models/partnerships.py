from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from ..branding import LOGO_EXTENSIONS, normalised_colour, validate_brand_colour
from .risk_scales import DEFAULT_SCALE, SCALE_CHOICES
from .text import LINE, NOTE, bounded_text


class Organisation(models.Model):
    """A partner agency: council, police force, fire service, housing provider, charity."""

    class Kind(models.TextChoices):
        DISTRICT_COUNCIL = "district_council", "District or borough council"
        COUNTY_COUNCIL = "county_council", "County council"
        POLICE = "police", "Police"
        FIRE = "fire", "Fire and rescue service"
        PROBATION = "probation", "Probation service"
        HOUSING = "housing", "Housing provider"
        HEALTH = "health", "Health"
        VOLUNTARY = "voluntary", "Voluntary or community sector"
        OTHER = "other", "Other"

    name = models.CharField(
        max_length=200, unique=True, help_text="Full name, e.g. Staffordshire Police."
    )
    short_name = models.CharField(
        max_length=40, blank=True, help_text="Abbreviation used in tables, e.g. LDC."
    )
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.OTHER)
    website = models.URLField(blank=True, help_text="The agency's public website, if any.")

    # The partnership it belongs to, as a lookup path (see plans/models/tenancy.py).
    partnership_path = "partnerships"

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PartnershipQuerySet(models.QuerySet):
    def with_public_plan(self):
        """Partnerships the public can read a plan of."""
        from .documents import PlanVersion  # documents imports this module

        # EXISTS rather than a join made DISTINCT: the count and the page are then plain
        # lookups, not a de-duplication of every partnership's whole row.
        public_version = PlanVersion.objects.public().filter(
            plan__partnership=models.OuterRef("pk")
        )
        return self.filter(models.Exists(public_version))

    def listing_public_plans(self):
        """Each with `public_plans`: its plans with public versions (PlanQuerySet)."""
        from .documents import Plan

        return self.prefetch_related(
            models.Prefetch(
                "plans", queryset=Plan.objects.with_public_versions(), to_attr="public_plans"
            )
        )


class Partnership(models.Model):
    """A Community Safety Partnership: the agencies of one area working to one plan."""

    name = models.CharField(
        max_length=200,
        unique=True,
        help_text="e.g. Lichfield District Community Safety Partnership.",
    )
    slug = models.SlugField(
        unique=True, help_text="Used in web addresses; letters, numbers, hyphens."
    )
    short_name = models.CharField(max_length=60, blank=True, help_text="e.g. Lichfield CSP.")
    area_name = models.CharField(
        max_length=120, help_text="The area it serves, e.g. Lichfield District."
    )
    description = bounded_text(NOTE, blank=True, help_text="A sentence or two for the public page.")
    organisations = models.ManyToManyField(
        Organisation,
        related_name="partnerships",
        blank=True,
        help_text="Member agencies.",
    )

    class FiguresPublic(models.TextChoices):
        ON_PUBLICATION = "publication", "When the quarter's report is published"
        ON_APPROVAL = "approval", "As soon as each figure is approved"

    figures_public = models.CharField(
        "figures reach the public",
        max_length=20,
        choices=FiguresPublic,
        default=FiguresPublic.ON_PUBLICATION,
        help_text="Usually once the board has seen the quarter's report.",
    )
    small_count_threshold = models.PositiveSmallIntegerField(
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="Public pages show counts below this, per area, as “fewer than 5”, so that "
        "nobody can be identified from them.",
    )
    risk_scale = models.CharField(
        "risks are scored",
        max_length=10,
        choices=SCALE_CHOICES,
        default=DEFAULT_SCALE,
        help_text="The levels of impact and likelihood in the risk register: Low, Medium, High, "
        "or 1 to 5. Each risk's level (Low, Medium, High…) follows from the scale.",
    )

    # Its own site: brand colour, logo (its bytes are in PartnershipLogo, so that loading a
    # partnership never loads an image) and contact details, shown on its pages.
    brand_colour = models.CharField(
        max_length=7,
        blank=True,
        validators=[validate_brand_colour],
        help_text="A hex code such as #1d70b8, for the bar along the top of the partnership's "
        "pages. It must be dark enough for white text on it, and it on white, to be readable "
        "(a contrast ratio of 4.5:1). Leave empty for the standard blue.",
    )
    logo_digest = models.CharField(max_length=16, blank=True, editable=False)
    logo_type = models.CharField(max_length=20, blank=True, editable=False)
    contact_email = models.EmailField(
        "contact e-mail", blank=True, help_text="Where the public can write to the partnership."
    )
    contact_phone = models.CharField(
        "contact phone", max_length=40, blank=True, help_text="e.g. 01543 308000."
    )
    contact_address = bounded_text(
        LINE, "postal address", blank=True, help_text="One line of the address per line."
    )
    website = models.URLField(blank=True, help_text="The partnership's own website, if any.")

    objects = PartnershipQuerySet.as_manager()

    # The partnership it belongs to, as a lookup path (see plans/models/tenancy.py).
    partnership_path = ""

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("partnership", kwargs={"partnership": self.slug})

    def clean(self) -> None:
        if self.brand_colour:
            self.brand_colour = normalised_colour(self.brand_colour)
        from .risks import check_scale_fits_register  # risks imports this module

        check_scale_fits_register(self)

    @property
    def logo_url(self) -> str:
        """The logo's address, which changes with the logo; empty when there is none."""
        if not self.logo_digest:
            return ""
        return reverse(
            "partnership-logo",
            kwargs={
                "partnership": self.slug,
                "digest": self.logo_digest,
                "extension": LOGO_EXTENSIONS.get(self.logo_type, "png"),
            },
        )

    @property
    def brand_stylesheet_url(self) -> str:
        if not self.brand_colour:
            return ""
        return reverse("brand-stylesheet", kwargs={"colour": self.brand_colour.lstrip("#")})

    @property
    def has_contact_details(self) -> bool:
        return any([self.contact_email, self.contact_phone, self.contact_address, self.website])


class MembershipQuerySet(models.QuerySet):
    def officers(self):
        return self.filter(role=Membership.Role.OFFICER)

    def managers(self):
        return self.filter(role=Membership.Role.MANAGER)


class Membership(models.Model):
    """Links a person to a partnership, through the agency they work for, with one role."""

    class Role(models.TextChoices):
        OFFICER = "officer", "Officer (enters their agency's returns)"
        MANAGER = "manager", "Partnership manager"
        REVIEWER = "reviewer", "Reviewer (partner or board member)"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="memberships",
        help_text="The agency this person works for.",
    )
    role = models.CharField(max_length=20, choices=Role)

    objects = MembershipQuerySet.as_manager()

    # The partnership it belongs to, as a lookup path (see plans/models/tenancy.py).
    partnership_path = "partnership"

    class Meta:
        ordering = ["partnership", "organisation", "user"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "partnership", "organisation", "role"],
                name="unique_membership_role",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.organisation} ({self.partnership})"

    def clean(self) -> None:
        if (
            self.partnership_id
            and self.organisation_id
            and not self.partnership.organisations.filter(pk=self.organisation_id).exists()
        ):
            raise ValidationError(
                {"organisation": "This agency is not a member of the partnership."}
            )


class Area(models.Model):
    """A ward or neighbourhood; indicator values may be reported per area."""

    class Kind(models.TextChoices):
        WARD = "ward", "Ward"
        NEIGHBOURHOOD = "neighbourhood", "Policing neighbourhood"
        TOWN = "town", "Town"
        PARISH = "parish", "Parish"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="areas")
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.WARD)
    population = models.PositiveIntegerField(
        null=True, blank=True, help_text="Residents, for rates per 1,000 population."
    )

    # The partnership it belongs to, as a lookup path (see plans/models/tenancy.py).
    partnership_path = "partnership"

    class Meta:
        ordering = ["partnership", "name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="unique_area_name")
        ]

    def __str__(self) -> str:
        return self.name


class AreaGroup(models.Model):
    """A named group of the partnership's priority areas, e.g. "Hotspot wards"."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="area_groups"
    )
    name = models.CharField(max_length=120, help_text='e.g. "Hotspot wards".')
    description = bounded_text(NOTE, blank=True, help_text="Why these areas, for readers.")
    areas = models.ManyToManyField(Area, related_name="groups", blank=True)
    order = models.PositiveIntegerField(default=0, help_text="Lower numbers are shown first.")

    # The partnership it belongs to, as a lookup path (see plans/models/tenancy.py).
    partnership_path = "partnership"

    class Meta:
        ordering = ["partnership", "order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "name"],
                name="unique_area_group_name",
                violation_error_message="This partnership already has a group of that name.",
            )
        ]

    def __str__(self) -> str:
        return self.name
