"""The audit trail cannot be rewritten: the application's role owns nothing, and even the owner meets the
append-only triggers (issue 14, item 2). CI runs the whole suite as the application's role."""

import os

import dj_database_url
import psycopg2
import pytest
from django.db import DatabaseError, connection, transaction

from audit.models import AuditEvent
from audit.roles import append_only_tables, grant_statements
from conftest import require_in_ci

# The audit trail, the access log, and the API's record of calls (api.ApiCall).
APPEND_ONLY = ["api_apicall", "audit_accesslog", "audit_auditevent"]


def test_the_append_only_tables_are_the_audit_trail_the_access_log_and_api_calls():
    assert append_only_tables() == APPEND_ONLY


def test_the_application_role_gets_rows_and_never_the_audit_tables_to_rewrite():
    statements = grant_statements("toplum_app")
    assert 'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "toplum_app"' in statements
    for table in APPEND_ONLY:
        assert f'REVOKE UPDATE, DELETE, TRUNCATE ON "{table}" FROM "toplum_app"' in statements


def _as_application_role():
    if connection.vendor != "postgresql":
        require_in_ci("database roles exist on PostgreSQL only")
    if not os.environ.get("DATABASE_OWNER_URL"):
        require_in_ci("DATABASE_OWNER_URL is not set: the suite runs as the database owner")


@pytest.mark.parametrize(
    "statement",
    [
        "TRUNCATE audit_auditevent",
        "TRUNCATE audit_accesslog",
        "DELETE FROM audit_auditevent",
        "DELETE FROM audit_accesslog",
        "UPDATE audit_auditevent SET username = 'someone else'",
        "UPDATE audit_accesslog SET path = '/'",
        "ALTER TABLE audit_auditevent DISABLE TRIGGER ALL",
        "ALTER TABLE audit_accesslog DISABLE TRIGGER audit_accesslog_append_only",
        "DROP TRIGGER audit_auditevent_append_only ON audit_auditevent",
        "ALTER TABLE audit_auditevent OWNER TO CURRENT_USER",
        "DROP TABLE audit_accesslog",
    ],
)
def test_the_application_role_cannot_rewrite_the_trail(db, statement):
    _as_application_role()
    AuditEvent.objects.create(action="login", username="x")
    with (
        pytest.raises(DatabaseError, match="permission denied|must be owner"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    assert AuditEvent.objects.filter(username="x").exists()


def test_the_application_role_still_writes_and_reads_the_trail(db):
    _as_application_role()
    event = AuditEvent.objects.create(action="login", username="x")
    assert AuditEvent.objects.get(pk=event.pk).username == "x"


def test_even_the_owner_meets_the_append_only_triggers(db):
    if connection.vendor != "postgresql":
        require_in_ci("the append-only triggers exist on PostgreSQL only")
    settings = connection.settings_dict
    owner = dj_database_url.parse(os.environ.get("DATABASE_OWNER_URL") or "postgres://localhost/x")
    owner_connection = psycopg2.connect(
        host=settings["HOST"] or "localhost",
        port=settings["PORT"] or 5432,
        dbname=settings["NAME"],
        user=owner["USER"] if os.environ.get("DATABASE_OWNER_URL") else settings["USER"],
        password=owner["PASSWORD"] if os.environ.get("DATABASE_OWNER_URL") else settings["PASSWORD"],
    )
    try:
        with owner_connection.cursor() as cursor:
            cursor.execute(
                "SELECT tgrelid::regclass::text FROM pg_trigger WHERE tgname LIKE '%%append_only' ORDER BY 1"
            )
            # The audit trail and the access log carry triggers; the API's call record is kept by grants only.
            assert [row[0] for row in cursor.fetchall()] == ["audit_accesslog", "audit_auditevent"]
            cursor.execute(
                "INSERT INTO audit_auditevent (at, username, action, object_type, object_id, detail) "
                "VALUES (now(), 'x', 'login', '', '', '{}') RETURNING id"
            )
            event_id = cursor.fetchone()[0]
            for statement in (
                "UPDATE audit_auditevent SET username = 'y' WHERE id = %s",
                "DELETE FROM audit_auditevent WHERE id = %s",
            ):
                cursor.execute("SAVEPOINT s")
                with pytest.raises(psycopg2.Error, match="append-only"):
                    cursor.execute(statement, [event_id])
                cursor.execute("ROLLBACK TO SAVEPOINT s")
    finally:
        owner_connection.rollback()  # the row inserted here goes too
        owner_connection.close()
