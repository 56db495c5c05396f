"""Reaching the person a subject request is about, in any centre (the DPO's scope is national)."""

from django.apps import apps
from django.shortcuts import get_object_or_404

from core import personal_data


def access_subject(pk):
    """A person by id; a merged-away record answers 404 (its survivor answers for it)."""
    Subject = apps.get_model(personal_data.subject().model)
    return get_object_or_404(Subject.objects.select_related("center"), pk=pk, merged_into__isnull=True)
