"""The cast of the referral tests: who works where, and a client whose record hides canaries.

KZ: a prison (social worker), a probation office (officer), CSO A (caseworker, a service) and
CSO B (caseworker). IQ: a prison (social worker). And an outsider with no membership at all.
The client's risk notes and last name are canaries: no CSO response may ever contain them.
"""

import datetime
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Permission, User
from django.core.files.storage import FileSystemStorage

from cso_directory.actions import add_membership
from portal.foundation.roles import Role
from referrals.actions import create_client, create_referral, record_consent, send_referral, set_need
from referrals.models import Consent, Priority
from tests.factories import make_organisation, make_service, pathway
from tests.shared_casts import shared_fixture

CANARY_RISK = "CANARY-RISK-7f3a"
CANARY_LAST_NAME = "Kanareykina"
CANARY_BIRTH_DATE = datetime.date(1988, 4, 17)
CANARY_BIRTH_DATE_SPELLINGS = ("1988-04-17", "17.04.1988", "April 17, 1988", "17 April 1988")


def make_user(username: str, organisation=None, role=None) -> User:
    user = User.objects.create_user(username, password="a-long-password-1", email=f"{username}@example.org")
    if organisation is not None:
        add_membership(user, organisation, role)
    return user


@shared_fixture
def cast():
    kz_prison = make_organisation("KZ", title="Almaty Correctional Colony", kind="prison", regions=["KZ-75"])
    kz_probation = make_organisation("KZ", title="Almaty Probation Office", kind="probation", regions=["KZ-75"])
    cso_a = make_organisation("KZ", title="Bright Futures", regions=["KZ-75"])
    cso_b = make_organisation("KZ", title="Second Chance Kazakhstan", regions=["KZ-75"])
    iq_prison = make_organisation("IQ", title="Erbil Reform Prison", kind="prison", regions=["IQ-AR"])
    return SimpleNamespace(
        kz_prison=kz_prison,
        kz_probation=kz_probation,
        cso_a=cso_a,
        cso_b=cso_b,
        iq_prison=iq_prison,
        service=make_service(cso_a, title="Literacy classes", categories=["education"], languages=["kk", "ru"]),
        service_b=make_service(cso_b, title="Welding course", categories=["vocational-training"]),
        social_worker=make_user("social-worker", kz_prison, Role.PRISON_SOCIAL_WORKER),
        probation_officer=make_user("probation-officer", kz_probation, Role.PROBATION_OFFICER),
        caseworker_a=make_user("caseworker-a", cso_a, Role.CSO_CASEWORKER),
        caseworker_b=make_user("caseworker-b", cso_b, Role.CSO_CASEWORKER),
        iq_social_worker=make_user("iq-social-worker", iq_prison, Role.PRISON_SOCIAL_WORKER),
        outsider=make_user("outsider"),
    )


def new_client(cast, *, first_name="Aigerim", last_name=CANARY_LAST_NAME, **fields):
    fields.setdefault("sex", "female")
    fields.setdefault("birth_date", CANARY_BIRTH_DATE)
    fields.setdefault("risk_notes", CANARY_RISK)
    fields.setdefault("probation_office", cast.kz_probation)
    return create_client(
        cast.social_worker,
        prison=cast.kz_prison,
        first_name=first_name,
        last_name=last_name,
        confirmed_new=True,
        **fields,
    )


def give_consent(cast, client, **fields) -> Consent:
    fields.setdefault("organisation_kinds", ["cso"])
    fields.setdefault("share_contact_route", True)
    return record_consent(
        cast.social_worker, client, given_on=datetime.date(2026, 1, 5), method="signed_form", **fields
    )


def sent_referral(cast, client, service=None):
    need = set_need(cast.social_worker, client, category=pathway("education"), priority=Priority.HIGH)
    referral = create_referral(cast.social_worker, client, service or cast.service, need=need, note="Wants to read.")
    return send_referral(cast.social_worker, referral)


@pytest.fixture
def canary(cast):
    """A consenting client with a high-priority education need, canaries in the hidden fields."""
    client = new_client(cast, contact_route="Through her sister, +7 701 000 0000")
    give_consent(cast, client)
    return client


@pytest.fixture
def referral(cast, canary):
    return sent_referral(cast, canary)


@pytest.fixture
def override_permission():
    return Permission.objects.get(content_type__app_label="referrals", codename="override_consent")


@pytest.fixture(autouse=True)
def private_files(tmp_path, monkeypatch):
    """Consent evidence goes to a temporary directory, not the checkout's var/private."""
    monkeypatch.setattr(Consent._meta.get_field("evidence"), "storage", FileSystemStorage(location=tmp_path))
