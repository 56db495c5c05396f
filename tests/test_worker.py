import pytest

from config.celery import ping


@pytest.mark.worker
def test_task_crosses_the_broker_to_a_real_worker_and_back(celery_worker_process):
    # Sent over Redis, run by the separate `celery worker` process, result read back from Redis.
    result = ping.delay()
    assert result.get(timeout=60) == "pong"
    assert celery_worker_process.poll() is None, "the worker died"
