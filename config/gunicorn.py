"""gunicorn settings read by the image (docker/entrypoint.sh): metrics of a worker that exits are dropped."""


def child_exit(server, worker):
    import os

    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
