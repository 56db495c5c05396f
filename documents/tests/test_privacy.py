"""The subject-access export carries a person's files; anonymisation destroys them in storage."""

import base64
import json

from django.core.files.storage import default_storage

from audit.models import AuditEvent
from documents.models import Document, Kind
from privacy import services as subject

from .factories import make_document, pdf_bytes


def test_the_subject_export_lists_the_documents_and_carries_their_content(world):
    person, worker = world.people["ANK"], world.user("ANK", "social_worker")
    identity = world.documents["ANK"]
    letter = make_document(
        person, by=worker, kind=Kind.MEDICAL, case=world.cases["ANK"], name="m.pdf", content=pdf_bytes()
    )

    exported = json.loads(subject.subject_json(person=person))

    rows = {row["id"]: row for row in exported["documents"]}
    assert set(rows) == {identity.pk, letter.pk}
    assert rows[letter.pk]["original_name"] == "m.pdf" and rows[letter.pk]["kind"] == "medical"
    assert base64.b64decode(rows[letter.pk]["content_base64"]) == letter.file.open("rb").read()
    assert "file" not in rows[letter.pk]  # the random key in storage says nothing to the person
    document = subject.subject_document(
        person=person, data=subject.subject_data(person=person), language="en"
    )
    assert "m.pdf" in document.text()


def test_the_export_of_a_person_with_a_merged_duplicate_carries_both_records_documents(world):
    from beneficiaries.services import beneficiary_merge
    from beneficiaries.tests.factories import BeneficiaryFactory

    survivor = world.people["ANK"]
    other = BeneficiaryFactory(center=survivor.center)
    kept = make_document(other, by=world.user("ANK", "reception"))
    beneficiary_merge(survivor=survivor, other=other, by=world.user("ANK", "center_manager"))

    ids = [row["id"] for row in subject.subject_data(person=survivor)["documents"]]
    assert ids == [kept.pk]


def test_anonymisation_destroys_the_stored_files_and_their_rows(world):
    person, other = world.people["ANK"], world.people["IST"]
    files = [world.documents["ANK"].file.name]
    files.append(make_document(person, by=world.user("ANK", "reception"), kind=Kind.PHOTO).file.name)
    untouched = world.documents["IST"].file.name
    assert all(default_storage.exists(name) for name in files)

    subject.person_anonymise(person=person, reason="erasure_request")

    assert not any(default_storage.exists(name) for name in files)
    assert not Document.objects.filter(beneficiary=person).exists()
    assert default_storage.exists(untouched) and Document.objects.filter(beneficiary=other).count() == 1
    event = AuditEvent.objects.filter(action="anonymise").latest("id")
    assert event.detail["cleared"]["documents"] == 2
