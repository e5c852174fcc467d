"""The benchmark's PostgreSQL: which server, its databases, and Django pointed at one of them.

The server comes from DATABASE_URL; its database name is the national one, and the demo alone
lives beside it with `_demo` added. Databases are created and dropped through the server's
`postgres` database, as an operator would with `createdb`.
"""

import os
import sys
import warnings
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import psycopg2
from psycopg2 import sql

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/csp_national"

# Production settings, as tests/benchmark.py runs them: cached templates, no tracebacks, no
# HTTPS redirect on a plain local connection.
PRODUCTION_LIKE = {
    "DEBUG": "false",
    "SECRET_KEY": "benchmark-only",
    "SECURE_SSL_REDIRECT": "false",
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
}


@dataclass(frozen=True)
class Server:
    url: str  # DATABASE_URL as given

    @property
    def national(self) -> str:
        return urlsplit(self.url).path.lstrip("/") or "csp_national"

    @property
    def demo(self) -> str:
        return f"{self.national}_demo"

    def url_of(self, database: str) -> str:
        parts = urlsplit(self.url)
        return urlunsplit(parts._replace(path=f"/{database}"))

    def connect(self, database: str, **options):
        """A psycopg2 connection to one of the server's databases."""
        parts = urlsplit(self.url)
        return psycopg2.connect(
            host=parts.hostname or "127.0.0.1",
            port=parts.port or 5432,
            user=parts.username or "postgres",
            password=parts.password or None,
            dbname=database,
            **options,
        )


def server_from_environment() -> Server:
    """The server in DATABASE_URL (PostgreSQL only), or a clear message and exit."""
    url = os.environ.get("DATABASE_URL") or DEFAULT_URL
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit(f"The national benchmark needs PostgreSQL: DATABASE_URL is {url!r}.")
    server = Server(url)
    try:
        server.connect("postgres", connect_timeout=5).close()
    except psycopg2.OperationalError as error:
        reason = str(error).strip().splitlines()[0]
        sys.exit(
            f"PostgreSQL is not reachable at {server.url_of('postgres')}: {reason}\n"
            "Start it, or set DATABASE_URL to a server you may create databases on "
            f"(default {DEFAULT_URL})."
        )
    return server


class Databases:
    """Creating, copying and dropping whole databases, through the `postgres` database."""

    def __init__(self, server: Server):
        self.server = server

    def _run(self, statement, params=None):
        connection = self.server.connect("postgres")
        connection.autocommit = True  # CREATE / DROP DATABASE refuse a transaction
        try:
            with connection.cursor() as cursor:
                cursor.execute(statement, params)
                return cursor.fetchone() if cursor.description else None
        finally:
            connection.close()

    def exists(self, name: str) -> bool:
        return self._run("SELECT 1 FROM pg_database WHERE datname = %s", [name]) is not None

    def drop(self, name: str) -> None:
        self._run(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))

    def create(self, name: str, template: str | None = None, *, whole_files=False) -> None:
        """An empty database, or a copy of `template` (file by file: far quicker than a dump).
        `whole_files`: copied as files rather than page by page through the WAL (PostgreSQL
        15 and later), for a large template: 6 s for the national database, not 13."""
        statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template:
            statement += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
        if whole_files:
            statement += sql.SQL(" STRATEGY FILE_COPY")
        self._run(statement)

    def note(self, name: str) -> str:
        """The comment the benchmark left on a database (what it holds), or ''."""
        found = self._run(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [name],
        )
        return (found and found[0]) or ""

    def set_note(self, name: str, text: str) -> None:
        self._run(
            sql.SQL("COMMENT ON DATABASE {} IS {}").format(sql.Identifier(name), sql.Literal(text))
        )


def setup_django(server: Server, database: str) -> None:
    """Django set up on `database` with production-like settings, as a deployment runs."""
    os.environ.update(PRODUCTION_LIKE, DATABASE_URL=server.url_of(database))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csp.settings")
    import django

    # WhiteNoise looks for collected files in-process too; only Gunicorn's run has them.
    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()
    from django.conf import settings

    # In-process pages link static files by their plain names: no collected manifest needed
    # (Gunicorn, later, serves the collected files as production does).
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def use_database(name: str) -> None:
    """Point Django's connection at another database of the same server (closed first)."""
    from django.db import connection

    connection.close()
    connection.settings_dict["NAME"] = name
