"""What makes a slow page slow: its slowest query, and PostgreSQL's plan for it."""

import re

import psycopg2

from .measure import Result

SLOW_MS = 1000  # pages slower than this at national scale are explained
PLAN_LINES = 40


def explain(server, database: str, sql: str) -> list[str]:
    """EXPLAIN ANALYZE of one captured query (its parameters already in it), first lines."""
    connection = server.connect(database)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = '120s'")
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
            lines = [row[0] for row in cursor.fetchall()]
    except psycopg2.Error as error:  # an explanation is a bonus, never a failure
        return [f"(EXPLAIN failed: {error})"]
    finally:
        connection.rollback()
        connection.close()
    return lines[:PLAN_LINES] + (["…"] if len(lines) > PLAN_LINES else [])


def shortened(sql: str) -> str:
    """The query with its outer column list elided: the joins, filters and order remain."""
    short = re.sub(r"^SELECT .*? FROM ", "SELECT … FROM ", sql, count=1, flags=re.DOTALL)
    return short if len(short) <= 2000 else short[:2000] + " …"


def slow_pages(server, database: str, rows: list[tuple[str, Result, Result]]) -> list[str]:
    """For each page over SLOW_MS on the national database: its slowest query and plan."""
    lines = []
    for label, _, national in rows:
        if (national.median_ms or 0) < SLOW_MS or not national.slowest_sql[1]:
            continue
        took, sql = national.slowest_sql
        lines += [
            f"### {label}: {national.median_ms:,.0f} ms; slowest query {took:,.0f} ms",
            "",
            "```sql",
            shortened(sql),
            "```",
            "```",
            *explain(server, database, sql),
            "```",
            "",
        ]
    return lines
