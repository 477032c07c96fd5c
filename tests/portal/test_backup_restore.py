"""deploy/backup.sh dumps the database and deploy/restore.sh restores the dump into a new database,
with every migration and the same pages (docs/deploy.md, backups)."""

import os
import subprocess
import uuid
from urllib.parse import urlparse

from django.conf import settings
from django.db import connection

from tests.aftercare import live_servers

DEPLOY = settings.BASE_DIR / "deploy"


def run(*command: str, **environment: str) -> str:
    return subprocess.run(  # noqa: S603 - our own scripts and PostgreSQL's tools
        command, env=os.environ | environment, capture_output=True, text=True, check=True
    ).stdout


def count(sql: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


def test_a_dump_restores_into_a_new_database(db, tmp_path):
    dump = run(str(DEPLOY / "backup.sh"), str(tmp_path), DATABASE_URL=live_servers.test_database_url()).strip()
    server = urlparse(live_servers.test_database_url())
    restored = f"restored_{uuid.uuid4().hex[:12]}"
    run("psql", server._replace(path="/postgres").geturl(), "-Atc", f"CREATE DATABASE {restored}")
    try:
        target = server._replace(path=f"/{restored}").geturl()
        output = run(str(DEPLOY / "restore.sh"), dump, target)
        pages = run("psql", target, "-Atc", "SELECT count(*) FROM wagtailcore_page")
    finally:
        run("psql", server._replace(path="/postgres").geturl(), "-Atc", f"DROP DATABASE {restored}")

    migrations = count("SELECT count(*) FROM django_migrations")
    assert output.strip() == f"{migrations} migrations applied"
    assert int(pages) == count("SELECT count(*) FROM wagtailcore_page") > 0
