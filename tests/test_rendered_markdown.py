"""A plan's Markdown is rendered to sanitised HTML once, when it is written, whichever way it is
written (the admin, the yearly refresh, a Word import, the demo loader, loaddata), and again
when it is edited; pages print the stored HTML, building no Markdown renderer per request."""

import json
from unittest import mock

import markdown
import pytest
from django.core.management import call_command

from plans.markdown import _sanitised_html, render_markdown
from plans.models import PlanVersion, Section
from priorities.docx_draft import create_draft
from priorities.docx_import import read_plan
from priorities.public import VERSION_CONTENTS, with_contents
from priorities.refresh import start_refresh
from tests import factories as f
from tests.admin_forms import admin_form_values
from tests.builders import give_admin_rights
from tests.docx_builder import PrioritySpec, Row, plan_docx

pytestmark = pytest.mark.django_db

PARTS = ["what_is", "local_picture", "response"]
SCRIPT = "Read this.\n\n<script>alert('x')</script>\n\n[Click](javascript:alert(1))"


def assert_rendered(obj, *parts: str) -> None:
    """Each Markdown part's stored HTML is what rendering it now gives, and is not empty."""
    obj.refresh_from_db()
    for part in parts:
        html = getattr(obj, f"{part}_html")
        assert html, part
        assert html == render_markdown(getattr(obj, part)), part


def test_saving_a_section_stores_its_html_with_govuk_classes():
    section = f.SectionFactory(body="First **bold** paragraph.\n\n- one\n- two")

    section.refresh_from_db()
    assert section.body_html == (
        '<p class="govuk-body">First <strong>bold</strong> paragraph.</p>\n'
        '<ul class="govuk-list govuk-list--bullet">\n<li>one</li>\n<li>two</li>\n</ul>'
    )


def test_saving_a_priority_stores_the_html_of_each_part():
    priority = f.PriorityFactory(what_is="What.", local_picture="*Here*.", response="We act.")

    assert_rendered(priority, *PARTS)


def test_an_edit_updates_the_html_also_when_saving_only_the_markdown():
    section = f.SectionFactory(body="Old words.")
    section.body = "New words."
    section.save(update_fields=["body"])  # as the demo's refresh edits its sections
    priority = f.PriorityFactory(response="Old.")
    priority.response = "New."
    priority.save()

    section.refresh_from_db()
    assert "New words." in section.body_html
    assert "Old" not in section.body_html
    assert_rendered(priority, "response")


def test_a_script_in_markdown_never_reaches_the_stored_html_or_the_page(client, cast):
    f.SectionFactory(plan_version=cast.version, title="Introduction", body=SCRIPT)
    priority = cast.version.priorities.first()
    priority.what_is = SCRIPT
    priority.save()

    page = client.get(cast.version.plan.get_absolute_url()).content.decode()

    assert "Read this." in page
    assert "<script>alert" not in page
    assert "javascript:" not in page
    section = Section.objects.get(plan_version=cast.version, title="Introduction")
    assert "<script" not in section.body_html
    assert "javascript:" not in section.body_html


def test_the_plan_page_prints_the_stored_html_without_rendering_markdown(client, cast):
    f.SectionFactory(plan_version=cast.version, title="Introduction", body="Stored *words*.")
    priority = cast.version.priorities.first()
    priority.local_picture = "A **local** picture."
    priority.save()
    _sanitised_html.cache_clear()  # nothing remembered from the saves above

    with mock.patch.object(markdown, "markdown", wraps=markdown.markdown) as renderer:
        page = client.get(cast.version.plan.get_absolute_url()).content.decode()

    assert renderer.call_count == 0
    assert '<p class="govuk-body">Stored <em>words</em>.</p>' in page
    assert '<p class="govuk-body">A <strong>local</strong> picture.</p>' in page


def test_the_admin_stores_the_html_of_what_the_manager_wrote(client, cast):
    give_admin_rights(cast.manager)
    client.force_login(cast.manager)
    draft = f.PlanVersionFactory(plan=cast.version.plan, number=2, label="Refresh 2025")
    section = f.SectionFactory(plan_version=draft, title="Introduction", body="Draft words.")
    url = f"/admin/plans/section/{section.pk}/change/"
    data = admin_form_values(client.get(url)) | {"body": "Edited in the *admin*."}

    response = client.post(url, data)

    assert response.status_code == 302
    section.refresh_from_db()
    assert section.body_html == '<p class="govuk-body">Edited in the <em>admin</em>.</p>'


def test_a_refresh_copies_come_with_their_html(cast):
    f.SectionFactory(plan_version=cast.version, body="Carried *over*.")
    priority = cast.version.priorities.first()
    priority.response = "Our **response**."
    priority.save()

    draft = start_refresh(cast.version, cast.manager, "Refresh")

    assert_rendered(draft.sections.get(), "body")
    assert_rendered(draft.priorities.get(lineage=priority.lineage), "response")


def test_a_word_import_stores_the_html_of_its_sections_and_priorities(cast):
    spec = PrioritySpec("Prevent", "Prevent", [Row("Train staff", ["Awareness"], [])])
    read = read_plan(plan_docx([spec]))

    version = create_draft(read, {}, plan=cast.version.plan, label="Imported", by=cast.manager)

    for section in version.sections.all():
        assert_rendered(section, "body")
    for priority in version.priorities.all():
        assert_rendered(priority, *(part for part in PARTS if getattr(priority, part)))
    assert version.priorities.exists()


def test_loaddata_renders_the_html_of_markdown_it_brings(cast, tmp_path):
    fixture = tmp_path / "section.json"
    fields = {"plan_version": cast.version.pk, "title": "Loaded", "body": "From a *backup*."}
    fields |= {"order": 77, "lineage": "6f1c2d9e-0000-4000-8000-000000000001"}
    fixture.write_text(json.dumps([{"model": "plans.section", "pk": 9001, "fields": fields}]))

    call_command("loaddata", str(fixture), verbosity=0)

    assert Section.objects.get(pk=9001).body_html == (
        '<p class="govuk-body">From a <em>backup</em>.</p>'
    )


def test_a_whole_plans_prefetched_rows_still_filter_by_their_own_owner(cast):
    row = f.ActionRowFactory(priority=cast.version.priorities.first())
    f.OutcomeFactory(action_row=row, order=1, text="First")
    f.OutcomeFactory(action_row=row, order=2, text="Second")
    other = f.ActionRowFactory(priority=row.priority)
    f.OutcomeFactory(action_row=other, order=1, text="Elsewhere")
    version = PlanVersion.objects.prefetch_related(*VERSION_CONTENTS).get(pk=cast.version.pk)

    with_contents(version)

    fetched = next(r for p in version.priorities.all() for r in p.action_rows.all() if r == row)
    assert [o.text for o in fetched.outcomes.all()] == ["First", "Second"]
    assert [o.text for o in fetched.outcomes.filter(order=2)] == ["Second"]
    assert fetched.outcomes.count() == 2


def test_the_action_tables_written_in_python_escape_what_people_typed(client, cast):
    row = f.ActionRowFactory(priority=cast.version.priorities.first(), description="Fix <b>it</b>")
    f.OutcomeFactory(action_row=row, text="Fewer <script>x</script> & more")

    page = client.get(cast.version.plan.get_absolute_url()).content.decode()

    assert "Fix &lt;b&gt;it&lt;/b&gt;" in page
    assert "<li>Fewer &lt;script&gt;x&lt;/script&gt; &amp; more</li>" in page
