"""For `make run`: each message is appended to a file (or printed), so nothing leaves the machine."""

import sys
import uuid
from pathlib import Path

from django.utils import timezone

from messaging import conf

from . import Backend, Outgoing, Sent


def _entry(message: Outgoing, provider_id: str) -> str:
    return (
        f"--- {timezone.localtime():%Y-%m-%d %H:%M} {message.channel} to {message.to} ({provider_id})\n"
        f"{message.body}\n"
    )


class FileBackend(Backend):
    def send(self, message: Outgoing) -> Sent:
        provider_id = f"FILE{uuid.uuid4().hex[:12]}"
        path = Path(conf.file_path())
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as out:
            out.write(_entry(message, provider_id))
        return Sent(provider_id=provider_id, status="delivered")


class ConsoleBackend(Backend):
    def send(self, message: Outgoing) -> Sent:
        provider_id = f"CONSOLE{uuid.uuid4().hex[:12]}"
        sys.stdout.write(_entry(message, provider_id))
        return Sent(provider_id=provider_id, status="delivered")
