"""Signals services sends for apps below it (messaging tells people), which services must not import."""

from django.dispatch import Signal

# Sent after waiting-list places were offered: enrollments=[Enrollment, …] (bulk writes send no post_save).
places_offered = Signal()
