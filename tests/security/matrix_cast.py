"""The cast of the authorisation matrix: one client of a Kazakh prison with a record in every part
of the portal, the people of every role around them, and a user of another country.

KZ: a prison (social worker) holds the client and hands them over to a probation office (an
officer assigned to the case, a supervisor); a CSO (caseworker, editor) has accepted a referral
of them; a coordination office (national coordinator). IQ: a prison (social worker) and a CSO
with a service, the target of the cross-country referral. Every record is made through the
verbs; users have no password (the matrix signs in with force_login or a personal token).
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from aftercare.actions import add_case_note, add_check_in, add_goal, assign_officer, hand_over
from aftercare.models import CaseNote, CheckIn, Goal, SupervisionCase
from cso_directory.actions import add_membership
from cso_directory.models import OrganisationPage, ServicePage
from portal.foundation.roles import Role
from referrals.actions import (
    create_client,
    create_referral,
    record_consent,
    send_referral,
    set_need,
    take_referral_step,
)
from referrals.models import Client, Consent, Need, Referral
from tests.factories import make_organisation, make_service, pathway

CANARY_LAST_NAME = "Matrixkanarova"
EVIDENCE = b"%PDF-1.7\n" + b"0" * 64

# Who is asking: anonymous, one user per role of the client's country, and a user of another country.
ROLES = (
    "anonymous",
    "social_worker",  # prison social worker of the prison holding the client
    "caseworker",  # CSO caseworker of the organisation that accepted the referral
    "editor",  # CSO editor of that organisation: edits its listing, sees no person
    "officer",  # probation officer assigned to the client's case
    "supervisor",  # probation supervisor of that office
    "coordinator",  # national coordinator of the client's country
    "foreign",  # prison social worker in Iraq
    "viewer",  # international viewer (a donor): figures of every country, no person
)


@dataclass
class Cast:
    prison: OrganisationPage
    probation_office: OrganisationPage
    cso: OrganisationPage
    service: ServicePage
    other_service: ServicePage  # of the same CSO, with no referral yet
    foreign_service: ServicePage
    social_worker: User
    caseworker: User
    editor: User
    officer: User
    supervisor: User
    coordinator: User
    foreign: User
    viewer: User
    client: Client
    need: Need
    consent: Consent
    referral: Referral
    case: SupervisionCase
    goal: Goal
    check_in: CheckIn
    note: CaseNote

    def user(self, role: str) -> User | None:
        return None if role == "anonymous" else getattr(self, role)


def member(username: str, organisation: OrganisationPage, role: Role) -> User:
    user = User.objects.create_user(username=username, email=f"{username}@example.org")
    add_membership(user, organisation, role)
    return user


def build_cast() -> Cast:
    prison = make_organisation("KZ", title="Shymkent women's colony", kind="prison")
    probation_office = make_organisation("KZ", title="Shymkent probation office", kind="probation")
    cso = make_organisation("KZ", title="New Dawn")
    coordination_office = make_organisation("KZ", title="National coordination office", kind="coordination")
    foreign_prison = make_organisation("IQ", title="Basra prison", kind="prison")
    foreign_cso = make_organisation("IQ", title="Basra Reintegration Society")
    social_worker = member("social-worker", prison, Role.PRISON_SOCIAL_WORKER)
    caseworker = member("caseworker", cso, Role.CSO_CASEWORKER)
    officer = member("officer", probation_office, Role.PROBATION_OFFICER)
    supervisor = member("supervisor", probation_office, Role.PROBATION_SUPERVISOR)
    service = make_service(cso, title="Literacy classes")
    client = create_client(
        social_worker,
        prison=prison,
        first_name="Madina",
        last_name=CANARY_LAST_NAME,
        sex="female",
        birth_date=datetime.date(1988, 2, 14),
        risk_notes="CANARY-RISK-matrix",
        confirmed_new=True,
    )
    need = set_need(social_worker, client, category=pathway("education"), priority="high", details="Reads little.")
    consent = record_consent(
        social_worker,
        client,
        share_contact_route=True,
        share_needs_details=True,
        organisation_kinds=["cso"],
        given_on=timezone.localdate(),
        method="signed_form",
        evidence=SimpleUploadedFile("consent.pdf", EVIDENCE, "application/pdf"),
    )
    case = hand_over(social_worker, client, probation_office=probation_office, release_date=timezone.localdate())
    case = assign_officer(supervisor, case, officer)
    client.refresh_from_db()
    referral = create_referral(social_worker, client, service, need=need)
    referral = take_referral_step(caseworker, send_referral(social_worker, referral), "accept")
    return Cast(
        prison=prison,
        probation_office=probation_office,
        cso=cso,
        service=service,
        other_service=make_service(cso, title="Job coaching", categories=["employment"]),
        foreign_service=make_service(foreign_cso, title="Literacy classes in Basra"),
        social_worker=social_worker,
        caseworker=caseworker,
        editor=member("editor", cso, Role.CSO_EDITOR),
        officer=officer,
        supervisor=supervisor,
        coordinator=member("coordinator", coordination_office, Role.NATIONAL_COORDINATOR),
        foreign=member("foreign-social-worker", foreign_prison, Role.PRISON_SOCIAL_WORKER),
        viewer=member(
            "viewer", make_organisation("KZ", title="Donor Fund", kind="international"), Role.INTERNATIONAL_VIEWER
        ),
        client=client,
        need=need,
        consent=consent,
        referral=referral,
        case=case,
        goal=add_goal(officer, case, pathway=pathway("education"), description="Join literacy classes", need=need),
        check_in=add_check_in(officer, case, due_on=timezone.localdate() + datetime.timedelta(days=3)),
        note=add_case_note(officer, client, body="Came on time; keen to start classes."),
    )
