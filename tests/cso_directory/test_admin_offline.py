"""The Wagtail admin works offline: no page refers to an outside avatar service."""

import pytest

from tests.cso_directory.admin_cast import build_cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast():
    return build_cast()


def test_no_admin_page_references_gravatar(client, cast):
    client.force_login(cast.editor)
    pages = ["/admin/", "/admin/account/", f"/admin/pages/{cast.org_a.pk}/", f"/admin/pages/{cast.service_a.pk}/edit/"]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        assert "gravatar" not in response.content.decode().lower(), path
