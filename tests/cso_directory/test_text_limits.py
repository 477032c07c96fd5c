"""Every free-text field an editor types has a maximum, and going over it names the field and the limit."""

import pytest
from django.core.exceptions import ValidationError

from cso_directory.models import OrganisationPage, ServiceArea, ServicePage
from tests.cso_directory.admin_cast import build_cast, organisation_form

pytestmark = pytest.mark.django_db

LIMITS = {
    OrganisationPage: {"description": 2000, "description_local": 2000, "address": 500, "opening_hours": 500},
    ServicePage: {
        "description": 2000,
        "description_local": 2000,
        "address": 500,
        "opening_hours": 500,
        "eligibility_description": 1000,
        "application_process": 1000,
        "fees_description": 500,
        "interpretation_services": 500,
        "alert": 300,
    },
    ServiceArea: {"description": 1000},
}


@pytest.mark.parametrize(
    ("model", "field", "limit"),
    [(model, field, limit) for model, fields in LIMITS.items() for field, limit in fields.items()],
)
def test_each_free_text_field_refuses_text_over_its_limit_naming_it(model, field, limit):
    model_field = model._meta.get_field(field)
    model_field.clean("x" * limit, None)
    with pytest.raises(ValidationError) as refused:
        model_field.clean("x" * (limit + 1), None)
    label = str(model_field.verbose_name)
    assert refused.value.messages == [
        f"{label[0].upper()}{label[1:]}: at most {limit} characters, please (this has {limit + 1})."
    ]


def test_the_admin_shows_the_limit_beside_the_field(client):
    cast = build_cast()
    client.force_login(cast.editor)
    response = client.post(f"/admin/pages/{cast.org_a.pk}/edit/", organisation_form(cast.org_a, description="x" * 2001))
    assert response.status_code == 200
    assert "Description: at most 2000 characters, please (this has 2001)." in response.content.decode()
    assert OrganisationPage.objects.get(pk=cast.org_a.pk).get_latest_revision().content["description"] != "x" * 2001
