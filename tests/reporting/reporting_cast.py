"""A small network with figures computed by hand: Kazakhstan in February 2026, and one referral in Iraq.

KZ: a prison, a probation office, two CSOs (New Dawn: caseworker and editor; Bright Path:
caseworker), a coordination office. Ten clients; ages are on 31 March 2026, the end of the
period the tests ask for (January to March 2026):

    client  sex     born        band      referral to New Dawn's literacy classes (education need)
    f1      female  1990        25+       accepted, answered after 1 day;
    f2      female  1991        25+       accepted, 2 days
    f3      female  1992        25+       accepted, 3 days
    f4      female  1993        25+       accepted, 4 days
    m1      male    1985        25+       accepted, 10 days;   and one to Bright Path: sent, no answer
    m2      male    1986        25+       declined (no capacity), 2 days
    m3      male    1987        25+       declined (no capacity), 6 days
    f5      female  2004-01-01  18–24     declined (not eligible), 8 days
    f6      female  2004-02-02  18–24     completed, achieved (accepted after 5 days)
    m4      male    2010-06-01  under 18  completed, achieved (accepted after 7 days)

All referrals sent on 1 February 2026 at 10:00 UTC. Answered: 10; accepted: 7 (70 %); days to the
answer, sorted: 1 2 2 3 4 5 6 7 8 10: median 4.5, 90th percentile 8.2.
Release: f1 (high education need, accepted on 2 February) and m2 (high education need, declined,
and a high employment need) released on 20 February 2026: one ready of two. Check-ins of f1's case
in March: 2 attended, 1 missed.
Goals (reviewed in March): f1 education achieved, m2 employment not achieved.
IQ: one client with a referral to an Iraqi CSO, sent the same day, accepted: never in KZ's figures.
Users: the KZ coordinator, the IQ coordinator, an international viewer (member of an
international organisation in KZ), the caseworkers of both CSOs, the editor, the social worker.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import User

from aftercare.actions import add_check_in, add_goal, hand_over, record_check_in, review_goal
from aftercare.models import CheckIn, Goal
from cso_directory.actions import add_membership
from portal.foundation.roles import Role
from referrals.actions import (
    create_client,
    create_referral,
    record_consent,
    send_referral,
    set_need,
    take_referral_step,
)
from referrals.models import Client, Referral, ReferralEvent
from tests.factories import make_organisation, make_service, pathway

SENT = datetime.datetime(2026, 2, 1, 10, 0, tzinfo=datetime.UTC)
RELEASE = datetime.date(2026, 2, 20)
PERIOD = "start=2026-01&end=2026-03"
CLIENT_NAMES = ("Zhuldyzkanar", "Reportova")  # last names of every client: never on a reporting page

PEOPLE = [
    # name, sex, birth date, steps, answer after days
    ("f1", "female", datetime.date(1990, 5, 5), ("accept",), 1),
    ("f2", "female", datetime.date(1991, 5, 5), ("accept",), 2),
    ("f3", "female", datetime.date(1992, 5, 5), ("accept",), 3),
    ("f4", "female", datetime.date(1993, 5, 5), ("accept",), 4),
    ("m1", "male", datetime.date(1985, 5, 5), ("accept",), 10),
    ("m2", "male", datetime.date(1986, 5, 5), ("decline:no_capacity",), 2),
    ("m3", "male", datetime.date(1987, 5, 5), ("decline:no_capacity",), 6),
    ("f5", "female", datetime.date(2004, 1, 1), ("decline:not_eligible",), 8),
    ("f6", "female", datetime.date(2004, 2, 2), ("accept", "start", "complete"), 5),
    ("m4", "male", datetime.date(2010, 6, 1), ("accept", "start", "complete"), 7),
]


@dataclass
class Cast:
    coordinator: User
    foreign_coordinator: User
    viewer: User
    caseworker: User
    other_caseworker: User
    editor: User
    social_worker: User
    clients: dict[str, Client]


def member(username: str, organisation, role: Role) -> User:
    user = User.objects.create_user(username=username, email=f"{username}@example.org")
    add_membership(user, organisation, role)
    return user


def refer(social_worker, caseworker, client, service, need, steps, days: int) -> Referral:
    referral = send_referral(social_worker, create_referral(social_worker, client, service, need=need))
    for step in steps:
        verb, _sep, reason = step.partition(":")
        given = {"reason": reason} if reason else {"outcome": "achieved"} if verb == "complete" else {}
        referral = take_referral_step(caseworker, referral, verb, **given)
    Referral.objects.filter(pk=referral.pk).update(sent_at=SENT)
    answer = SENT + datetime.timedelta(days=days)
    ReferralEvent.objects.filter(referral=referral, verb__in=("accept", "decline")).update(at=answer)
    return referral


def new_client(social_worker, prison, name: str, sex: str, birth_date: datetime.date) -> Client:
    client = create_client(
        social_worker,
        prison=prison,
        first_name=name.upper(),
        last_name=CLIENT_NAMES[0] if sex == "female" else CLIENT_NAMES[1],
        sex=sex,
        birth_date=birth_date,
        confirmed_new=True,
    )
    record_consent(
        social_worker, client, organisation_kinds=["cso"], given_on=datetime.date(2026, 1, 5), method="signed_form"
    )
    return client


def build_cast() -> Cast:
    prison = make_organisation("KZ", title="Reporting colony", kind="prison")
    probation = make_organisation("KZ", title="Reporting probation office", kind="probation")
    new_dawn = make_organisation("KZ", title="New Dawn")
    bright_path = make_organisation("KZ", title="Bright Path")
    donor = make_organisation("KZ", title="Donor Fund", kind="international")
    social_worker = member("rep-social-worker", prison, Role.PRISON_SOCIAL_WORKER)
    caseworker = member("rep-caseworker", new_dawn, Role.CSO_CASEWORKER)
    other_caseworker = member("rep-other-caseworker", bright_path, Role.CSO_CASEWORKER)
    officer = member("rep-officer", probation, Role.PROBATION_OFFICER)
    literacy = make_service(new_dawn, title="Literacy classes", categories=["education"])
    jobs = make_service(bright_path, title="Job search", categories=["employment"])
    clients = {}
    for name, sex, birth_date, steps, days in PEOPLE:
        client = clients[name] = new_client(social_worker, prison, name, sex, birth_date)
        need = set_need(social_worker, client, category=pathway("education"), priority="high")
        refer(social_worker, caseworker, client, literacy, need, steps, days)
    sent_only = send_referral(social_worker, create_referral(social_worker, clients["m1"], jobs))
    Referral.objects.filter(pk=sent_only.pk).update(sent_at=SENT)
    build_aftercare(social_worker, officer, probation, clients)
    build_iraq()
    return Cast(
        coordinator=member(
            "rep-coordinator",
            make_organisation("KZ", title="KZ office", kind="coordination"),
            Role.NATIONAL_COORDINATOR,
        ),
        foreign_coordinator=member(
            "rep-iq-coordinator",
            make_organisation("IQ", title="IQ office", kind="coordination"),
            Role.NATIONAL_COORDINATOR,
        ),
        viewer=member("rep-viewer", donor, Role.INTERNATIONAL_VIEWER),
        caseworker=caseworker,
        other_caseworker=other_caseworker,
        editor=member("rep-editor", new_dawn, Role.CSO_EDITOR),
        social_worker=social_worker,
        clients=clients,
    )


def build_aftercare(social_worker, officer, probation, clients) -> None:
    """f1 and m2 released on 20 February; m2's high need is employment (declined: not ready)."""
    set_need(social_worker, clients["m2"], category=pathway("employment"), priority="high")
    cases = {}
    for name in ("f1", "m2"):
        cases[name] = hand_over(social_worker, clients[name], probation_office=probation, release_date=RELEASE)
    CheckIn.objects.filter(case__in=cases.values()).delete()  # the template's, due later
    for day, status in ((3, "attended"), (10, "attended"), (17, "missed")):
        check_in = add_check_in(officer, cases["f1"], due_on=datetime.date(2026, 3, day))
        record_check_in(officer, check_in, status=status)
    goals = [
        (cases["f1"], "education", "achieved", "achieved"),
        (cases["m2"], "employment", "not_achieved", "not_achieved"),
    ]
    for case, code, status, achievement in goals:
        goal = add_goal(officer, case, pathway=pathway(code), description="Goal")
        review_goal(officer, goal, status=status, achievement=achievement)
    Goal.objects.filter(case__in=cases.values()).update(updated_at=datetime.datetime(2026, 3, 20, tzinfo=datetime.UTC))


def build_iraq(prefix: str = "rep-iq", clients: int = 1) -> None:
    """An Iraqi prison and CSO, with `clients` men each referred to it and accepted after 3 days."""
    prison = make_organisation("IQ", title=f"{prefix} Basra prison", kind="prison")
    cso = make_organisation("IQ", title=f"{prefix} Basra CSO")
    social_worker = member(f"{prefix}-social-worker", prison, Role.PRISON_SOCIAL_WORKER)
    caseworker = member(f"{prefix}-caseworker", cso, Role.CSO_CASEWORKER)
    service = make_service(cso, title=f"{prefix} Basra literacy")
    for number in range(clients):
        client = new_client(social_worker, prison, f"iq{number}", "male", datetime.date(1980, 1, 1))
        refer(social_worker, caseworker, client, service, None, ("accept",), 3)
