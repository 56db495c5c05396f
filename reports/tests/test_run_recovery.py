"""Report builds survive faults (issue 14, items 8 and 9), in-process: the sweeper, the claim, the outbox.

A lost worker leaves a run "running" with a heartbeat that no longer moves; a dead broker leaves a run queued
and unsent. The sweeper (beat, every minute) starts the first again and sends the second; only a claim of
the run builds, so a message delivered twice never builds twice. Real processes: test_run_recovery_workers.
"""

import datetime as dt
import threading
import time

import pytest
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerDown

from reports.models import ReportRun
from reports.services import report_build, report_request, report_runs_sweep
from reports.tasks import build_report
from reports.tests.processes import free_port, note_on

SEPTEMBER = {"start": dt.date(2026, 9, 1), "end": dt.date(2026, 9, 30)}
NOON = dt.datetime(2026, 10, 5, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def builds(monkeypatch):
    """Every build that got as far as counting, by run scope."""
    from reports import services

    started = []
    tables = services.report_content

    def counted(**arguments):
        started.append(arguments["center"].code if arguments["center"] else "national")
        return tables(**arguments)

    monkeypatch.setattr(services, "report_content", counted)
    return started


@pytest.fixture
def broker(monkeypatch):
    """A broker the test controls: ``broker.sent`` lists the runs handed to it; ``broker.down = True`` makes it
    refuse as a stopped Redis does."""
    from config.celery import app

    class Broker:
        down = False
        sent: list[int] = []

    def apply_async(args, **options):
        if Broker.down:
            raise BrokerDown("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
        Broker.sent.append(args[0])

    Broker.sent = []
    monkeypatch.setattr(build_report, "apply_async", apply_async)
    eager, app.conf.task_always_eager = app.conf.task_always_eager, False
    yield Broker
    app.conf.task_always_eager = eager


def _run(world, **fields) -> ReportRun:
    return ReportRun.objects.create(center=world.centers["ANK"], **SEPTEMBER, **fields)


def _note(client, world, run) -> str:
    client.force_login(world.user("ANK", "center_manager"))
    return note_on(client.get(reverse("reports:run", kwargs={"center": "ANK", "pk": run.pk})).content)


def test_a_build_whose_worker_was_lost_is_built_again_once_by_the_sweeper(
    world, builds, celery_eager, time_machine
):
    time_machine.move_to(NOON, tick=False)
    run = _run(world, status="running", attempts=1, heartbeat_at=NOON, progress=60)

    time_machine.move_to(NOON + dt.timedelta(seconds=100), tick=False)
    assert report_runs_sweep() == {"requeued": 0, "failed": 0, "sent": 0, "unsent": 0}  # still beating

    time_machine.move_to(NOON + dt.timedelta(seconds=121), tick=False)
    assert report_runs_sweep() == {"requeued": 1, "failed": 0, "sent": 1, "unsent": 0}
    run.refresh_from_db()
    assert (run.status, run.attempts, builds) == ("done", 2, ["ANK"])
    assert report_runs_sweep()["sent"] == 0 and builds == ["ANK"]


def test_the_run_page_says_what_happens_to_a_lost_build(client, world, broker, time_machine):
    time_machine.move_to(NOON, tick=False)
    run = _run(world, status="running", attempts=1, heartbeat_at=NOON, sent_at=NOON)
    assert _note(client, world, run) == ""

    time_machine.move_to(NOON + dt.timedelta(minutes=3), tick=False)
    assert _note(client, world, run) == (
        "The build has stopped answering; it will be started again within a few minutes."
    )
    report_runs_sweep()
    assert broker.sent == [run.pk]
    assert _note(client, world, run) == "The build was interrupted; it is being started again."

    build_report.apply(args=(run.pk,))  # what the worker does with the message
    run.refresh_from_db()
    assert run.status == "done" and _note(client, world, run) == ""


def test_a_build_interrupted_too_often_is_shown_failed_and_can_be_asked_for_again(
    client, world, broker, time_machine
):
    time_machine.move_to(NOON, tick=False)
    run = _run(world, status="running", attempts=3, heartbeat_at=NOON - dt.timedelta(minutes=5))
    assert report_runs_sweep() == {"requeued": 0, "failed": 1, "sent": 0, "unsent": 0}
    run.refresh_from_db()
    assert run.status == "failed" and run.error.startswith("Interrupted 3 times")
    assert _note(client, world, run) == "The build was interrupted 3 times, so it was not started again."
    page = client.get(reverse("reports:run", kwargs={"center": "ANK", "pk": run.pk})).content.decode()
    assert "The report could not be built." in page
    # No longer blocks the month: asking again queues a new build.
    assert report_request(center=world.centers["ANK"], **SEPTEMBER).pk != run.pk


def test_a_message_delivered_twice_builds_the_report_once(world, builds, celery_eager):
    run = _run(world)
    assert build_report.apply(args=(run.pk,)).get() == "done"
    assert build_report.apply(args=(run.pk,)).get() == "done"  # redelivered after the build finished
    run.refresh_from_db()
    assert (run.attempts, builds) == (1, ["ANK"])


def test_a_message_for_a_run_another_worker_is_building_builds_nothing(world, builds, celery_eager):
    run = _run(world, status="running", attempts=1, heartbeat_at=timezone.now(), progress=60)
    assert build_report.apply(args=(run.pk,)).get() == "running"
    run.refresh_from_db()
    assert (run.status, run.attempts, run.progress, builds) == ("running", 1, 60, [])


def test_a_redelivered_message_takes_over_a_lost_build_but_not_one_out_of_attempts(
    world, builds, celery_eager
):
    lost = timezone.now() - dt.timedelta(minutes=3)
    run = _run(world, status="running", attempts=1, heartbeat_at=lost)
    assert build_report.apply(args=(run.pk,)).get() == "done"
    run.refresh_from_db()
    assert (run.attempts, builds) == (2, ["ANK"])

    spent = ReportRun.objects.create(center=world.centers["IST"], **SEPTEMBER, status="running", attempts=3)
    assert build_report.apply(args=(spent.pk,)).get() == "running"  # the sweeper shows it failed
    assert builds == ["ANK"]


def test_a_build_taken_over_while_it_ran_drops_its_work(world, monkeypatch, celery_eager):
    """A worker that stopped beating for too long (but was alive) must not overwrite the build that replaced it."""
    from reports import services

    run = _run(world)
    tables = services.report_content

    def superseded(**arguments):
        # Meanwhile: the sweeper gave the run up for lost and another worker claimed it.
        ReportRun.objects.filter(pk=run.pk).update(attempts=2, progress=20)
        return tables(**arguments)

    monkeypatch.setattr(services, "report_content", superseded)
    report_build(run_id=run.pk)
    run.refresh_from_db()
    assert (run.status, run.attempts, run.progress, run.file.name) == ("running", 2, 20, "")


def test_a_lost_database_puts_the_build_back_in_the_queue(world, monkeypatch, broker):
    from django.db import OperationalError

    from reports import services

    def gone(**arguments):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(services, "report_content", gone)
    run = _run(world)
    with pytest.raises(OperationalError):
        report_build(run_id=run.pk)
    run.refresh_from_db()
    assert (run.status, run.attempts, run.sent_at) == ("queued", 1, None)
    assert report_runs_sweep()["sent"] == 1 and broker.sent == [run.pk]


def test_requesting_a_report_with_the_broker_down_answers_at_once_and_says_so(
    client, world, django_capture_on_commit_callbacks
):
    """A real connection attempt to a Redis port nobody listens on: refused, and never retried for 20 s."""
    from config.celery import app

    previous = app.conf.broker_url, app.conf.task_always_eager
    app.conf.broker_url, app.conf.task_always_eager = f"redis://127.0.0.1:{free_port()}/0", False
    try:
        client.force_login(world.user("ANK", "center_manager"))
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("reports:index", kwargs={"center": "ANK"}), {"month": "2026-09"})
        assert time.monotonic() - started < 2
        run = ReportRun.objects.get(scope="ANK", **SEPTEMBER)
        assert response["Location"] == reverse("reports:run", kwargs={"center": "ANK", "pk": run.pk})
        assert (run.status, run.sent_at) == ("queued", None)
        assert _note(client, world, run) == "Queued; it starts when the task queue is back."
        started = time.monotonic()
        assert report_runs_sweep() == {"requeued": 0, "failed": 0, "sent": 0, "unsent": 1}
        assert time.monotonic() - started < 2
    finally:
        app.conf.broker_url, app.conf.task_always_eager = previous


def test_queued_runs_reach_the_broker_when_it_is_back(
    client, world, broker, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(NOON, tick=False)
    broker.down = True
    with django_capture_on_commit_callbacks(execute=True) as sends:
        run = report_request(center=world.centers["ANK"], **SEPTEMBER)
        report_request(center=None, **SEPTEMBER)
    assert len(sends) == 2  # each request tried the broker once, after its commit
    client.force_login(world.user("ANK", "center_manager"))
    response = client.post(
        reverse("reports:index", kwargs={"center": "ANK"}), {"month": "2026-09"}, follow=True
    )
    assert b"The report is queued; it starts when the task queue is back." in response.content
    assert report_runs_sweep()["unsent"] == 2 and broker.sent == []

    broker.down = False
    time_machine.move_to(NOON + dt.timedelta(minutes=1), tick=False)
    assert report_runs_sweep() == {"requeued": 0, "failed": 0, "sent": 2, "unsent": 0}
    assert broker.sent[0] == run.pk and len(broker.sent) == 2
    assert report_runs_sweep()["sent"] == 0  # sent once
    run.refresh_from_db()
    assert run.sent_at == NOON + dt.timedelta(minutes=1) and _note(client, world, run) == ""


def test_a_run_the_broker_lost_is_sent_again(world, broker, time_machine):
    """A Redis without persistence that restarts comes back empty: a run sent but never started is sent again."""
    time_machine.move_to(NOON, tick=False)
    run = _run(world, sent_at=NOON)
    time_machine.move_to(NOON + dt.timedelta(minutes=10), tick=False)
    assert report_runs_sweep()["sent"] == 0
    time_machine.move_to(NOON + dt.timedelta(minutes=16), tick=False)
    assert report_runs_sweep()["sent"] == 1 and broker.sent == [run.pk]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_heartbeat_keeps_a_long_silent_build_from_being_swept(world, monkeypatch, settings, broker):
    """One long query reports no progress; the heartbeat thread must keep the run alive meanwhile."""
    from reports import services

    settings.REPORT_BUILD_STALE_AFTER = 0.6
    swept = []
    tables = services.report_content

    def slow(**arguments):
        time.sleep(1.2)  # twice the threshold without a word of progress
        swept.append(report_runs_sweep())
        return tables(**arguments)

    monkeypatch.setattr(services, "report_content", slow)
    run = _run(world)
    assert report_build(run_id=run.pk, heartbeat=True).status == "done"
    assert swept == [{"requeued": 0, "failed": 0, "sent": 0, "unsent": 0}]
    assert [t.name for t in threading.enumerate() if t.name == "report-heartbeat"] == []
