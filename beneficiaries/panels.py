"""Panels that apps further down DESIGN.md's table add to a person's profile.

The profile lives here, but services and cases sit below beneficiaries and may import it, not the reverse:
each registers a panel (a template and a function that reads its context) from its own ``apps.py``.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    order: int
    template: str
    # (request, person) -> the template's context; keys must not clash with another panel's.
    context: Callable[..., dict]


_panels: dict[str, Panel] = {}


def register(name: str, *, order: int, template: str, context: Callable[..., dict]) -> None:
    _panels[name] = Panel(order=order, template=template, context=context)


def profile_panels(request, person) -> tuple[list[str], dict]:
    """The templates to include, in order, and the context they read."""
    panels = sorted(_panels.values(), key=lambda p: p.order)
    context: dict = {}
    for panel in panels:
        context.update(panel.context(request, person))
    return [p.template for p in panels], context
