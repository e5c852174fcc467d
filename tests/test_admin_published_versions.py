"""A published version is read-only in the admin: nothing is added to it or deleted from it,
its inlines cannot change, and a change on a part's own page is a correction with a reason that
the public page shows. Drafts are edited freely; another partnership's manager reaches none of
it; imports follow the same rule."""

import pytest
import tablib
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils.html import escape

from indicators.models import Indicator
from indicators.resources import IndicatorResource
from plans.models import AreaGroup, Membership, Section, VersionEvent
from plans.published_admin import ADDED_TO_PUBLIC, NO_REASON, STATE_MOVES, version_of
from priorities.models import ActionRow, Outcome, Priority
from priorities.resources import ActionRowResource
from tests.admin_forms import admin_form_values
from tests.builders import give_admin_rights
from tests.factories import (
    ActionRowFactory,
    AreaFactory,
    AreaGroupFactory,
    DataLineFactory,
    MembershipFactory,
    OutcomeFactory,
    PartnershipFactory,
    PlanVersionFactory,
    PriorityFactory,
    SectionFactory,
    ThemeFactory,
    UserFactory,
    VersionEventFactory,
)

pytestmark = pytest.mark.django_db

REASON = "correction_reason"


@pytest.fixture
def client(admin_manager_client):
    """The cast's manager, signed in to the admin."""
    return admin_manager_client


@pytest.fixture
def published(cast):
    """The cast's published version, with a section."""
    SectionFactory(plan_version=cast.version, title="Introduction", body="Published words.")
    return cast.version


@pytest.fixture
def draft(cast):
    """A refresh of the cast's plan, in draft, with a section."""
    version = PlanVersionFactory(plan=cast.version.plan, number=2, label="Refresh 2025")
    SectionFactory(plan_version=version, title="Introduction", body="Draft words.")
    return version


def change_url(obj) -> str:
    meta = obj._meta
    return f"/admin/{meta.app_label}/{meta.model_name}/{obj.pk}/change/"


def corrections(version) -> list:
    return list(version.events.filter(kind=VersionEvent.Kind.CORRECTED))


# ---- nothing is added to or deleted from a public version -----------------------------------


@pytest.mark.parametrize(
    ("url", "parent", "data"),
    [
        ("/admin/plans/section/add/", "plan_version", {"title": "New", "body": "B", "order": 90}),
        ("/admin/plans/theme/add/", "plan_version", {"name": "New theme", "order": 90}),
        (
            "/admin/priorities/priority/add/",
            "plan_version",
            {"title": "New priority", "slug": "new", "order": 90,
             "action_rows-TOTAL_FORMS": 0, "action_rows-INITIAL_FORMS": 0},
        ),
        (
            "/admin/priorities/actionrow/add/",
            "priority",
            {"order": 90, "description": "New action", "status": "on_track",
             "outcomes-TOTAL_FORMS": 0, "outcomes-INITIAL_FORMS": 0,
             "data_lines-TOTAL_FORMS": 0, "data_lines-INITIAL_FORMS": 0},
        ),
        ("/admin/priorities/outcome/add/", "action_row", {"order": 90, "text": "New outcome"}),
    ],
)  # fmt: skip
def test_nothing_is_added_to_a_published_version(client, cast, published, url, parent, data):
    parents = {"plan_version": cast.version, "priority": cast.priority, "action_row": cast.action}
    model = client.get(url).context["adminform"].form._meta.model
    before = model.objects.count()

    response = client.post(url, {**data, parent: parents[parent].pk})

    assert response.status_code == 200  # the form again, with the problem beside the field
    assert response.context["adminform"].form.errors[parent] == [ADDED_TO_PUBLIC]
    assert model.objects.count() == before


def test_a_drafts_part_cannot_be_moved_into_the_published_version(client, published, draft):
    section = draft.sections.get()
    url = change_url(section)
    data = {**admin_form_values(client.get(url)), "plan_version": published.pk}

    response = client.post(url, data)

    assert response.context["adminform"].form.errors["plan_version"] == [ADDED_TO_PUBLIC]
    assert Section.objects.get(pk=section.pk).plan_version == draft


def test_nothing_is_deleted_from_a_published_version(client, cast, published):
    parts = [published, published.sections.get(), cast.priority, cast.action]
    parts += [cast.action.data_lines.get(), OutcomeFactory(action_row=cast.action)]

    for part in parts:
        url = change_url(part).replace("/change/", "/delete/")
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"post": "yes"}).status_code == 403, url
        assert type(part).objects.filter(pk=part.pk).exists()


def test_nor_by_deleting_them_from_the_list(client, cast, published):
    response = client.post(
        "/admin/priorities/actionrow/",
        {"action": "delete_selected", "_selected_action": [cast.action.pk], "post": "yes"},
    )

    assert response.status_code == 403
    assert ActionRow.objects.filter(pk=cast.action.pk).exists()


def test_nor_by_deleting_the_plan_around_them(client, published):
    url = f"/admin/plans/plan/{published.plan_id}/delete/"

    assert client.post(url, {"post": "yes"}).status_code == 403
    assert type(published).objects.filter(pk=published.pk).exists()


# ---- inlines of a public version are read-only -----------------------------------------------


def test_the_inlines_of_a_published_version_are_read_only(client, published):
    page = client.get(change_url(published))

    for inline in page.context["inline_admin_formsets"]:
        assert not inline.has_add_permission, inline.opts
        assert not inline.has_change_permission, inline.opts
        assert not inline.has_delete_permission, inline.opts


def test_an_inline_change_to_a_published_version_changes_nothing(client, cast, published):
    url = change_url(published)
    data = admin_form_values(client.get(url))
    data.update({
        "sections-0-title": "Rewritten", "sections-0-DELETE": "on",
        "sections-TOTAL_FORMS": "2", "sections-1-title": "Slipped in", "sections-1-body": "B",
        "sections-1-order": "99", "priorities-0-title": "Renamed",
        REASON: "Trying to get round the rule.",
    })  # fmt: skip

    client.post(url, data)

    assert list(published.sections.values_list("title", flat=True)) == ["Introduction"]
    assert Priority.objects.get(pk=cast.priority.pk).title == "Serious Violence"
    assert corrections(published) == []  # nothing of the version's own changed


def test_an_action_rows_lines_in_a_published_version_are_read_only(client, cast, published):
    url = change_url(cast.action)
    line = cast.action.data_lines.get()
    data = admin_form_values(client.get(url))
    data["data_lines-0-text"] = "Rewritten line"

    client.post(url, data)

    line.refresh_from_db()
    assert line.text != "Rewritten line"


# ---- a change on a part's own page is a correction, with its reason ---------------------------


def test_a_correction_without_a_reason_is_refused_beside_the_field(client, published):
    section = published.sections.get()
    url = change_url(section)
    data = {**admin_form_values(client.get(url)), "body": "Corrected words."}

    response = client.post(url, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors[REASON] == [NO_REASON]
    assert escape(NO_REASON) in response.content.decode()
    assert Section.objects.get(pk=section.pk).body == "Published words."
    assert corrections(published) == []


def test_a_correction_with_a_reason_is_saved_and_recorded(client, cast, published):
    section = published.sections.get()
    url = change_url(section)
    page = client.get(url)
    assert "Reason for the correction (shown on the public page)" in page.content.decode()
    data = admin_form_values(page)
    data.update({"body": "Corrected words.", REASON: "  The ward names were wrong.  "})

    response = client.post(url, data)

    assert response.status_code == 302
    assert Section.objects.get(pk=section.pk).body == "Corrected words."
    [event] = corrections(published)
    assert (event.reason, event.by) == ("The ward names were wrong.", cast.manager)


@pytest.mark.parametrize("part", ["version", "priority", "action", "line"])
def test_every_part_of_a_published_version_is_corrected_the_same_way(client, cast, part):
    obj = {
        "version": cast.version,
        "priority": cast.priority,
        "action": cast.action,
        "line": cast.action.data_lines.get(),
    }[part]
    url = change_url(obj)
    data = admin_form_values(client.get(url))
    text_field = {"version": "label", "priority": "title", "action": "description"}
    data[text_field.get(part, "text")] = "Corrected"

    refused = client.post(url, data)
    assert refused.context["adminform"].form.errors[REASON] == [NO_REASON]
    assert client.post(url, {**data, REASON: "A typing error."}).status_code == 302

    obj.refresh_from_db()
    assert getattr(obj, text_field.get(part, "text")) == "Corrected"
    assert [e.reason for e in corrections(cast.version)] == ["A typing error."]


def test_saving_a_published_part_unchanged_records_no_correction(client, published):
    section = published.sections.get()
    url = change_url(section)

    assert client.post(url, admin_form_values(client.get(url))).status_code == 302
    assert corrections(published) == []


def test_a_correction_cannot_move_a_part_or_its_web_address(client, cast, draft):
    url = change_url(cast.priority)
    page = client.get(url)
    form = page.context["adminform"].form
    assert form.fields["plan_version"].disabled
    assert form.fields["slug"].disabled
    data = admin_form_values(page)
    data.update({"plan_version": draft.pk, "slug": "moved", REASON: "Moving it."})

    assert client.post(url, data).status_code == 302

    cast.priority.refresh_from_db()
    assert (cast.priority.plan_version, cast.priority.slug) == (cast.version, "serious-violence")
    assert corrections(cast.version) == []  # nothing changed: nothing to record


def test_a_draft_is_edited_freely_without_a_reason(client, draft):
    section = draft.sections.get()
    url = change_url(section)
    page = client.get(url)
    assert REASON not in page.context["adminform"].form.fields
    data = {**admin_form_values(page), "body": "Better draft words."}

    assert client.post(url, data).status_code == 302

    assert Section.objects.get(pk=section.pk).body == "Better draft words."
    assert corrections(draft) == []
    added = client.post(
        "/admin/plans/section/add/",
        {"plan_version": draft.pk, "title": "Local context", "body": "B", "order": 20},
    )
    assert added.status_code == 302
    assert draft.sections.count() == 2


def test_a_version_in_review_is_edited_freely_too(client, cast, draft):
    draft.send_for_review(cast.manager)
    page = client.get(change_url(draft))

    assert REASON not in page.context["adminform"].form.fields
    assert all(inline.has_change_permission for inline in page.context["inline_admin_formsets"][1:])


# ---- another partnership's manager ------------------------------------------------------------


def test_another_partnerships_manager_cannot_see_or_correct_the_version(client, cast, published):
    other = give_admin_rights(UserFactory(username="tamworth-manager"))
    MembershipFactory(user=other, partnership=PartnershipFactory(), role=Membership.Role.MANAGER)
    client.force_login(other)
    section = published.sections.get()
    url = change_url(section)

    response = client.get(url)
    assert response.status_code == 302  # "doesn't exist", back to the admin's front page
    assert "Published words" not in response.content.decode()
    client.post(url, {"title": "Hijacked", "body": "Hijacked", "order": 10,
                      REASON: "Because I can."})  # fmt: skip
    client.post(url.replace("/change/", "/delete/"), {"post": "yes"})

    assert Section.objects.get(pk=section.pk).body == "Published words."
    assert corrections(published) == []


# ---- the version's own page ----------------------------------------------------------------


def test_states_are_not_moved_in_the_admin(client, published):
    listing = client.get("/admin/plans/planversion/")
    page = client.get(change_url(published))

    actions = [name for name, _ in listing.context["action_form"].fields["action"].choices]
    assert "publish" not in actions
    form = page.context["adminform"].form
    assert {"theme_use", "label"} <= set(form.fields)
    assert not {"status", "published_on"} & set(form.fields)
    assert escape(STATE_MOVES) in page.content.decode()


def test_the_plan_and_version_pages_link_to_where_states_move(client, published):
    try:
        target = reverse("manage-plan", kwargs={"plan_id": published.plan_id})
    except NoReverseMatch:  # the plan's page is built separately
        pytest.skip("no manage-plan page in this build")

    for url in (change_url(published), change_url(published.plan)):
        assert f'href="{target}"' in client.get(url).content.decode(), url


def test_the_version_page_lists_what_happened_to_it(client, cast, published):
    VersionEventFactory(version=published, kind="corrected", by=cast.manager, reason="Typo.")
    page = client.get(change_url(published))

    [events] = [i for i in page.context["inline_admin_formsets"] if i.opts.model is VersionEvent]
    assert "Typo." in page.content.decode()
    assert not events.has_add_permission
    assert not events.has_change_permission
    assert not events.has_delete_permission


def test_a_versions_history_cannot_be_reverted(client, draft):
    draft.label = "Renamed"
    draft.save()
    first = draft.history.earliest()
    url = f"/admin/plans/planversion/{draft.pk}/history/{first.history_id}/"

    assert client.post(url, admin_form_values(client.get(url))).status_code == 403
    draft.refresh_from_db()
    assert draft.label == "Renamed"


def test_the_history_of_a_published_priority_opens(client, cast):
    first = cast.priority.history.earliest()
    url = f"/admin/priorities/priority/{cast.priority.pk}/history/{first.history_id}/"

    assert REASON in client.get(url).context["adminform"].form.fields


def test_a_published_part_reverted_from_history_is_a_correction(client, published):
    section = published.sections.get()
    section.body = "Wrong words."
    section.save()
    first = section.history.earliest()
    url = f"/admin/plans/section/{section.pk}/history/{first.history_id}/"
    data = admin_form_values(client.get(url))

    assert client.post(url, data).context["adminform"].form.errors[REASON] == [NO_REASON]
    assert client.post(url, {**data, REASON: "Put back."}).status_code == 302
    assert Section.objects.get(pk=section.pk).body == "Published words."
    assert [e.reason for e in corrections(published)] == ["Put back."]


# ---- priorities and action rows --------------------------------------------------------------


def test_a_priority_has_a_label_and_a_theme_of_its_own_version(client, cast, draft):
    priority = PriorityFactory(plan_version=draft, title="Prevent")
    own = ThemeFactory(plan_version=draft, name="Prevention")
    ThemeFactory(plan_version=cast.version, name="Old theme")
    url = change_url(priority)
    page = client.get(url)
    assert list(page.context["adminform"].form.fields["theme"].queryset) == [own]

    data = {**admin_form_values(page), "label": "Priority 5", "theme": own.pk}
    assert client.post(url, data).status_code == 302

    priority.refresh_from_db()
    assert (priority.heading, priority.theme) == ("Priority 5: Prevent", own)


def test_an_action_row_links_the_same_action_in_other_versions(client, cast, draft):
    copy = ActionRowFactory(
        priority=PriorityFactory(plan_version=draft), lineage=cast.action.lineage
    )

    page = client.get(change_url(copy)).content.decode()

    assert f"/admin/priorities/actionrow/{cast.action.pk}/change/" in page
    assert f"{cast.version.label}: Install knife bins" in page


# ---- imports -------------------------------------------------------------------------------

HEADERS = ["plan_version", "priority", "order", "action", "outcomes", "data", "status"]


def test_importing_a_row_into_a_published_version_is_refused_on_its_row(cast, draft):
    into_draft = PriorityFactory(plan_version=draft)
    sheet = tablib.Dataset(
        [str(draft), into_draft.title, 10, "A draft's action", "An outcome", "A line", "on_track"],
        [str(cast.version), cast.priority.title, 99, "Planted", "An outcome", "A line", "on_track"],
        headers=HEADERS,
    )

    result = ActionRowResource(user=cast.manager).import_data(sheet, dry_run=False)

    [invalid] = result.invalid_rows
    assert invalid.number == 2
    [message] = invalid.error_dict["__all__"]
    assert message.startswith(f"This action is in “{cast.version}”, which is published")
    assert list(cast.priority.action_rows.all()) == [cast.action]
    assert not into_draft.action_rows.exists()  # a sheet with a bad row saves no row
    assert Outcome.objects.filter(text="An outcome").count() == 0


def test_importing_a_change_to_a_published_row_is_refused(cast):
    sheet = ActionRowResource().export(ActionRow.objects.filter(pk=cast.action.pk))
    sheet[0] = [cell if cell != "Install knife bins" else "Changed" for cell in sheet[0]]

    result = ActionRowResource(user=cast.manager).import_data(sheet, dry_run=False)

    assert result.invalid_rows[0].number == 1
    assert ActionRow.objects.get(pk=cast.action.pk).description == "Install knife bins"


def test_an_unchanged_published_row_in_an_exported_sheet_is_skipped(cast, draft):
    row = ActionRowFactory(priority=PriorityFactory(plan_version=draft), description="Draft")
    OutcomeFactory(action_row=row)
    DataLineFactory(action_row=row)
    OutcomeFactory(action_row=cast.action)
    sheet = ActionRowResource().export(ActionRow.objects.filter(pk__in=[cast.action.pk, row.pk]))
    [at] = [n for n, cells in enumerate(sheet) if cells[sheet.headers.index("action")] == "Draft"]
    changed = list(sheet[at])
    changed[sheet.headers.index("action")] = "Draft, reworded"
    sheet[at] = changed
    history_before = cast.action.history.count()

    result = ActionRowResource(user=cast.manager).import_data(sheet, dry_run=False)

    assert not result.has_validation_errors(), result.invalid_rows[0].error_dict
    kinds = {r.object_id: r.import_type for r in result.rows}
    assert kinds == {cast.action.pk: "skip", row.pk: "update"}
    assert ActionRow.objects.get(pk=row.pk).description == "Draft, reworded"
    assert cast.action.history.count() == history_before


def test_the_admin_import_shows_the_refusal_and_saves_nothing(client, cast):
    from django.core.files.uploadedfile import SimpleUploadedFile

    csv = tablib.Dataset(
        ["", cast.priority.title, 99, "Planted action", "An outcome", "A line", "on_track"],
        headers=HEADERS,
    ).export("csv")

    response = client.post(
        "/admin/priorities/actionrow/import/",
        {
            "import_file": SimpleUploadedFile("rows.csv", csv.encode()),
            "format": "0",
            "plan_version": cast.version.pk,  # published: not offered as a version to import into
        },
    )

    page = response.content.decode()
    assert "Select a valid choice" in page
    assert "process_import" not in page
    assert not ActionRow.objects.filter(description="Planted action").exists()


# ---- area groups ---------------------------------------------------------------------------


def test_an_area_group_cannot_link_another_partnerships_area(cast):
    group = AreaGroupFactory(partnership=cast.partnership)
    theirs = AreaFactory(name="Their ward")

    with pytest.raises(ValidationError), transaction.atomic():
        group.areas.add(theirs)
    with pytest.raises(ValidationError), transaction.atomic():
        theirs.groups.add(group)

    assert not group.areas.exists()


def test_the_admin_refuses_another_partnerships_area_beside_the_field(admin_client, cast):
    ours = AreaFactory(partnership=cast.partnership, name="Our ward")
    theirs = AreaFactory(name="Their ward")
    data = {"partnership": cast.partnership.pk, "name": "Hotspot wards", "order": 10}

    refused = admin_client.post("/admin/plans/areagroup/add/", {**data, "areas": [theirs.pk]})
    assert "belongs to another partnership" in str(refused.context["adminform"].form.errors)
    assert not AreaGroup.objects.exists()

    assert admin_client.post("/admin/plans/areagroup/add/", {**data, "areas": [ours.pk]})
    assert list(AreaGroup.objects.get().areas.all()) == [ours]


def test_a_manager_groups_their_areas_on_the_partnership_page(client, cast):
    ours = AreaFactory(partnership=cast.partnership, name="Our ward")
    AreaFactory(name="Their ward")
    url = change_url(cast.partnership)
    page = client.get(url)
    [groups] = [i for i in page.context["inline_admin_formsets"] if i.opts.model is AreaGroup]
    assert list(groups.formset.empty_form.fields["areas"].queryset) == [ours]
    data = admin_form_values(page)
    data.update({
        "area_groups-TOTAL_FORMS": "1", "area_groups-0-name": "Hotspot wards",
        "area_groups-0-areas": [ours.pk], "area_groups-0-order": "10",
    })  # fmt: skip

    assert client.post(url, data).status_code == 302

    assert list(cast.partnership.area_groups.get().areas.all()) == [ours]


# ---- indicators ----------------------------------------------------------------------------


def test_an_indicator_may_be_imported_without_an_owner(cast):
    sheet = tablib.Dataset(
        [cast.partnership.slug, "ASB-NEW", "New ASB measure", "count", "down", ""],
        headers=["partnership", "code", "name", "unit", "good_direction", "owner"],
    )

    result = IndicatorResource(user=cast.manager).import_data(sheet, dry_run=False)

    assert not result.has_validation_errors(), result.invalid_rows[0].error_dict
    assert Indicator.objects.get(code="ASB-NEW").owner is None


def test_version_of_finds_the_version_of_every_part(cast, published):
    line = cast.action.data_lines.get()
    parts = [published, published.sections.get(), cast.priority, cast.action, line]

    assert {version_of(part) for part in parts} == {published}
    assert version_of(Section()) is None
    assert version_of(cast.partnership) is None


def test_a_manager_adds_an_indicator_without_an_owner_in_the_admin(client, cast):
    data = admin_form_values(client.get("/admin/indicators/indicator/add/"))
    data.update({"partnership": cast.partnership.pk, "code": "ASB-NEW", "name": "New ASB",
                 "unit": "count"})  # fmt: skip
    data.pop("owner", None)

    response = client.post("/admin/indicators/indicator/add/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Indicator.objects.get(code="ASB-NEW").owner is None
