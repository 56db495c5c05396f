"""The Celery app of the fault tests' workers: the real app and tasks, with builds slowed and logged so a
test can kill a worker in the middle of one. Started as ``celery -A reports.tests.fault_worker worker``.

Knobs, from the environment the test gives the worker:
``REPORT_TEST_STALE_AFTER``  seconds without a heartbeat before a build counts as lost (the test's sweeper
                             uses the same value, so the worker beats often enough for it);
``REPORT_TEST_BUILD_SECONDS`` how long each build sleeps once it has claimed its run;
``REPORT_TEST_BUILD_LOG``    a file that gets one line (the process id) per build started.
"""

import os
import time

from celery.signals import task_prerun
from django.conf import settings

from config.celery import app

settings.REPORT_BUILD_STALE_AFTER = float(os.environ["REPORT_TEST_STALE_AFTER"])
# How long the pool waits for a result from a killed process before calling it lost (default 10 s): the test
# need not wait for it, and nothing in the recovery depends on it.
app.conf.worker_lost_wait = 1


@task_prerun.connect
def _slow_and_logged_builds(task=None, **kwargs):
    if task is None or task.name != "reports.tasks.build_report":
        return
    from reports import services

    if getattr(services.report_content, "slowed", False):
        return
    tables = services.report_content

    def slowed(**arguments):
        # Called only once the run is claimed: a line here is a build started.
        with open(os.environ["REPORT_TEST_BUILD_LOG"], "a") as log:
            log.write(f"{os.getpid()}\n")
        time.sleep(float(os.environ["REPORT_TEST_BUILD_SECONDS"]))
        return tables(**arguments)

    slowed.slowed = True
    services.report_content = slowed
