"""The start page ("My day"): panels that apps further down DESIGN.md's table add, chosen by role.

The start page lives here, but the desk, the caseload and the reports sit below centers and may import it,
not the reverse: each app declares its panels in its own ``start.py``, imported from its ``AppConfig.ready``
(as the profile's panels are, beneficiaries/panels.py).

A panel is shown when the user holds one of its ``roles`` in the centre (a person may hold several: each
panel appears once) and, if it names one, the permission ``perm`` those roles grant, so a change to the
role table cannot open a panel to a role that may not read it. Its ``context`` function takes the centre
(None on the national start page, where only panels of national roles appear) and the user, and must run a
fixed number of queries whatever the number of rows: it returns lists, never lazy querysets.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from centers.models import Center


@dataclass(frozen=True)
class StartPanel:
    name: str
    roles: frozenset[str]
    order: int
    template: str
    # (center, user) -> the template's context, read by the template as ``p``.
    context: Callable[[Center | None, object], dict]
    perm: str | None = None


@dataclass(frozen=True)
class ShownPanel:
    name: str
    template: str
    context: dict


_panels: dict[str, StartPanel] = {}


def register(
    name: str,
    *,
    roles: Iterable[str],
    order: int,
    template: str,
    context: Callable[[Center | None, object], dict],
    perm: str | None = None,
) -> None:
    _panels[name] = StartPanel(
        name=name, roles=frozenset(roles), order=order, template=template, context=context, perm=perm
    )


def registered() -> list[StartPanel]:
    return sorted(_panels.values(), key=lambda p: (p.order, p.name))


def panels_for(
    *, roles: Iterable[str], perms: Iterable[str], center: Center | None, user
) -> list[ShownPanel]:
    """The panels the user's roles choose, in order, each with its context read now."""
    roles, perms = set(roles), set(perms)
    return [
        ShownPanel(name=panel.name, template=panel.template, context=panel.context(center, user))
        for panel in registered()
        if panel.roles & roles and (panel.perm is None or panel.perm in perms)
    ]
