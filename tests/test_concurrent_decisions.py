"""Two managers deciding on the same item at the same moment, in real concurrent transactions:
exactly one decision is saved, the other is refused with what happened; one item at a time or
many approved at once.

(Its own module: a test with committed data cannot share a module with the tests that build
the cast once inside a module-long transaction.)"""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from indicators.models import DecisionRefused, Return
from reporting.decisions import approve_many
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


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="real concurrent transactions need PostgreSQL; SQLite's test database is in memory",
)
@pytest.mark.django_db(transaction=True)
def test_approving_many_while_another_manager_returns_one_decides_each_item_once(cast_committed):
    cast = cast_committed
    for trial in range(10):
        first, second = (
            ReturnFactory(
                indicator=indicator,
                reporting_period=cast.period,
                status="submitted",
                value=Decimal(trial),
                revision=1,
            )
            for indicator in (cast.knives, cast.repeat)
        )
        start = threading.Barrier(2)
        outcomes = {}

        def approve_both(first=first, second=second, start=start, outcomes=outcomes):
            start.wait()
            try:
                done = approve_many(
                    cast.period, {"returns": {first.pk: 1, second.pk: 1}}, by=cast.manager
                )
                outcomes["approved"] = {item.pk for item in done.approved}
                outcomes["refused"] = {refusal.item.pk for refusal in done.refused}
            finally:
                connection.close()

        def return_second(second=second, start=start, outcomes=outcomes):
            mine = Return.objects.get(pk=second.pk)
            start.wait()
            try:
                mine.send_back(cast.manager, "Check it", seen_revision=1)
                outcomes["returned"] = True
            except DecisionRefused:
                outcomes["returned"] = False
            finally:
                connection.close()

        threads = [threading.Thread(target=approve_both), threading.Thread(target=return_second)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        assert outcomes["approved"] >= {first.pk}, outcomes
        stored = Return.objects.get(pk=second.pk)
        assert stored.revision == 2  # decided exactly once
        if outcomes["returned"]:
            assert (stored.status, outcomes["refused"]) == ("returned", {second.pk}), outcomes
        else:
            assert (stored.status, outcomes["approved"]) == ("approved", {first.pk, second.pk})
        assert Return.objects.get(pk=first.pk).status == "approved"
        first.delete()
        second.delete()
