"""Steps that more than one app's migrations take."""


def no_statement_timeout(apps, schema_editor):
    """Building an index over millions of rows takes longer than the statement timeout
    (csp/settings.py) allows a web request: lift it for the migration's transaction only."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET LOCAL statement_timeout = 0")
