"""The data protection officer finds a person by name in any script, and hands them a readable document.

The PDF prints exactly the strings of ``privacy.document.subject_document``; nothing in the project's
packages reads text back out of a PDF (no pypdf, no pdftotext), so the words are checked on the document and
the PDF on what its bytes show: the Arabic font embedded and the language declared.
"""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from audit.models import AuditEvent
from beneficiaries.tests.factories import BeneficiaryFactory
from core import personal_data
from privacy import services
from privacy.document import subject_document
from privacy.tests.test_declarations import _a_person_with_something_in_every_section

pytestmark = pytest.mark.django_db

# What the JSON export says and the person must never see: field names, history codes, raw booleans.
INTERNAL = ["needs_interpreter", "history_type", "history_user", "center:", "True", "False", "_id", "None"]
# Labels whose value is a number that is not an id.
NUMBERS_ALLOWED = {"Year of birth", "Duration (minutes)"}


@pytest.fixture
def dpo(client, world):
    client.force_login(world.user(None, "data_protection_officer"))
    return client


@pytest.fixture
def khatib(world):
    """A man registered in Istanbul, his names in Latin and Arabic script."""
    return BeneficiaryFactory(
        center=world.centers["IST"],
        registered_by=world.user("IST", "reception"),
        first_name="Mohammed",
        last_name="Al-Khatib",
        first_name_original="محمد",
        last_name_original="الخطيب",
        birth_year=1984,
    )


def _found(response) -> list:
    return [p.pk for p in response.context["page"]]


# -- finding the person ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["Muhammad Khatib", "Mehmet Hatip", "محمد الخطيب", "khatib"])
def test_the_dpo_finds_a_person_of_any_centre_by_name_in_any_script(dpo, khatib, typed):
    response = dpo.get(reverse("privacy:subject_search"), {"q": typed})
    assert response.status_code == 200
    assert khatib.pk in _found(response)
    page = response.content.decode()
    for shown in ("Mohammed Al-Khatib", "محمد الخطيب", "1984", "Istanbul Community Centre"):
        assert shown in page
    assert khatib.registration_number in page
    assert reverse("privacy:subject_detail", kwargs={"pk": khatib.pk}) in page


def test_a_name_search_lists_only_people_with_that_name(dpo, world, khatib):
    response = dpo.get(reverse("privacy:subject_search"), {"q": "Khatib"})
    assert world.people["ANK"].pk not in _found(response)
    response = dpo.get(reverse("privacy:subject_search"), {"q": "Zzyzx"})
    assert _found(response) == []
    assert "No one found" in response.content.decode()


def test_a_card_number_opens_the_person(dpo, khatib):
    response = dpo.get(reverse("privacy:subject_search"), {"q": f" {khatib.registration_number.lower()}/1 "})
    assert response["Location"] == reverse("privacy:subject_detail", kwargs={"pk": khatib.pk})


def test_an_unknown_number_says_so(dpo, world):
    response = dpo.get(reverse("privacy:subject_search"), {"q": "ANK-1999-000999"}, follow=True)
    assert response.status_code == 200
    assert "No one has the registration number ANK-1999-000999" in response.content.decode()


def test_the_name_search_takes_constant_queries(dpo, world, django_assert_max_num_queries):
    for i in range(40):
        BeneficiaryFactory(
            center=world.centers["ANK" if i % 2 else "IST"],
            registered_by=world.user("ANK", "reception"),
            first_name="Mohammed",
            last_name=f"Hassan{i}",
            first_name_original="محمد",
        )
    # 1 session, 2 user, 3 the second-factor device, 4 the DPO check, 5 the names ranked (every centre),
    # 6 the page's records with their centres, 7-8 navigation, 9-11 session save
    with django_assert_max_num_queries(11):
        response = dpo.get(reverse("privacy:subject_search"), {"q": "Muhammad"})
    assert len(_found(response)) == 25


def test_other_roles_cannot_search(client, world):
    client.force_login(world.user("ANK", "center_manager"))
    assert client.get(reverse("privacy:subject_search"), {"q": "Ahmad"}).status_code == 403


# -- the document ---------------------------------------------------------------------------------------------


@pytest.fixture
def person(world):
    person = _a_person_with_something_in_every_section(world)
    person.first_name_original = "أحمد"
    person.last_name_original = "الأنقرلي"
    person.languages = ["ar", "tr"]
    person.vulnerabilities = ["disability"]
    person.save()
    # A change by a member of staff, as the edit page records it.
    person.phone = "+905321234567"
    person._history_user = world.user("ANK", "reception")
    person.save()
    return person


def _document(person, language, world):
    data = services.subject_data(person=person)
    return subject_document(
        person=person, data=data, language=language, by=world.user(None, "data_protection_officer")
    )


def _titles(language) -> list[str]:
    with translation.override(language):
        return [str(d.title) for d in personal_data.declarations() if d.section]


def _ids(person, world) -> set[int]:
    """Database ids a careless export would print: the person, centres, staff, the case."""
    return {
        person.pk,
        person.household_id,
        world.cases["ANK"].pk,
        *(c.pk for c in world.centers.values()),
        *(u.pk for u in world.users.values()),
    }


def test_the_english_document_is_a_letter_with_rights_then_data_in_words(person, world):
    document = _document(person, "en", world)
    text = document.text()
    assert not document.right_to_left
    assert (
        text.index("Dear Ahmad Ankarali") < text.index("Your rights") < text.index("What we hold about you")
    )
    for right in ("Access", "Rectification", "Erasure", "Objection", "Personal Data Protection Board"):
        assert right in text
    for title in _titles("en"):
        assert title in text
    for line in (
        "Centre: Ankara Community Centre",
        "Needs an interpreter: No",
        "Sex: Male",
        "Nationality: Syria",
        "Languages: Arabic, Turkish",
        "Vulnerabilities: Disability",
        "Scope: Service delivery",
        "Consent given: Yes",
    ):
        assert line in text
    reception = world.user("ANK", "reception").get_full_name()
    assert re.search(rf"Changed on .+ by {reception}: .*Phone", text)
    for internal in INTERNAL:
        assert internal not in text
    ids = _ids(person, world)
    for line in text.splitlines():
        label, _sep, value = line.partition(": ")
        if value.isdigit() and label not in NUMBERS_ALLOWED:
            assert int(value) not in ids, line


def test_the_arabic_document_reads_right_to_left_with_the_arabic_names(person, world):
    document = _document(person, "ar", world)
    text = document.text()
    assert document.right_to_left
    assert "أحمد الأنقرلي" in text
    for title in _titles("ar"):
        assert title in text
    for internal in INTERNAL:
        assert internal not in text


def test_the_pdf_is_in_the_persons_language_unless_the_dpo_chooses(dpo, person):
    url = reverse("privacy:subject_export", kwargs={"pk": person.pk, "fmt": "pdf"})
    arabic = dpo.get(url)
    assert arabic["Content-Type"] == "application/pdf" and arabic.content.startswith(b"%PDF")
    assert b"NotoSansArabic" in arabic.content  # the Arabic text is set in the Arabic font
    assert b"/Lang (ar)" in arabic.content
    assert dpo.get(url, {"lang": "fr"}).content.count(b"/Lang (fr)") == 1
    # A language the document is not written in gives the default: the person's.
    assert b"/Lang (ar)" in dpo.get(url, {"lang": "xx"}, HTTP_ACCEPT_LANGUAGE="tr").content
    languages = [e.detail["language"] for e in AuditEvent.objects.filter(action="export").order_by("id")]
    assert languages == ["ar", "fr", "ar"]


def test_without_a_language_of_their_own_the_pdf_is_in_the_dpos(dpo, world):
    person = world.people["IST"]
    response = dpo.get(
        reverse("privacy:subject_export", kwargs={"pk": person.pk, "fmt": "pdf"}), HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert b"/Lang (fr)" in response.content


def test_the_detail_page_offers_the_persons_language(dpo, person):
    page = dpo.get(reverse("privacy:subject_detail", kwargs={"pk": person.pk})).content.decode()
    assert '<option value="ar" selected>' in page


def test_the_pdf_a_person_is_handed_reads_as_the_document(dpo, person, world):
    """The words of the PDF itself, read back as a reader would: the letter, the sections, no internal codes."""
    import io

    from pypdf import PdfReader

    url = reverse("privacy:subject_export", kwargs={"pk": person.pk, "fmt": "pdf"})
    content = dpo.get(url, {"lang": "en"}).content
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    flat = " ".join(text.split())
    assert "Dear Ahmad Ankarali" in flat and "Your rights" in flat
    for title in _titles("en"):
        assert " ".join(title.split()) in flat
    assert "Needs an interpreter: No" in flat
    for internal in INTERNAL:
        assert internal not in flat
