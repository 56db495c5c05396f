import datetime as dt

import factory
from django.utils import timezone

from beneficiaries.tests.factories import BeneficiaryFactory
from centers.tests.factories import CenterFactory, UserFactory
from services.models import Activity, Enrollment, ServiceCategory, Session


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    center = factory.SubFactory(CenterFactory)
    category = factory.LazyFunction(lambda: ServiceCategory.objects.get_or_create(code="B")[0])
    name = factory.Sequence(lambda n: f"Turkish A1 · group {n}")
    kind = Activity.Kind.COURSE
    capacity = 15
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=28))
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=60))
    completion_threshold = 75


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    activity = factory.SubFactory(ActivityFactory)
    date = factory.LazyFunction(timezone.localdate)
    starts_at = dt.time(10, 0)
    ends_at = dt.time(12, 0)
    room = factory.LazyAttribute(lambda o: o.activity.room)

    class Params:
        # Today's 10:00 session may not have begun yet (its register is closed until it does):
        # a test that marks attendance takes a past session, or moves the clock with once_started.
        past = factory.Trait(date=factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=7)))


def once_started(session: Session) -> dt.datetime:
    """A moment the session has begun, for ``time_machine.move_to``: its start if that is still to
    come, else now. Never earlier than now, so nothing the test already made lies in the future."""
    return max(timezone.now(), session.starts + dt.timedelta(minutes=1))


class EnrollmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrollment

    activity = factory.SubFactory(ActivityFactory)
    beneficiary = factory.SubFactory(BeneficiaryFactory)
    status = Enrollment.Status.ENROLLED
    by = factory.SubFactory(UserFactory)
