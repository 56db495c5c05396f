"""Each app declares its personal data; the subject export and anonymisation collect the declarations.

``subject_export_before_the_move.json`` was taken from the export and anonymisation as they were before the
apps were split (sections in order, the columns of each, what anonymisation cleared and left): the
declarations must give exactly the same. One column was added since, on purpose: ``registered_center``
(issue 16: where the person registered, which a transfer does not move).
"""

import datetime as dt
import json
from pathlib import Path

from django.apps import apps
from django.db import models

from audit.models import AccessLog, AuditEvent
from beneficiaries.models import Beneficiary, DuplicateDecision, RegistrationAlias
from cases.models import ConfidentialNote, FollowUp
from core import personal_data
from listening.models import Feedback
from listening.services import interview_save
from privacy import services as subject
from services.models import Attendance, CheckIn, ServiceCategory, ServiceDelivery

BEFORE = json.loads((Path(__file__).parent / "subject_export_before_the_move.json").read_text())
OURS = {
    "core",
    "centers",
    "accounts",
    "audit",
    "beneficiaries",
    "services",
    "cases",
    "listening",
    "finance",
    "reports",
    "privacy",
    "demo",
}
PERSONAL_TARGETS = {"beneficiaries.Beneficiary", "beneficiaries.Household"}


def _a_person_with_something_in_every_section(world):
    person, other = world.people["ANK"], world.people["IST"]
    worker, ank = world.user("ANK", "social_worker"), world.centers["ANK"]
    case = world.cases["ANK"]
    ConfidentialNote.objects.create(case=case, author=world.user("ANK", "psychologist"), text="secret")
    FollowUp.objects.create(
        case=case, center=ank, date=dt.date(2026, 10, 2), summary="s", type="phone", by=worker
    )
    RegistrationAlias.objects.create(number="ANK-2020-000001", beneficiary=person)
    DuplicateDecision.objects.create(
        kind="not_same", beneficiary=person, other=other, decided_by=worker, note="n"
    )
    Attendance.objects.create(
        session=world.sessions["ANK"], beneficiary=person, present=True, recorded_by=worker
    )
    ServiceDelivery.objects.create(
        center=ank,
        beneficiary=person,
        category=ServiceCategory.objects.get(code="E"),
        type="information",
        date=dt.date(2026, 10, 3),
        staff=worker,
    )
    CheckIn.objects.create(center=ank, beneficiary=person, by=worker)
    interview_save(
        visit=world.visits["ANK"],
        by=worker,
        submission_id="g1",
        needs=["health"],
        respondent_sex="male",
        age_band="age_18_59",
        population_group="temporary_protection",
        nationality="SY",
        beneficiary=person,
        quote="q",
    )
    Feedback.objects.create(
        center=ank,
        kind="complaint",
        channel="box",
        text="t",
        beneficiary=person,
        contact="c",
        received_by=worker,
    )
    AccessLog.objects.create(user=worker, beneficiary=person, case=case, center=ank, path="/")
    return person


def test_export_and_anonymisation_give_what_they_gave_before_the_move(world):
    person = _a_person_with_something_in_every_section(world)

    data = subject.subject_data(person=person)
    assert list(data) == BEFORE["_order"]
    for section, value in data.items():
        if section == "generated_at":
            continue
        expected = BEFORE[section]
        if isinstance(value, dict):
            assert sorted(value) == expected, section
        else:
            assert [len(value), sorted(value[0]) if value else []] == expected, section

    person = subject.person_anonymise(person=person, reason="test")
    event = AuditEvent.objects.filter(action="anonymise").latest("id")
    assert event.detail == BEFORE["_counts"]
    skipped = {
        "id",
        "registration_number",
        "anonymised_at",
        "registered_at",
        "center",
        "registered_by",
        "household",
        "registered_center",  # kept, like the centre: reports count new registrations by it
    }
    left = {
        f.name: str(f.value_from_object(person))
        for f in Beneficiary._meta.concrete_fields
        if f.name not in skipped
    }
    assert left == BEFORE["_person"]


def _is_personal(model) -> bool:
    """A model holds personal data when it points at a person or household, or holds free text."""
    for field in model._meta.concrete_fields:
        if field.is_relation and field.related_model._meta.label in PERSONAL_TARGETS:
            return True
        if isinstance(field, models.TextField):
            return True
        if (
            isinstance(field, models.CharField)
            and not field.choices
            and field.editable
            and not field.primary_key
        ):
            return True
    return False


def undeclared_models(models_to_check) -> list[str]:
    declared = {d.model.partition("#")[0] for d in personal_data.declarations()} | set(
        personal_data.exempted()
    )
    return sorted(m._meta.label for m in models_to_check if _is_personal(m) and m._meta.label not in declared)


def test_every_model_with_personal_data_or_free_text_is_declared():
    ours = [m for m in apps.get_models() if m._meta.app_label in OURS]
    assert len(ours) > 30
    assert undeclared_models(ours) == [], (
        "declare it in its app's privacy.py (or say why it holds no one's data)"
    )


def test_a_planted_model_with_free_text_is_caught():
    class Scribble(models.Model):  # noqa: DJ008
        note = models.TextField()

        class Meta:
            app_label = "services"

    class Visit(models.Model):  # noqa: DJ008
        person = models.ForeignKey("beneficiaries.Beneficiary", on_delete=models.CASCADE)

        class Meta:
            app_label = "services"

    try:
        assert undeclared_models([Scribble, Visit]) == ["services.Scribble", "services.Visit"]
    finally:
        for name in ("scribble", "visit"):
            apps.all_models["services"].pop(name, None)
        apps.clear_cache()


def test_every_exported_section_has_a_title_and_a_known_model():
    for declaration in personal_data.declarations():
        apps.get_model(declaration.model.partition("#")[0])
        if declaration.section:
            assert declaration.title, declaration.model
