"""Writing many rows of one model, and their history, in a few statements whatever their
number: what saving an officer's page of a hundred figures needs.

Not Django's bulk_update, which builds a CASE … WHEN per row and column (at a hundred rows that
costs more than the rest of the save), nor one UPDATE per row, which on PostgreSQL is a round
trip each. One UPDATE … FROM a list of VALUES instead, as PostgreSQL and SQLite (3.33 and later)
both take it, and one INSERT … SELECT for the history.
"""

from django.db import connections, router
from simple_history.utils import get_history_manager_for_model


def update_with_history(model, changed, columns, *, user, now) -> None:
    """Write the `columns` (attnames) of the `changed` rows, given as (row, new values by
    attname); a column a row's values leave out keeps the row's own. Then record each row's
    history ("~", changed by `user` at `now`)."""
    connection = connections[router.db_for_write(model)]
    prepared = {}  # (column, id of value) -> as sent: who and when are the same on every row

    def column_value(column, row, values):
        value = values.get(column.attname, getattr(row, column.attname))
        key = (column.attname, id(value))
        if key not in prepared:
            prepared[key] = (value, column.get_db_prep_save(value, connection))
        return prepared[key][1]

    # A column holding one value on every row (who, when, usually the status) is sent once,
    # not in each row: the statement for a hundred rows is then a fraction of the size to send
    # and for the database to parse.
    same, varying = {}, []
    for column in (model._meta.get_field(name) for name in sorted(columns)):
        sent = [column_value(column, row, values) for row, values in changed]
        if all(type(value) is type(sent[0]) and value == sent[0] for value in sent):
            same[column] = sent[0]
        else:
            varying.append((column, sent))
    rows = [
        [row.pk, *(sent[number] for _, sent in varying)] for number, (row, _) in enumerate(changed)
    ]
    varying_columns = [column for column, _ in varying]
    with connection.cursor() as cursor:
        for batch in _batches(connection, rows, len(varying) + 1, fixed=len(same)):
            sql = _update_sql(connection, model, varying_columns, list(same), len(batch))
            cursor.execute(sql, [value for row in batch for value in row] + list(same.values()))
        for batch in _batches(connection, [row for row, _ in changed], 1):
            _insert_history(cursor, model, batch, user=user, now=now)


def _batches(connection, rows: list, params_per_row: int, *, fixed: int = 0):
    """`rows` in runs small enough for the database's limit on parameters per statement, with
    `fixed` parameters besides the rows'."""
    limit = connection.features.max_query_params or 10_000
    size = max(1, (limit - 10 - fixed) // params_per_row)
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _update_sql(connection, model, varying, same, count: int) -> str:
    """UPDATE the model's table from `count` rows of (pk, *varying columns), setting each of
    the `same` columns to one value. PostgreSQL is told each row value's type (a list of VALUES
    would otherwise take a missing figure for text); SQLite needs no casts, and would turn a
    date into a number with one."""
    quote = connection.ops.quote_name
    meta = model._meta
    fields = [meta.pk, *varying]
    if connection.vendor == "postgresql":
        one_row = ", ".join(f"CAST(%s AS {field.cast_db_type(connection)})" for field in fields)
    else:
        one_row = ", ".join(["%s"] * len(fields))
    names = ["pk_", *(f"c{number}_" for number in range(len(varying)))]
    assignments = [
        *(
            f"{quote(column.column)} = new.{name}"
            for column, name in zip(varying, names[1:], strict=True)
        ),
        *(f"{quote(column.column)} = %s" for column in same),
    ]
    table = quote(meta.db_table)
    return (
        f"WITH new ({', '.join(names)}) AS (VALUES {', '.join([f'({one_row})'] * count)}) "
        f"UPDATE {table} SET {', '.join(assignments)} FROM new "
        f"WHERE {table}.{quote(meta.pk.column)} = new.pk_"
    )


def _insert_history(cursor, model, rows, *, user, now) -> None:
    """The rows' history records ("~", changed), as django-simple-history's
    bulk_history_create writes them, copied from the rows just updated by one
    INSERT … SELECT: its bulk_create converts and sends every column of every row from
    Python, which at a hundred rows costs more than the update itself."""
    history = get_history_manager_for_model(model).model
    connection = cursor.db
    quote = connection.ops.quote_name
    written = {  # the history's own columns; every other one is the row's, of the same name
        "history_date": now,
        "history_type": "~",
        "history_user_id": user.pk,
        "history_change_reason": "",
    }
    columns = [field for field in history._meta.concrete_fields if not field.primary_key]
    copied = [field.column for field in columns if field.attname not in written]
    own = [field for field in columns if field.attname in written]
    sql = (
        f"INSERT INTO {quote(history._meta.db_table)} "
        f"({', '.join(quote(column) for column in [*copied, *(f.column for f in own)])}) "
        f"SELECT {', '.join(quote(column) for column in copied)}, "
        f"{', '.join(['%s'] * len(own))} FROM {quote(model._meta.db_table)} "
        f"WHERE {quote(model._meta.pk.column)} IN ({', '.join(['%s'] * len(rows))})"
    )
    cursor.execute(
        sql,
        [field.get_db_prep_save(written[field.attname], connection) for field in own]
        + [row.pk for row in rows],
    )
