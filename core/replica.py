"""Reads of report builds, dashboards and exports go to a streaming replica while it keeps up.

``DATABASE_REPLICA_URL`` (optional) names a PostgreSQL hot standby of the primary. Code that only aggregates
(a report build's counting, the dashboards, exports) runs inside ``replica_reads()``; the router sends its
reads to the replica while the replica's replication lag is under ``DATABASE_REPLICA_MAX_LAG`` seconds, and to
the primary when it lags or does not answer. Writes always go to the primary, and so does every read outside
``replica_reads()``: a page that has just saved something reads it back from where it was written.
The replica's state is checked at most every ``DATABASE_REPLICA_CHECK_SECONDS`` per process.
"""

import contextlib
import contextvars
import logging
import time
from contextlib import contextmanager

from django.conf import settings
from django.db import connections

REPLICA = "replica"
logger = logging.getLogger(__name__)

_replica_reads = contextvars.ContextVar("toplum_replica_reads", default=False)
# (checked at, usable, lag) per process: a check costs a round trip, and reports make thousands of reads.
_state: dict = {"checked_at": 0.0, "usable": False, "lag": None}

LAG_SQL = """
SELECT CASE
    WHEN NOT pg_is_in_recovery() THEN 0
    WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
    ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)
END
"""


@contextmanager
def replica_reads():
    """Reads inside this block may be served by the replica (when it is configured and keeps up)."""
    token = _replica_reads.set(True)
    try:
        yield
    finally:
        _replica_reads.reset(token)


def replication_lag() -> float | None:
    """Seconds the replica is behind the primary, or None when it does not answer."""
    try:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute(LAG_SQL)
            return float(cursor.fetchone()[0])
    except (
        Exception
    ) as exc:  # a replica that is down, restarting or unreachable: fall back, never fail a page
        logger.warning("replica unavailable: %s", exc.__class__.__name__)
        with contextlib.suppress(Exception):  # closing a broken connection may fail too
            connections[REPLICA].close()
        return None


def replica_state(*, force: bool = False) -> dict:
    """{"configured", "usable", "lag"}: whether report reads go to the replica now."""
    if REPLICA not in settings.DATABASES:
        return {"configured": False, "usable": False, "lag": None}
    now = time.monotonic()
    if force or now - _state["checked_at"] >= settings.DATABASE_REPLICA_CHECK_SECONDS:
        lag = replication_lag()
        _state.update(
            checked_at=now, lag=lag, usable=lag is not None and lag <= settings.DATABASE_REPLICA_MAX_LAG
        )
        if lag is not None and not _state["usable"]:
            logger.warning(
                "replica lags %.1f s (limit %s s): reading from the primary",
                lag,
                settings.DATABASE_REPLICA_MAX_LAG,
            )
    return {"configured": True, "usable": _state["usable"], "lag": _state["lag"]}


class ReplicaRouter:
    """settings.DATABASE_ROUTERS: the replica for reads inside ``replica_reads()`` while it keeps up."""

    def db_for_read(self, model, **hints):
        if _replica_reads.get() and replica_state()["usable"]:
            return REPLICA
        return "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, two copies of it

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
