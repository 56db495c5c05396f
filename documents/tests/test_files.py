"""A file's type is read from its content; images are kept without their metadata."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from PIL import Image

from documents.files import check_upload
from documents.models import Document

from .factories import jpeg_with_gps_bytes, pdf_bytes, png_bytes, upload

WINDOWS_EXECUTABLE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"
)
LINUX_EXECUTABLE = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 56


@pytest.mark.parametrize("content", [WINDOWS_EXECUTABLE, LINUX_EXECUTABLE, b"%PDX not really", b"<html>"])
def test_it_refuses_a_file_of_another_kind_whatever_its_name(content):
    with pytest.raises(ValidationError) as refused:
        check_upload(upload("passport.pdf", content, "application/pdf"))
    assert refused.value.code == "wrong_type"


def test_it_takes_a_png_named_pdf_for_the_png_it_is():
    checked = check_upload(upload("scan.pdf", png_bytes(), "application/pdf"))
    assert checked.content_type == "image/png"
    assert checked.original_name == "scan.pdf"


def test_it_refuses_a_damaged_picture_and_a_damaged_pdf():
    with pytest.raises(ValidationError) as image:
        check_upload(upload("scan.png", png_bytes()[:60]))
    assert image.value.code == "damaged"
    with pytest.raises(ValidationError) as pdf:
        check_upload(upload("letter.pdf", b"%PDF-1.7\n" + b"\x00garbage" * 20))
    assert pdf.value.code == "damaged"


def test_it_keeps_a_pdf_as_it_came():
    content = pdf_bytes()
    checked = check_upload(upload("letter.pdf", content))
    assert (checked.content_type, checked.content) == ("application/pdf", content)


def test_it_strips_exif_and_gps_from_a_jpeg():
    original = jpeg_with_gps_bytes()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825), "the test picture carries a position"

    checked = check_upload(upload("photo.jpg", original))

    kept = Image.open(io.BytesIO(checked.content))
    assert checked.content_type == "image/jpeg"
    assert dict(kept.getexif()) == {}
    assert b"Exif" not in checked.content and b"PhoneMaker" not in checked.content
    assert kept.size == (64, 48)


def test_it_refuses_a_file_over_the_cap(settings):
    settings.DOCUMENT_MAX_BYTES = 100
    with pytest.raises(ValidationError) as refused:
        check_upload(upload("scan.png", png_bytes(size=(200, 200))))
    assert refused.value.code == "too_large"


def test_an_oversized_upload_comes_back_with_a_form_error_and_nothing_kept(client, world, settings):
    settings.DOCUMENT_MAX_BYTES = 100
    person = world.people["ANK"]
    client.force_login(world.user("ANK", "reception"))
    url = reverse("documents:upload", kwargs={"center": "ANK", "pk": person.pk})
    page = client.get(url)
    token = page.context["form"]["token"].value()

    response = client.post(
        url, {"token": token, "kind": "identity", "file": upload("id.png", png_bytes((90, 90)))}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["file"] == ["The file is too large: at most 100\xa0bytes."]
    assert not Document.objects.exists()


def test_a_renamed_executable_is_refused_by_the_form(client, world):
    person = world.people["ANK"]
    client.force_login(world.user("ANK", "reception"))
    url = reverse("documents:upload", kwargs={"center": "ANK", "pk": person.pk})
    token = client.get(url).context["form"]["token"].value()

    response = client.post(
        url, {"token": token, "kind": "identity", "file": upload("id.pdf", WINDOWS_EXECUTABLE)}
    )

    assert response.status_code == 200
    assert "Only PDF, JPEG and PNG files can be kept" in response.context["form"].errors["file"][0]
    assert not Document.objects.exists()
