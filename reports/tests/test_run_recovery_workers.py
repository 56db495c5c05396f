"""Report builds against real processes (issue 14, items 8 and 9): a Celery worker killed in the middle of a
build, and the broker stopped while a manager asks for a report. Each test runs in well under 30 seconds.

Beat is played by the test: it calls the sweeper every few tenths of a second instead of every minute.
"""

import os
import signal
import time

import pytest
from django.urls import reverse

from conftest import require_in_ci
from reports.models import ReportRun
from reports.services import report_runs_sweep
from reports.tests.processes import FaultWorkers, RedisServer, note_on, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

STALE_AFTER = 3.0  # seconds without a heartbeat before a build counts as lost (2 minutes in production)
BUILD_SECONDS = 4.0  # longer than STALE_AFTER: only the heartbeat keeps a live build from being swept


@pytest.fixture
def fault_workers(django_db_setup, tmp_path, settings):
    from config.celery import app

    settings.REPORT_BUILD_STALE_AFTER = STALE_AFTER
    workers = FaultWorkers(tmp_path=tmp_path, stale_after=STALE_AFTER, build_seconds=BUILD_SECONDS)
    previous = app.conf.task_default_queue, app.conf.task_always_eager
    app.conf.task_default_queue, app.conf.task_always_eager = workers.queue, False
    try:
        yield workers
    finally:
        workers.stop_all()
        app.conf.task_default_queue, app.conf.task_always_eager = previous


@pytest.fixture
def broker(settings):
    """The suite's Redis (CI): the fault workers' tasks cross it on a queue of their own."""
    if not settings.REDIS_URL:
        require_in_ci("REDIS_URL is not set: no broker for a real Celery worker")


def _ask_for_september(client, world) -> ReportRun:
    client.force_login(world.user("ANK", "center_manager"))
    client.post(reverse("reports:index", kwargs={"center": "ANK"}), {"month": "2026-09"})
    return ReportRun.objects.get(scope="ANK", start="2026-09-01")


def _page_note(client, run) -> str:
    return note_on(client.get(reverse("reports:run", kwargs={"center": "ANK", "pk": run.pk})).content)


def _sweep_until_done(client, run, *, timeout: float = 25) -> set[str]:
    """Beat, compressed: sweep, read the run page, until the run is done. The notes the page showed."""
    notes = set()

    def done():
        report_runs_sweep()
        notes.add(_page_note(client, run))
        run.refresh_from_db()
        return run.status == ReportRun.Status.DONE

    wait_for(done, timeout=timeout, every=0.3, what=f"run {run.pk} to be built")
    return notes


def test_a_build_whose_worker_process_is_killed_is_built_again_exactly_once(
    client, world, broker, fault_workers
):
    worker = fault_workers.start()
    run = _ask_for_september(client, world)
    [building] = fault_workers.wait_for_builds(1)
    assert building != worker.pid  # the pool's child, not the parent
    os.kill(building, signal.SIGKILL)

    notes = _sweep_until_done(client, run)

    builds = fault_workers.builds()
    assert len(builds) == 2 and builds[1] != building  # built again once, by a new child
    assert run.attempts == 2 and run.file.name.endswith(".xlsx")
    assert any(
        note.startswith(("The build was interrupted", "The build has stopped answering")) for note in notes
    )
    # Longer than a lost build takes to be noticed: nothing builds it a third time.
    time.sleep(STALE_AFTER + 1)
    report_runs_sweep()
    run.refresh_from_db()
    assert (run.status, run.attempts, len(fault_workers.builds())) == ("done", 2, 2)
    assert _page_note(client, run) == "" and worker.poll() is None


def test_a_build_whose_whole_worker_is_killed_is_built_again_by_another_worker(
    client, world, broker, fault_workers
):
    first = fault_workers.start()
    run = _ask_for_september(client, world)
    fault_workers.wait_for_builds(1)
    fault_workers.kill_whole_worker(first)  # its message stays unacknowledged in Redis for an hour

    wait_for(
        lambda: "stopped answering" in _page_note(client, run), timeout=STALE_AFTER + 5, what="a stale run"
    )
    assert report_runs_sweep() == {"requeued": 1, "failed": 0, "sent": 1, "unsent": 0}
    run.refresh_from_db()
    assert (run.status, run.attempts) == ("queued", 1)
    assert _page_note(client, run) == "The build was interrupted; it is being started again."
    # Meanwhile the same report cannot be asked for twice: the page of the run being rescued answers.
    assert _ask_for_september(client, world).pk == run.pk

    fault_workers.start()
    _sweep_until_done(client, run)
    assert run.attempts == 2 and len(fault_workers.builds()) == 2


def test_with_redis_down_a_request_answers_at_once_and_the_run_is_built_when_redis_is_back(
    client, world, fault_workers
):
    from config.celery import app

    redis = RedisServer()
    redis.start()
    previous_broker = app.conf.broker_url
    app.conf.broker_url = redis.url
    try:
        fault_workers.start(REDIS_URL=redis.url, REPORT_TEST_BUILD_SECONDS="0")
        binding = f"_kombu.binding.{fault_workers.queue}"
        wait_for(lambda: redis.has(binding), timeout=20, what="the worker to consume its queue")
        redis.stop()

        client.force_login(world.user("ANK", "center_manager"))
        started = time.monotonic()
        response = client.post(
            reverse("reports:index", kwargs={"center": "ANK"}), {"month": "2026-09"}, follow=True
        )
        assert time.monotonic() - started < 2
        assert response.status_code == 200
        assert b"The report is queued; it starts when the task queue is back." in response.content
        assert note_on(response.content) == "Queued; it starts when the task queue is back."
        run = ReportRun.objects.get(scope="ANK", start="2026-09-01")
        assert (run.status, run.sent_at) == ("queued", None)

        started = time.monotonic()
        assert report_runs_sweep() == {"requeued": 0, "failed": 0, "sent": 0, "unsent": 1}
        assert time.monotonic() - started < 2  # the sweeper too gives up on a dead broker at once

        redis.start()  # empty, as a Redis without persistence comes back
        _sweep_until_done(client, run)
        assert run.attempts == 1 and run.sent_at is not None and len(fault_workers.builds()) == 1
    finally:
        app.conf.broker_url = previous_broker
        fault_workers.stop_all()
        redis.stop()
