"""People's names in the script of the interface: Arabic pages show the Arabic-script name on record."""

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from beneficiaries.tests.factories import BeneficiaryFactory
from services.models import CheckIn

pytestmark = pytest.mark.django_db

ARABIC, LATIN = "أحمد الأنقرلي", "Ahmad Ankarali"
BOTH = f'<bdi>{ARABIC}</bdi> <bdi class="small text-body-secondary">{LATIN}</bdi>'


def render(text, person, language):
    with translation.override(language):
        return Template("{% load person_names %}" + text).render(Context({"p": person}))


@pytest.fixture
def ahmad(world):
    """The world's Ankara head, whose name is on record in Arabic script too."""
    person = world.people["ANK"]
    person.first_name_original, person.last_name_original = "أحمد", "الأنقرلي"
    person.save()
    return person


@pytest.mark.parametrize("language", ["en", "tr", "fr"])
def test_latin_interfaces_show_the_latin_name(ahmad, language):
    assert render("{{ p|display_name }}", ahmad, language) == f"<bdi>{LATIN}</bdi>"
    assert render("{{ p|other_name }}", ahmad, language) == ARABIC


def test_arabic_interface_shows_the_arabic_name_then_the_latin_one(ahmad):
    assert render("{{ p|display_name }}", ahmad, "ar") == BOTH
    assert render('{{ p|display_name:"alone" }}', ahmad, "ar") == f"<bdi>{ARABIC}</bdi>"
    assert render("{{ p|display_name_text }}", ahmad, "ar") == ARABIC
    assert render("{{ p|other_name }}", ahmad, "ar") == LATIN


def test_arabic_interface_keeps_the_latin_name_when_no_arabic_script_one_is_on_record(world):
    only_latin = BeneficiaryFactory(center=world.centers["ANK"], first_name="Leyla", last_name="Kaya")
    assert render("{{ p|display_name }}", only_latin, "ar") == "<bdi>Leyla Kaya</bdi>"
    assert render("{{ p|other_name }}", only_latin, "ar") == ""


def test_a_persian_name_is_in_arabic_script_too(world):
    person = BeneficiaryFactory(
        center=world.centers["ANK"],
        first_name="Mahdi",
        first_name_original="مهدی",
        last_name="Rezaei",
        last_name_original="رضایی",
    )
    assert render('{{ p|display_name:"alone" }}', person, "ar") == "<bdi>مهدی رضایی</bdi>"


def test_a_given_name_alone_in_arabic_script_does_not_hide_the_family_name(world):
    person = BeneficiaryFactory(
        center=world.centers["ANK"], first_name="Mohammed", first_name_original="محمد", last_name="Hallak"
    )
    assert render("{{ p|display_name }}", person, "ar") == "<bdi>Mohammed Hallak</bdi>"
    assert render("{{ p|other_name }}", person, "ar") == "محمد"


def test_names_are_escaped(world):
    person = BeneficiaryFactory(center=world.centers["ANK"], first_name="<b>x</b>", last_name="Kaya")
    assert render("{{ p|display_name }}", person, "en") == "<bdi>&lt;b&gt;x&lt;/b&gt; Kaya</bdi>"


def page(client, world, role, url_name, language, **kwargs):
    client.force_login(world.user("ANK", role))
    client.cookies["django_language"] = language
    response = client.get(reverse(url_name, kwargs={"center": "ANK", **kwargs}), {"q": "Ahmad"})
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("role", "url_name"),
    [
        ("reception", "beneficiaries:search"),
        ("reception", "services:today"),
        ("social_worker", "cases:caseload"),
    ],
)
def test_lists_show_the_name_in_the_script_of_the_page(client, world, ahmad, role, url_name):
    CheckIn.objects.create(center=world.centers["ANK"], beneficiary=ahmad, by=world.user("ANK", "reception"))
    assert BOTH in page(client, world, role, url_name, "ar")
    english = page(client, world, role, url_name, "en")
    assert f"<bdi>{LATIN}</bdi>" in english and BOTH not in english


def test_the_profile_header_puts_the_name_of_the_page_s_script_first(client, world, ahmad):
    arabic = page(client, world, "reception", "beneficiaries:detail", "ar", pk=ahmad.pk)
    assert f'<h1 class="h3 mb-0"><bdi>{ARABIC}</bdi></h1>' in arabic
    assert f'<div class="fs-5"><bdi>{LATIN}</bdi></div>' in arabic
    assert f"<title>{ARABIC}" in arabic
    english = page(client, world, "reception", "beneficiaries:detail", "en", pk=ahmad.pk)
    assert f'<h1 class="h3 mb-0"><bdi>{LATIN}</bdi></h1>' in english
    assert f'<div class="fs-5"><bdi>{ARABIC}</bdi></div>' in english


def test_the_register_labels_each_person_in_the_script_of_the_page(client, world, ahmad):
    session = world.sessions["ANK"]
    arabic = page(client, world, "trainer", "services:register", "ar", pk=session.pk)
    assert f'<label for="present-{ahmad.pk}"><bdi>{ARABIC}</bdi></label> <bdi' in arabic
    english = page(client, world, "trainer", "services:register", "en", pk=session.pk)
    assert f'<label for="present-{ahmad.pk}"><bdi>{LATIN}</bdi></label>' in english
