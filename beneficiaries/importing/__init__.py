"""Bulk import of people and households from a spreadsheet or a KoboToolbox/ODK export (issue 20).

upload → column mapping (remembered per header row) → dry run (a Celery task that classifies each row with the
registration form's validation and duplicate check) → the manager's decisions → the import (a Celery task
on the ``imports`` queue, resumable and idempotent) → one audit event with the counts.
"""
