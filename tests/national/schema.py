"""Bulk inserts that follow the migrated schema, whatever columns it has grown.

Each insert names the columns it means (`values`, SQL expressions); any other column that is
NOT NULL without a database default is filled with its type's plain value ('' for text, 0,
false, now()), so a column added by a later migration cannot break the build. When `copy_from`
names a source row's alias, the unnamed columns are copied from it instead (clones keep every
field of the demo's rows). Rows are written by the server in one INSERT … SELECT each: no row
passes through Python.
"""

from dataclasses import dataclass

FILLERS = {
    "character varying": "''",
    "text": "''",
    "smallint": "0",
    "integer": "0",
    "bigint": "0",
    "numeric": "0",
    "double precision": "0",
    "boolean": "false",
    "date": "current_date",
    "timestamp with time zone": "now()",
    "uuid": "gen_random_uuid()",
    "jsonb": "'{}'::jsonb",
}


@dataclass(frozen=True)
class Column:
    name: str
    data_type: str
    required: bool  # NOT NULL without a default: an insert must give it


def table_of(model) -> str:
    """The table of a Django model (or a many-to-many field's `through`), or a table name."""
    return model if isinstance(model, str) else model._meta.db_table


class Inserter:
    """INSERT … SELECT through one psycopg2 cursor; `filled` lists the columns it had to fill
    without being told (a schema the builder does not know yet), to print once."""

    def __init__(self, cursor):
        self.cursor = cursor
        self.filled: set[str] = set()
        self.tables: set[str] = set()  # written to: their foreign keys are checked at the end
        self._columns: dict[str, list[Column]] = {}

    def columns(self, table: str) -> list[Column]:
        if table not in self._columns:
            self.cursor.execute(
                """
                SELECT column_name, data_type,
                       is_nullable = 'NO' AND column_default IS NULL
                       AND is_identity = 'NO' AND is_generated = 'NEVER'
                FROM information_schema.columns
                WHERE table_schema = current_schema() AND table_name = %s
                ORDER BY ordinal_position
                """,
                [table],
            )
            self._columns[table] = [Column(*row) for row in self.cursor.fetchall()]
            if not self._columns[table]:
                raise LookupError(f"No table {table} in the migrated schema.")
        return self._columns[table]

    def insert(self, model, values: dict[str, str], source: str, *, copy_from: str = "") -> int:
        """Insert the rows `source` (a FROM … clause) yields; returns how many."""
        table = table_of(model)
        columns = self.columns(table)
        unknown = set(values) - {column.name for column in columns}
        if unknown:
            raise LookupError(f"{table} has no column {', '.join(sorted(unknown))}: the schema "
                              "changed; update tests/national/dataset.py.")  # fmt: skip
        chosen = {}
        for column in columns:
            if column.name in values:
                chosen[column.name] = values[column.name]
            elif column.name == "id":
                continue  # the table's own identity numbers it
            elif copy_from and column.data_type == "uuid":
                chosen[column.name] = "gen_random_uuid()"  # a lineage is the row's own
            elif copy_from:
                chosen[column.name] = f"{copy_from}.{column.name}"
            elif column.required:
                chosen[column.name] = FILLERS.get(column.data_type, "DEFAULT")
                self.filled.add(f"{table}.{column.name}")
        self.tables.add(table)
        names = ", ".join(f'"{name}"' for name in chosen)
        self.cursor.execute(
            f"INSERT INTO {table} ({names}) SELECT {', '.join(chosen.values())} {source}"
        )
        return self.cursor.rowcount

    def numbering(self, name: str, model, select: str) -> int:
        """A temporary table `name`: the rows of `select`, each with `new_id`, the id its copy
        takes in `model`'s table (drawn from that table's own sequence). Returns its size."""
        table = table_of(model)
        self.cursor.execute(
            f"CREATE TEMPORARY TABLE {name} AS SELECT s.*, "
            f"nextval(pg_get_serial_sequence('{table}', 'id')) AS new_id FROM ({select}) s"
        )
        count = self.cursor.rowcount
        self.cursor.execute(f"ANALYZE {name}")
        return count

    def dangling_references(self) -> list[str]:
        """The foreign keys of the tables written to that point at no row, each as
        "table.column: count"; one anti-join per key, instead of a trigger per row."""
        self.cursor.execute(
            """
            SELECT c.conrelid::regclass::text, a.attname, c.confrelid::regclass::text, r.attname
            FROM pg_constraint c
            JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
            JOIN pg_attribute r ON r.attrelid = c.confrelid AND r.attnum = c.confkey[1]
            WHERE c.contype = 'f' AND cardinality(c.conkey) = 1
              AND c.conrelid::regclass::text = ANY(%s)
            """,
            [sorted(self.tables)],
        )
        dangling = []
        for table, column, target, key in self.cursor.fetchall():
            self.cursor.execute(
                f'SELECT count(*) FROM {table} t WHERE t."{column}" IS NOT NULL AND NOT EXISTS '
                f'(SELECT 1 FROM {target} x WHERE x."{key}" = t."{column}")'
            )
            (count,) = self.cursor.fetchone()
            if count:
                dangling.append(f"{table}.{column}: {count}")
        return dangling
