"""The cast of the case-notes tests: one client and the case team around them, plus outsiders.

KZ: a prison (social worker) that hands the client over to a probation office (officer); CSO A
(caseworker) with an accepted referral, so on the team; CSO B (caseworker) with none. The
client's names and risk notes are canaries: no CSO page may ever contain them.
"""

import datetime
import socket
from dataclasses import dataclass

from asgiref.sync import sync_to_async
from django.contrib.auth.models import User
from django.test import Client as HttpClient
from django.utils import timezone

from aftercare.actions import add_case_note, hand_over
from aftercare.models import CaseNote, NoteVisibility
from cso_directory.actions import add_membership
from cso_directory.models import Membership, OrganisationPage
from portal.foundation.roles import Role
from referrals.actions import create_client, create_referral, record_consent, send_referral, take_referral_step
from referrals.models import Client, Referral
from tests.factories import make_organisation, make_service

CANARY_FIRST_NAME = "Zarinakanary"
CANARY_LAST_NAME = "Kanareykina"
CANARY_RISK = "CANARY-RISK-41c9"
TEAM_NOTE = "Met at the housing office; keys on Monday."
PRISON_ONLY_NOTE = "Prison-internal: wing transfer history."


@dataclass
class Team:
    prison: OrganisationPage
    probation: OrganisationPage
    cso: OrganisationPage
    other_cso: OrganisationPage
    social_worker: User
    officer: User
    caseworker: User
    other_caseworker: User
    outsider: User
    caseworker_membership: Membership
    client: Client
    referral: Referral
    team_note: CaseNote
    prison_note: CaseNote


def make_user(username: str, organisation: OrganisationPage | None = None, role: Role | None = None) -> User:
    """A user without a password: the tests sign in with force_login (hashing costs time)."""
    user = User.objects.create_user(username, first_name=username.replace("-", " ").title())
    if organisation is not None and role is not None:
        add_membership(user, organisation, role)
    return user


def accepted_referral(social_worker: User, caseworker: User, client: Client, cso: OrganisationPage) -> Referral:
    record_consent(
        social_worker, client, given_on=timezone.localdate(), method="signed_form", organisation_kinds=["cso"]
    )
    referral = create_referral(social_worker, client, make_service(cso, title="Housing advice"))
    send_referral(social_worker, referral)
    return take_referral_step(caseworker, referral, "accept")


def build_team() -> Team:
    prison = make_organisation("KZ", title="Karaganda Colony", kind="prison")
    probation = make_organisation("KZ", title="Karaganda Probation Office", kind="probation")
    cso = make_organisation("KZ", title="Bright Futures")
    other_cso = make_organisation("KZ", title="Second Chance")
    social_worker = make_user("social-worker", prison, Role.PRISON_SOCIAL_WORKER)
    officer = make_user("probation-officer", probation, Role.PROBATION_OFFICER)
    caseworker = make_user("caseworker", cso, Role.CSO_CASEWORKER)
    client = create_client(
        social_worker,
        prison=prison,
        first_name=CANARY_FIRST_NAME,
        last_name=CANARY_LAST_NAME,
        sex="female",
        birth_date=datetime.date(1991, 3, 8),
        risk_notes=CANARY_RISK,
        confirmed_new=True,
    )
    hand_over(social_worker, client, probation_office=probation, release_date=timezone.localdate())
    client.refresh_from_db()
    return Team(
        prison=prison,
        probation=probation,
        cso=cso,
        other_cso=other_cso,
        social_worker=social_worker,
        officer=officer,
        caseworker=caseworker,
        other_caseworker=make_user("other-caseworker", other_cso, Role.CSO_CASEWORKER),
        outsider=make_user("outsider"),
        caseworker_membership=Membership.objects.get(user=caseworker),
        client=client,
        referral=accepted_referral(social_worker, caseworker, client, cso),
        team_note=add_case_note(social_worker, client, body=TEAM_NOTE),
        prison_note=add_case_note(social_worker, client, body=PRISON_ONLY_NOTE, visibility=NoteVisibility.ORGANISATION),
    )


def signed_in(user: User) -> HttpClient:
    """A test client signed in as `user` (no CSRF checks, as Django's test client does by default)."""
    http = HttpClient()
    http.force_login(user)
    return http


def session_cookie(user: User) -> str:
    """The value of a session cookie signed in as `user` (the session is stored in the database)."""
    http = HttpClient()
    http.force_login(user)
    return http.cookies["sessionid"].value


async_session_cookie = sync_to_async(session_cookie)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
