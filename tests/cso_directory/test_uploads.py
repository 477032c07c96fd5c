"""Logos and documents uploaded in the Wagtail admin: SVG and HTML are refused, images are size-limited."""

from io import BytesIO

import PIL.Image
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.documents import get_document_model
from wagtail.documents.forms import get_document_form
from wagtail.images import get_image_model
from wagtail.images.forms import get_image_form

pytestmark = pytest.mark.django_db

SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
HTML = b"<!DOCTYPE html><html><script>alert(1)</script></html>"


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [("logo.svg", SVG, "image/svg+xml"), ("logo.html", HTML, "text/html"), ("logo.png", SVG, "image/png")],
)
def test_an_image_that_is_svg_or_html_is_refused(name, content, content_type):
    form = get_image_form(get_image_model())(
        {"title": "Logo"}, {"file": SimpleUploadedFile(name, content, content_type)}
    )

    assert not form.is_valid()
    assert "file" in form.errors


def test_an_image_over_2_mb_is_refused():
    png = BytesIO()
    PIL.Image.new("RGB", (1, 1)).save(png, "PNG")
    padded = png.getvalue() + b"\x00" * (2 * 1024 * 1024)  # still a valid PNG: data after its end is ignored
    form = get_image_form(get_image_model())({"title": "Logo"}, {"file": SimpleUploadedFile("logo.png", padded)})

    assert not form.is_valid()
    assert "too big" in " ".join(form.errors["file"])


@pytest.mark.parametrize(("name", "content"), [("leaflet.html", HTML), ("leaflet.svg", SVG)])
def test_a_document_that_is_not_a_pdf_is_refused(name, content):
    form = get_document_form(get_document_model())({"title": "Leaflet"}, {"file": SimpleUploadedFile(name, content)})

    assert not form.is_valid()
    assert "file" in form.errors
