"""Structured logs: one JSON object per line, with the request id, the user's id and the centre's code.

Never names, search terms or any other personal data: the request line carries the path without its query
string (searches put names there), ids only, and the user's numeric id. ``LOG_FORMAT=json`` (the default when
DEBUG=0 and in the image) or ``console``. Celery tasks carry their task id and name the same way.
"""

import re
import time
import uuid

import structlog

REQUEST_ID_HEADER = "X-Request-ID"
# A proxy's id is kept if it looks like one (nginx's $request_id, a UUID); anything else is replaced.
_REQUEST_ID = re.compile(r"^[A-Za-z0-9-]{8,64}$")
logger = structlog.get_logger("toplum.request")


def shared_processors() -> list:
    return [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]


def configure_structlog() -> None:
    structlog.configure(
        processors=[*shared_processors(), structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )


def formatter(fmt: str) -> dict:
    """A logging.config formatter: JSON lines, or readable lines for a developer's terminal."""
    renderer = (
        structlog.processors.JSONRenderer() if fmt == "json" else structlog.dev.ConsoleRenderer(colors=False)
    )
    return {
        "()": structlog.stdlib.ProcessorFormatter,
        "processors": [
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            renderer,
        ],
        "foreign_pre_chain": shared_processors(),
    }


class RequestIdMiddleware:
    """Early in MIDDLEWARE: every log line of the request carries its id; the response returns it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = given if _REQUEST_ID.match(given) else uuid.uuid4().hex
        request.request_id = request_id
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request_id)
        started = time.monotonic()
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request_id
        user = getattr(request, "user", None)
        center = getattr(request, "center", None)
        logger.info(
            "request",
            method=request.method,
            path=request.path,  # never the query string
            status=response.status_code,
            duration_ms=round((time.monotonic() - started) * 1000, 1),
            user_id=user.pk if user is not None and user.is_authenticated else None,
            center=center.code if center is not None else None,
        )
        structlog.contextvars.clear_contextvars()
        return response


class RequestContextMiddleware:
    """After the centre is resolved: the user's id and the centre's code join the request's log lines."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        center = getattr(request, "center", None)
        structlog.contextvars.bind_contextvars(
            user_id=user.pk if user is not None and user.is_authenticated else None,
            center=center.code if center is not None else None,
        )


def bind_task(task_id: str, task_name: str) -> None:
    structlog.contextvars.clear_contextvars()
    structlog.contextvars.bind_contextvars(task_id=task_id, task=task_name)


def unbind_task() -> None:
    structlog.contextvars.clear_contextvars()
