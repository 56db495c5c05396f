import datetime as dt

import factory
from django.contrib.auth import get_user_model

from centers.models import Center, Membership, Room

TEST_PASSWORD = "correct-horse-battery-staple"


class CenterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Center
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"C{chr(65 + n // 26 % 26)}{chr(65 + n % 26)}")
    name = factory.LazyAttribute(lambda o: f"{o.code} Community Centre")
    city = "Ankara"
    opened_on = dt.date(2025, 1, 6)
    floors = 3
    status = Center.Status.OPEN


class RoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Room

    center = factory.SubFactory(CenterFactory)
    name = factory.Sequence(lambda n: f"Room {n}")
    floor = 1
    capacity = 15


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"User{n}")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    center = factory.SubFactory(CenterFactory)
    role = "reception"
