import pytest

from priorities.demo import create_demo_users, load_partnership, read_demo_file


@pytest.fixture
def demo_partnership(db):
    """The Lichfield demo partnership, loaded from fixtures/ as `make run` loads it."""
    partnership, _ = load_partnership(read_demo_file())
    create_demo_users(partnership)
    return partnership
