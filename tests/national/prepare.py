"""The two databases the benchmark compares: the demo alone, and the demo with the national
dataset beside it (a file copy of the demo database, then dataset.build).

Each database carries a note (a PostgreSQL comment) saying what it holds and for which
migrations, so `--reuse` keeps a complete national database and rebuilds a stale one.
"""

import os
import time

from . import dataset, sizes
from .database import Databases, Server, use_database

COUNTED = [
    ("partnerships", "plans_partnership"),
    ("agencies", "plans_organisation"),
    ("users", "auth_user"),
    ("memberships", "plans_membership"),
    ("wards", "plans_area"),
    ("indicators", "indicators_indicator"),
    ("targets", "indicators_indicatortarget"),
    ("quarters", "indicators_reportingperiod"),
    ("figures (returns)", "indicators_return"),
    ("plan versions", "plans_planversion"),
    ("priorities", "priorities_priority"),
    ("action rows", "priorities_actionrow"),
    ("outcomes", "priorities_outcome"),
    ("data lines", "priorities_dataline"),
    ("action updates", "priorities_actionupdate"),
    ("risks", "plans_risk"),
]


def migration_state() -> str:
    """The migrations on disk, newest of each app: a database built for others is stale."""
    from django.db.migrations.loader import MigrationLoader

    leaves = MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes()
    return " ".join(f"{app}.{name}" for app, name in sorted(leaves))


def prepare(server: Server, partnerships: int, reuse: bool) -> float | None:
    """Both databases ready; returns the seconds building the national dataset took, or None
    when a complete one was reused."""
    databases = Databases(server)
    state = migration_state()
    wanted = {
        server.demo: f"csp benchmark demo; migrations {state}",
        server.national: f"csp benchmark national; partnerships {partnerships}; "
        f"hundredfold {sizes.HUNDREDFOLD}; migrations {state}",
    }
    if reuse and all(databases.note(name) == note for name, note in wanted.items()):
        print(f"Reusing the complete databases {server.demo} and {server.national}.")
        return None
    if reuse:
        print("No complete national database to reuse (missing, partial or older migrations).")

    started = time.perf_counter()
    build_demo(databases, server, wanted[server.demo])
    print(f"Demo database {server.demo}: migrated and loaded in "
          f"{time.perf_counter() - started:.1f} s.")  # fmt: skip

    started = time.perf_counter()
    use_database(server.national)  # no session may stay on the demo while it is copied
    databases.drop(server.national)
    databases.create(server.national, template=server.demo)
    print(f"National database {server.national}: the demo copied, then {partnerships} "
          "partnerships and the hundredfold plan added:")  # fmt: skip
    connection = server.connect(server.national)
    try:
        filled = dataset.build(connection, partnerships)
        connection.autocommit = True  # VACUUM refuses a transaction
        analysed = time.perf_counter()
        with connection.cursor() as cursor:
            # As autovacuum leaves a table: statistics for the planner and the visibility map
            # index-only scans (counts) rely on.
            cursor.execute("VACUUM (ANALYZE)")
        print(f"  {'VACUUM (ANALYZE)':<44} {'':>15} {time.perf_counter() - analysed:7.1f} s")
    finally:
        connection.close()
    if filled:
        print(f"  Columns the builder filled with plain values: {', '.join(filled)}")
    databases.set_note(server.national, wanted[server.national])
    seconds = time.perf_counter() - started
    print(f"Built the national dataset in {seconds / 60:.1f} min ({seconds:.0f} s).")
    return seconds


def build_demo(databases: Databases, server: Server, note: str) -> None:
    from django.core.management import call_command

    use_database(server.demo)
    databases.drop(server.national)  # a copy of an older demo
    databases.drop(server.demo)
    databases.create(server.demo)
    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as quiet:
        call_command("load_demo", verbosity=0, stdout=quiet)
    use_database(server.national)  # closes the demo's session: it is copied next
    databases.set_note(server.demo, note)


def row_counts(server: Server) -> list[tuple[str, int, int]]:
    """(what, in the demo database, in the national one) for the main tables."""
    counts = {}
    for name in (server.demo, server.national):
        connection = server.connect(name)
        try:
            with connection.cursor() as cursor:
                cursor.execute(
                    " UNION ALL ".join(
                        f"SELECT '{table}', count(*) FROM {table}" for _, table in COUNTED
                    )
                )
                counts[name] = dict(cursor.fetchall())
        finally:
            connection.close()
    return [
        (label, counts[server.demo][table], counts[server.national][table])
        for label, table in COUNTED
    ]
