"""A small seeded country for the coordinator's overview: figures known by hand, and a second country it must not show.

Kazakhstan: two CSOs (Bright Futures, Steppe Legal Aid) receive referrals from one prison; eight
are overdue (six at Bright Futures, two at Steppe), some were answered last month or before;
seven clients return to Almaty (city), where one service is full and one wait-listed, and seven
of their needs are open; one supervision case missed two check-ins lately (and one long ago). Iraq
has a coordinator, a CSO (Tigris Aid) and an overdue referral of its own. Rows are written
directly, with their dates in the past, so the figures do not depend on the day the tests run.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.utils import timezone

from aftercare.models import CheckIn, CheckInStatus, SupervisionCase
from cso_directory.actions import add_membership
from cso_directory.models import MembershipRequest, OrganisationPage, Region, ServicePage
from portal.foundation.roles import Role
from referrals.models import Client, Need, Referral, ReferralStatus
from reporting.overview import start_of, trend_months
from tests.factories import make_organisation, make_service, pathway

# Every client's names and references: the coordinator's pages must contain none of them.
FIRST_NAMES = ("Aigerim", "Dana", "Saule", "Madina", "Zarina", "Asel", "Bibigul", "Zeinab")
LAST_NAME = "Canarybekova"


@dataclass
class OverviewCast:
    kz_coordinator: User
    iq_coordinator: User
    social_worker: User
    caseworker: User
    outsider: User
    bright_futures: OrganisationPage
    steppe: OrganisationPage
    tigris: OrganisationPage
    literacy: ServicePage
    legal_aid: ServicePage
    prison: OrganisationPage
    clients: list[Client]


def member(username: str, organisation: OrganisationPage, role: Role) -> User:
    user = User.objects.create_user(username=username, email=f"{username}@example.org")
    add_membership(user, organisation, role)
    return user


def new_client(prison: OrganisationPage, creator: User, number: int, region: str) -> Client:
    return Client.objects.create(
        reference=f"{prison.country}-TEST-{number:04d}",
        prison=prison,
        first_name=FIRST_NAMES[number % len(FIRST_NAMES)],
        last_name=LAST_NAME,
        sex="female",
        birth_date=datetime.date(1990, 1, 1),
        region_of_return=Region.objects.get(code=region),
        created_by=creator,
    )


def referral(
    client: Client, service: ServicePage, creator: User, status: str, sent: datetime.datetime | None, **fields
):
    return Referral.objects.create(
        client=client,
        service=service,
        referring_organisation=client.prison,
        created_by=creator,
        status=status,
        sent_at=sent,
        **fields,
    )


def build_overview_cast() -> OverviewCast:
    today = timezone.localdate()
    this_month, last_month, two_months_ago = (start_of(month) for month in trend_months(today)[-1:-4:-1])
    long_ago = start_of(trend_months(today)[0]) - datetime.timedelta(days=40)
    answer_was_due = today - datetime.timedelta(days=3)
    answer_is_due = today + datetime.timedelta(days=7)

    kz_office = make_organisation("KZ", title="National coordination office", kind="coordination")
    prison = make_organisation("KZ", title="Almaty women's colony", kind="prison")
    probation = make_organisation("KZ", title="Almaty probation office", kind="probation")
    bright_futures = make_organisation("KZ", title="Bright Futures", verified_on=today - datetime.timedelta(days=30))
    steppe = make_organisation(
        "KZ", title="Steppe Legal Aid", regions=["KZ-75"], verified_on=today - datetime.timedelta(days=400)
    )
    literacy = make_service(bright_futures, title="Literacy classes", categories=("education",), regions=["KZ-75"])
    legal_aid = make_service(
        steppe, title="Legal advice", categories=("legal-aid",), regions=["KZ-75"], capacity="full"
    )
    make_service(
        steppe, title="Shelter", categories=("housing",), capacity="waitlist"
    )  # serves the organisation's regions
    iq_office = make_organisation("IQ", title="Iraqi coordination office", kind="coordination")
    iq_prison = make_organisation("IQ", title="Baghdad women's prison", kind="prison")
    tigris = make_organisation("IQ", title="Tigris Aid")
    tigris_service = make_service(tigris, title="Tigris counselling", categories=("psychosocial",))

    social_worker = member("kz-social-worker", prison, Role.PRISON_SOCIAL_WORKER)
    cast = OverviewCast(
        kz_coordinator=member("kz-coordinator", kz_office, Role.NATIONAL_COORDINATOR),
        iq_coordinator=member("iq-coordinator", iq_office, Role.NATIONAL_COORDINATOR),
        social_worker=social_worker,
        caseworker=member("kz-caseworker", bright_futures, Role.CSO_CASEWORKER),
        outsider=User.objects.create_user(username="outsider"),
        bright_futures=bright_futures,
        steppe=steppe,
        tigris=tigris,
        literacy=literacy,
        legal_aid=legal_aid,
        prison=prison,
        clients=[new_client(prison, social_worker, number, "KZ-75") for number in range(7)],
    )
    cast.clients.append(new_client(prison, social_worker, 7, "KZ-19"))
    clients = cast.clients

    # Needs: a legal-aid need of each client, open; an education need answered by an accepted referral.
    for client in clients:
        Need.objects.create(client=client, category=pathway("legal-aid"))
    met = Need.objects.create(client=clients[0], category=pathway("education"))

    # This month: six overdue at Bright Futures, two at Steppe, one sent and not yet due; one draft.
    for number in range(6):
        referral(clients[number], literacy, social_worker, ReferralStatus.SENT, this_month, response_due=answer_was_due)
    for number in range(2):
        referral(
            clients[number], legal_aid, social_worker, ReferralStatus.SENT, this_month, response_due=answer_was_due
        )
    referral(clients[6], literacy, social_worker, ReferralStatus.SENT, this_month, response_due=answer_is_due)
    referral(clients[7], literacy, social_worker, ReferralStatus.DRAFT, None)
    # Last month: five accepted (one answers the education need), one declined; before: one completed, one long ago.
    referral(clients[0], literacy, social_worker, ReferralStatus.ACCEPTED, last_month, need=met)
    for number in range(1, 5):
        referral(clients[number], literacy, social_worker, ReferralStatus.ACCEPTED, last_month)
    referral(clients[5], legal_aid, social_worker, ReferralStatus.DECLINED, last_month)
    referral(clients[6], literacy, social_worker, ReferralStatus.COMPLETED, two_months_ago)
    referral(clients[7], literacy, social_worker, ReferralStatus.COMPLETED, long_ago)

    # Aftercare: two check-ins missed lately, one long ago, one attended.
    case = SupervisionCase.objects.create(
        client=clients[7],
        probation_office=probation,
        opened_on=today - datetime.timedelta(days=90),
        handed_over_by=social_worker,
    )
    for days_ago, status in (
        (5, CheckInStatus.MISSED),
        (12, CheckInStatus.MISSED),
        (45, CheckInStatus.MISSED),
        (2, CheckInStatus.ATTENDED),
    ):
        CheckIn.objects.create(case=case, due_on=today - datetime.timedelta(days=days_ago), status=status)

    # The directory: a change of Steppe's listing awaits approval, and a caseworker's membership.
    steppe.save_revision(user=cast.kz_coordinator)
    steppe.get_workflow().start(steppe, cast.kz_coordinator)
    MembershipRequest.objects.create(user=cast.outsider, organisation=steppe, role=Role.CSO_CASEWORKER)

    # Iraq: one overdue referral of its own, a listing awaiting approval and a membership request.
    iq_social_worker = member("iq-social-worker", iq_prison, Role.PRISON_SOCIAL_WORKER)
    iq_client = new_client(iq_prison, iq_social_worker, 8, "IQ-BG")
    referral(iq_client, tigris_service, iq_social_worker, ReferralStatus.SENT, this_month, response_due=answer_was_due)
    MembershipRequest.objects.create(user=cast.outsider, organisation=tigris, role=Role.CSO_CASEWORKER)
    return cast
