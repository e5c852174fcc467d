"""Generated inputs through the plan's-year forms: commenting on a draft, replying, publishing
on a date, unpublishing with a reason, starting the refresh. Whatever is typed, the answer is a
page (never a 500), and a refused submission leaves nothing half saved."""

import pytest
from django.db import transaction
from hypothesis import given, settings
from hypothesis import strategies as st

from plans.models import PlanVersion, VersionEvent
from priorities.models import Comment
from tests.conftest import module_transaction
from tests.fuzz.test_forms_never_fail import FUZZ, SCALE, typed
from tests.plan_year import build_plan_year

pytestmark = [pytest.mark.django_db, pytest.mark.fuzz]

EXAMPLES = max(1, int(1_500 * SCALE))
FORMS = ["comment", "reply", "publish", "unpublish", "refresh"]


@pytest.fixture(scope="module")
def year_built_once(django_db_setup, django_db_blocker):
    with module_transaction(django_db_blocker):
        with django_db_blocker.unblock():
            world = build_plan_year("lichfield")
            world.published.status = "superseded"  # a later version is the public one
            world.published.save()
            second = PlanVersion.objects.create(
                plan=world.plan, number=3, label="Refresh 2025", status="published",
                published_on="2025-04-01",
            )  # fmt: skip
            world.second = second
        yield world


def state() -> list:
    return [
        list(model._default_manager.order_by("pk").values())
        for model in (PlanVersion, VersionEvent, Comment)
    ]


def url_and_data(world, form: str, text: str, subject: str, day: str) -> tuple[str, dict]:
    draft, plan = world.draft, world.plan
    base = f"/partnerships/lichfield/delivery-plan/drafts/{draft.number}/comments/"
    return {
        "comment": (base, {"subject": subject, "body": text}),
        "reply": (f"{base}{world.comment.pk}/reply/", {"body": text}),
        "publish": (
            f"/manage/plans/{plan.pk}/versions/{draft.number}/publish/",
            {"published_on": day, "note": text},
        ),
        "unpublish": (f"/manage/plans/{plan.pk}/versions/3/unpublish/", {"reason": text}),
        "refresh": (f"/manage/plans/{plan.pk}/refresh/", {"label": text}),
    }[form]


@settings(**FUZZ, max_examples=EXAMPLES)
@given(
    form=st.sampled_from(FORMS),
    text=typed,
    subject=st.one_of(st.sampled_from(["plan-{draft}", "row-{row}", "section-x"]), typed),
    day=st.one_of(st.sampled_from(["2024-04-01", "2024-02-30", "1-4-2024"]), typed),
)
def test_the_plan_year_forms_answer_every_input(client, year_built_once, form, text, subject, day):
    world = year_built_once
    subject = subject.replace("{draft}", str(world.draft.pk)).replace(
        "{row}", str(world.draft_row.pk)
    )
    client.force_login(world.manager)
    url, data = url_and_data(world, form, text, subject, day)
    with transaction.atomic():
        before = state()
        response = client.post(url, data)
        changed = state() != before
        transaction.set_rollback(True)

    assert response.status_code in (200, 302, 404)
    if response.status_code != 302:
        assert not changed  # refused: nothing half saved
