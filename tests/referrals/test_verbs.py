"""Each referral step is declared once, in `referrals.models.VERBS`; the pages, the API, the notices read it."""

import pytest

from portal.wiring.api import api
from referrals.forms import TransitionForm
from referrals.models import PEOPLES_VERBS, VERBS, Side
from referrals.notifications import AUDIENCES, SUBJECTS


def test_the_api_offers_exactly_the_steps_people_take():
    schema = api.get_openapi_schema()["components"]["schemas"]["TransitionIn"]
    assert schema["properties"]["action"]["enum"] == list(PEOPLES_VERBS)
    assert "expire" not in PEOPLES_VERBS


@pytest.mark.parametrize("verb", [verb for verb in VERBS.values() if verb.on_referral_page], ids=lambda verb: verb.name)
def test_each_step_form_shows_the_fields_its_declaration_names(verb):
    form = TransitionForm(verb=verb)
    assert [field.name for field in form.visible_fields()] == list(verb.fields)
    assert form.submit_label == verb.label


def test_every_step_that_tells_someone_has_a_subject():
    for name, verb in VERBS.items():
        assert AUDIENCES[name] == verb.notify
        assert (name in SUBJECTS) == bool(verb.notify)
    assert VERBS["start"].notify == ()
    assert VERBS["send"].notify == (Side.RECEIVER,)
