import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AccessLog
from beneficiaries.models import Beneficiary
from beneficiaries.tests.factories import BeneficiaryFactory
from cases import services
from cases.models import Case, ConfidentialNote, FollowUp, Partner, Referral
from centers.models import Role
from centers.tests.factories import MembershipFactory, UserFactory

SECRET = "planted-sentence-only-the-clinicians-may-read"


def url(name, **kwargs):
    return reverse(f"cases:{name}", kwargs={"center": "ANK", **kwargs})


@pytest.fixture
def note(world):
    case = world.cases["ANK"]
    return services.note_add(case=case, author=world.user("ANK", "psychologist"), text=SECRET)


# ---------------------------------------------------------------- confidential notes


def every_page_of(client, world):
    case, person = world.cases["ANK"], world.people["ANK"]
    urls = [
        url("detail", pk=case.pk),
        url("caseload"),
        url("supervision"),
        reverse("beneficiaries:detail", kwargs={"center": "ANK", "pk": person.pk}),
        reverse("beneficiaries:search", kwargs={"center": "ANK"}) + "?q=Ahmad",
        reverse("beneficiaries:card", kwargs={"center": "ANK", "pk": person.pk}),
        reverse("privacy:access_log"),
        reverse("home"),
    ]
    return "\n".join(client.get(u).content.decode(errors="replace") for u in urls)


@pytest.mark.parametrize(
    ("center", "role", "reads"),
    [
        ("ANK", "psychologist", True),  # author and assigned
        ("ANK", "social_worker", False),  # the caseworker
        ("ANK", "center_manager", False),  # the supervisor, but not a clinician
        ("ANK", "reception", False),
        ("ANK", "trainer", False),
        ("IST", "psychologist", False),
        (None, "national_manager", False),
        (None, "data_protection_officer", False),
    ],
)
def test_a_confidential_note_appears_only_to_its_readers(client, world, note, center, role, reads):
    client.force_login(world.user(center, role))
    assert (SECRET in every_page_of(client, world)) is reads


def test_another_psychologist_assigned_to_the_case_reads_the_note(client, world, note):
    colleague = UserFactory(username="second_psychologist")
    MembershipFactory(user=colleague, center=world.centers["ANK"], role=Role.PSYCHOLOGIST)
    client.force_login(colleague)
    assert SECRET not in client.get(url("detail", pk=world.cases["ANK"].pk)).content.decode()
    world.cases["ANK"].psychologists.add(colleague)
    assert SECRET in client.get(url("detail", pk=world.cases["ANK"].pk)).content.decode()


def test_a_clinical_supervisor_reads_the_note(client, world, note):
    supervisor = UserFactory(username="clinical_supervisor")
    MembershipFactory(user=supervisor, center=world.centers["ANK"], role=Role.PSYCHOLOGIST)
    Case.objects.filter(pk=world.cases["ANK"].pk).update(supervisor=supervisor)
    client.force_login(supervisor)
    assert SECRET in client.get(url("detail", pk=world.cases["ANK"].pk)).content.decode()


def test_the_note_text_never_stands_in_its_string_or_the_admin(world, note):
    assert SECRET not in str(note)
    assert ConfidentialNote.objects.readable_by(world.user("ANK", "center_manager")).count() == 0


def test_only_a_psychologist_writes_notes(client, world):
    client.force_login(world.user("ANK", "social_worker"))
    assert client.post(url("note_add", pk=world.cases["ANK"].pk), {"text": "x"}).status_code == 403
    assert not ConfidentialNote.objects.exists()


# ---------------------------------------------------------------- referrals


def test_referral_is_refused_without_consent_to_share(client, world):
    person = world.people["ANK"]
    person.consents.filter(scope="referral_data_sharing").update(given=False)
    client.force_login(world.user("ANK", "social_worker"))
    partner = Partner.objects.get(name="Ministry of Health")
    response = client.post(
        url("referral_add", pk=world.cases["ANK"].pk),
        {
            "partner": partner.pk,
            "reason": "Vaccination",
            "urgency": "routine",
            "shared_fields": ["full_name"],
        },
    )
    assert "has not consented to sharing data for referrals" in response.content.decode()
    assert Referral.objects.filter(case=world.cases["ANK"]).count() == 1  # only the world's


def test_withdrawn_consent_stops_a_drafted_referral_at_once(client, world):
    referral = world.referrals["ANK"]
    world.people["ANK"].consents.filter(scope="referral_data_sharing").update(
        withdrawn_at="2026-11-01T10:00:00Z"
    )
    with pytest.raises(ValidationError, match="withdrawn"):
        services.referral_advance(referral=referral, action="send")
    client.force_login(world.user("ANK", "social_worker"))
    response = client.get(url("referral_letter", pk=referral.pk))
    assert response.status_code == 302


def test_referral_goes_through_its_statuses_and_the_letter_holds_only_the_shared_fields(client, world):
    referral = world.referrals["ANK"]
    person = world.people["ANK"]
    Beneficiary.objects.filter(pk=person.pk).update(document_type="passport", document_number="P1234567")
    for action in ("send", "accept", "complete"):
        referral = services.referral_advance(referral=referral, action=action, outcome="Vaccinated")
    assert referral.status == "completed" and referral.sent_on and referral.completed_on
    client.force_login(world.user("ANK", "social_worker"))
    pdf = client.get(url("referral_letter", pk=referral.pk)).content
    assert pdf.startswith(b"%PDF") and b"P1234567" not in pdf


def test_referral_steps_out_of_order_are_refused(world):
    with pytest.raises(ValidationError, match="not possible now"):
        services.referral_advance(referral=world.referrals["ANK"], action="complete")


# ---------------------------------------------------------------- transfers


def test_an_accepted_transfer_moves_access_to_the_new_centre(client, world):
    case = world.cases["IST"]  # the world's transfer to ANK
    transfer = world.transfers["ANK"]
    client.force_login(world.user("ANK", "center_manager"))
    assert client.get(url("detail", pk=case.pk)).status_code == 404
    client.post(url("transfer_decide", pk=transfer.pk, decision="accept"))

    case.refresh_from_db()
    assert case.center.code == "ANK" and case.caseworker.username == "ank_center_manager"
    assert Beneficiary.objects.get(pk=case.beneficiary_id).center.code == "ANK"
    assert client.get(url("detail", pk=case.pk)).status_code == 200
    assert case.follow_ups.count() == FollowUp.objects.filter(case=case).count()  # history travels with it
    client.force_login(world.user("IST", "social_worker"))
    assert client.get(reverse("cases:detail", kwargs={"center": "IST", "pk": case.pk})).status_code == 404


def test_a_transfer_that_fails_half_way_moves_nothing(world, monkeypatch):
    case, transfer = world.cases["IST"], world.transfers["ANK"]

    def fail(*args, **kwargs):
        raise RuntimeError("connection lost")

    monkeypatch.setattr(Beneficiary.objects, "filter", fail)
    with pytest.raises(RuntimeError):
        services.transfer_decide(transfer=transfer, by=world.user("ANK", "center_manager"), accept=True)
    case.refresh_from_db()
    transfer.refresh_from_db()
    assert case.center.code == "IST" and transfer.status == "requested"


def test_a_second_transfer_request_waits_for_the_first(world):
    with pytest.raises(ValidationError, match="already waiting"):
        services.transfer_request(
            case=world.cases["IST"],
            by=world.user("IST", "social_worker"),
            to_center=world.centers["ANK"],
            reason="x",
        )


# ---------------------------------------------------------------- closure, caseload, access log


def test_closing_needs_the_supervisors_approval(client, world):
    case = world.cases["ANK"]
    client.force_login(world.user("ANK", "social_worker"))
    client.post(url("close_request", pk=case.pk), {"reason": "Goals reached"})
    case.refresh_from_db()
    assert case.status == "closure_requested"
    client.post(url("close_decide", pk=case.pk, decision="approve"))
    case.refresh_from_db()
    assert case.status == "closure_requested"  # the caseworker cannot approve their own request
    client.force_login(world.user("ANK", "center_manager"))
    client.post(url("close_decide", pk=case.pk, decision="approve"))
    case.refresh_from_db()
    assert case.status == "closed" and case.closed_at


@time_machine.travel(dt.datetime(2026, 6, 15, 9, tzinfo=dt.UTC), tick=False)
def test_my_caseload_puts_overdue_then_this_week_first_and_flags_quiet_high_risk(client, world):
    worker = world.user("ANK", "social_worker")
    today = dt.date(2026, 6, 15)

    def case_with(name, next_date, risk="medium", last=None):
        person = BeneficiaryFactory(center=world.centers["ANK"], first_name=name, consents=False)
        case = Case.objects.create(
            center=world.centers["ANK"],
            beneficiary=person,
            caseworker=worker,
            reason="r",
            opened_by=worker,
            risk_level=risk,
        )
        if next_date or last:
            FollowUp.objects.create(
                case=case,
                center=case.center,
                date=last or today - dt.timedelta(days=1),
                type="phone",
                summary="s",
                next_date=next_date,
                by=worker,
            )
        return case

    case_with("Later", today + dt.timedelta(days=20))
    case_with("Overdue", today - dt.timedelta(days=3))
    case_with("ThisWeek", today + dt.timedelta(days=2))
    case_with("DueToday", today)
    # High risk, 17 days without contact and no next date: flagged and first, with the overdue.
    case_with("QuietHighRisk", None, risk="high", last=today - dt.timedelta(days=17))
    Case.objects.filter(pk=world.cases["ANK"].pk).update(caseworker=world.user("ANK", "center_manager"))

    client.force_login(worker)
    page = client.get(url("caseload")).content.decode()
    order = [page.index(name) for name in ("Overdue", "QuietHighRisk", "DueToday", "ThisWeek", "Later")]
    assert order == sorted(order)
    assert page.count("high risk, no next follow-up set") == 1
    row = page[page.index("DueToday") :]
    assert row.index("due today") < row.index("</tr>") and "this week" not in row[: row.index("</tr>")]


def test_a_psychologist_sees_the_cases_they_are_on_in_their_caseload(client, world):
    client.force_login(world.user("ANK", "psychologist"))
    page = client.get(url("caseload")).content.decode()
    assert world.people["ANK"].registration_number in page
    assert "No open cases." not in page


def test_caseload_queries_stay_constant(client, world, django_assert_max_num_queries):
    worker = world.user("ANK", "social_worker")
    for _ in range(20):
        person = BeneficiaryFactory(center=world.centers["ANK"], consents=False)
        Case.objects.create(
            center=world.centers["ANK"], beneficiary=person, caseworker=worker, reason="r", opened_by=worker
        )
    client.force_login(worker)
    # 1 session, 2 user, 3 roles, 4 centre, 5 cases with last contact and next date, 6-7 navigation, 8-10 session save
    # +1: the second-factor check (django-otp's device in the session, or whether the role needs one).
    # +1: the user's referrals without an answer in time.
    with django_assert_max_num_queries(12):
        client.get(url("caseload"))


def test_every_opening_of_a_profile_or_case_is_logged_and_only_the_dpo_reads_the_log(client, world):
    case, person = world.cases["ANK"], world.people["ANK"]
    client.force_login(world.user("ANK", "social_worker"))
    client.get(url("detail", pk=case.pk), REMOTE_ADDR="10.1.2.3")
    client.get(reverse("beneficiaries:detail", kwargs={"center": "ANK", "pk": person.pk}))
    entries = AccessLog.objects.filter(user=world.user("ANK", "social_worker"))
    assert entries.count() == 2
    assert entries.filter(case=case, ip_address="10.1.2.3").exists()
    with pytest.raises(ValidationError):
        entries.first().delete()

    assert client.get(reverse("privacy:access_log")).status_code == 403
    client.force_login(world.user(None, "data_protection_officer"))
    page = client.get(reverse("privacy:access_log"), {"number": person.registration_number}).content.decode()
    assert "ank_social_worker" in page and "10.1.2.3" in page


def test_open_a_case_from_a_profile_and_record_a_follow_up(client, world):
    person = BeneficiaryFactory(center=world.centers["ANK"])
    client.force_login(world.user("ANK", "social_worker"))
    response = client.post(
        url("open", pk=person.pk),
        {
            "reason": "Single mother, three children out of school",
            "risk_level": "high",
            "legal_basis": "consent",
            "caseworker": world.user("ANK", "social_worker").pk,
        },
    )
    case = Case.objects.get(beneficiary=person)
    assert case.legal_basis == "consent"
    assert response["Location"] == url("detail", pk=case.pk)
    response = client.post(
        url("follow_up_add", pk=case.pk),
        {"date": "2026-11-20", "type": "home_visit", "summary": "Visited", "next_date": "2026-11-19"},
    )
    assert "The next follow-up must come after this one." in response.content.decode()
    client.post(
        url("follow_up_add", pk=case.pk),
        {"date": "2026-11-20", "type": "home_visit", "summary": "Visited", "next_date": "2026-12-04"},
    )
    case.refresh_from_db()
    assert case.status == "active" and case.follow_ups.count() == 1


def test_case_status_on_a_profile_only_for_roles_that_see_cases(client, world):
    person = world.people["ANK"]
    profile = reverse("beneficiaries:detail", kwargs={"center": "ANK", "pk": person.pk})
    client.force_login(world.user("ANK", "reception"))
    assert "Case file" not in client.get(profile).content.decode()
    client.force_login(world.user("ANK", "social_worker"))
    assert "Case file" in client.get(profile).content.decode()


def test_other_centre_gets_404_on_case_views(world, assert_other_center_gets_404):
    case = world.cases["ANK"]
    other = world.user("IST", "social_worker")
    for name in ("detail", "follow_up_add", "goal_add", "referral_add", "close_request", "transfer_request"):
        assert_other_center_gets_404(other, f"cases:{name}", center="ANK", pk=case.pk)
    assert_other_center_gets_404(other, "cases:referral_letter", center="ANK", pk=world.referrals["ANK"].pk)
    assert_other_center_gets_404(other, "cases:goal_done", center="ANK", pk=world.goals["ANK"].pk)


@time_machine.travel(dt.datetime(2026, 6, 15, 5, tzinfo=dt.UTC), tick=False)
def test_the_morning_job_mails_each_caseworker_todays_follow_ups_without_names(world, mailoutbox, settings):
    from cases.tasks import notify_follow_ups_due

    worker = world.user("ANK", "social_worker")
    worker.email = "leyla@example.org"
    worker.save()
    case = world.cases["ANK"]
    FollowUp.objects.create(
        case=case,
        center=case.center,
        date=dt.date(2026, 6, 1),
        type="phone",
        summary="s",
        next_date=dt.date(2026, 6, 15),
        by=worker,
    )
    assert notify_follow_ups_due.apply().get() == 1
    assert len(mailoutbox) == 1
    body = mailoutbox[0].body
    assert case.beneficiary.registration_number in body and case.beneficiary.first_name not in body
    assert "notify_follow_ups_due" in settings.CELERY_BEAT_SCHEDULE["follow-ups-due-today"]["task"]


def test_case_file_queries_stay_constant(client, world, django_assert_max_num_queries):
    case, worker = world.cases["ANK"], world.user("ANK", "social_worker")
    for n in range(15):
        FollowUp.objects.create(
            case=case,
            center=case.center,
            date=dt.date(2026, 1, 1) + dt.timedelta(days=n),
            type="phone",
            summary="s",
            by=worker,
        )
        Referral.objects.create(case=case, partner=Partner.objects.first(), reason="r", created_by=worker)
    client.force_login(worker)
    # 1 session, 2 user, 3 roles, 4 centre, 5 case, 6 access log, 7 goals, 8 follow-ups, 9 referrals,
    # 10 readable notes, 11 psychologists, 12 transfers, 13-14 navigation, 15-17 session save
    # +1: the second-factor check (django-otp's device in the session, or whether the role needs one).
    # +1: the case's documents (documents' case panel).
    with django_assert_max_num_queries(19):
        page = client.get(url("detail", pk=case.pk)).content.decode()
    assert page.count("Phone call") == 15


def test_the_partner_directory_lists_what_each_partner_offers(client, world):
    client.force_login(world.user("ANK", "social_worker"))
    page = client.get(url("partners")).content.decode()
    assert "Ministry of National Education" in page and "School enrolment" in page


def test_a_case_cannot_be_opened_without_a_legal_basis(client, world):
    person = BeneficiaryFactory(center=world.centers["ANK"])
    client.force_login(world.user("ANK", "social_worker"))
    data = {
        "reason": "Needs support",
        "risk_level": "high",
        "caseworker": world.user("ANK", "social_worker").pk,
    }
    response = client.post(url("open", pk=person.pk), data)
    assert response.status_code == 200
    assert "This field is required." in response.context["form"].errors["legal_basis"]
    assert not Case.objects.filter(beneficiary=person).exists()


def test_an_impossible_psychologist_id_is_a_form_error(client, world):
    # Found by fuzzing: an id beyond 64 bits reached the database (a 500 on SQLite).
    person = BeneficiaryFactory(center=world.centers["ANK"])
    client.force_login(world.user("ANK", "social_worker"))
    data = {
        "reason": "Needs support",
        "risk_level": "high",
        "legal_basis": "consent",
        "caseworker": world.user("ANK", "social_worker").pk,
        "psychologists": ["99999999999999999999"],
    }
    response = client.post(url("open", pk=person.pk), data)
    assert response.status_code == 200 and "psychologists" in response.context["form"].errors
    assert not Case.objects.filter(beneficiary=person).exists()
