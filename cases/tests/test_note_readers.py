"""Writing a confidential note never widens who reads a case's notes (issue 14, item 1)."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from cases import services
from cases.models import ConfidentialNote
from centers.models import Role
from centers.tests.factories import MembershipFactory, UserFactory

SECRET = "planted-sentence-only-the-clinicians-may-read"


def url(name, **kwargs):
    return reverse(f"cases:{name}", kwargs={"center": "ANK", **kwargs})


@pytest.fixture
def outsider(world):
    """A psychologist of the same centre who is not on the case."""
    user = UserFactory(username="psychologist_not_on_the_case")
    MembershipFactory(user=user, center=world.centers["ANK"], role=Role.PSYCHOLOGIST)
    return user


def test_a_psychologist_not_on_the_case_cannot_add_a_note_to_read_the_others(client, world, outsider):
    case = world.cases["ANK"]
    services.note_add(case=case, author=world.user("ANK", "psychologist"), text=SECRET)
    client.force_login(outsider)

    assert client.get(url("note_add", pk=case.pk)).status_code == 403
    assert client.post(url("note_add", pk=case.pk), {"text": "my own note"}).status_code == 403

    assert not case.psychologists.filter(pk=outsider.pk).exists()
    assert ConfidentialNote.objects.filter(author=outsider).count() == 0
    assert SECRET not in client.get(url("detail", pk=case.pk)).content.decode()


def test_writing_a_note_leaves_the_case_psychologists_as_they_were(world):
    case = world.cases["ANK"]
    before = set(case.psychologists.values_list("pk", flat=True))
    services.note_add(case=case, author=world.user("ANK", "psychologist"), text="a note")
    assert set(case.psychologists.values_list("pk", flat=True)) == before


def test_the_caseworker_adds_a_psychologist_who_then_reads_the_notes_and_it_is_audited(
    client, world, outsider
):
    case = world.cases["ANK"]
    services.note_add(case=case, author=world.user("ANK", "psychologist"), text=SECRET)
    client.force_login(world.user("ANK", "social_worker"))
    psychologists = [world.user("ANK", "psychologist").pk, outsider.pk]
    response = client.post(url("psychologists_set", pk=case.pk), {"psychologists": psychologists})
    assert response.status_code == 302

    event = AuditEvent.objects.filter(action="access_change", object_type="cases.case").latest("id")
    assert event.detail == {"psychologists_added": [outsider.pk], "psychologists_removed": []}
    assert event.actor == world.user("ANK", "social_worker")
    client.force_login(outsider)
    assert SECRET in client.get(url("detail", pk=case.pk)).content.decode()


@pytest.mark.parametrize("role", ["psychologist", "reception", "trainer"])
def test_only_the_caseworker_or_supervisor_decides_who_is_on_the_case(client, world, role):
    client.force_login(world.user("ANK", role))
    case = world.cases["ANK"]
    assert client.post(url("psychologists_set", pk=case.pk), {"psychologists": []}).status_code == 403
    assert case.psychologists.exists()


def test_a_psychologist_of_another_centre_cannot_be_put_on_the_case(client, world):
    client.force_login(world.user("ANK", "center_manager"))
    case = world.cases["ANK"]
    other = world.user("IST", "psychologist")
    response = client.post(url("psychologists_set", pk=case.pk), {"psychologists": [other.pk]})
    assert response.status_code == 200 and "psychologists" in response.context["form"].errors
    assert not case.psychologists.filter(pk=other.pk).exists()


def test_another_centre_gets_404(world, assert_other_center_gets_404):
    assert_other_center_gets_404(
        world.user("IST", "social_worker"), "cases:psychologists_set", center="ANK", pk=world.cases["ANK"].pk
    )
