"""Two database roles: the owner runs migrations, the application runs as a role that owns nothing.

The owner owns every table; the application's role gets rows, not tables: SELECT, INSERT, UPDATE, DELETE on
the ordinary tables, and only SELECT and INSERT on the append-only ones (the audit trail, the access log).
Owning nothing, it cannot TRUNCATE, ALTER or disable the triggers of any table, so neither can whoever holds
its credentials. The grants are given after every ``migrate`` run as the owner (a post_migrate receiver), so
a new table is covered the moment it exists. Set ``DATABASE_APP_ROLE`` to the application's role name.
"""

from django.apps import apps
from django.conf import settings
from django.db import connections

from .models import AppendOnly


def append_only_tables() -> list[str]:
    return sorted(m._meta.db_table for m in apps.get_models() if issubclass(m, AppendOnly))


def grant_statements(role: str, *, schema: str = "public") -> list[str]:
    quoted = f'"{role}"'
    statements = [
        f"GRANT USAGE ON SCHEMA {schema} TO {quoted}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {quoted}",
        f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA {schema} TO {quoted}",
    ]
    for table in append_only_tables():
        statements.append(f'REVOKE UPDATE, DELETE, TRUNCATE ON "{table}" FROM {quoted}')
    return statements


def grant_app_role(*, using: str = "default", **kwargs) -> None:
    """post_migrate: give the application's role its rows (PostgreSQL, when DATABASE_APP_ROLE is set)."""
    role = getattr(settings, "DATABASE_APP_ROLE", "")
    connection = connections[using]
    if not role or connection.vendor != "postgresql" or connection.settings_dict.get("USER") == role:
        return
    with connection.cursor() as cursor:
        for statement in grant_statements(role):
            cursor.execute(statement)
