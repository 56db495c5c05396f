"""The first page of a PDF drawn as a picture for the preview page: who may see it, what is logged, and what
happens to a PDF that cannot be drawn."""

import io
import uuid

import pytest
from django.conf import settings
from django.urls import reverse
from PIL import Image
from pypdf import PdfWriter

from audit.models import AccessLog
from documents import services
from documents.files import PDF, CheckedFile
from documents.models import Kind
from documents.pdf import MAX_HEIGHT, MAX_WIDTH, CannotRender, first_page_png

from .factories import make_document, pdf_bytes, pdf_with_a_black_square_bytes


def _url(name, pk, center="ANK"):
    return reverse(f"documents:{name}", kwargs={"center": center, "pk": pk})


def _kept_as_is(person, *, by, content, kind=Kind.CONSENT):
    """A document whose file is stored without the upload's checks: a PDF that went bad after it was kept."""
    checked = CheckedFile(content=content, content_type=PDF, original_name="letter.pdf")
    document, _created = services.document_upload(
        person=person, case=None, center=person.center, by=by, kind=kind, checked=checked, token=uuid.uuid4()
    )
    return document


def _files_under_media_root():
    return sorted(p.relative_to(settings.MEDIA_ROOT) for p in settings.MEDIA_ROOT.rglob("*") if p.is_file())


@pytest.fixture
def letter(world):
    return make_document(
        world.people["ANK"],
        by=world.user("ANK", "reception"),
        kind=Kind.CONSENT,
        name="consent.pdf",
        content=pdf_with_a_black_square_bytes(),
    )


def test_it_draws_the_first_page_of_a_pdf_as_a_png_1000_pixels_wide(client, world, letter):
    client.force_login(world.user("ANK", "reception"))

    response = client.get(_url("first_page", letter.pk))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    picture = Image.open(io.BytesIO(response.content))
    assert picture.format == "PNG"
    # A4 is 595.28 × 841.89 points: drawn 1000 wide, the height follows.
    assert picture.size == (1000, 1415)
    # The square covers 20 to 120 mm of 210 mm: about pixels 95 to 571.
    assert picture.convert("L").getpixel((300, 300)) < 20
    assert picture.convert("L").getpixel((700, 300)) > 235
    assert picture.convert("L").getpixel((50, 50)) > 235


def test_the_picture_is_neither_cached_nor_given_anything_to_run(client, world, letter):
    client.force_login(world.user("ANK", "reception"))
    files_before = _files_under_media_root()

    response = client.get(_url("first_page", letter.pk))

    assert {"private", "no-store"} <= set(response["Cache-Control"].split(", "))
    download = client.get(_url("download", letter.pk))
    assert response["Content-Security-Policy"] == download["Content-Security-Policy"]
    assert "sandbox" in response["Content-Security-Policy"]
    # Drawn in memory: no derived copy of the letter is left in the private files.
    assert _files_under_media_root() == files_before


def test_seeing_the_first_page_is_logged_as_an_access(client, world, letter):
    user = world.user("ANK", "reception")
    client.force_login(user)

    client.get(_url("first_page", letter.pk))

    access = AccessLog.objects.get(user=user)
    assert (access.beneficiary, access.case, access.center) == (
        letter.beneficiary,
        None,
        world.centers["ANK"],
    )
    assert access.path == _url("first_page", letter.pk)


def test_the_preview_shows_the_first_page_above_the_pages_and_title(client, world):
    document = make_document(
        world.people["ANK"], by=world.user("ANK", "reception"), name="form.pdf", content=pdf_bytes(pages=3)
    )
    client.force_login(world.user("ANK", "reception"))

    page = client.get(_url("preview", document.pk)).content.decode()

    picture = page.index(f'src="{_url("first_page", document.pk)}"')
    assert 'alt="Page 1 of 3"' in page
    assert picture < page.index('data-testid="pdf-summary"') < page.index("Reply of the Ministry of Health")


def test_a_damaged_pdf_gives_404_and_the_preview_keeps_its_text(client, world):
    document = _kept_as_is(
        world.people["ANK"], by=world.user("ANK", "reception"), content=b"%PDF-1.7\n" + b"\x00garbage" * 20
    )
    client.force_login(world.user("ANK", "reception"))

    assert client.get(_url("first_page", document.pk)).status_code == 404
    page = client.get(_url("preview", document.pk))
    assert page.status_code == 200
    assert "This PDF cannot be read any more." in page.content.decode()
    assert _url("first_page", document.pk) not in page.content.decode()
    assert not AccessLog.objects.filter(path=_url("first_page", document.pk)).exists()


def test_a_pdf_with_a_password_gives_404(client, world):
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    # An owner password only: it opens without one, but the upload refuses such files, and so does the preview.
    writer.encrypt(user_password="", owner_password="owner")
    out = io.BytesIO()
    writer.write(out)
    document = _kept_as_is(world.people["ANK"], by=world.user("ANK", "reception"), content=out.getvalue())
    client.force_login(world.user("ANK", "reception"))

    assert client.get(_url("first_page", document.pk)).status_code == 404
    assert "This PDF cannot be read any more." in client.get(_url("preview", document.pk)).content.decode()


def test_a_pdf_larger_than_the_limit_is_not_drawn(client, world, letter, settings):
    settings.DOCUMENT_MAX_BYTES = letter.size - 1
    client.force_login(world.user("ANK", "reception"))
    assert client.get(_url("first_page", letter.pk)).status_code == 404


def test_a_picture_has_no_first_page(client, world):
    document = world.documents["ANK"]  # a PNG
    client.force_login(world.user("ANK", "reception"))
    assert client.get(_url("first_page", document.pk)).status_code == 404
    assert not AccessLog.objects.exists()


def test_another_centre_gets_404_through_its_own_prefix_and_ours(client, world, letter):
    client.force_login(world.user("IST", "center_manager"))
    assert client.get(_url("first_page", letter.pk, center="IST")).status_code == 404
    assert client.get(_url("first_page", letter.pk, center="ANK")).status_code == 404
    assert not AccessLog.objects.exists()


def test_reception_gets_404_for_a_medical_letter_like_its_download(client, world):
    medical = make_document(
        world.people["ANK"],
        by=world.user("ANK", "social_worker"),
        kind=Kind.MEDICAL,
        name="report.pdf",
        content=pdf_with_a_black_square_bytes(),
    )
    client.force_login(world.user("ANK", "reception"))
    assert client.get(_url("download", medical.pk)).status_code == 404
    assert client.get(_url("first_page", medical.pk)).status_code == 404

    client.force_login(world.user("ANK", "social_worker"))
    assert client.get(_url("first_page", medical.pk)).status_code == 200


@pytest.mark.parametrize("role", ["national_manager", "data_protection_officer"])
def test_national_roles_are_refused_like_the_download(client, world, letter, role):
    client.force_login(world.user(None, role))
    assert client.get(_url("first_page", letter.pk)).status_code == 403


def _one_blank_page(width, height) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=width, height=height)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_long_narrow_page_is_drawn_no_higher_than_the_limit():
    picture = Image.open(io.BytesIO(first_page_png(_one_blank_page(200, 8000))))
    assert picture.height == MAX_HEIGHT and picture.width <= MAX_WIDTH


@pytest.mark.parametrize(("width", "height"), [(0.5, 842), (595, 100_000), (20_000, 20_000)])
def test_an_absurd_page_size_is_refused(width, height):
    with pytest.raises(CannotRender):
        first_page_png(_one_blank_page(width, height))
