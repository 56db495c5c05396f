"""`make run`'s demo shows the messages it would have sent, written to a file: nothing leaves the machine."""

import datetime as dt
import io
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command

from messaging.models import Message

# Monday 30 November 2026, 12:30 in Istanbul: outside quiet hours.
MONDAY_LUNCHTIME = dt.datetime(2026, 11, 30, 9, 30, tzinfo=dt.UTC)


@pytest.mark.django_db
def test_the_demo_writes_its_messages_to_the_file(
    settings, tmp_path, django_capture_on_commit_callbacks, celery_eager
):
    settings.DEBUG = True
    settings.TIME_ZONE = "Europe/Istanbul"
    settings.SMS_BACKEND = "messaging.backends.file.FileBackend"
    settings.SMS_FILE_PATH = tmp_path / "sms.log"
    out = io.StringIO()
    # The test's transaction never commits: run what would follow the commit (sending) as it would.
    with time_machine.travel(MONDAY_LUNCHTIME, tick=False), django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", "--beneficiaries", "40", stdout=out)
        call_command("seed_demo", "--beneficiaries", "40", stdout=io.StringIO())  # idempotent
    written = Path(settings.SMS_FILE_PATH).read_text(encoding="utf-8")
    sent = Message.objects.filter(status="delivered")
    assert sent.exists() and not Message.objects.exclude(status="delivered").exists()
    assert written.count("--- ") == sent.count()  # the second run sent nothing again
    assert all(m.to in written and m.text in written for m in sent)
    assert "sms.log" in out.getvalue()
