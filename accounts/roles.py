"""Roles held outside any centre (a partner organisation's focal point), and how their accounts are made.

``createstaff`` makes centre and national staff through ``centers.services.staff_create``. A role whose
scope is an organisation held by an app further down DESIGN.md's table is created by that app: it registers
its function here from its ``AppConfig.ready`` (cases registers the partner focal point), so accounts never
imports it.
"""

from collections.abc import Callable

_creators: dict[str, Callable] = {}
_holders: dict[str, Callable] = {}


def register(role: str, *, create: Callable, holds: Callable | None = None) -> None:
    """``create(username=, password=, partner_name=, first_name=, last_name=, email=)`` makes the account;
    ``holds(user) -> bool`` says whether a user has the role (two-factor login asks it)."""
    _creators[str(role)] = create
    if holds is not None:
        _holders[str(role)] = holds


def roles_held_outside_centres(user) -> set[str]:
    """The registered roles outside any centre that ``user`` holds."""
    return {role for role, holds in _holders.items() if holds(user)}


def creator_for(role: str) -> Callable | None:
    return _creators.get(str(role))
