"""Half of a dry run's duplicate check in a second process, so that a file uses both of a worker's cores.

The check is pure Python and holds the GIL, so threads would not help. ``multiprocessing`` refuses to start
a process from a Celery prefork child (its processes are daemonic), so this forks directly: the child
computes one share, sends it back pickled through a pipe, and leaves with ``os._exit`` (no atexit handler,
no Django or Celery clean-up of what it inherited).

The database connection is what a fork must not share: both processes would speak on one socket. So the
parent closes its connections first and each process opens its own. That is only possible outside a
transaction (a new connection would not see what the transaction wrote), which is where the dry run runs;
inside one, or where ``os.fork`` does not exist, both shares run here, one after the other. If the child
fails for any reason its share is computed again here: slower, never wrong.
"""

import logging
import os
import pickle
import sys

from django.db import connections

logger = logging.getLogger(__name__)


def can_fork() -> bool:
    return hasattr(os, "fork") and not any(c.in_atomic_block for c in connections.all(initialized_only=True))


def run_beside(child_share, parent_share):
    """``(child_share(), parent_share())``, the first computed in a forked process when it can be."""
    if not can_fork():
        return child_share(), parent_share()
    connections.close_all()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        status = 1
        try:
            os.close(read_end)
            with os.fdopen(write_end, "wb") as out:
                pickle.dump(child_share(), out, protocol=pickle.HIGHEST_PROTOCOL)
            status = 0
        except BaseException:
            logger.exception("The second process of the duplicate check failed")
        finally:
            try:
                connections.close_all()
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(status)
    os.close(write_end)
    try:
        mine = parent_share()
    finally:
        # The child's answer is read whole before waiting: a full pipe would otherwise block both.
        with os.fdopen(read_end, "rb") as answer:
            sent = answer.read()
        _pid, status = os.waitpid(pid, 0)
    if status == 0 and sent:
        # Written by our own child process a moment ago, through a pipe only the two of them hold.
        return pickle.loads(sent), mine  # noqa: S301  # nosec B301
    logger.warning(
        "The second process of the duplicate check ended with status %s; its share runs here", status
    )
    return child_share(), mine
