"""The Celery app. Tasks live in each app's ``tasks.py`` and are found here."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("toplum")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="toplum.ping")
def ping() -> str:
    """Answered by a worker: proves a task crossed the broker and came back."""
    return "pong"
