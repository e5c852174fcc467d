"""Importing a plan from its Word document: what is read from a document laid out like the
Lichfield plan, what cannot be placed and why, the draft version made from it (all or nothing,
in the document's order), the files refused beside the file box, who may do it, and the pages'
queries, whatever the plan's size."""

import io
import zipfile

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from plans.models import Membership, Plan, PlanVersion
from priorities.demo import read_demo_file
from priorities.docx_document import MAX_FILE_BYTES, UnreadableDocument
from priorities.docx_draft import create_draft
from priorities.docx_import import read_plan
from priorities.models import ActionRow, DataLine, Outcome, Priority
from priorities.views.docx import SESSION_KEY
from tests import factories as f
from tests.docx_builder import LOOSE_ROW, PrioritySpec, Row, lichfield_docx, plan_docx

pytestmark = pytest.mark.django_db

UPLOAD = reverse("plan-import")
PREVIEW = reverse("plan-import-preview")


def docx_file(content: bytes, name: str = "plan.docx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def upload(client, content: bytes, plan, name: str = "plan.docx", **fields):
    data = {"document": docx_file(content, name), "plan": plan, "label": "Refresh April 2025"}
    return client.post(UPLOAD, {**data, **fields})


def new_plan_choice(partnership) -> str:
    return f"new-{partnership.pk}"


def word(*paragraphs) -> bytes:
    """A document of (style, text) paragraphs; a list in the arguments is a table's rows."""
    document = docx.Document()
    for item in paragraphs:
        if isinstance(item, list):
            table = document.add_table(rows=0, cols=len(item[0]))
            for cells in item:
                for cell, text in zip(table.add_row().cells, cells, strict=True):
                    cell.text = text
        else:
            style, text = item
            document.add_paragraph(text, style=style)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# Reading


def test_a_plan_laid_out_like_lichfields_is_read_into_sections_priorities_and_rows():
    read = read_plan(plan_docx(2))

    assert read.title == "Community Safety Delivery Plan 2022–2025"
    assert [s.title for s in read.sections] == [
        "Introduction",
        "Serious Violence Duty",
        "Local context",
    ]
    assert read.sections[0].body.endswith(
        "The groups most at risk are:\n\n- Socially isolated adults\n"
        "- Children and young people at risk of exploitation"
    )
    abuse, asb = read.priorities
    assert (abuse.title, asb.title) == ("Domestic Abuse", "Anti-Social Behaviour")
    assert (abuse.what_is_heading, abuse.what_is) == (
        "What is domestic abuse?",
        "A definition of domestic abuse.",
    )
    assert abuse.local_picture_heading == "Domestic abuse in Lichfield District"
    assert (abuse.response_heading, abuse.response) == (
        "Lichfield Response",
        "How the partnership responds to domestic abuse.",
    )
    support = abuse.rows[1]
    # Outcomes are separate paragraphs, data lines separated by line breaks: one each.
    assert support.outcomes == [
        "Reduced incidents of domestic abuse",
        "Increased resilience in survivors and potential victims",
    ]
    assert support.data_lines == ["% reduction in incidents", "% reduction in repeat incidents"]
    assert read.unplaced == []
    assert read.problems == []
    assert "2 paragraphs before the first heading" in read.left_out[0]


PRIORITY_TEXTS = [
    "title", "what_is_heading", "what_is", "local_picture_heading", "local_picture",
    "response_heading", "response",
]  # fmt: skip


def test_the_whole_lichfield_plan_reads_back_as_the_demo_holds_it():
    """Its uneven heading levels too: "ASB in Lichfield District" is a level above its
    siblings, and "Prevent" is both a section and, later, a priority."""
    demo = read_demo_file()["plan"]

    read = read_plan(lichfield_docx())

    assert [(s.title, s.body) for s in read.sections] == [
        (s["title"], s["body"]) for s in demo["sections"]
    ]
    assert [[getattr(p, name) for name in PRIORITY_TEXTS] for p in read.priorities] == [
        [p[name] for name in PRIORITY_TEXTS] for p in demo["priorities"]
    ]
    assert [
        [(row.action, row.outcomes, row.data_lines) for row in p.rows] for p in read.priorities
    ] == [
        [(a["action"], a["outcomes"], [line["text"] for line in a["data"]]) for a in p["actions"]]
        for p in demo["priorities"]
    ]
    assert read.unplaced == []
    assert read.problems == []
    assert read.left_out == [
        "1 paragraph before the first heading (a cover page): not part of any section.",
        "The heading “Lichfield District Community Safety Partnership”: it has no text under it.",
    ]


def test_a_table_before_any_heading_is_not_placed_and_says_why():
    read = read_plan(plan_docx(1, table_before_headings=True))

    (row,) = read.unplaced
    assert (row.action, row.outcomes, row.data_lines) == (
        LOOSE_ROW.action,
        LOOSE_ROW.outcomes,
        LOOSE_ROW.data_lines,
    )
    assert row.reason == "its table comes before any heading"
    assert row.placeable
    assert len(read.priorities[0].rows) == 2


def test_a_table_whose_header_is_not_action_outcome_data_offers_every_row_for_placing():
    read = read_plan(plan_docx(1, foreign_header_table=True))

    assert [row.action for row in read.unplaced] == ["Activity", LOOSE_ROW.action]
    assert "has no Action | Outcome | Data header" in read.unplaced[1].reason
    assert len(read.priorities[0].rows) == 2


def test_a_row_with_an_empty_action_cell_can_only_be_left_out():
    read = read_plan(plan_docx(1, empty_action_row=True))

    (row,) = read.unplaced
    assert row.reason == "its Action cell is empty"
    assert row.outcomes == ["An outcome with no action"]
    assert not row.placeable


def test_a_table_of_another_shape_and_a_heading_without_text_are_listed_as_left_out():
    read = read_plan(plan_docx(1, contents=True))

    assert "The heading “Contents”: it has no text under it." in read.left_out
    assert any("2 columns (first row: “Introduction | 3”)" in note for note in read.left_out)
    assert read.unplaced == []


def test_a_document_without_tables_reads_its_headings_as_sections_only():
    read = read_plan(plan_docx(2, tables=False))

    assert read.table_count == 0
    assert read.priorities == []
    assert "What is domestic abuse?" in [section.title for section in read.sections]


def test_sub_headings_are_recognised_whatever_their_level_and_a_label_is_kept():
    read = read_plan(
        word(
            ("Heading 1", "Priority 2: Anti-Social Behaviour"),
            ("Heading 3", "What is ASB?"),
            ("Normal", "Nuisance and disorder."),
            ("Heading 2", "ASB in Lichfield District"),
            ("Normal", "Rates are low."),
            ("Heading 3", "Hotspots"),
            ("Normal", "Chasetown."),
            ("Heading 3", "Lichfield Response"),
            ("Normal", "We work together."),
            [["Actions", "Outcomes", "Data"], ["Develop a triage process", "Less duplication", ""]],
        )
    )

    (asb,) = read.priorities
    assert (asb.label, asb.title) == ("Priority 2", "Anti-Social Behaviour")
    assert asb.what_is == "Nuisance and disorder."
    assert asb.local_picture == "Rates are low.\n\n### Hotspots\n\nChasetown."
    assert (asb.response_heading, asb.response) == ("Lichfield Response", "We work together.")
    assert [(row.action, row.outcomes, row.data_lines) for row in asb.rows] == [
        ("Develop a triage process", ["Less duplication"], [])
    ]
    assert read.sections == []


def test_text_longer_than_the_plan_can_hold_is_a_problem_to_fix_in_the_document():
    read = read_plan(
        word(
            ("Heading 1", "Domestic Abuse"),
            [["Action", "Outcome", "Data"], ["x" * 2_001, "An outcome", "A line"]],
        )
    )

    assert read.problems == [
        "An action of “Domestic Abuse” has 2,001 characters: shorten it to 2,000 or fewer."
    ]


def test_bullets_typed_by_hand_in_a_cell_are_not_kept():
    read = read_plan(
        word(
            ("Heading 1", "Domestic Abuse"),
            [["Action", "Outcome", "Data"], ["Train staff", "• Awareness\n- Confidence", ""]],
        )
    )

    assert read.priorities[0].rows[0].outcomes == ["Awareness", "Confidence"]


def test_a_heading_style_named_in_another_language_is_read_by_its_outline_level():
    document = docx.Document()
    german = document.styles.add_style("Überschrift 1", WD_STYLE_TYPE.PARAGRAPH)
    german.element.get_or_add_pPr().append(parse_xml(f'<w:outlineLvl {nsdecls("w")} w:val="0"/>'))
    document.add_paragraph("Häusliche Gewalt", style="Überschrift 1")
    document.add_paragraph("Ein Absatz.")
    buffer = io.BytesIO()
    document.save(buffer)

    read = read_plan(buffer.getvalue())

    assert [(s.title, s.body) for s in read.sections] == [("Häusliche Gewalt", "Ein Absatz.")]


def test_a_merged_cell_is_read_once():
    document = docx.Document()
    document.add_heading("Domestic Abuse", level=1)
    table = document.add_table(rows=3, cols=3)
    for cell, text in zip(table.rows[0].cells, ["Action", "Outcome", "Data"], strict=True):
        cell.text = text
    table.cell(1, 0).text = "Train staff"
    table.cell(1, 1).merge(table.cell(1, 2)).text = "Awareness"
    table.cell(2, 0).merge(table.cell(1, 0))
    table.cell(2, 1).text = "Confidence"
    buffer = io.BytesIO()
    document.save(buffer)

    read = read_plan(buffer.getvalue())

    (row,) = read.priorities[0].rows
    assert (row.action, row.outcomes, row.data_lines) == ("Train staff", ["Awareness"], [])
    (continued,) = read.unplaced
    assert (continued.action, continued.outcomes) == ("", ["Confidence"])


def test_a_zip_that_unpacks_to_gigabytes_is_refused_before_it_is_read():
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"0" * (64 * 1024 * 1024))

    with pytest.raises(UnreadableDocument, match=r"unpacks to 64\.0 MB"):
        read_plan(bomb.getvalue())


# Refused files, beside the file box


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("plan.pdf", b"%PDF-1.4", "The selected file must be a Word document (.docx)."),
        ("plan.docx", b"not a zip at all", "The selected file is not a Word document (.docx)."),
        ("plan.docx", b"", "The selected file is empty."),
        ("plan.docx", b"0" * (MAX_FILE_BYTES + 1), "must be smaller than 5 MB"),
    ],
    ids=["not-docx", "corrupt", "empty", "too-large"],
)
def test_a_file_that_cannot_be_read_is_refused_beside_the_file_box(
    manager_client, cast, name, content, message
):
    response = upload(manager_client, content, cast.version.plan_id, name=name)

    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="id_document_1_error"' in page
    assert message in page
    assert SESSION_KEY not in manager_client.session


def test_a_damaged_docx_and_one_with_nothing_in_it_are_refused(manager_client, cast):
    damaged = io.BytesIO()
    with zipfile.ZipFile(damaged, "w") as archive:
        archive.writestr("word/document.xml", b"<not-word/>")

    broken = upload(manager_client, damaged.getvalue(), cast.version.plan_id)
    empty = upload(manager_client, word(), cast.version.plan_id)

    assert "could not be read as a Word document" in broken.content.decode()
    assert "The document is empty" in empty.content.decode()


# Placing and creating


def test_the_manager_places_a_row_and_imports_a_draft_in_the_documents_order(manager_client, cast):
    upload(manager_client, plan_docx(2, table_before_headings=True), cast.version.plan_id)
    preview = manager_client.get(PREVIEW)
    (row,) = manager_client.session[SESSION_KEY]["read"]["unplaced"]

    response = manager_client.post(PREVIEW, {f"row_{row['position']}": "1"})

    version = PlanVersion.objects.get(plan=cast.version.plan, number=cast.version.number + 1)
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "plan-draft", args=[cast.partnership.slug, cast.version.plan.slug, version.number]
    )
    assert "Domestic Abuse" in preview.content.decode()
    assert (version.status, version.label) == (PlanVersion.Status.DRAFT, "Refresh April 2025")
    assert list(version.sections.values_list("order", "title")) == [
        (10, "Introduction"), (20, "Serious Violence Duty"), (30, "Local context"),
    ]  # fmt: skip
    asb = version.priorities.get(slug="anti-social-behaviour")
    assert (asb.order, asb.what_is_heading, asb.response) == (
        20, "What is ASB?", "How the partnership responds to ASB.",
    )  # fmt: skip
    # The placed row came first in the document, so it is first among the priority's rows.
    assert list(asb.action_rows.values_list("order", "description")) == [
        (10, LOOSE_ROW.action), (20, "Develop a triage process"),
        (30, "Fund diversionary activities"),
    ]  # fmt: skip
    triage = asb.action_rows.get(order=20)
    assert list(triage.outcomes.values_list("order", "text")) == [
        (10, "Reduced duplication of work by partner agencies"),
        (20, "More holistic response to complaints"),
    ]
    assert list(triage.data_lines.values_list("text", flat=True)) == [
        "Number of cases discussed and triaged"
    ]
    assert version.priorities.get(slug="domestic-abuse").action_rows.count() == 2
    assert SESSION_KEY not in manager_client.session


def test_a_row_left_out_is_not_imported(manager_client, cast):
    upload(manager_client, plan_docx(1, table_before_headings=True), cast.version.plan_id)
    (row,) = manager_client.session[SESSION_KEY]["read"]["unplaced"]

    manager_client.post(PREVIEW, {f"row_{row['position']}": ""})

    assert not ActionRow.objects.filter(description=LOOSE_ROW.action).exists()
    assert ActionRow.objects.filter(priority__plan_version__plan=cast.version.plan).count() == 3


def test_a_new_plan_is_made_for_the_partnership_with_its_first_version(manager_client, cast):
    upload(
        manager_client,
        plan_docx(1),
        new_plan_choice(cast.partnership),
        start_year="2025",
        end_year="2028",
    )
    manager_client.post(PREVIEW, {})

    plan = Plan.objects.get(partnership=cast.partnership, title=read_plan(plan_docx(1)).title)
    assert (plan.start_year, plan.end_year, plan.slug) == (
        2025, 2028, "community-safety-delivery-plan-20222025",
    )  # fmt: skip
    assert list(plan.versions.values_list("number", "status")) == [(1, "draft")]


def test_a_new_plan_needs_its_years_and_a_title_when_the_document_has_none(manager_client, cast):
    untitled = word(("Heading 1", "Introduction"), ("Normal", "Why we have a plan."))

    response = upload(manager_client, untitled, new_plan_choice(cast.partnership), end_year="x")

    page = response.content.decode()
    assert "Enter the new plan&#x27;s title: the document has none." in page
    assert "Enter the first year the new plan covers." in page
    assert "Enter the last year as a number, for example 2025." in page
    assert SESSION_KEY not in manager_client.session


def test_a_document_title_too_long_for_a_plan_asks_for_a_title(manager_client, cast):
    content = plan_docx(1, title="A very long title " * 12)

    response = upload(
        manager_client, content, new_plan_choice(cast.partnership), start_year=2025, end_year=2026
    )

    assert "Enter a shorter title: the document&#x27;s is longer than 200 characters." in (
        response.content.decode()
    )


def test_a_document_with_only_rows_and_no_headings_has_nothing_to_import(manager_client, cast):
    rows_only = word([["Action", "Outcome", "Data"], ["Train staff", "Awareness", ""]])
    upload(manager_client, rows_only, cast.version.plan_id)

    preview = manager_client.get(PREVIEW).content.decode()
    response = manager_client.post(PREVIEW, {})

    assert 'id="nothing-to-import"' in preview
    assert "Import as a draft" not in preview
    assert "no sections or priorities to import" in response.content.decode()
    assert not PlanVersion.objects.filter(plan=cast.version.plan, status="draft").exists()


def test_a_plan_with_a_version_in_progress_is_refused_beside_the_plan(manager_client, cast):
    f.PlanVersionFactory(plan=cast.version.plan, label="Refresh April 2024", number=9)

    response = upload(manager_client, plan_docx(1), cast.version.plan_id)

    assert 'id="id_plan_1_error"' in response.content.decode()
    assert "already has a version in progress (Refresh April 2024, draft)" in (
        response.content.decode()
    )


def test_a_draft_started_meanwhile_stops_the_import_with_nothing_saved(manager_client, cast):
    upload(manager_client, plan_docx(1), cast.version.plan_id)
    f.PlanVersionFactory(plan=cast.version.plan, label="Started meanwhile", number=9)

    response = manager_client.post(PREVIEW, {})

    assert "already has a version in progress (Started meanwhile, draft)" in (
        response.content.decode()
    )
    assert not Priority.objects.filter(title="Domestic Abuse").exists()


def test_a_placement_the_page_did_not_offer_is_refused_and_nothing_saved(manager_client, cast):
    upload(manager_client, plan_docx(1, table_before_headings=True), cast.version.plan_id)
    (row,) = manager_client.session[SESSION_KEY]["read"]["unplaced"]

    response = manager_client.post(PREVIEW, {f"row_{row['position']}": "7"})

    assert response.status_code == 200
    assert "Choose a priority from the list." in response.content.decode()
    assert not PlanVersion.objects.filter(plan=cast.version.plan, status="draft").exists()


def test_a_document_with_problems_cannot_be_imported(manager_client, cast):
    long_action = word(
        ("Heading 1", "Domestic Abuse"),
        [["Action", "Outcome", "Data"], ["x" * 2_001, "An outcome", "A line"]],
    )
    upload(manager_client, long_action, cast.version.plan_id)

    preview = manager_client.get(PREVIEW)
    response = manager_client.post(PREVIEW, {})

    assert "Import as a draft" not in preview.content.decode()
    assert "Fix the problems listed in the document" in response.content.decode()
    assert not PlanVersion.objects.filter(plan=cast.version.plan, status="draft").exists()


def test_a_document_without_tables_says_so_on_the_preview(manager_client, cast):
    upload(manager_client, plan_docx(1, tables=False), cast.version.plan_id)

    response = manager_client.get(PREVIEW)

    assert 'id="no-tables"' in response.content.decode()


def test_the_preview_without_an_upload_sends_the_manager_to_upload(manager_client):
    response = manager_client.get(PREVIEW)

    assert response.status_code == 302
    assert response["Location"] == UPLOAD


def test_priorities_with_the_same_title_get_their_own_slugs(cast):
    twice = PrioritySpec("Prevent", "Prevent", [Row("Train staff", ["Awareness"], [])])
    read = read_plan(plan_docx([twice, twice]))

    version = create_draft(read, {}, plan=cast.version.plan, label="Imported", by=cast.manager)

    assert list(version.priorities.values_list("slug", flat=True)) == ["prevent", "prevent-2"]
    assert DataLine.objects.filter(action_row__priority__plan_version=version).count() == 0
    assert Outcome.objects.filter(action_row__priority__plan_version=version).count() == 2


# Who may import


@pytest.fixture
def other_manager(cast):
    """A manager of another partnership, with a plan of their own."""
    other = f.PartnershipFactory(slug="elsewhere")
    user = f.UserFactory(username="elsewhere-manager")
    f.MembershipFactory(
        user=user, partnership=other, organisation=cast.police, role=Membership.Role.MANAGER
    )
    f.PlanFactory(partnership=other, title="Elsewhere's plan")
    return user


def test_anonymous_people_are_sent_to_sign_in(client):
    for response in (client.get(UPLOAD), client.get(PREVIEW), client.post(PREVIEW, {})):
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("who", ["officer", "reviewer"])
def test_officers_and_reviewers_are_refused(client, cast, who):
    client.force_login(getattr(cast, who))

    refused = [
        client.get(UPLOAD),
        upload(client, plan_docx(1), cast.version.plan_id),
        client.get(PREVIEW),
        client.post(PREVIEW, {}),
    ]

    assert [response.status_code for response in refused] == [403, 403, 403, 403]
    assert not PlanVersion.objects.filter(status="draft").exists()


def test_a_manager_of_another_partnership_cannot_import_into_its_plan(client, cast, other_manager):
    client.force_login(other_manager)

    page = client.get(UPLOAD, {"plan": cast.version.plan_id}).content.decode()
    response = upload(client, plan_docx(1), cast.version.plan_id)

    assert cast.version.plan.title not in page
    assert "Elsewhere&#x27;s plan" in page
    assert "Choose one of your partnership&#x27;s plans, or a new plan." in (
        response.content.decode()
    )
    assert SESSION_KEY not in client.session


def test_a_pending_import_into_another_partnerships_plan_is_refused(client, cast, other_manager):
    client.force_login(cast.manager)
    upload(client, plan_docx(1), cast.version.plan_id)
    pending = client.session[SESSION_KEY]
    client.force_login(other_manager)
    session = client.session
    session[SESSION_KEY] = pending
    session.save()

    assert client.get(PREVIEW).status_code == 403
    assert client.post(PREVIEW, {}).status_code == 403
    assert not PlanVersion.objects.filter(status="draft").exists()


def test_the_managers_pages_link_to_the_import(manager_client, cast):
    home = manager_client.get(reverse("manage")).content.decode()
    plan = manager_client.get(reverse("manage-plan", args=[cast.version.plan_id]))

    assert f'href="{UPLOAD}"' in home
    assert f'href="{UPLOAD}?plan={cast.version.plan_id}"' in plan.content.decode()


# Queries: the same for a plan of one priority as of three


@pytest.mark.parametrize("priorities", [1, 3])
def test_reading_the_upload_takes_the_same_queries_whatever_the_plan(
    manager_client, cast, django_assert_num_queries, priorities
):
    content = plan_docx(priorities)
    with django_assert_num_queries(8):
        upload(manager_client, content, cast.version.plan_id)


@pytest.mark.parametrize("priorities", [1, 3])
def test_the_preview_takes_the_same_queries_whatever_the_plan(
    manager_client, cast, django_assert_num_queries, priorities
):
    upload(manager_client, plan_docx(priorities), cast.version.plan_id)
    with django_assert_num_queries(5):
        response = manager_client.get(PREVIEW)
    assert response.content.decode().count('class="govuk-table__caption') == priorities


@pytest.mark.parametrize("priorities", [1, 3])
def test_the_import_takes_the_same_queries_whatever_the_plan(
    manager_client, cast, django_assert_num_queries, priorities
):
    upload(manager_client, plan_docx(priorities), cast.version.plan_id)
    with django_assert_num_queries(23):
        manager_client.post(PREVIEW, {})
    assert Priority.objects.filter(plan_version__plan=cast.version.plan).count() == priorities + 1


@pytest.mark.parametrize("plans", [1, 3])
def test_the_upload_page_takes_the_same_queries_whatever_the_number_of_plans(
    manager_client, cast, django_assert_num_queries, plans
):
    for _ in range(plans - 1):
        f.PlanFactory(partnership=cast.partnership)
    with django_assert_num_queries(5):
        response = manager_client.get(UPLOAD)
    assert response.content.decode().count('name="plan"') == plans + 1
