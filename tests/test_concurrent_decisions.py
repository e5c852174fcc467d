"""Two managers deciding on the same item at the same moment, in real concurrent transactions:
exactly one decision is saved, the other is refused with what happened.

(Its own module: a test with committed data cannot share a module with the tests that build
the cast once inside a module-long transaction.)"""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from indicators.models import DecisionRefused, Return
from tests.factories import ReturnFactory


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="real concurrent transactions need PostgreSQL; SQLite's test database is in memory",
)
@pytest.mark.django_db(transaction=True)
def test_of_two_concurrent_decisions_exactly_one_wins(cast_committed):
    winners = []
    for trial in range(10):
        item = ReturnFactory(
            indicator=cast_committed.knives,
            reporting_period=cast_committed.period,
            area=None,
            status="submitted",
            value=Decimal(trial),
            revision=1,
        )
        start = threading.Barrier(2)
        outcomes = []

        def decide(step, item_pk=item.pk, start=start, outcomes=outcomes):
            mine = Return.objects.get(pk=item_pk)
            start.wait()
            try:
                if step == "approve":
                    mine.approve(cast_committed.manager, seen_revision=1)
                else:
                    mine.send_back(cast_committed.manager, "Check it", seen_revision=1)
                outcomes.append(step)
            except DecisionRefused:
                outcomes.append("refused")
            finally:
                connection.close()

        threads = [threading.Thread(target=decide, args=(s,)) for s in ("approve", "return")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        assert sorted(outcomes).count("refused") == 1, outcomes
        stored = Return.objects.get(pk=item.pk)
        assert stored.revision == 2
        assert stored.status == ("approved" if "approve" in outcomes else "returned")
        winners.append(stored.status)
        item.delete()
    assert len(winners) == 10
