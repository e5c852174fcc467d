"""Admin list rows: the selection checkbox ScopedAdmin writes out is Django's own markup, so
actions, "select all" and the keyboard work as Django's do."""

import pytest
from django.contrib import admin
from django.contrib.admin import ModelAdmin

from priorities.models import Priority
from tests.factories import PriorityFactory

pytestmark = pytest.mark.django_db


def test_a_rows_checkbox_is_the_markup_djangos_widget_renders(cast):
    priority = PriorityFactory(plan_version=cast.version, title='Knives & "guns" <at night>')
    model_admin = admin.site._registry[Priority]

    ours = model_admin.action_checkbox(priority)

    assert ours == ModelAdmin.action_checkbox(model_admin, priority)
    assert "Knives &amp; &quot;guns&quot; &lt;at night&gt;" in ours


def test_each_row_of_a_list_has_its_checkbox(admin_manager_client, cast):
    priorities = [PriorityFactory(plan_version=cast.version) for _ in range(2)]

    page = admin_manager_client.get("/admin/priorities/priority/").content.decode()

    for priority in [*priorities, cast.priority]:
        assert f'name="_selected_action" value="{priority.pk}" class="action-select"' in page
