"""Writing through an explicit field list (HackSoft's ``model_update``): a service never copies keys it
was not written for, so a form field added by mistake cannot overwrite a column it should not touch."""

from collections.abc import Iterable, Mapping
from typing import Any


def model_fields_set(*, instance, fields: Iterable[str], data: Mapping[str, Any]) -> list[str]:
    """Copy ``data`` onto ``instance`` for the names in ``fields`` only, without saving.

    A key of ``data`` outside ``fields`` is a programming error (TypeError), never silently applied.
    Returns the names of the fields whose value changed.
    """
    fields = list(fields)
    unknown = set(data) - set(fields)
    if unknown:
        raise TypeError(f"{type(instance).__name__}: {', '.join(sorted(unknown))} may not be set here")
    changed = []
    for name in fields:
        if name in data and getattr(instance, name) != data[name]:
            setattr(instance, name, data[name])
            changed.append(name)
    return changed
