"""In memory, for tests: ``outbox`` holds what was sent; ``fail_next`` makes the next sends fail."""

import itertools

from . import Backend, Outgoing, PermanentError, Sent, TransientError

outbox: list[Outgoing] = []
# Errors the next sends raise, in order ("transient" or "permanent").
fail_next: list[str] = []
_ids = itertools.count(1)


def reset() -> None:
    outbox.clear()
    fail_next.clear()


class MemoryBackend(Backend):
    def send(self, message: Outgoing) -> Sent:
        if fail_next:
            kind = fail_next.pop(0)
            raise (TransientError if kind == "transient" else PermanentError)(f"{kind} failure (test)")
        outbox.append(message)
        return Sent(provider_id=f"MEM{next(_ids)}", status="delivered")
