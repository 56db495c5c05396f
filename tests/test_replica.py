"""Report reads on a real streaming replica, and the primary when the replica lags or is down (core/replica.py).

CI starts a hot standby of its PostgreSQL with pg_basebackup (.ci/replica) and names it in REPLICA_TEST_URL;
the test database, created on the primary, streams to it like everything else.
"""

import os
import time
from urllib.parse import urlparse

import psycopg2
import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from centers.models import Center
from conftest import require_in_ci
from core import replica
from core.replica import REPLICA, replica_reads, replica_state
from reports import dashboard
from reports import services as reports
from reports.models import ReportRun


def _replica_address():
    url = os.environ.get("REPLICA_TEST_URL", "")
    if not url:
        require_in_ci("REPLICA_TEST_URL is not set: no streaming replica to route reports to")
    if connection.vendor != "postgresql":
        require_in_ci("the replica tests need PostgreSQL")
    return urlparse(url)


@pytest.fixture
def replica_alias(transactional_db, settings):
    """The alias ``replica`` pointing at the real replica's copy of the test database."""
    address = _replica_address()
    return _alias(settings, host=address.hostname, port=address.port or 5432)


def _alias(settings, *, host, port):
    """A connection of its own, made here and not declared in DATABASES' test set-up (Django would try to
    create a test database on a read-only standby): the router sees the alias in settings.DATABASES."""
    from django.db.backends.postgresql.base import DatabaseWrapper

    settings.DATABASES = {**settings.DATABASES, REPLICA: {}}
    settings.DATABASE_REPLICA_CHECK_SECONDS = 0  # look at the replica's lag on every read
    replica_settings = {
        **connections["default"].settings_dict,
        "HOST": host,
        "PORT": str(port),
        "CONN_MAX_AGE": 0,
    }
    setattr(connections._connections, REPLICA, DatabaseWrapper(replica_settings, REPLICA))
    replica._state.update(checked_at=0.0, usable=False, lag=None)
    return REPLICA


@pytest.fixture(autouse=True)
def _forget_alias():
    yield
    wrapper = getattr(connections._connections, REPLICA, None)
    if wrapper is not None:
        wrapper.close()
        delattr(connections._connections, REPLICA)
    replica._state.update(checked_at=0.0, usable=False, lag=None)


def _on_replica(code: str, *, timeout: float = 15) -> None:
    """Wait until the replica has replayed the row (streaming is asynchronous)."""
    deadline = time.monotonic() + timeout
    while not Center.objects.using(REPLICA).filter(code=code).exists():
        assert time.monotonic() < deadline, "the replica did not catch up"
        time.sleep(0.1)


def _until_usable(timeout: float = 15) -> None:
    """Wait until the replica's lag is under the limit (replay after a burst of WAL takes a moment)."""
    deadline = time.monotonic() + timeout
    while not replica_state(force=True)["usable"]:
        assert time.monotonic() < deadline, f"the replica stayed behind: {replica_state()}"
        time.sleep(0.1)


def _replay(action: str) -> None:
    """Pause or resume WAL replay on the replica, as its superuser."""
    address = urlparse(os.environ["REPLICA_TEST_URL"])
    admin = psycopg2.connect(
        host=address.hostname, port=address.port, user=address.username or "postgres", dbname="postgres"
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f"SELECT pg_wal_replay_{action}()")
    admin.close()


def _center(code: str) -> Center:
    return Center.objects.create(code=code, name=f"Centre {code}", city="Konya", status=Center.Status.OPEN)


def test_report_reads_go_to_the_replica_while_it_keeps_up(replica_alias):
    _center("RPA")
    _on_replica("RPA")
    _until_usable()
    with replica_reads():
        assert Center.objects.get(code="RPA")._state.db == REPLICA
        # Writes never go there, even inside the block.
        written = _center("RPB")
        assert written._state.db == "default"
    # Outside the block a page reads what it has just written from the primary.
    assert Center.objects.get(code="RPB")._state.db == "default"
    assert replica_state()["usable"] and replica_state()["lag"] is not None


def test_a_report_build_and_the_dashboard_count_on_the_replica(replica_alias, world):
    import datetime as dt

    # The run row only: a build sent to the broker could be taken by the suite's worker meanwhile.
    run = ReportRun.objects.create(
        center=world.centers["ANK"], start=dt.date(2026, 10, 1), end=dt.date(2026, 10, 31)
    )
    _center("RPC")
    _on_replica("RPC")
    _until_usable()
    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        built = reports.report_build(run_id=run.pk)
        dashboard.dashboard(center=world.centers["ANK"], today=dt.date(2026, 11, 15))
    assert built.status == "done", built.error
    assert len(on_replica) > 10  # the counting; the run's progress and files were written to the primary


def test_a_lagging_replica_is_left_for_the_primary(replica_alias, settings):
    settings.DATABASE_REPLICA_MAX_LAG = 0.5
    _center("RPD")
    _on_replica("RPD")
    _replay("pause")
    try:
        _center("RPE")  # the primary moves on; the paused replica does not
        time.sleep(1.5)
        with replica_reads():
            found = Center.objects.get(code="RPE")  # would be missing on the replica
        assert found._state.db == "default"
        state = replica_state()
        assert not state["usable"] and state["lag"] > 0.5
    finally:
        _replay("resume")
    _on_replica("RPE")
    _until_usable()
    with replica_reads():
        assert Center.objects.get(code="RPE")._state.db == REPLICA


def test_a_replica_that_is_down_is_left_for_the_primary(transactional_db, settings):
    # Nothing listens on port 9: the connection is refused at once.
    _alias(settings, host="127.0.0.1", port=9)
    _center("RPF")
    with replica_reads():
        assert Center.objects.get(code="RPF")._state.db == "default"
    assert replica_state() == {"configured": True, "usable": False, "lag": None}


def test_without_a_replica_everything_reads_the_primary(db, world):
    with replica_reads():
        assert Center.objects.get(code="ANK")._state.db == "default"
    assert replica_state() == {"configured": False, "usable": False, "lag": None}
