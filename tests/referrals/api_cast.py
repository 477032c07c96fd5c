"""The cast of the API tests: one client of a Kazakh prison, the people around them, and people who must not see them.

Every record is made through the write verbs, as the API would make it. Users have no password
(the tests sign in with `force_login` or a personal token): hashing one costs most of a second.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.test import Client as HttpClient
from django.utils import timezone
from django.utils.crypto import get_random_string
from wagtail.models import APIToken

from cso_directory.actions import add_membership
from cso_directory.models import Language, OrganisationPage, Region, ServicePage
from portal.foundation.roles import Role
from referrals.actions import (
    create_client,
    create_referral,
    record_consent,
    send_referral,
    set_need,
    take_referral_step,
    update_client,
)
from referrals.models import Client, Consent, Need, Referral, ReferralStatus
from tests.factories import make_organisation, make_service, pathway

# Seeded into the client's record; a CSO's answers must never contain them.
CANARY_LAST_NAME = "Canarybekova"
CANARY_RISK = "CANARY-RISK-7731: convicted under article 255"

ROLES = (
    "social_worker",  # of the prison holding the client
    "probation_officer",  # of the office the client is handed to
    "caseworker",  # of the organisation receiving the referral
    "other_caseworker",  # of another organisation in the same country
    "editor",  # of the receiving organisation: edits its listing, never sees referrals
    "coordinator",  # of the client's country
    "foreign_user",  # a prison social worker in Iraq
    "outsider",  # no membership at all
)
REFERRING_ROLES = {"social_worker", "probation_officer"}


@dataclass
class Cast:
    prison: OrganisationPage
    probation_office: OrganisationPage
    cso: OrganisationPage
    service: ServicePage
    social_worker: User
    probation_officer: User
    caseworker: User
    other_caseworker: User
    editor: User
    coordinator: User
    foreign_user: User
    outsider: User
    client: Client
    need: Need
    consent: Consent

    def user(self, role: str) -> User:
        return getattr(self, role)


def make_user(username: str) -> User:
    return User.objects.create_user(username=username, email=f"{username}@example.org")


def member(username: str, organisation: OrganisationPage, role: Role) -> User:
    user = make_user(username)
    add_membership(user, organisation, role)
    return user


def make_client(social_worker: User, prison: OrganisationPage, **fields) -> Client:
    fields = {
        "first_name": "Aigul",
        "last_name": CANARY_LAST_NAME,
        "sex": "female",
        "birth_date": datetime.date(1990, 5, 17),
        "expected_release_date": datetime.date(2026, 9, 1),
        "region_of_return": Region.objects.get(code="KZ-19"),
        "contact_route": "Through her sister in Almaty",
        "risk_notes": CANARY_RISK,
        **fields,
    }
    return create_client(
        social_worker, prison=prison, languages=Language.objects.filter(code__in=["kk", "ru"]), **fields
    )


def build_cast() -> Cast:
    prison = make_organisation("KZ", title="Almaty women's colony", kind="prison")
    probation_office = make_organisation("KZ", title="Almaty probation office", kind="probation")
    cso = make_organisation("KZ", title="Bright Futures")
    other_cso = make_organisation("KZ", title="Steppe Legal Aid")
    coordination_office = make_organisation("KZ", title="National coordination office", kind="coordination")
    iraqi_prison = make_organisation("IQ", title="Baghdad women's prison", kind="prison")
    social_worker = member("social-worker", prison, Role.PRISON_SOCIAL_WORKER)
    client = make_client(social_worker, prison)
    client = update_client(social_worker, client, probation_office=probation_office)
    need = set_need(social_worker, client, category=pathway("education"), priority="high", details="Cannot read yet.")
    consent = record_consent(
        social_worker,
        client,
        share_contact_route=True,
        share_needs_details=True,
        organisation_kinds=["cso"],
        given_on=timezone.localdate(),
        method="signed_form",
    )
    return Cast(
        prison=prison,
        probation_office=probation_office,
        cso=cso,
        service=make_service(cso, title="Literacy classes"),
        social_worker=social_worker,
        probation_officer=member("probation-officer", probation_office, Role.PROBATION_OFFICER),
        caseworker=member("caseworker", cso, Role.CSO_CASEWORKER),
        other_caseworker=member("other-caseworker", other_cso, Role.CSO_CASEWORKER),
        editor=member("editor", cso, Role.CSO_EDITOR),
        coordinator=member("coordinator", coordination_office, Role.NATIONAL_COORDINATOR),
        foreign_user=member("foreign-social-worker", iraqi_prison, Role.PRISON_SOCIAL_WORKER),
        outsider=make_user("outsider"),
        client=client,
        need=need,
        consent=consent,
    )


# The way from a draft to work in progress, one verb per status reached.
PATH = (
    (ReferralStatus.DRAFT, lambda cast, referral: send_referral(cast.social_worker, referral)),
    (ReferralStatus.SENT, lambda cast, referral: take_referral_step(cast.caseworker, referral, "accept")),
    (ReferralStatus.ACCEPTED, lambda cast, referral: take_referral_step(cast.caseworker, referral, "start")),
)


def referral_in(cast: Cast, status: str, service: ServicePage | None = None) -> Referral:
    """A referral of the cast's client to the cast's service (or `service`), brought to `status` by the verbs."""
    service = service or cast.service
    referral = create_referral(cast.social_worker, cast.client, service, need=cast.need, note="Mornings suit her.")
    for current, step in PATH:
        if referral.status == status:
            break
        assert referral.status == current
        referral = step(cast, referral)
    assert referral.status == status, f"no way to {status} in PATH"
    return referral


def signed_in(user: User) -> HttpClient:
    """A session signed in as `user` that sends the CSRF token with every request, as a page would."""
    secret = get_random_string(32)
    client = HttpClient(enforce_csrf_checks=True, headers={"x-csrftoken": secret})
    client.cookies["csrftoken"] = secret
    client.force_login(user)
    return client


def with_token(user: User) -> HttpClient:
    """A client without a session, authenticated by a personal API token of `user`."""
    _token, plaintext = APIToken.create_token(user=user, name="tests")
    return HttpClient(enforce_csrf_checks=True, headers={"authorization": f"Bearer {plaintext}"})
