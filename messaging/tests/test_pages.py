"""The centre manager's outbox and broadcasts, the contact consent page and the profile's panel."""

import datetime as dt
import uuid
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from beneficiaries.models import CONTACT_SCOPE, Consent
from finance.models import CostEntry, FundingSource
from messaging import services
from messaging.models import Broadcast, Message, MonthlyCost
from services.models import ServiceCategory
from services.tests.factories import ActivityFactory, EnrollmentFactory, SessionFactory

AFTERNOON = dt.datetime(2026, 12, 1, 15, 0, tzinfo=ZoneInfo("Europe/Istanbul"))


@pytest.fixture(autouse=True)
def afternoon():
    with time_machine.travel(AFTERNOON, tick=False):
        yield


@pytest.fixture
def manager(client, world):
    client.force_login(world.user("ANK", "center_manager"))
    return client


@pytest.fixture
def course(world, reachable):
    activity = ActivityFactory(center=world.centers["ANK"], name="Tailoring", capacity=20)
    SessionFactory(activity=activity, date=dt.date(2026, 12, 3))
    reception = world.user("ANK", "reception")
    people = [
        reachable(first_name="Amina", language="ar", first_name_original="أمينة"),
        reachable(first_name="Elif", language="tr", phone="+905321234568"),
        reachable(first_name="Nour", phone=""),  # agreed, but no number
    ]
    for person in people:
        EnrollmentFactory(activity=activity, beneficiary=person, status="enrolled", by=reception)
    # Enrolled, never asked about messages.
    EnrollmentFactory(activity=activity, beneficiary=world.people["ANK"], status="enrolled", by=reception)
    return activity


def _broadcast_data(course, token):
    return {
        "token": str(token),
        "audience": "activity",
        "activity": course.pk,
        "category": "",
        "neighbourhood": "",
        "template": "activity_reminder",
        "note": "",
    }


def test_broadcast_shows_who_will_receive_it_before_sending(manager, world, course):
    url = reverse("messaging:broadcast", kwargs={"center": "ANK"})
    response = manager.post(url, _broadcast_data(course, uuid.uuid4()))
    assert response.status_code == 200
    assert response.context["reach"] == {"audience": 4, "no_consent": 1, "no_phone": 1, "reachable": 2}
    previews = dict(response.context["previews"])
    assert "أمينة" not in previews["ar"]  # a preview uses an example name, not a person's
    assert "Tailoring" in previews["tr"] and "Thursday 3 December" in previews["en"]
    assert not Message.objects.exists()  # nothing sent yet


def test_confirming_sends_once_even_when_submitted_twice(
    manager, world, course, memory_backend, django_capture_on_commit_callbacks
):
    url = reverse("messaging:broadcast", kwargs={"center": "ANK"})
    data = {**_broadcast_data(course, uuid.uuid4()), "confirm": "1"}
    with django_capture_on_commit_callbacks(execute=True):
        first = manager.post(url, data)
        second = manager.post(url, data)
    assert first.status_code == second.status_code == 302
    assert Broadcast.objects.count() == 1
    assert Broadcast.objects.get().recipients == 2
    assert sorted(Message.objects.values_list("language", "status")) == [
        ("ar", "delivered"),
        ("tr", "delivered"),
    ]
    arabic = Message.objects.get(language="ar")
    assert "أمينة" in arabic.text and "Amina" not in arabic.text  # greeted in her script
    assert len(memory_backend.outbox) == 2


def test_psychosocial_activities_and_category_cannot_be_chosen(manager, world):
    pss = ActivityFactory(center=world.centers["ANK"], category=ServiceCategory.objects.get(code="D"))
    response = manager.get(reverse("messaging:broadcast", kwargs={"center": "ANK"}))
    form = response.context["form"]
    assert pss not in form.fields["activity"].queryset
    assert not form.fields["category"].queryset.filter(code="D").exists()
    data = {**_broadcast_data(pss, uuid.uuid4()), "confirm": "1"}
    response = manager.post(reverse("messaging:broadcast", kwargs={"center": "ANK"}), data)
    assert response.status_code == 200 and response.context["form"].errors
    assert not Broadcast.objects.exists()


def test_a_notice_needs_its_text(manager, world):
    data = {
        "token": str(uuid.uuid4()),
        "audience": "neighbourhood",
        "neighbourhood": "Önder",
        "template": "centre_notice",
    }
    response = manager.post(reverse("messaging:broadcast", kwargs={"center": "ANK"}), data)
    assert "note" in response.context["form"].errors


def test_broadcast_to_a_neighbourhood(world, reachable):
    inside = reachable(neighbourhood="Ulus")
    reachable(neighbourhood="Önder", phone="+905321234569")
    people = services.broadcast_audience(
        center=world.centers["ANK"], audience="neighbourhood", neighbourhood=" ulus "
    )
    assert list(people) == [inside]


def test_outbox_filters_by_status_and_shows_the_months_count_and_cost(
    manager, world, reachable, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3):
            services.message_queue(
                person=reachable(phone=f"+90532123456{n}"),
                center=world.centers["ANK"],
                template="centre_notice",
                variables={"note": "x"},
                dedup_key=f"n{n}",
            )
    Message.objects.filter(dedup_key="n0").update(status="failed", cost_usd=0)
    url = reverse("messaging:outbox", kwargs={"center": "ANK"})
    # session, user, memberships, OTP device, centre, (audit context) … then: the month's summary, the rows.
    with django_assert_max_num_queries(12):
        response = manager.get(url)
    assert response.context["summary"]["sent"] == 2
    assert response.context["summary"]["cost"] == Decimal("0.10")
    assert response.context["summary"]["failed"] == 1
    failed = manager.get(url + "?status=failed")
    assert [m.dedup_key for m in failed.context["outbox"]] == ["n0"]


def test_outbox_queries_do_not_grow_with_messages(manager, world, reachable, django_assert_max_num_queries):
    url = reverse("messaging:outbox", kwargs={"center": "ANK"})
    manager.get(url)
    for n in range(3):
        services.message_queue(
            person=reachable(phone=f"+90532123457{n}"),
            center=world.centers["ANK"],
            template="centre_notice",
            variables={"note": "x"},
            dedup_key=f"m{n}",
        )
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        manager.get(url)
    for n in range(3, 8):
        services.message_queue(
            person=reachable(phone=f"+90532123457{n}"),
            center=world.centers["ANK"],
            template="centre_notice",
            variables={"note": "x"},
            dedup_key=f"m{n}",
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        manager.get(url)


def test_another_centres_messages_are_not_in_the_outbox(manager, world, reachable):
    services.message_queue(
        person=reachable("IST"),
        center=world.centers["IST"],
        template="centre_notice",
        variables={"note": "x"},
        dedup_key="ist",
    )
    response = manager.get(reverse("messaging:outbox", kwargs={"center": "ANK"}))
    assert list(response.context["outbox"]) == []


def test_preview_shows_every_text_in_the_chosen_language(manager):
    response = manager.get(reverse("messaging:preview", kwargs={"center": "ANK"}) + "?language=ar")
    assert response.context["language"] == "ar"
    assert len(response.context["rendered"]) == 8
    assert 'dir="rtl"' in response.content.decode()


def test_reception_records_consent_to_be_contacted_and_the_profile_shows_it(client, world):
    person = world.people["ANK"]
    person.phone = "+905321234567"
    person.save()
    client.force_login(world.user("ANK", "reception"))
    url = reverse("messaging:contact", kwargs={"center": "ANK", "pk": person.pk})
    profile_url = reverse("beneficiaries:detail", kwargs={"center": "ANK", "pk": person.pk})
    assert "Has not agreed to receive messages." in client.get(url).content.decode()
    response = client.post(url, {"given": "yes", "channel": "whatsapp", "language": "tr"})
    assert response.status_code == 302
    assert Consent.objects.get(beneficiary=person, scope=CONTACT_SCOPE).is_active
    assert "Agreed to receive messages by WhatsApp, in Turkish." in client.get(url).content.decode()
    assert "Contact by SMS or WhatsApp" in client.get(profile_url).content.decode()
    client.post(url, {"given": "no", "channel": "whatsapp", "language": "tr"})
    assert "Stopped messages on" in client.get(url).content.decode()
    consent = Consent.objects.get(beneficiary=person, scope=CONTACT_SCOPE)
    assert not consent.is_active and consent.withdrawn_at is not None


def test_consent_to_messages_is_not_asked_at_registration(client, world):
    client.force_login(world.user("ANK", "reception"))
    page = client.get(reverse("beneficiaries:register", kwargs={"center": "ANK"})).content.decode()
    assert "consent-contact" not in page  # asked on its own page, with the channel and language


def test_the_profile_lists_the_messages_sent_and_their_status(
    client, world, reachable, django_capture_on_commit_callbacks
):
    person = reachable(first_name="Amina")
    with django_capture_on_commit_callbacks(execute=True):
        services.message_queue(
            person=person,
            center=world.centers["ANK"],
            template="centre_notice",
            variables={"note": "Closed Friday"},
            dedup_key="p",
        )
    client.force_login(world.user("ANK", "trainer"))
    page = client.get(
        reverse("beneficiaries:detail", kwargs={"center": "ANK", "pk": person.pk})
    ).content.decode()
    assert "Closed Friday" in page and "Delivered" in page


def test_the_months_messages_go_into_the_centres_costs_once(
    world, reachable, django_capture_on_commit_callbacks
):
    source = FundingSource.objects.create(
        name="Appeal", donor="IFRC", amount=1000, starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2027, 12, 31)
    )
    CostEntry.objects.create(
        center=world.centers["ANK"],
        month=dt.date(2026, 11, 1),
        type="rent",
        amount=100,
        funding_source=source,
    )
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(2):
            services.message_queue(
                person=reachable(phone=f"+90532123458{n}"),
                center=world.centers["ANK"],
                template="centre_notice",
                variables={"note": "x"},
                dedup_key=f"c{n}",
            )
    entry = services.month_cost_record(center=world.centers["ANK"], month=dt.date(2026, 12, 1))
    assert (entry.type, entry.currency, entry.amount, entry.funding_source) == (
        "other",
        "USD",
        Decimal("0.10"),
        source,
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.message_queue(
            person=reachable(phone="+905321234589"),
            center=world.centers["ANK"],
            template="centre_notice",
            variables={"note": "x"},
            dedup_key="c9",
        )
    again = services.month_cost_record(center=world.centers["ANK"], month=dt.date(2026, 12, 1))
    assert again.pk == entry.pk and again.amount == Decimal("0.15")
    assert MonthlyCost.objects.count() == 1
    assert services.month_cost_record(center=world.centers["IST"], month=dt.date(2026, 12, 1)) is None
