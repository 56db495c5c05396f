import factory
from stdnum.tr import tckimlik

from beneficiaries.models import Beneficiary, Consent, ConsentScope, Household
from beneficiaries.services import registration_number_next
from centers.tests.factories import CenterFactory, UserFactory


def foreigner_id(serial: int) -> str:
    """A valid foreigner ID number (99…, with Turkish ID check digits)."""
    body = f"99{serial:07d}"
    return body + tckimlik.calc_check_digits(body)


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    center = factory.SubFactory(CenterFactory)
    created_by = factory.SubFactory(UserFactory)
    district = "Altındağ"


class BeneficiaryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Beneficiary
        skip_postgeneration_save = True

    center = factory.SubFactory(CenterFactory)
    # Numbers from the real counter, in a past year so that a test's own
    # registrations start at 000001.
    registration_number = factory.LazyAttribute(
        lambda o: registration_number_next(center=o.center, year=2025)
    )
    first_name = "Mohammed"
    last_name = factory.Sequence(lambda n: f"Family{n}")
    sex = "male"
    birth_year = 1990
    nationality = "SY"
    population_group = "temporary_protection"
    registered_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def consents(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            for scope in ConsentScope.values:
                Consent.objects.create(
                    beneficiary=obj, scope=scope, given=True, recorded_by=obj.registered_by
                )
