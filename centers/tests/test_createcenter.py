import pytest
from django.core.management import CommandError, call_command

from centers.models import Center


def test_it_creates_an_open_centre(db):
    call_command("createcenter", "kon", name="Konya Community Centre", city="Konya")
    center = Center.objects.get(code="KON")
    assert center.status == Center.Status.OPEN and center.opened_on is not None


def test_a_taken_code_is_refused_in_words(db):
    call_command("createcenter", "KON", name="Konya Community Centre", city="Konya")
    with pytest.raises(CommandError):
        call_command("createcenter", "KON", name="Another", city="Konya")
    assert Center.objects.filter(code="KON").count() == 1
