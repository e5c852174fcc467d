"""Django's SQLite backend, told how many query parameters this SQLite really accepts.

Django assumes the old limit of 999, so a bulk insert of 100 returns with their history is
split into several statements; SQLite 3.32+ accepts 32,766 (here often 250,000). With the real
limit, saving an entry page costs the same number of queries however many items it has, as on
PostgreSQL.
"""

import sqlite3

from django.db.backends.sqlite3 import base, features


def _variable_limit() -> int:
    with sqlite3.connect(":memory:") as probe:
        return probe.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)


class DatabaseFeatures(features.DatabaseFeatures):
    max_query_params = _variable_limit()


class DatabaseWrapper(base.DatabaseWrapper):
    features_class = DatabaseFeatures
