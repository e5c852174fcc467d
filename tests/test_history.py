"""Plan rows and returns keep a full audit history: who changed what, and from what."""

from decimal import Decimal

import pytest

from tests.factories import ActionRowFactory, ReturnFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_changing_a_return_records_the_old_and_new_value():
    figure = ReturnFactory(value=Decimal("10"))
    figure.value = Decimal("14")
    figure.save()

    latest, original = figure.history.all()[:2]
    change = latest.diff_against(original)
    assert [(c.field, c.old, c.new) for c in change.changes] == [
        ("value", Decimal("10.00"), Decimal("14.00"))
    ]
    assert [record.history_type for record in figure.history.all()] == ["~", "+"]


def test_history_records_who_made_the_change_through_the_admin(client):
    row = ActionRowFactory(description="Old wording")
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)

    response = client.post(
        f"/admin/priorities/actionrow/{row.pk}/change/",
        {
            "priority": row.priority.pk,
            "order": row.order,
            "description": "New wording",
            "status": row.status,
            "outcomes-TOTAL_FORMS": 0,
            "outcomes-INITIAL_FORMS": 0,
            "data_lines-TOTAL_FORMS": 0,
            "data_lines-INITIAL_FORMS": 0,
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    latest = row.history.first()
    assert latest.description == "New wording"
    assert latest.history_user == admin
    assert latest.prev_record.description == "Old wording"


def test_deleting_a_row_leaves_its_history():
    row = ActionRowFactory()
    pk = row.pk
    row.delete()
    assert ActionRowFactory._meta.model.history.filter(id=pk, history_type="-").exists()
