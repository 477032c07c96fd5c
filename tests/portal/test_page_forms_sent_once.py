"""Every page form that writes casework is sent once: the same form sent again (a double click, a reload
resending it, a retry after the connection dropped) writes nothing and lands where the first landed,
saying so; a refused submit keeps no answer; values changed under one form's key make a new write."""

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.foundation.models import AuditEvent
from referrals.actions import create_client
from tests.factories import pathway
from tests.portal.page_parts import Elements
from tests.security.matrix_cast import build_cast
from tests.shared_casts import shared_fixture

pytestmark = pytest.mark.django_db

cast = shared_fixture(build_cast, name="cast")

ALREADY_SENT = "This form had already been sent: it was saved once, not twice."
TODAY = timezone.localdate()


@dataclass
class PageForm:
    """A form as a user finds it on a page, what they fill in, and the audit action its write records."""

    user: str
    page: str
    action: str | None
    values: dict[str, Any]
    writes: str


def new_client(cast):
    return create_client(
        cast.social_worker,
        prison=cast.prison,
        first_name="Saule",
        last_name="Handover",
        sex="female",
        birth_date=datetime.date(1991, 3, 3),
        confirmed_new=True,
    )


def client_page(cast) -> str:
    return reverse("referrals:client_detail", kwargs={"pk": cast.client.pk})


def case_page(cast) -> str:
    return reverse("aftercare:case_detail", kwargs={"pk": cast.case.pk})


def case_url(name: str, cast, **kwargs) -> str:
    return reverse(f"aftercare:{name}", kwargs={"pk": cast.case.pk, **kwargs})


def client_url(name: str, cast, **kwargs) -> str:
    return reverse(f"referrals:{name}", kwargs={"pk": cast.client.pk, **kwargs})


FORMS = {
    "client_create": lambda cast: PageForm(
        "social_worker",
        reverse("referrals:client_create"),
        reverse("referrals:client_create"),
        {
            "prison": cast.prison.pk,
            "first_name": "Aigerim",
            "last_name": "Onceonly",
            "sex": "female",
            "birth_date": "1990-06-01",
        },
        "client.create",
    ),
    "need_add": lambda cast: PageForm(
        "social_worker",
        client_page(cast),
        client_url("need_add", cast),
        {"category": pathway("housing").pk, "priority": "low"},
        "need.set",
    ),
    "need_remove": lambda cast: PageForm(
        "social_worker", client_page(cast), client_url("need_remove", cast, need_id=cast.need.pk), {}, "need.remove"
    ),
    "consent_add": lambda cast: PageForm(
        "social_worker",
        client_page(cast),
        client_url("consent_add", cast),
        {"organisation_kinds": ["cso", "government"], "given_on": TODAY.isoformat(), "method": "signed_form"},
        "consent.record",
    ),
    "consent_withdraw": lambda cast: PageForm(
        "social_worker",
        client_page(cast),
        client_url("consent_withdraw", cast, consent_id=cast.consent.pk),
        {},
        "consent.withdraw",
    ),
    "refer": lambda cast: PageForm(
        "social_worker",
        f"{client_url('refer', cast)}?service={cast.other_service.pk}",
        f"{client_url('refer', cast)}?service={cast.other_service.pk}",
        {"note": "Keen to work."},
        "referral.send",
    ),
    "referral_transition": lambda cast: PageForm(
        "caseworker",
        reverse("referrals:referral_detail", kwargs={"pk": cast.referral.pk}),
        reverse("referrals:referral_transition", kwargs={"pk": cast.referral.pk, "verb": "start"}),
        {},
        "referral.start",
    ),
    "handover": lambda cast: PageForm(
        "social_worker",
        reverse("aftercare:handover", kwargs={"pk": new_client(cast).pk}),
        None,  # the form has no action: it posts to its page
        {"probation_office": cast.probation_office.pk, "release_date": TODAY.isoformat()},
        "case.handover",
    ),
    "officer_assign": lambda cast: PageForm(
        "supervisor",
        case_page(cast),
        case_url("officer_assign", cast),
        {"officer": cast.officer.pk},
        "case.assign_officer",
    ),
    "goal_add": lambda cast: PageForm(
        "officer",
        case_page(cast),
        case_url("goal_add", cast),
        {"pathway": pathway("employment").pk, "description": "Finish the welding course"},
        "goal.add",
    ),
    "goal_review": lambda cast: PageForm(
        "officer",
        case_page(cast),
        case_url("goal_review", cast, goal_id=cast.goal.pk),
        {"status": "in_progress", "achievement": "", "note": "Halfway."},
        "goal.review",
    ),
    "check_in_add": lambda cast: PageForm(
        "officer",
        case_page(cast),
        case_url("check_in_add", cast),
        {"due_on": (TODAY + datetime.timedelta(days=9)).isoformat()},
        "check_in.add",
    ),
    "check_in_record": lambda cast: PageForm(
        "officer",
        case_page(cast),
        case_url("check_in_record", cast, check_in_id=cast.check_in.pk),
        {"status": "attended"},
        "check_in.record",
    ),
}


def form_as_shown(http, form: PageForm) -> dict[str, Any]:
    """The hidden fields of the form on the page that posts to `form.action`, with the user's values."""
    page = http.get(form.page)
    assert page.status_code == 200, form.page
    elements = Elements(page.content.decode())
    forms = [
        element for element in elements.find("form", method="post") if element["attrs"].get("action") == form.action
    ]
    assert len(forms) == 1, f"one form posting to {form.action or 'itself'} on {form.page}"
    hidden = {
        element["attrs"]["name"]: element["attrs"].get("value", "")
        for element in elements.find("input", type="hidden")
        if forms[0] in element["ancestors"]
    }
    return {**hidden, **form.values}


def written(user, action: str) -> int:
    return AuditEvent.objects.filter(actor=user, action=action, outcome="allowed").count()


@pytest.mark.parametrize("name", list(FORMS))
def test_a_form_sent_twice_writes_once_and_both_land_on_the_same_page(client, cast, name):
    form = FORMS[name](cast)
    user = getattr(cast, form.user)
    client.force_login(user)
    data = form_as_shown(client, form)
    assert data.get("idempotency_key"), "the form carries a key"
    before = written(user, form.writes)

    first = client.post(form.action or form.page, data)
    again = client.post(form.action or form.page, data)

    assert (first.status_code, again.status_code) == (302, 302), first.content.decode()[:2000]
    assert again["Location"] == first["Location"]
    assert written(user, form.writes) - before == 1
    assert ALREADY_SENT in client.get(again["Location"]).content.decode()


def test_a_refused_submit_keeps_no_answer_and_the_corrected_one_goes_through(client, cast):
    form = FORMS["goal_add"](cast)
    client.force_login(cast.officer)
    data = form_as_shown(client, form)
    refused = client.post(form.action, {**data, "description": ""})
    assert refused.status_code == 400
    assert client.post(form.action, data).status_code == 302
    assert cast.case.goals.filter(description="Finish the welding course").count() == 1


def test_values_changed_under_one_key_are_the_new_write_the_user_meant(client, cast):
    form = FORMS["goal_add"](cast)
    client.force_login(cast.officer)
    data = form_as_shown(client, form)
    assert client.post(form.action, data).status_code == 302
    changed = client.post(form.action, {**data, "description": "Open a bank account"})
    assert changed.status_code == 302
    assert ALREADY_SENT not in client.get(changed["Location"]).content.decode()
    descriptions = set(cast.case.goals.values_list("description", flat=True))
    assert {"Finish the welding course", "Open a bank account"} <= descriptions


def test_the_same_key_from_another_user_is_their_own_write(client, cast):
    form = FORMS["check_in_add"](cast)
    client.force_login(cast.officer)
    data = form_as_shown(client, form)
    assert client.post(form.action, data).status_code == 302
    client.force_login(cast.supervisor)
    assert client.post(form.action, data).status_code == 302
    assert cast.case.check_ins.filter(due_on=data["due_on"]).count() == 2
