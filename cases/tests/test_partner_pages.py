"""Referrals that close the loop: a partner's focal point answers on its own pages (outside any centre), or the
caseworker records the answer where the partner has no account. Both go through the same services."""

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from audit.models import AccessLog
from beneficiaries.services import consent_update
from cases import selectors, services
from cases.models import ConfidentialNote, FollowUp, Partner, PartnerFocalPoint, Referral
from cases.signals import referral_sent, referral_withdrawn
from centers.models import Membership
from centers.tests.factories import UserFactory
from tests.test_url_rules import CENTER_URLS, _url

TODAY = dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC)


def partner_url(name, **kwargs):
    return reverse(f"partner:{name}", kwargs=kwargs)


def case_url(name, **kwargs):
    return reverse(f"cases:{name}", kwargs={"center": "ANK", **kwargs})


@pytest.fixture
def sent(world):
    """The world's ANK referral, to the Altındağ health centre, sent: the focal point's to answer."""
    referral = world.referrals["ANK"]
    Referral.objects.filter(pk=referral.pk).update(
        service_point=world.service_points["ANK"], shared_fields=["full_name", "phone"]
    )
    return services.referral_send(referral=referral, by=world.user("ANK", "social_worker"))


@pytest.fixture
def focal(client, world):
    client.force_login(world.user(None, "partner_focal_point"))
    return world.user(None, "partner_focal_point")


def test_the_focal_point_accepts_and_records_the_outcome_and_the_caseworker_sees_it(
    client, world, sent, focal
):
    page = client.get(partner_url("referrals")).content.decode()
    assert world.people["ANK"].full_name in page and "Altındağ migrant health centre" in page

    assert client.post(partner_url("referral_accept", pk=sent.pk)).status_code == 302
    sent.refresh_from_db()
    assert (sent.status, sent.answered_via, sent.answered_by) == ("accepted", "partner", focal)

    response = client.post(
        partner_url("referral_outcome", pk=sent.pk),
        {"given_on": dt.date.today().isoformat(), "note": "Vaccinated"},
    )
    assert response.status_code == 302
    sent.refresh_from_db()
    assert sent.status == "completed" and sent.service_given_on == dt.date.today()
    assert sent.outcome_note == "Vaccinated"

    client.force_login(world.user("ANK", "social_worker"))
    case_page = client.get(case_url("detail", pk=world.cases["ANK"].pk)).content.decode()
    assert "Vaccinated" in case_page and "The partner&#x27;s focal point" in case_page


def test_the_focal_point_declines_with_a_reason_and_needs_one(client, world, sent, focal):
    response = client.post(partner_url("referral_decline", pk=sent.pk), {"reason": ""})
    assert response.status_code == 200 and Referral.objects.get(pk=sent.pk).status == "sent"
    client.post(partner_url("referral_decline", pk=sent.pk), {"reason": "Not in our catchment area"})
    sent.refresh_from_db()
    assert (sent.status, sent.decline_reason, sent.answered_via) == (
        "declined",
        "Not in our catchment area",
        "partner",
    )


def test_where_the_partner_has_no_account_the_caseworker_records_the_answer(client, world, sent):
    client.force_login(world.user("ANK", "social_worker"))
    client.post(case_url("referral_advance", pk=sent.pk, action="accept"))
    response = client.post(
        case_url("referral_outcome", pk=sent.pk),
        {"given_on": dt.date.today().isoformat(), "note": "Seen by a doctor"},
    )
    assert response.status_code == 302
    sent.refresh_from_db()
    assert (sent.status, sent.answered_via, sent.outcome_note) == (
        "completed",
        "caseworker",
        "Seen by a doctor",
    )


def test_the_caseworker_records_a_refusal_with_its_reason(client, world, sent):
    client.force_login(world.user("ANK", "social_worker"))
    client.post(case_url("referral_decline", pk=sent.pk), {"reason": "Full until January"})
    sent.refresh_from_db()
    assert (sent.status, sent.decline_reason, sent.answered_via) == (
        "declined",
        "Full until January",
        "caseworker",
    )


def test_an_outcome_cannot_be_dated_in_the_future_or_recorded_before_acceptance(world, sent):
    with pytest.raises(services.ReferralNotOpen):
        services.referral_record_outcome(referral=sent, given_on=dt.date.today(), note="")
    services.referral_accept(referral=sent)
    with pytest.raises(services.ValidationError):
        services.referral_record_outcome(
            referral=sent, given_on=dt.date.today() + dt.timedelta(days=1), note=""
        )
    assert Referral.objects.get(pk=sent.pk).status == "accepted"


def test_the_focal_point_sees_only_the_shared_fields_and_never_notes(client, world, sent, focal):
    case = world.cases["ANK"]
    FollowUp.objects.create(
        case=case, center=case.center, type="phone", summary="Talked about the debts", by=case.caseworker
    )
    ConfidentialNote.objects.create(case=case, author=world.user("ANK", "psychologist"), text="Nightmares")
    page = client.get(partner_url("referral", pk=sent.pk)).content.decode()
    person = world.people["ANK"]
    assert person.full_name in page and str(person.phone) in page
    assert "Date of birth" not in page and person.registration_number not in page
    assert "debts" not in page and "Nightmares" not in page and case.reason not in page
    # Reading a person's data is logged like a caseworker's opening of the file.
    assert AccessLog.objects.filter(user=focal, beneficiary=person).exists()


def test_consent_withdrawn_midway_hides_everything_and_stops_answers(client, world, sent, focal):
    services.referral_accept(referral=sent, via="partner", by=focal)
    consent_update(
        person=world.people["ANK"],
        answers={"referral_data_sharing": False},
        by=world.user("ANK", "reception"),
    )
    page = client.get(partner_url("referrals")).content.decode()
    assert world.people["ANK"].full_name not in page
    assert client.get(partner_url("referral", pk=sent.pk)).status_code == 404
    response = client.post(
        partner_url("referral_outcome", pk=sent.pk), {"given_on": "2026-11-01", "note": "x"}
    )
    assert response.status_code == 404
    assert selectors.referral_shared_data(referral=sent) == {}
    with pytest.raises(services.ReferralNotOpen):
        services.referral_record_outcome(referral=sent, given_on=dt.date.today(), note="", via="api")
    assert Referral.objects.get(pk=sent.pk).status == "accepted"


def test_another_organisations_referral_is_404(client, world, sent):
    other = Partner.objects.get(name="UNICEF")
    user = UserFactory(username="unicef_focal")
    PartnerFocalPoint.objects.create(user=user, partner=other)
    client.force_login(user)
    assert world.people["ANK"].full_name not in client.get(partner_url("referrals")).content.decode()
    for name in ("referral", "referral_decline", "referral_outcome"):
        assert client.get(partner_url(name, pk=sent.pk)).status_code == 404
    assert client.post(partner_url("referral_accept", pk=sent.pk)).status_code == 404
    assert Referral.objects.get(pk=sent.pk).status == "sent"


def test_drafts_and_withdrawn_referrals_are_not_the_partners(client, world, focal):
    draft = world.referrals["ANK"]
    assert client.get(partner_url("referral", pk=draft.pk)).status_code == 404
    services.referral_send(referral=draft)
    services.referral_withdraw(referral=draft)
    assert client.get(partner_url("referral", pk=draft.pk)).status_code == 404


def test_the_focal_point_is_refused_every_centre_url_and_lands_on_its_referrals(client, world, focal):
    # (The URLs whose objects only the site-wide tests' world holds are walked by tests/test_url_rules.py.)
    names = [n for n, rule in CENTER_URLS.items() if all(hasattr(world, a) for a in rule.objects.values())]
    assert len(names) > 70
    for name in names:
        for code in ("ANK", "IST"):
            url = _url(world, name, code)
            assert client.get(url).status_code == 404, url
            assert client.post(url).status_code == 404, url
    assert client.get(reverse("home"))["Location"] == partner_url("referrals")
    assert client.get(reverse("reports:national_dashboard")).status_code == 403
    assert client.get(reverse("privacy:audit_events")).status_code == 403


def test_staff_get_403_on_the_partner_pages(client, world, sent):
    for user in (world.user("ANK", "social_worker"), world.user(None, "national_manager")):
        client.force_login(user)
        assert client.get(partner_url("referrals")).status_code == 403
        assert client.get(partner_url("referral", pk=sent.pk)).status_code == 403


def test_the_referral_list_runs_a_fixed_number_of_queries(
    client, world, focal, django_assert_max_num_queries
):
    def more(n):
        for _ in range(n):
            referral = services.referral_create(
                case=world.cases["ANK"],
                by=world.user("ANK", "social_worker"),
                partner=None,
                service_point=world.service_points["ANK"],
                reason="r",
                urgency="routine",
                shared_fields=["full_name"],
            )
            services.referral_send(referral=referral)

    more(2)
    # 1 session, 2 user, 3 the second-factor check (roles in centres: none), 4 the focal point and its
    # organisation, 5 the referrals with their person, centre and service point, 6 the people's consents
    # (prefetched for the whole page), 7 the national-role check, 8-10 the idle-timeout session save.
    with django_assert_max_num_queries(10) as few:
        client.get(partner_url("referrals"))
    more(10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(partner_url("referrals")).content.decode()
    assert page.count(world.people["ANK"].full_name) == 12


def test_a_referral_sent_and_withdrawn_is_signalled_on_commit(world, django_capture_on_commit_callbacks):
    received = []

    def listener(sender, referral, **kwargs):
        received.append((sender, referral.pk, referral.status))

    referral_sent.connect(listener)
    referral_withdrawn.connect(listener)
    try:
        referral = world.referrals["ANK"]
        with django_capture_on_commit_callbacks(execute=True):
            services.referral_send(referral=referral)
        with django_capture_on_commit_callbacks(execute=True):
            services.referral_withdraw(referral=referral)
    finally:
        referral_sent.disconnect(listener)
        referral_withdrawn.disconnect(listener)
    assert received == [(Referral, referral.pk, "sent"), (Referral, referral.pk, "withdrawn")]


# ---------------------------------------------------------------- overdue referrals


def _sent_on(referral, day, service_type=""):
    Referral.objects.filter(pk=referral.pk).update(status="sent", sent_on=day, service_type=service_type)


@time_machine.travel(TODAY, tick=False)
def test_overdue_referrals_follow_the_days_of_their_service_type(world, settings):
    referral = world.referrals["ANK"]
    today = dt.date(2026, 11, 20)
    _sent_on(referral, today - dt.timedelta(days=10), "health_care")  # health: 7 days
    assert list(selectors.overdue_referrals(today=today)) == [referral]
    _sent_on(referral, today - dt.timedelta(days=10), "legal_aid")  # the default: 14 days
    assert list(selectors.overdue_referrals(today=today)) == []
    settings.REFERRAL_ANSWER_DAYS = {"legal_aid": 5}
    assert list(selectors.overdue_referrals(today=today)) == [referral]
    settings.REFERRAL_ANSWER_DAYS = {"default": 30, "health_care": 30}
    _sent_on(referral, today - dt.timedelta(days=20), "health_care")
    assert list(selectors.overdue_referrals(today=today)) == []


@time_machine.travel(TODAY, tick=False)
def test_overdue_referrals_show_on_my_day_the_caseload_and_supervision(client, world):
    referral = world.referrals["ANK"]
    _sent_on(referral, dt.date(2026, 11, 1))
    for role, url in (
        ("social_worker", reverse("centers:dashboard", kwargs={"center": "ANK"})),  # the caseworker
        ("center_manager", reverse("centers:dashboard", kwargs={"center": "ANK"})),  # the supervisor
        ("social_worker", case_url("caseload")),
        ("center_manager", case_url("supervision")),
    ):
        client.force_login(world.user("ANK", role))
        page = client.get(url).content.decode()
        assert 'data-testid="start-overdue-referrals"' in page or 'data-testid="overdue-referrals"' in page, (
            url
        )
        assert case_url("detail", pk=world.cases["ANK"].pk) in page, (role, url)
    # Answered: gone from every list.
    services.referral_accept(referral=referral)
    client.force_login(world.user("ANK", "social_worker"))
    page = client.get(reverse("centers:dashboard", kwargs={"center": "ANK"})).content.decode()
    assert "start-overdue-referrals" not in page


@time_machine.travel(TODAY, tick=False)
def test_another_caseworkers_overdue_referrals_are_not_on_my_day(client, world):
    _sent_on(world.referrals["IST"], dt.date(2026, 11, 1))
    _sent_on(world.referrals["ANK"], dt.date(2026, 11, 1))
    other = selectors.overdue_referrals(
        center=world.centers["ANK"], user=world.user("ANK", "psychologist"), today=TODAY.date()
    )
    assert list(other) == []
    mine = selectors.overdue_referrals(
        center=world.centers["ANK"], user=world.user("ANK", "social_worker"), today=TODAY.date()
    )
    assert list(mine) == [world.referrals["ANK"]]


# ---------------------------------------------------------------- accounts


def test_createstaff_makes_a_focal_point_for_a_partner_and_no_membership(world, monkeypatch):
    monkeypatch.setenv("STAFF_PASSWORD", "a long partner password 42")
    call_command("createstaff", "unhcr_focal", "--role", "partner_focal_point", "--partner", "UNHCR")
    focal_point = PartnerFocalPoint.objects.get(user__username="unhcr_focal")
    assert focal_point.partner.name == "UNHCR"
    assert not Membership.objects.filter(user=focal_point.user).exists()


@pytest.mark.parametrize(
    "args",
    [
        ["--role", "partner_focal_point"],  # no organisation
        ["--role", "partner_focal_point", "--partner", "Nobody"],
        ["--role", "partner_focal_point", "--partner", "UNHCR", "--center", "ANK"],
        ["--role", "social_worker", "--partner", "UNHCR"],
        ["--role", "partner_focal_point", "--center", "ANK"],
    ],
)
def test_createstaff_refuses_a_focal_point_without_an_organisation_or_with_a_centre(world, monkeypatch, args):
    monkeypatch.setenv("STAFF_PASSWORD", "a long partner password 42")
    with pytest.raises(CommandError):
        call_command("createstaff", "someone", *args)
    assert not PartnerFocalPoint.objects.filter(user__username="someone").exists()
    assert not Membership.objects.filter(user__username="someone").exists()


def test_a_staff_account_cannot_become_a_focal_point(world):
    with pytest.raises(services.ValidationError):
        services.partner_focal_point_create(
            username=world.user("ANK", "social_worker").username, password="x" * 20, partner_name="UNHCR"
        )


def test_a_focal_point_logs_in_with_a_second_factor_then_lands_on_its_referrals(client, world, sent):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = world.user(None, "partner_focal_point")
    user.set_password("a long partner password 42")
    user.save()
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    response = client.post(
        reverse("login"), {"username": user.username, "password": "a long partner password 42"}, follow=True
    )
    # Outside staff reading referred people's data: the second factor first, as for managers.
    assert "/accounts/two-factor/verify/" in response.redirect_chain[-1][0]
    response = client.post(
        response.redirect_chain[-1][0],
        {"code": f"{totp(device.bin_key, step=30, digits=6):06d}"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == partner_url("referrals")
    assert world.people["ANK"].full_name in response.content.decode()
