"""Organisation and service names follow the portal's one rule for names (portal.foundation.validators)."""

import pytest
from django.core.exceptions import ValidationError

from tests.factories import make_organisation, make_service

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", "Bright\u202e Futures"),
        ("title", "\u200b\u2060"),
        ("local_name", "\u2066Жарқын\u2069"),
        ("title", "A\x00B"),
    ],
)
def test_an_organisation_or_service_name_with_controls_bidi_or_nothing_visible_is_refused(field, value):
    organisation = make_organisation("KZ", title="Bright Futures")
    service = make_service(organisation, title="Literacy classes")
    for page in (organisation, service):
        setattr(page, field, value)

        with pytest.raises(ValidationError) as refused:
            page.full_clean()

        assert field in refused.value.message_dict
