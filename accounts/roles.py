"""Roles held outside any centre (a partner organisation's focal point), and how their accounts are made.

``createstaff`` makes centre and national staff through ``centers.services.staff_create``. A role whose
scope is an organisation held by an app further down DESIGN.md's table is created by that app: it registers
its function here from its ``AppConfig.ready`` (cases registers the partner focal point), so accounts never
imports it.
"""

from collections.abc import Callable

_creators: dict[str, Callable] = {}


def register(role: str, *, create: Callable) -> None:
    """``create(username=, password=, partner_name=, first_name=, last_name=, email=)`` makes the account."""
    _creators[str(role)] = create


def creator_for(role: str) -> Callable | None:
    return _creators.get(str(role))
