"""What accounts tells the rest of Toplum: the audit trail listens (accounts sits above audit in DESIGN.md)."""

from django.dispatch import Signal

#: sent with ``user`` and ``detail`` (a dict of names and flags) when a second factor is given or enrolled
two_factor_passed = Signal()
#: sent with ``user`` and ``detail`` when a wrong code is typed
two_factor_failed = Signal()
