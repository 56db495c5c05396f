"""The restore drill: `make backup` then `make restore` into a fresh database gives the same rows, the audit
trail still refuses changes, the application role can read, and the media files are back (bin/backup,
bin/restore)."""

import os
import subprocess
import uuid
from pathlib import Path

import dj_database_url
import psycopg2
import pytest
from django.db import connection

from conftest import OWNER_URL, require_in_ci

ROOT = Path(__file__).resolve().parent.parent
TABLES = [
    "beneficiaries_beneficiary",
    "beneficiaries_household",
    "cases_case",
    "audit_auditevent",
    "centers_center",
]


def _url(name: str) -> str:
    """The owner's URL (the one that migrates and may create databases) for database ``name``."""
    db = connection.settings_dict
    if OWNER_URL:
        owner = dj_database_url.parse(OWNER_URL)
        user, password = owner["USER"], owner["PASSWORD"]
    else:
        user, password = db["USER"], db["PASSWORD"]
    auth = f"{user}:{password}@" if password else f"{user}@"
    return f"postgres://{auth}{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def _counts(url: str) -> dict:
    with psycopg2.connect(url) as conn, conn.cursor() as cursor:
        counts = {}
        for table in TABLES:
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - our own table names
            counts[table] = cursor.fetchone()[0]
    conn.close()
    return counts


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_a_fresh_database(world, tmp_path):
    if connection.vendor != "postgresql":
        require_in_ci("the restore drill needs PostgreSQL (pg_dump, pg_restore)")
    source = _url(connection.settings_dict["NAME"])
    target = _url(f"restore_drill_{uuid.uuid4().hex[:8]}")
    media = tmp_path / "media"
    (media / "documents").mkdir(parents=True)
    (media / "documents" / "scan.pdf").write_bytes(b"%PDF-1.4 a kept file")
    env = {
        **os.environ,
        "DATABASE_OWNER_URL": source,
        "MEDIA_ROOT": str(media),
        "BACKUP_DIR": str(tmp_path / "b"),
    }
    backup = subprocess.run(  # noqa: S603 - our own script
        [str(ROOT / "bin/backup")], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout.strip()
    restored_media = tmp_path / "restored-media"
    try:
        subprocess.run(  # noqa: S603 - our own script
            [str(ROOT / "bin/restore"), backup, target],
            cwd=ROOT,
            env={**env, "MEDIA_ROOT": str(restored_media)},
            capture_output=True,
            text=True,
            check=True,
        )
        assert _counts(target) == _counts(source)
        assert _counts(target)["beneficiaries_beneficiary"] > 0
        assert (restored_media / "documents" / "scan.pdf").read_bytes() == b"%PDF-1.4 a kept file"
        # The audit trail is still append-only in the copy.
        with psycopg2.connect(target) as conn, conn.cursor() as cursor:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE tgname LIKE %s ORDER BY 1", ["%append_only"])
            assert [row[0] for row in cursor.fetchall()] == [
                "audit_accesslog_append_only",
                "audit_auditevent_append_only",
            ]
        conn.close()
        if _counts(target)["audit_auditevent"]:
            with psycopg2.connect(target) as conn, conn.cursor() as cursor, pytest.raises(psycopg2.Error):
                cursor.execute("UPDATE audit_auditevent SET action = 'rewritten'")
            conn.close()
        # Restoring into a database that holds tables is refused: a restore never mixes two databases.
        again = subprocess.run(  # noqa: S603 - our own script
            [str(ROOT / "bin/restore"), backup, target], cwd=ROOT, env=env, capture_output=True, text=True
        )
        assert again.returncode == 2 and "not empty" in again.stderr
    finally:
        admin = psycopg2.connect(_url("postgres"))
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{target.rsplit("/", 1)[1]}" WITH (FORCE)')
        admin.close()
