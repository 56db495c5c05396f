import io

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError
from django.urls import reverse

from beneficiaries.models import Beneficiary
from cases.models import Case, Transfer
from centers.models import Center, Membership
from centers.tests.factories import MembershipFactory, UserFactory
from services.models import Activity, Attendance


def test_user_with_one_centre_lands_on_its_dashboard(client, world):
    client.force_login(world.user("ANK", "reception"))
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("centers:dashboard", kwargs={"center": "ANK"})


def test_user_with_roles_in_two_centres_chooses(client, world):
    user = world.user("ANK", "trainer")
    MembershipFactory(user=user, center=world.centers["IST"], role="social_worker")
    client.force_login(user)
    page = client.get(reverse("home")).content.decode()
    assert "Ankara Community Centre" in page and "Istanbul Community Centre" in page
    assert client.get(reverse("centers:dashboard", kwargs={"center": "IST"})).status_code == 200


def test_roles_in_a_centre_are_combined(client, world):
    user = world.user("ANK", "trainer")
    MembershipFactory(user=user, center=world.centers["ANK"], role="center_manager")
    client.force_login(user)
    assert client.get(reverse("centers:staff", kwargs={"center": "ANK"})).status_code == 200
    # ...but only in that centre.
    assert client.get(reverse("centers:staff", kwargs={"center": "IST"})).status_code == 404


def test_national_manager_lands_on_the_national_dashboard_and_may_open_every_centre(client, world):
    client.force_login(world.user(None, "national_manager"))
    response = client.get(reverse("home"), follow=True)
    assert response.redirect_chain == [(reverse("reports:national_dashboard"), 302)]
    page = response.content.decode()
    assert "Ankara Community Centre" in page and "Istanbul Community Centre" in page


def test_user_without_membership_sees_no_centre(client, db):
    client.force_login(UserFactory())
    Center.objects.create(code="ANK", name="Ankara", city="Ankara")
    page = client.get(reverse("home")).content.decode()
    assert "no role in any centre" in page
    assert client.get(reverse("centers:dashboard", kwargs={"center": "ANK"})).status_code == 404


def test_superuser_without_membership_reaches_no_centre_pages(client, world):
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "x")
    client.force_login(admin)
    assert client.get(reverse("centers:dashboard", kwargs={"center": "ANK"})).status_code == 404
    assert client.get(reverse("admin:centers_center_changelist")).status_code == 200


def test_navigation_shows_only_what_the_role_may_use(client, world):
    staff_url = reverse("centers:staff", kwargs={"center": "ANK"})
    client.force_login(world.user("ANK", "reception"))
    assert (
        staff_url not in client.get(reverse("centers:dashboard", kwargs={"center": "ANK"})).content.decode()
    )
    client.force_login(world.user("ANK", "center_manager"))
    assert staff_url in client.get(reverse("centers:dashboard", kwargs={"center": "ANK"})).content.decode()


def test_staff_page_lists_only_this_centre(client, world, django_assert_max_num_queries):
    client.force_login(world.user("ANK", "center_manager"))
    for n in range(20):
        MembershipFactory(center=world.centers["ANK"], role="trainer", user=UserFactory(username=f"extra{n}"))
    # 1 session, 2 user, 3 the user's roles here, 4 the centre, 5 memberships joined to users,
    # 6-7 navigation: national-role check and the user's centres,
    # 8-10 the idle-timeout session save (savepoint, update, release).
    # +1: the second-factor check (django-otp's device in the session, or whether the role needs one).
    with django_assert_max_num_queries(11):
        page = client.get(reverse("centers:staff", kwargs={"center": "ANK"})).content.decode()
    assert "ank_reception" in page and "extra19" in page
    assert "ist_reception" not in page


@pytest.mark.django_db
def test_membership_scope_must_match_the_role():
    user = UserFactory()
    center = Center.objects.create(code="ANK", name="Ankara", city="Ankara")
    with pytest.raises(ValidationError):
        Membership(user=user, center=center, role="national_manager").full_clean()
    with pytest.raises(ValidationError):
        Membership(user=user, center=None, role="reception").full_clean()
    with pytest.raises(IntegrityError):
        Membership.objects.create(user=user, center=None, role="reception")


@pytest.mark.django_db
def test_createstaff_creates_a_user_with_a_role(monkeypatch):
    Center.objects.create(code="ANK", name="Ankara", city="Ankara")
    monkeypatch.setenv("STAFF_PASSWORD", "a-long-enough-password-42")
    call_command("createstaff", "leyla", "--center", "ank", "--role", "social_worker", stdout=io.StringIO())
    user = get_user_model().objects.get(username="leyla")
    assert user.check_password("a-long-enough-password-42")
    assert list(user.memberships.values_list("center__code", "role")) == [("ANK", "social_worker")]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--center", "XYZ", "--role", "reception"], "Unknown centre “XYZ”"),
        (["--center", "ANK", "--role", "janitor"], "Unknown role “janitor”"),
        (["--center", "ANK", "--role", "national_manager"], "leave the centre empty"),
    ],
)
def test_createstaff_refuses_bad_input_and_saves_nothing(monkeypatch, args, message):
    Center.objects.create(code="ANK", name="Ankara", city="Ankara")
    monkeypatch.setenv("STAFF_PASSWORD", "a-long-enough-password-42")
    with pytest.raises(CommandError, match=message):
        call_command("createstaff", "leyla", *args)
    assert not get_user_model().objects.filter(username="leyla").exists()


@pytest.mark.django_db
def test_createstaff_refuses_a_weak_password(monkeypatch):
    Center.objects.create(code="ANK", name="Ankara", city="Ankara")
    monkeypatch.setenv("STAFF_PASSWORD", "123")
    with pytest.raises(CommandError, match="too short"):
        call_command("createstaff", "leyla", "--center", "ANK", "--role", "trainer")


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_prints_logins(settings):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("seed_demo", "--beneficiaries", "40", stdout=out)
    people = Beneficiary.objects.count()
    call_command("seed_demo", "--beneficiaries", "40", stdout=io.StringIO())
    assert Beneficiary.objects.count() == people
    ankara = Beneficiary.objects.filter(center__code="ANK")
    assert ankara.count() >= 40
    assert (
        ankara.exclude(first_name_original="").exists()
        and ankara.filter(population_group="host_community").exists()
    )
    assert not Beneficiary.objects.filter(center__code="KIL").exists()
    assert Activity.objects.filter(center__code="ANK").count() >= 8
    assert Attendance.objects.filter(session__activity__center__code="ANK", present=True).exists()
    assert Case.objects.filter(center__code="ANK").exists() and Transfer.objects.count() == 1
    assert set(Center.objects.values_list("code", flat=True)) == {"ANK", "IST", "KON", "SAN", "KIL"}
    assert Center.objects.get(code="KIL").status == Center.Status.PLANNED
    ankara = Center.objects.get(code="ANK")
    assert set(ankara.rooms.values_list("floor", flat=True)) == {0, 1, 2}
    # One user per centre role in each of the four open centres, plus the two national roles.
    assert Membership.objects.count() == 4 * 5 + 2
    assert "ank_reception" in out.getvalue()


@pytest.mark.django_db
def test_seed_demo_refuses_production(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG=1"):
        call_command("seed_demo")
