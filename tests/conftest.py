"""Fixtures shared by every test: the demo partnership and the standard cast, each built once
per test module and rolled back after it.

Both are built inside a transaction that stays open for the whole module; each test then runs
in a savepoint within it (pytest-django's `db`), so whatever a test writes is undone before the
next one, and each test gets its own copy of the Python objects, as Django's setUpTestData does.
Browser tests need their data committed for the live server, so tests/browser builds its own.
"""

import copy
from contextlib import contextmanager

import pytest
from django.core.cache import cache
from django.db import transaction

from plans.models import Partnership
from priorities.demo import create_demo_users, load_partnership, read_demo_file
from priorities.demo_refresh import load_refresh
from tests.builders import build_cast, give_admin_rights

MODULE_DATA = {"demo_loaded_once", "cast_built_once", "world_built_once"}


def pytest_collection_modifyitems(items):
    """A module that builds data once in a module-long transaction cannot also hold a test
    that commits (transactional_db, live_server): it would run inside that transaction."""
    by_module = {}
    for item in items:
        by_module.setdefault(item.module, []).append(item)
    for module, module_items in by_module.items():
        shared = any(MODULE_DATA & set(item.fixturenames) for item in module_items)
        committing = [item.name for item in module_items if _commits(item)]
        if shared and committing:
            raise pytest.UsageError(
                f"{module.__name__} builds data once per module, so it cannot hold tests that "
                f"commit ({', '.join(committing)}): move them to a module of their own."
            )


def _commits(item) -> bool:
    marker = item.get_closest_marker("django_db")
    return bool(
        {"transactional_db", "live_server", "cast_committed"} & set(item.fixturenames)
        or (marker and marker.kwargs.get("transaction"))
    )


def pytest_configure(config):
    from django.conf import settings

    # Real hashing is slow on purpose; tests only need passwords to check.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fresh_cache():
    """Limits count in the cache (password resets); each test starts from none."""
    yield
    cache.clear()


def load_demo() -> Partnership:
    """The Lichfield demo partnership and users, loaded from fixtures/ as `make run` loads them."""
    data = read_demo_file()
    partnership, _ = load_partnership(data)
    create_demo_users(partnership)
    load_refresh(partnership, data)
    return partnership


@contextmanager
def module_transaction(django_db_blocker):
    """A transaction open across a module's tests, rolled back when they are done."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture(scope="module")
def demo_loaded_once(django_db_setup, django_db_blocker):
    with module_transaction(django_db_blocker):
        with django_db_blocker.unblock():
            partnership = load_demo()
        yield partnership.pk


@pytest.fixture
def demo_partnership(demo_loaded_once, db):
    """The Lichfield demo partnership, as `make run` loads it (a fresh instance per test)."""
    return Partnership.objects.get(pk=demo_loaded_once)


@pytest.fixture(scope="module")
def cast_built_once(django_db_setup, django_db_blocker):
    with module_transaction(django_db_blocker):
        with django_db_blocker.unblock():
            built = build_cast()
        yield built


@pytest.fixture
def cast(cast_built_once, db):
    """The standard cast around one open quarter (see `build_cast`): a copy for each test."""
    return copy.deepcopy(cast_built_once)


@pytest.fixture
def officer_client(client, cast):
    """The cast's police officer, signed in."""
    client.force_login(cast.officer)
    return client


@pytest.fixture
def manager_client(client, cast):
    """The cast's partnership manager, signed in."""
    client.force_login(cast.manager)
    return client


@pytest.fixture
def admin_manager_client(client, cast):
    """The cast's manager, signed in, with a partnership manager's admin rights."""
    give_admin_rights(cast.manager)
    client.force_login(cast.manager)
    return client


@pytest.fixture
def cast_committed(transactional_db):
    """The standard cast, committed, for tests whose threads use connections of their own."""
    return build_cast()
