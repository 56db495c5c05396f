"""Duplicates across centres: a manager of one centre asks, the other centre's manager accepts (issue 16)."""

from django.urls import reverse

from audit.models import AuditEvent
from beneficiaries.models import Beneficiary, MergeRequest
from beneficiaries.tests.factories import BeneficiaryFactory


def _twins(world):
    here = BeneficiaryFactory(
        center=world.centers["ANK"], first_name="Leyla", last_name="Haddad", birth_year=1990
    )
    there = BeneficiaryFactory(
        center=world.centers["IST"], first_name="Leila", last_name="Hadad", birth_year=1990
    )
    return here, there


def _ask(client, world, here, there):
    client.force_login(world.user("ANK", "center_manager"))
    return client.post(
        reverse("beneficiaries:merge", kwargs={"center": "ANK", "pk": here.pk}),
        {"other_number": there.registration_number, "confirm": "on"},
        follow=True,
    )


def test_a_manager_asks_the_other_centre_and_nothing_merges_yet(client, world):
    here, there = _twins(world)
    page = _ask(client, world, here, there).content.decode()
    assert "has been asked to accept the merge" in page
    request = MergeRequest.objects.get(survivor=here, other=there)
    assert (request.from_center, request.to_center, request.status) == (
        world.centers["ANK"],
        world.centers["IST"],
        "requested",
    )
    assert Beneficiary.objects.get(pk=there.pk).merged_into_id is None
    assert AuditEvent.objects.filter(object_type="beneficiaries.mergerequest", action="create").exists()
    # Asking again asks once.
    _ask(client, world, here, there)
    assert MergeRequest.objects.filter(survivor=here, other=there).count() == 1


def test_the_other_centre_accepts_and_the_records_merge(client, world):
    here, there = _twins(world)
    _ask(client, world, here, there)
    request = MergeRequest.objects.get(survivor=here, other=there)
    client.force_login(world.user("IST", "center_manager"))
    listing = client.get(reverse("beneficiaries:merge_requests", kwargs={"center": "IST"})).content.decode()
    assert there.registration_number in listing
    url = reverse(
        "beneficiaries:merge_request_decide", kwargs={"center": "IST", "pk": request.pk, "decision": "accept"}
    )
    assert client.post(url).status_code == 302
    there.refresh_from_db()
    request.refresh_from_db()
    assert there.merged_into_id == here.pk and request.status == "accepted"
    assert request.decided_by == world.user("IST", "center_manager")
    assert AuditEvent.objects.filter(object_type="beneficiaries.mergerequest", action="update").exists()


def test_declining_keeps_both_records(client, world):
    here, there = _twins(world)
    _ask(client, world, here, there)
    request = MergeRequest.objects.get(survivor=here, other=there)
    client.force_login(world.user("IST", "center_manager"))
    client.post(
        reverse(
            "beneficiaries:merge_request_decide",
            kwargs={"center": "IST", "pk": request.pk, "decision": "decline"},
        )
    )
    there.refresh_from_db()
    assert there.merged_into_id is None and MergeRequest.objects.get(pk=request.pk).status == "declined"


def test_the_asking_centre_cannot_accept_its_own_request(client, world):
    here, there = _twins(world)
    _ask(client, world, here, there)
    request = MergeRequest.objects.get(survivor=here, other=there)
    url = reverse(
        "beneficiaries:merge_request_decide", kwargs={"center": "ANK", "pk": request.pk, "decision": "accept"}
    )
    assert client.post(url).status_code == 404
    assert Beneficiary.objects.get(pk=there.pk).merged_into_id is None


def test_other_centres_get_404(world, assert_other_center_gets_404):
    here, there = _twins(world)
    request = MergeRequest.objects.create(
        survivor=here,
        other=there,
        from_center=world.centers["ANK"],
        to_center=world.centers["IST"],
        requested_by=world.user("ANK", "center_manager"),
    )
    assert_other_center_gets_404(
        world.user("ANK", "center_manager"),
        "beneficiaries:merge_request_decide",
        center="IST",
        pk=request.pk,
        decision="accept",
    )
