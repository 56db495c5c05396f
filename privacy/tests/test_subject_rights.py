"""The audit trail and subject rights: what the data protection officer sees, exports and erases."""

import csv
import datetime as dt
import io
import json

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AuditEvent
from beneficiaries.models import Beneficiary
from beneficiaries.tests.factories import BeneficiaryFactory
from cases.models import ConfidentialNote, FollowUp
from centers.models import Membership
from privacy.services import person_anonymise, retention_anonymise
from reports.reach import reach
from services.models import ServiceCategory, ServiceDelivery

pytestmark = pytest.mark.django_db


@pytest.fixture
def dpo(client, world):
    client.force_login(world.user(None, "data_protection_officer"))
    return client


# -- the audit trail -----------------------------------------------------------------------------------------


def test_editing_a_person_records_who_what_and_where_but_never_the_values(client, world):
    person = world.people["ANK"]
    client.force_login(world.user("ANK", "reception"))
    url = reverse("beneficiaries:edit", kwargs={"center": "ANK", "pk": person.pk})
    data = {
        "person-first_name": person.first_name,
        "person-last_name": person.last_name,
        "person-sex": person.sex,
        "person-birth_year": str(person.birth_year),
        "person-nationality": str(person.nationality),
        "person-population_group": person.population_group,
        "person-district": person.district,
        "person-father_name": "Ibrahim-Secret",
        "consent-service_delivery": "yes",
        "consent-referral_data_sharing": "yes",
        "consent-photo": "yes",
    }
    assert client.post(url, data, REMOTE_ADDR="10.1.2.3").status_code == 302
    event = AuditEvent.objects.filter(action="update", object_type="beneficiaries.beneficiary").latest("id")
    assert event.actor == world.user("ANK", "reception")
    assert event.object_id == str(person.pk) and event.center_id == person.center_id
    assert event.ip_address == "10.1.2.3"
    assert event.detail["fields"] == ["father_name"]
    assert "Ibrahim-Secret" not in json.dumps(event.detail)


def test_role_changes_and_downloads_are_recorded(client, world):
    membership = Membership.objects.create(
        user=world.user("ANK", "trainer"), center=world.centers["ANK"], role="reception"
    )
    membership_id = membership.pk
    membership.delete()
    changes = AuditEvent.objects.filter(
        action="access_change", object_type="centers.membership", object_id=str(membership_id)
    )
    assert [e.detail.get("role") for e in changes] == ["reception", "reception"]

    client.force_login(world.user("ANK", "reception"))
    client.get(reverse("beneficiaries:card_pdf", kwargs={"center": "ANK", "pk": world.people["ANK"].pk}))
    export = AuditEvent.objects.get(action="export", object_type="beneficiaries.beneficiary")
    assert export.detail["what"] == "registration card"


def test_the_trail_cannot_be_altered_through_the_application(world):
    event = AuditEvent.objects.create(action="login", username="x")
    event.username = "y"
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()


def test_the_dpo_searches_by_person_and_exports_csv_with_formulas_neutralised(dpo, world):
    person = world.people["ANK"]
    AuditEvent.objects.create(action="login_failed", username="=cmd|' /C calc'!A0")
    AuditEvent.objects.create(
        action="update", object_type="beneficiaries.beneficiary", object_id=str(person.pk)
    )
    response = dpo.get(reverse("privacy:audit_events"), {"number": person.registration_number})
    found = list(response.context["page"])
    assert found and {e.object_id for e in found} == {str(person.pk)}

    response = dpo.get(reverse("privacy:audit_export"), {"action": "login_failed"})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["at", "user", "action"]
    assert rows[1][1] == "'=cmd|' /C calc'!A0"
    assert AuditEvent.objects.filter(action="export", object_type="audit").exists()


def test_the_audit_search_takes_constant_queries(dpo, world, django_assert_max_num_queries):
    for i in range(60):
        AuditEvent.objects.create(action="login", username=f"user{i}", center=world.centers["ANK"])
    # 1 session, 2 user, 3 the second-factor device, 4 the DPO check, 5 centres for the filter,
    # 6 count, 7 a page of events with users and centres, 8-9 navigation, 10-12 session save
    with django_assert_max_num_queries(12):
        assert dpo.get(reverse("privacy:audit_events")).status_code == 200


# -- subject access -----------------------------------------------------------------------------------------


def test_subject_access_export_holds_the_person_but_not_confidential_note_text(dpo, world):
    case = world.cases["ANK"]
    person = case.beneficiary
    ConfidentialNote.objects.create(case=case, author=world.user("ANK", "psychologist"), text="PLANTED-NOTE")
    response = dpo.get(reverse("privacy:subject_export", kwargs={"pk": person.pk, "fmt": "json"}))
    data = json.loads(response.content)
    assert data["person"]["first_name"] == person.first_name
    assert data["cases"][0]["id"] == case.pk
    assert len(data["confidential_notes"]) >= 1 and "text" not in data["confidential_notes"][0]
    assert "PLANTED-NOTE" not in response.content.decode()
    pdf = dpo.get(reverse("privacy:subject_export", kwargs={"pk": person.pk, "fmt": "pdf"}))
    assert pdf.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="export", object_id=str(person.pk)).count() == 2


def test_the_dpo_finds_a_person_by_number_from_any_centre(dpo, world):
    person = world.people["IST"]
    response = dpo.get(reverse("privacy:subject_search"), {"number": person.registration_number.lower()})
    assert response["Location"] == reverse("privacy:subject_detail", kwargs={"pk": person.pk})


# -- erasure / anonymisation ---------------------------------------------------------------------------------


def test_anonymising_needs_the_number_typed_and_changes_nothing_otherwise(dpo, world):
    person = world.people["ANK"]
    url = reverse("privacy:subject_anonymise", kwargs={"pk": person.pk})
    response = dpo.post(url, {"reason": "erasure_request", "confirm": "ANK-1999-000000"})
    assert response.status_code == 200
    assert "That is not this person" in response.content.decode()
    person.refresh_from_db()
    assert person.anonymised_at is None and person.first_name != "ANONYMISED"


def test_anonymising_destroys_identity_and_keeps_every_report_figure(dpo, world):
    case = world.cases["ANK"]
    person = case.beneficiary
    category = ServiceCategory.objects.get(code="D")
    ServiceDelivery.objects.create(
        center=person.center,
        beneficiary=person,
        category=category,
        type="counselling",
        date=dt.date(2026, 10, 5),
        staff=world.user("ANK", "psychologist"),
    )
    FollowUp.objects.create(
        case=case,
        center=case.center,
        date=dt.date(2026, 10, 6),
        type="home_visit",
        summary="Talked about the husband's debts",
        by=world.user("ANK", "social_worker"),
    )
    ConfidentialNote.objects.create(case=case, author=world.user("ANK", "psychologist"), text="PLANTED-NOTE")
    month = {"start": dt.date(2026, 10, 1), "end": dt.date(2026, 10, 31)}
    before = reach(**month)
    number = person.registration_number

    response = dpo.post(
        reverse("privacy:subject_anonymise", kwargs={"pk": person.pk}),
        {"reason": "erasure_request", "confirm": number},
    )
    assert response.status_code == 302

    person.refresh_from_db()
    assert person.anonymised_at is not None
    assert person.first_name == "ANONYMISED" and person.last_name == "" and not person.phone
    assert (
        person.document_number == "" and person.date_of_birth is None and person.registration_number != number
    )
    assert not person.history.exists()
    assert not Beneficiary.objects.filter(registration_number=number).exists()
    assert FollowUp.objects.get(case=case, date=dt.date(2026, 10, 6)).summary == ""
    assert not ConfidentialNote.objects.filter(text="PLANTED-NOTE").exists()
    after = reach(**month)
    assert (after.cells, after.totals, after.contacts) == (before.cells, before.totals, before.contacts)
    event = AuditEvent.objects.get(action="anonymise")
    assert event.actor == world.user(None, "data_protection_officer")
    assert event.detail["reason"] == "erasure_request"


def test_retention_anonymises_only_people_long_out_of_contact(world, settings):
    settings.RETENTION_YEARS = 5
    with time_machine.travel(dt.datetime(2019, 3, 1, 12, tzinfo=dt.UTC)):
        gone = BeneficiaryFactory(center=world.centers["ANK"])
        came_back = BeneficiaryFactory(center=world.centers["ANK"])
    ServiceDelivery.objects.create(
        center=came_back.center,
        beneficiary=came_back,
        category=ServiceCategory.objects.get(code="B"),
        type="counselling",
        date=dt.date(2024, 6, 1),
        staff=world.user("ANK", "reception"),
    )
    with time_machine.travel(dt.datetime(2026, 11, 27, 2, 15, tzinfo=dt.UTC)):
        done = retention_anonymise()
    gone.refresh_from_db()
    came_back.refresh_from_db()
    assert gone.anonymised_at is not None and came_back.anonymised_at is None
    assert world.people["ANK"].__class__.objects.get(pk=world.people["ANK"].pk).anonymised_at is None
    assert done == 1
    assert AuditEvent.objects.get(action="anonymise").detail["reason"] == "retention"


def test_anonymising_twice_changes_nothing_more(world):
    person = world.people["IST"]
    person_anonymise(person=person, reason="erasure_request")
    person_anonymise(person=person, reason="erasure_request")
    assert Beneficiary.objects.filter(first_name="ANONYMISED").count() == 1
