"""The cast of the supervision tests: two probation offices in Kazakhstan, one in Iraq, and their people.

KZ: a prison (social worker), probation office A (two officers, a supervisor), probation office B
(an officer), a CSO (caseworker, one service). IQ: a probation office (officer). And an outsider.
Users have no password (the tests sign in with force_login): hashing one costs most of a second.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.utils import timezone

from aftercare.actions import assign_officer, hand_over
from aftercare.models import SupervisionCase
from cso_directory.actions import add_membership
from cso_directory.models import OrganisationPage, ServicePage
from portal.foundation.roles import Role
from referrals.actions import create_client
from referrals.models import Client
from tests.factories import make_organisation, make_service

RELEASE_DATE = datetime.date(2026, 3, 2)
TEMPLATE_OFFSETS = (1, 7, 14, 30, 60, 90)


@dataclass
class Cast:
    kz_prison: OrganisationPage
    office_a: OrganisationPage
    office_b: OrganisationPage
    iq_office: OrganisationPage
    cso: OrganisationPage
    service: ServicePage
    social_worker: User
    officer: User
    officer_2: User
    supervisor: User
    office_b_officer: User
    iq_officer: User
    caseworker: User
    outsider: User


def make_user(username: str, organisation=None, role=None, **fields) -> User:
    user = User.objects.create_user(username=username, email=f"{username}@example.org", **fields)
    if organisation is not None:
        add_membership(user, organisation, role)
    return user


def build_cast() -> Cast:
    kz_prison = make_organisation("KZ", title="Almaty Correctional Colony", kind="prison")
    office_a = make_organisation("KZ", title="Almaty Probation Office", kind="probation")
    office_b = make_organisation("KZ", title="Astana Probation Office", kind="probation")
    iq_office = make_organisation("IQ", title="Baghdad Probation Office", kind="probation")
    cso = make_organisation("KZ", title="Bright Futures")
    return Cast(
        kz_prison=kz_prison,
        office_a=office_a,
        office_b=office_b,
        iq_office=iq_office,
        cso=cso,
        service=make_service(cso, title="Literacy classes", categories=["education"]),
        social_worker=make_user("social-worker", kz_prison, Role.PRISON_SOCIAL_WORKER),
        officer=make_user("officer", office_a, Role.PROBATION_OFFICER, first_name="Dana", last_name="Seitova"),
        officer_2=make_user("officer-2", office_a, Role.PROBATION_OFFICER, first_name="Arman", last_name="Ospanov"),
        supervisor=make_user("supervisor", office_a, Role.PROBATION_SUPERVISOR),
        office_b_officer=make_user("office-b-officer", office_b, Role.PROBATION_OFFICER),
        iq_officer=make_user("iq-officer", iq_office, Role.PROBATION_OFFICER),
        caseworker=make_user("caseworker", cso, Role.CSO_CASEWORKER),
        outsider=make_user("outsider"),
    )


def new_client(cast: Cast, first_name: str = "Aigerim", **fields) -> Client:
    fields.setdefault("last_name", "Nurlanova")
    fields.setdefault("sex", "female")
    fields.setdefault("birth_date", datetime.date(1990, 5, 4))
    fields.setdefault("expected_release_date", RELEASE_DATE)
    return create_client(cast.social_worker, prison=cast.kz_prison, first_name=first_name, confirmed_new=True, **fields)


def open_case(cast: Cast, *, office=None, officer=None, release_date=None, **client_fields) -> SupervisionCase:
    """A client released today (or on `release_date`) to office A (or `office`), with `officer` if given."""
    client = new_client(cast, **client_fields)
    office = office or cast.office_a
    release_date = release_date or timezone.localdate()
    case = hand_over(cast.social_worker, client, probation_office=office, release_date=release_date)
    if officer is not None:
        supervisor = cast.supervisor if office == cast.office_a else officer
        assign_officer(supervisor, case, officer)
    return case
