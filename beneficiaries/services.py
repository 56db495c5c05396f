"""Writes about people: registration, edits, consent, cards, merges."""

import uuid
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import recorder
from beneficiaries.models import (
    Beneficiary,
    Consent,
    ConsentScope,
    DuplicateDecision,
    Household,
    MergeRequest,
    RegistrationAlias,
    RegistrationCounter,
    Relationship,
)
from beneficiaries.selectors import Candidate
from beneficiaries.signals import beneficiary_merged
from centers.models import Center
from core.services import model_fields_set
from core.tokens import create_once

HOUSEHOLD_FIELDS = ("district", "neighbourhood")
INHERITED_FROM_HEAD = ("nationality", "population_group", "district", "neighbourhood", "phone")


class DuplicateSuspected(Exception):
    """Some people of this registration may already be registered."""

    def __init__(self, candidates: dict[int, list[Candidate]]):
        super().__init__("duplicate suspected")
        self.candidates = candidates  # index of the person in the registration -> candidates


# What registration and editing may write on a person: the rest (numbers, centres, keys, merges) is the
# services' own business.
PERSON_FIELDS = [
    "first_name",
    "last_name",
    "first_name_original",
    "last_name_original",
    "father_name",
    "sex",
    "date_of_birth",
    "birth_year",
    "birth_year_estimated",
]
HEAD_FIELDS = [
    *PERSON_FIELDS,
    "nationality",
    "population_group",
    "phone",
    "district",
    "neighbourhood",
    "languages",
    "needs_interpreter",
    "document_type",
    "document_number",
    "vulnerabilities",
]
MEMBER_FIELDS = [*PERSON_FIELDS, "relationship_to_head", "document_type", "document_number"]
EDITABLE_FIELDS = list(dict.fromkeys([*HEAD_FIELDS, *MEMBER_FIELDS]))


@dataclass
class PersonInput:
    """One person of a registration: the form's cleaned data and the receptionist's decisions."""

    data: dict
    candidates: list[Candidate] = field(default_factory=list)
    confirmed_not_duplicate: bool = False


def registration_number_next(*, center: Center, year: int) -> str:
    """Take the next number of the centre's yearly sequence. Call inside a transaction."""
    return registration_numbers_next(center=center, year=year, count=1)[0]


def registration_numbers_next(*, center: Center, year: int, count: int) -> list[str]:
    """Take the next ``count`` numbers of the centre's yearly sequence at once (an import's batch: one
    statement, not one per person). Call inside a transaction."""
    if count <= 0:
        return []
    RegistrationCounter.objects.bulk_create(
        [RegistrationCounter(center=center, year=year)], ignore_conflicts=True
    )
    # The UPDATE locks the counter row until the registration commits, so two
    # desks never get the same number and a rolled-back registration leaves no gap.
    RegistrationCounter.objects.filter(center=center, year=year).update(last=F("last") + count)
    last = RegistrationCounter.objects.filter(center=center, year=year).values_list("last", flat=True).get()
    return [f"{center.code}-{year}-{n:06d}" for n in range(last - count + 1, last + 1)]


def _record_consents(*, person: Beneficiary, answers: dict[str, bool], by, given_by_head: bool) -> None:
    Consent.objects.bulk_create(
        [
            Consent(
                beneficiary=person,
                scope=scope,
                given=answers[scope],
                recorded_by=by,
                given_by_head=given_by_head,
            )
            for scope in ConsentScope.values
        ]
    )


def _new_person(*, center, by, data: dict, household=None, relationship="", token=None) -> Beneficiary:
    person = Beneficiary(center=center, registered_by=by, household=household, submission_token=token)
    model_fields_set(instance=person, fields=EDITABLE_FIELDS, data=data)
    if household is not None:
        person.relationship_to_head = relationship or data.get("relationship_to_head") or ""
    person.registration_number = registration_number_next(center=center, year=timezone.localdate().year)
    person.full_clean(exclude=["registration_number"])
    person.save()
    return person


def _unresolved(people: list[PersonInput]) -> dict[int, list[Candidate]]:
    return {i: p.candidates for i, p in enumerate(people) if p.candidates and not p.confirmed_not_duplicate}


def beneficiary_register(
    *,
    center: Center,
    by,
    head: PersonInput,
    consents: dict[str, bool],
    members: list[PersonInput],
    token: uuid.UUID,
) -> Beneficiary:
    """Register a person, and the members of their household, in one transaction.

    Raises ``DuplicateSuspected`` while a candidate has not been dismissed,
    and returns the record already created when the same form (``token``) is
    submitted again.
    """
    unresolved = _unresolved([head, *members])
    if unresolved and not Beneficiary.objects.filter(submission_token=token).exists():
        raise DuplicateSuspected(unresolved)

    def create() -> Beneficiary:
        household = None
        if members:
            household = Household(
                center=center, created_by=by, **{f: head.data.get(f, "") for f in HOUSEHOLD_FIELDS}
            )
            household.save()
        registered = _new_person(
            center=center,
            by=by,
            data=head.data,
            household=household,
            relationship=Relationship.HEAD,
            token=token,
        )
        _record_consents(person=registered, answers=consents, by=by, given_by_head=False)
        _record_not_same(person=registered, candidates=head.candidates, by=by)
        for member in members:
            data = {
                **{f: head.data.get(f) for f in INHERITED_FROM_HEAD if head.data.get(f)},
                **member.data,
            }
            person = _new_person(center=center, by=by, data=data, household=household)
            _record_consents(person=person, answers=consents, by=by, given_by_head=True)
            _record_not_same(person=person, candidates=member.candidates, by=by)
        return registered

    return create_once(Beneficiary.objects.all(), create=create, submission_token=token)[0]


def household_member_add(
    *, household: Household, by, member: PersonInput, consents: dict[str, bool]
) -> Beneficiary:
    unresolved = _unresolved([member])
    if unresolved:
        raise DuplicateSuspected(unresolved)
    head = household.members.filter(relationship_to_head=Relationship.HEAD).first()
    inherited = {f: getattr(head, f) for f in INHERITED_FROM_HEAD if head and getattr(head, f)}
    with transaction.atomic():
        person = _new_person(
            center=household.center, by=by, data={**inherited, **member.data}, household=household
        )
        _record_consents(person=person, answers=consents, by=by, given_by_head=True)
        _record_not_same(person=person, candidates=member.candidates, by=by)
    return person


def _record_not_same(*, person: Beneficiary, candidates: list[Candidate], by) -> None:
    DuplicateDecision.objects.bulk_create(
        [
            DuplicateDecision(
                kind=DuplicateDecision.Kind.NOT_SAME, beneficiary=person, other_id=c.pk, decided_by=by
            )
            for c in candidates
        ]
    )


# A change to any of these runs the duplicate check again, as registration does.
CHECKED_ON_EDIT = frozenset(
    {
        "first_name",
        "last_name",
        "first_name_original",
        "last_name_original",
        "date_of_birth",
        "birth_year",
        "document_type",
        "document_number",
        "phone",
    }
)


def beneficiary_edit(
    *, person: Beneficiary, changes: PersonInput, consents: dict[str, bool], by
) -> Beneficiary:
    """Save corrected details and consent answers together (django-simple-history keeps the old values).

    Raises ``DuplicateSuspected`` while the corrected names, birth date, document or phone make the person
    look like someone else (``changes.candidates``, found by the caller) and the user has not confirmed that
    none of them is this person; the confirmation is kept as a "not the same person" decision per candidate.
    """
    unresolved = _unresolved([changes])
    if unresolved:
        raise DuplicateSuspected(unresolved)
    model_fields_set(instance=person, fields=EDITABLE_FIELDS, data=changes.data)
    person.full_clean()
    with transaction.atomic():
        person.save()
        consent_update(person=person, answers=consents, by=by)
        _record_not_same(person=person, candidates=changes.candidates, by=by)
    return person


def consent_update(*, person: Beneficiary, answers: dict[str, bool], by) -> None:
    """Record changed consent answers. A withdrawal takes effect at once and is kept."""
    now = timezone.now()
    with transaction.atomic():
        current = {c.scope: c for c in Consent.objects.select_for_update().filter(beneficiary=person)}
        for scope, given in answers.items():
            consent = current.get(scope)
            if consent is None:
                Consent.objects.create(
                    beneficiary=person, scope=scope, given=given, recorded_by=by, recorded_at=now
                )
            elif consent.is_active and not given:
                consent.withdrawn_at = now
                consent.recorded_by = by
                consent.save(update_fields=["withdrawn_at", "recorded_by"])
            elif given and not consent.is_active:
                consent.given, consent.withdrawn_at, consent.recorded_at, consent.recorded_by = (
                    True,
                    None,
                    now,
                    by,
                )
                consent.save(update_fields=["given", "withdrawn_at", "recorded_at", "recorded_by"])


def card_reissue(*, person: Beneficiary) -> Beneficiary:
    """A lost card: the new card gets the next version and the old one stops working."""
    with transaction.atomic():
        Beneficiary.objects.filter(pk=person.pk).update(card_version=F("card_version") + 1)
        person.refresh_from_db(fields=["card_version"])
        # An update in the database sends no signal: the reissue says itself what it changed.
        recorder.record(recorder.AuditEvent.Action.UPDATE, obj=person, detail={"fields": ["card_version"]})
    return person


# Relations that a merge must not simply re-point (handled one by one below).
_MERGE_SPECIAL = {"consents", "aliases", "merged_records", "history"}


def _repoint(relation, *, other: Beneficiary, survivor: Beneficiary) -> None:
    """Move ``other``'s rows of one relation to ``survivor``.

    Where a unique constraint says the survivor already has that row (both
    were enrolled in the same course, both attended the same session), the
    other's row stays with the merged record, so no fact is lost or doubled.
    """
    model, fk = relation.related_model, relation.field.name
    rows = model._base_manager.filter(**{fk: other})
    for constraint in model._meta.constraints:
        fields = getattr(constraint, "fields", ())
        if fk in fields and getattr(constraint, "condition", None) is None:
            others = [f for f in fields if f != fk]
            held = model._base_manager.filter(**{fk: survivor}).values_list(*others)
            for values in held:
                rows = rows.exclude(**dict(zip(others, values, strict=True)))
    rows.update(**{fk: survivor})


def beneficiary_merge(*, survivor: Beneficiary, other: Beneficiary, by) -> Beneficiary:
    """Fold ``other`` into ``survivor``: everything re-pointed, the number kept as an alias.

    The other record stays (marked merged) so past references and the audit
    trail still resolve; searches and lists no longer show it.
    """
    if survivor.pk == other.pk:
        raise ValidationError(_("A record cannot be merged with itself."))
    if other.merged_into_id or survivor.merged_into_id:
        raise ValidationError(_("One of these records has already been merged."))
    with transaction.atomic():
        survivor = Beneficiary.objects.select_for_update().get(pk=survivor.pk)
        other = Beneficiary.objects.select_for_update().get(pk=other.pk)
        for relation in Beneficiary._meta.related_objects:
            if not relation.one_to_many or relation.get_accessor_name() in _MERGE_SPECIAL:
                continue
            if relation.related_model.__name__.startswith("Historical"):
                continue
            _repoint(relation, other=other, survivor=survivor)
        held = set(Consent.objects.filter(beneficiary=survivor).values_list("scope", flat=True))
        Consent.objects.filter(beneficiary=other).exclude(scope__in=held).update(beneficiary=survivor)
        RegistrationAlias.objects.filter(beneficiary=other).update(beneficiary=survivor)
        RegistrationAlias.objects.create(number=other.registration_number, beneficiary=survivor)
        if survivor.household_id is None and other.household_id:
            survivor.household_id, survivor.relationship_to_head = (
                other.household_id,
                other.relationship_to_head,
            )
        for name in (
            "document_type",
            "document_number",
            "phone",
            "date_of_birth",
            "first_name_original",
            "last_name_original",
            "father_name",
        ):
            if not getattr(survivor, name) and getattr(other, name):
                setattr(survivor, name, getattr(other, name))
        if survivor.date_of_birth and survivor.birth_year != survivor.date_of_birth.year:
            # A date of birth taken from the other record decides the year too: profile and reports agree.
            survivor.birth_year, survivor.birth_year_estimated = survivor.date_of_birth.year, False
        survivor.save()
        # Records merged into ``other`` earlier now point at the survivor: no chain of merges is ever left.
        Beneficiary.objects.filter(merged_into=other).update(merged_into=survivor)
        other.merged_into = survivor
        other.household = None
        other.document_number = ""  # the survivor holds it now: no duplicate hit on a merged record
        other.save()
        DuplicateDecision.objects.create(
            kind=DuplicateDecision.Kind.MERGED, beneficiary=survivor, other=other, decided_by=by
        )
        beneficiary_merged.send(sender=Beneficiary, survivor=survivor, other=other)
        recorder.record(
            recorder.AuditEvent.Action.UPDATE, obj=survivor, actor=by, detail={"merged_from": other.pk}
        )
    return survivor


def merge_request_create(*, survivor: Beneficiary, other: Beneficiary, by) -> MergeRequest:
    """Ask the centre holding ``other`` to accept merging it into ``survivor``. Asking twice asks once."""
    if survivor.center_id == other.center_id:
        raise ValidationError(_("Both records are at this centre: merge them directly."))
    if survivor.pk == other.pk or survivor.merged_into_id or other.merged_into_id:
        raise ValidationError(_("One of these records has already been merged."))
    request, _created = MergeRequest.objects.get_or_create(
        survivor=survivor,
        other=other,
        status=MergeRequest.Status.REQUESTED,
        defaults={"from_center_id": survivor.center_id, "to_center_id": other.center_id, "requested_by": by},
    )
    return request


def merge_request_decide(*, merge_request: MergeRequest, by, accept: bool) -> MergeRequest:
    """The other centre's manager answers; accepting merges the two records in the same transaction."""
    with transaction.atomic():
        merge_request = MergeRequest.objects.select_for_update().get(pk=merge_request.pk)
        if merge_request.status != MergeRequest.Status.REQUESTED:
            raise ValidationError(_("This request was already answered."))
        if accept:
            beneficiary_merge(survivor=merge_request.survivor, other=merge_request.other, by=by)
        merge_request.status = MergeRequest.Status.ACCEPTED if accept else MergeRequest.Status.DECLINED
        merge_request.decided_by, merge_request.decided_at = by, timezone.now()
        merge_request.save()
    return merge_request
