"""The demo loader (`make run`, the tests' demo partnership) writes in bulk: its texts are stored
with their HTML too. Apart from test_rendered_markdown, as the demo and the cast cannot share a
module."""

import pytest

from plans.markdown import render_markdown
from plans.models import Section
from priorities.models import Priority

pytestmark = pytest.mark.django_db

PARTS = ["what_is", "local_picture", "response"]


def test_the_demo_loader_stores_the_html_of_every_text(demo_partnership):
    sections = Section.objects.filter(plan_version__plan__partnership=demo_partnership)
    priorities = Priority.objects.filter(plan_version__plan__partnership=demo_partnership)

    assert sections.exists()
    assert priorities.exists()
    for section in sections:
        assert section.body_html == render_markdown(section.body)
    for priority in priorities:
        for part in PARTS:
            assert getattr(priority, f"{part}_html") == render_markdown(getattr(priority, part))
