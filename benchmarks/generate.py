"""Fill a migrated PostgreSQL database with four-country data for the benchmarks, in a few minutes.

    python benchmarks/generate.py [--scale 0.1]

At scale 1: 161 prisons, 60 probation offices, 2,000 CSOs with 10,000 services (real Wagtail
pages: rows of wagtailcore_page with treebeard's path, depth and numchild, then each page type's
own table), 120,000 clients, 400,000 referrals in every state, 30,000 supervision cases and
2,000,000 case notes, written with COPY. The skew of real life: one CSO ("Busiest CSO") receives
about 2 % of every referral, one client has 1 in 500 notes, one probation officer holds a caseload
of a few hundred, Iraq holds half the clients (the busiest country; its national coordinator reads the
dashboards). What the dashboards aggregate is there in realistic shares: sex and birth dates, needs
(a third of them high priority), referrals in every state with their answers (accept or decline
events), decline reasons and outcomes, releases (supervision cases opened over four years), check-ins
(attended, missed, scheduled) and goals. The staff users of the scenarios (benchmarks/people.py) are
made here too.
Deterministic (a fixed seed): two runs at one scale give the same data.
"""

import argparse
import os
import random
import sys
import time
import uuid
from collections.abc import Callable
from datetime import timedelta
from operator import itemgetter
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from wagtail.models import Locale, Page  # noqa: E402

from aftercare.models import CaseNote, CheckIn, CheckInStatus, Goal, GoalStatus, SupervisionCase  # noqa: E402
from benchmarks.people import PASSWORD, PEOPLE  # noqa: E402
from cso_directory.models import (  # noqa: E402
    CountryDirectoryPage,
    Language,
    Membership,
    OrganisationPage,
    Region,
    ServicePage,
    TaxonomyTerm,
)
from cso_directory.reference_data import PATHWAYS_TAXONOMY_ID  # noqa: E402
from portal.foundation.roles import Role  # noqa: E402
from referrals.models import (  # noqa: E402
    Client,
    Consent,
    DeclineReason,
    Need,
    Outcome,
    Priority,
    Referral,
    ReferralEvent,
    ReferralStatus,
)

FULL_SCALE = {
    "prisons": 161,
    "probation_offices": 60,
    "csos": 2000,
    "services": 10_000,
    "clients": 120_000,
    "referrals": 400_000,
    "cases": 30_000,
    "notes": 2_000_000,
}
COUNTRIES = ("IQ", "KZ", "KG", "TJ")
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # treebeard's MP_Node, as Wagtail uses it
STEP_LENGTH = 4
WORDS = (
    "literacy skills housing legal aid employment training health counselling family mediation "
    "addiction recovery mentoring documents identity benefits food shelter tailoring welding "
    "computer driving language psychosocial support women youth returnees"
).split()
COUNTRY_SHARES = {"IQ": 0.5, "KZ": 0.3, "KG": 0.1, "TJ": 0.1}  # of the clients; Iraq is the busiest country
# Of the referrals: most sent and answered, a third completed.
STATUS_SHARES = {
    ReferralStatus.DRAFT: 3,
    ReferralStatus.SENT: 10,
    ReferralStatus.ACCEPTED: 12,
    ReferralStatus.DECLINED: 12,
    ReferralStatus.IN_PROGRESS: 15,
    ReferralStatus.COMPLETED: 30,
    ReferralStatus.NOT_COMPLETED: 8,
    ReferralStatus.WITHDRAWN: 5,
    ReferralStatus.EXPIRED: 5,
}
ACCEPTED_STATUSES = (
    ReferralStatus.ACCEPTED,
    ReferralStatus.IN_PROGRESS,
    ReferralStatus.COMPLETED,
    ReferralStatus.NOT_COMPLETED,
)
OUTCOME_SHARES = {Outcome.ACHIEVED: 6, Outcome.PARTLY: 3, Outcome.NOT_ACHIEVED: 1}
HIGH_PRIORITY_SHARE = 1 / 3
CHECK_INS_PER_CASE = 6  # monthly, around today: most past ones attended, some missed, the next scheduled
BUSIEST_CSO_SHARE = 0.02
BUSIEST_CLIENT_SHARE = 1 / 500
OFFICER_CASELOAD_SHARE = 0.01
random.seed(20261129)
User = get_user_model()


def scaled(scale: float) -> dict[str, int]:
    return {name: max(4, round(count * scale)) for name, count in FULL_SCALE.items()}


def path_step(number: int) -> str:
    digits = ""
    while number:
        number, remainder = divmod(number, len(ALPHABET))
        digits = ALPHABET[remainder] + digits
    return digits.rjust(STEP_LENGTH, "0")


def pick(shares: dict) -> str:
    return random.choices(list(shares), weights=list(shares.values()))[0]


def words(count: int) -> str:
    return " ".join(random.choice(WORDS) for _ in range(count))


def copy_rows(model, rows: list[dict]) -> None:
    """COPY `rows` into `model`'s own table; each field not given takes its default ("" or NULL) or,
    for an auto-increment key, the next number of its sequence."""
    if not rows:
        return
    given = rows[0].keys()
    fields = [
        field
        for field in model._meta.local_concrete_fields
        if not (field.primary_key and field.get_internal_type().endswith("AutoField") and field.attname not in given)
    ]
    values = [value_of(field, given) for field in fields]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {model._meta.db_table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([value(row) for value in values])


def value_of(field, given) -> Callable[[dict], object]:
    """How to get `field`'s column value from a row: given, or the field's default."""
    if field.get_internal_type() == "JSONField":
        default = field.get_default()
        return lambda row: field.get_db_prep_save(row.get(field.attname, default), connection)
    if field.attname in given:
        return itemgetter(field.attname)
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        now = timezone.now()
        return lambda row: now
    if field.has_default() and callable(field.default):
        return lambda row: field.default()
    default = field.get_db_prep_save(field.get_default(), connection)
    return lambda row: default


def next_ids(model, count: int) -> range:
    """`count` ids for an auto-increment primary key, taken from its sequence."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence(%s, 'id'), nextval(pg_get_serial_sequence(%s, 'id')) + %s - 1)",
            [table, table, count],
        )
        last = cursor.fetchone()[0]
    return range(last - count + 1, last + 1)


def add_pages(parent: Page, model, children: list[dict]) -> list[int]:
    """Add `children` (each its page type's fields plus title) below `parent` as live Wagtail pages."""
    content_type = ContentType.objects.get_for_model(model)
    locale_id = Locale.get_default().pk
    now = timezone.now()
    ids = next_ids(Page, len(children))
    pages, specifics = [], []
    for number, (page_id, child) in enumerate(zip(ids, children, strict=True), start=parent.numchild + 1):
        title = child.pop("title")
        slug = f"{slugish(title)}-{page_id}"
        pages.append(
            {
                "id": page_id,
                "path": parent.path + path_step(number),
                "depth": parent.depth + 1,
                "numchild": child.pop("numchild", 0),
                "title": title,
                "draft_title": title,
                "slug": slug,
                "url_path": f"{parent.url_path}{slug}/",
                "content_type_id": content_type.pk,
                "locale_id": locale_id,
                "translation_key": uuid.uuid4(),
                "live": True,
                "first_published_at": now,
                "last_published_at": now,
            }
        )
        specifics.append({"page_ptr_id": page_id, **child})
    copy_rows(Page, pages)
    copy_rows(model, specifics)
    Page.objects.filter(pk=parent.pk).update(numchild=parent.numchild + len(children))
    return list(ids)


def slugish(title: str) -> str:
    return "-".join(title.lower().split())[:40]


def add_organisations(counts: dict[str, int]) -> dict[str, list[int]]:
    kinds = {
        "prison": counts["prisons"],
        "probation": counts["probation_offices"],
        "cso": counts["csos"],
        "coordination": len(COUNTRIES),  # one national coordination office a country
    }
    services_per_cso = counts["services"] // counts["csos"]
    by_kind: dict[str, list[int]] = {kind: [] for kind in kinds}
    for country_index, country in enumerate(COUNTRIES):
        country_page = CountryDirectoryPage.objects.get(country=country)
        children, child_kinds = [], []
        for kind, total in kinds.items():
            for number in range(country_index, total, len(COUNTRIES)):
                title = "Busiest CSO" if kind == "cso" and number == 0 else f"{kind.title()} {number:04} {words(2)}"
                children.append(
                    {
                        "title": title,
                        "kind": kind,
                        "country": country,
                        "description": f"{title} helps people rebuild their lives: {words(12)}.",
                        "numchild": services_per_cso if kind == "cso" else 0,
                    }
                )
                child_kinds.append(kind)
        for page_id, kind in zip(add_pages(country_page, OrganisationPage, children), child_kinds, strict=True):
            by_kind[kind].append(page_id)
    return by_kind


def add_services(cso_ids: list[int], per_organisation: int) -> dict[int, list[int]]:
    """Services of each CSO, as pages below it (add_organisations already counted them in numchild)."""
    categories = list(TaxonomyTerm.objects.filter(taxonomy_id=PATHWAYS_TAXONOMY_ID).values_list("pk", flat=True))
    languages = list(Language.objects.values_list("pk", flat=True))
    regions = {
        country: list(Region.objects.filter(country=country).values_list("pk", flat=True)) for country in COUNTRIES
    }
    services_by_organisation = {}
    category_rows, language_rows, region_rows = [], [], []
    for organisation in OrganisationPage.objects.filter(pk__in=cso_ids).order_by("pk"):
        organisation.numchild = 0  # the pages below are added now
        children = [
            {
                "title": f"{words(2).title()} {number}",
                "organisation_id": organisation.pk,
                "description": f"{words(20)}.",
                "capacity": random.choice(("accepting", "accepting", "limited", "full")),
                "minimum_age": 18,
                "maximum_age": random.choice((None, 35, 65)),
            }
            for number in range(per_organisation)
        ]
        ids = add_pages(organisation, ServicePage, children)
        services_by_organisation[organisation.pk] = ids
        for service_id in ids:
            category_rows += [
                {"servicepage_id": service_id, "taxonomyterm_id": term} for term in random.sample(categories, 2)
            ]
            language_rows += [
                {"servicepage_id": service_id, "language_id": code} for code in random.sample(languages, 2)
            ]
            if regions[organisation.country]:
                region_rows.append(
                    {"servicepage_id": service_id, "region_id": random.choice(regions[organisation.country])}
                )
    copy_rows(ServicePage.categories.through, category_rows)
    copy_rows(ServicePage.languages.through, language_rows)
    copy_rows(ServicePage.regions.through, region_rows)
    return services_by_organisation


def add_people(by_kind: dict[str, list[int]]) -> dict:
    """The staff of the scenarios, each a member of the organisation their role belongs to."""
    organisations = {
        Role.PRISON_SOCIAL_WORKER: by_kind["prison"][0],
        Role.PROBATION_OFFICER: by_kind["probation"][0],
        Role.CSO_CASEWORKER: OrganisationPage.objects.get(title="Busiest CSO").pk,
        Role.NATIONAL_COORDINATOR: by_kind["coordination"][0],  # of Iraq, the busiest country
    }
    people = {}
    for username, role in PEOPLE.items():
        user = User.objects.create(username=username, password=make_password(PASSWORD), email=f"{username}@example.org")
        Membership.objects.create(user=user, organisation_id=organisations[role], role=role)
        people[role] = user
    return people


def add_clients(counts: dict[str, int], by_kind: dict[str, list[int]], social_worker) -> list[tuple]:
    """Clients spread over the countries by COUNTRY_SHARES and over each country's prisons (the first
    prison holds the social worker's), each with consent."""
    today = timezone.localdate()
    country_of = dict(OrganisationPage.objects.filter(pk__in=by_kind["prison"]).values_list("pk", "country"))
    prisons_of = {country: [pk for pk in by_kind["prison"] if country_of[pk] == country] for country in COUNTRIES}
    clients, consents = [], []
    for number in range(counts["clients"]):
        prisons = prisons_of[pick(COUNTRY_SHARES)]
        prison = prisons[number % len(prisons)]
        first, last = random.choice(WORDS).title(), f"{random.choice(WORDS).title()}ov"
        client_id = uuid.uuid4()
        clients.append(
            {
                "id": client_id,
                "reference": f"{country_of[prison]}-B{number:07}",
                "country": country_of[prison],
                "prison_id": prison,
                "first_name": first,
                "last_name": last,
                "name_key": f"{first} {last}".lower(),
                "sex": random.choice(("male", "female")),
                "birth_date": today - timedelta(days=random.randint(18 * 365, 60 * 365)),
                "expected_release_date": today + timedelta(days=random.randint(-700, 700)),
                "created_by_id": social_worker.pk,
            }
        )
        consent_id = uuid.uuid4()
        consents.append(
            {
                "id": consent_id,
                "client_id": client_id,
                "organisation_kinds": ["cso"],
                "given_on": today - timedelta(days=400),
                "method": "signed",
                "recorded_by_id": social_worker.pk,
            }
        )
    copy_rows(Client, clients)
    copy_rows(Consent, consents)
    return [
        (client["id"], client["prison_id"], consent["id"]) for client, consent in zip(clients, consents, strict=True)
    ]


def add_needs(clients: list[tuple]) -> dict:
    """One to three needs of each client, each a pathway; returns each client's needs as (id, pathway)."""
    pathways = list(TaxonomyTerm.objects.filter(taxonomy_id=PATHWAYS_TAXONOMY_ID).values_list("pk", flat=True))
    chosen = [(client_id, random.sample(pathways, random.randint(1, 3))) for client_id, _prison, _consent in clients]
    ids = iter(next_ids(Need, sum(len(categories) for _client, categories in chosen)))
    rows, needs_of = [], {}
    for client_id, categories in chosen:
        needs_of[client_id] = []
        for category in categories:
            need_id = next(ids)
            high = random.random() < HIGH_PRIORITY_SHARE
            rows.append(
                {
                    "id": need_id,
                    "client_id": client_id,
                    "category_id": category,
                    "priority": Priority.HIGH if high else Priority.MEDIUM,
                }
            )
            needs_of[client_id].append((need_id, category))
    copy_rows(Need, rows)
    return needs_of


def add_referrals(
    count: int, clients: list[tuple], needs_of: dict, services: dict[int, list[int]], busiest: int, user
) -> None:
    """Referrals in every state by STATUS_SHARES, each for one of its client's needs; the answered ones
    with their answer (an accept or decline event a few days after sending), a decline's reason and a
    completed referral's outcome."""
    others = [organisation for organisation in services if organisation != busiest]
    now = timezone.now()
    rows, events = [], []
    for _number in range(count):
        client_id, prison, consent_id = random.choice(clients)
        organisation = busiest if random.random() < BUSIEST_CSO_SHARE else random.choice(others)
        status = pick(STATUS_SHARES)
        sent_at = None if status == ReferralStatus.DRAFT else now - timedelta(days=random.randint(1, 700))
        referral_id = uuid.uuid4()
        rows.append(
            {
                "id": referral_id,
                "client_id": client_id,
                "service_id": random.choice(services[organisation]),
                "receiving_organisation_id": organisation,
                "referring_organisation_id": prison,
                "created_by_id": user.pk,
                "status": status,
                "need_id": random.choice(needs_of[client_id])[0],
                "consent_id": consent_id,
                "disclosed": {},
                "sent_at": sent_at,
                "response_due": now.date() + timedelta(days=random.randint(-30, 14)),
                "decline_reason": pick_decline_reason() if status == ReferralStatus.DECLINED else "",
                "outcome": pick(OUTCOME_SHARES) if status == ReferralStatus.COMPLETED else "",
            }
        )
        if status in (*ACCEPTED_STATUSES, ReferralStatus.DECLINED):
            accepted = status != ReferralStatus.DECLINED
            events.append(
                {
                    "referral_id": referral_id,
                    "verb": "accept" if accepted else "decline",
                    "from_status": ReferralStatus.SENT,
                    "to_status": ReferralStatus.ACCEPTED if accepted else ReferralStatus.DECLINED,
                    "actor_id": user.pk,
                    "at": min(now, sent_at + timedelta(days=random.randint(0, 14), hours=random.randint(0, 23))),
                }
            )
        if len(rows) == 50_000:
            copy_rows(Referral, rows)
            copy_rows(ReferralEvent, events)
            rows, events = [], []
    copy_rows(Referral, rows)
    copy_rows(ReferralEvent, events)


def pick_decline_reason() -> str:
    return random.choice(DeclineReason.values)


def add_check_ins_and_goals(cases: list[dict], needs_of: dict, officer) -> None:
    """Monthly check-ins of each case up to CHECK_INS_PER_CASE, the past ones recorded (most attended),
    and a goal for each of the client's needs, most of them under way."""
    today = timezone.localdate()
    check_ins, goals = [], []
    for case in cases:
        for month in range(CHECK_INS_PER_CASE):
            due_on = case["opened_on"] + timedelta(days=30 * (month + 1))
            if due_on > today + timedelta(days=30):
                break
            past = due_on < today
            status = random.choices((CheckInStatus.ATTENDED, CheckInStatus.MISSED), (85, 15))[0]
            check_ins.append(
                {
                    "case_id": case["id"],
                    "due_on": due_on,
                    "status": status if past else CheckInStatus.SCHEDULED,
                    "recorded_by_id": officer.pk if past else None,
                    "recorded_at": timezone.now() if past else None,
                }
            )
        for need_id, pathway in needs_of[case["client_id"]]:
            status = random.choices(list(GoalStatus), (15, 45, 30, 10))[0]
            achieved = random.choice((Outcome.ACHIEVED, Outcome.PARTLY))
            achievement = {GoalStatus.ACHIEVED: achieved, GoalStatus.NOT_ACHIEVED: Outcome.NOT_ACHIEVED}
            goals.append(
                {
                    "case_id": case["id"],
                    "pathway_id": pathway,
                    "need_id": need_id,
                    "description": f"Goal: {words(6)}.",
                    "status": status,
                    "achievement": achievement.get(status, ""),
                }
            )
    copy_rows(CheckIn, check_ins)
    copy_rows(Goal, goals)


def add_cases_and_notes(
    counts: dict[str, int], clients: list[tuple], needs_of: dict, by_kind: dict[str, list[int]], officer
):
    """Supervision cases of the first clients; the officer holds some, and the first case has the most notes."""
    offices = by_kind["probation"]
    cases, case_clients = [], []
    caseload = max(1, round(counts["cases"] * OFFICER_CASELOAD_SHARE))
    for number, (client_id, _prison, _consent) in enumerate(clients[: counts["cases"]]):
        office = offices[0] if number < caseload else offices[number % len(offices)]
        cases.append(
            {
                "id": uuid.uuid4(),
                "client_id": client_id,
                "probation_office_id": office,
                "officer_id": officer.pk if number < caseload else None,
                "opened_on": timezone.localdate() - timedelta(days=random.randint(0, 1500)),
                "handed_over_by_id": officer.pk,
            }
        )
        case_clients.append((client_id, office))
    copy_rows(SupervisionCase, cases)
    add_check_ins_and_goals(cases, needs_of, officer)
    Client.objects.filter(pk__in=[client for client, _office in case_clients[:caseload]]).update(
        probation_office_id=offices[0]
    )
    busiest_notes = round(counts["notes"] * BUSIEST_CLIENT_SHARE)
    bodies = [f"Met the client. {words(25)}." for _ in range(1000)]
    sequence: dict = {}
    rows = []
    start = timezone.now() - timedelta(days=1500)
    for number in range(counts["notes"]):
        client_id, office = case_clients[0] if number < busiest_notes else random.choice(case_clients)
        sequence[client_id] = sequence.get(client_id, 0) + 1
        rows.append(
            {
                "client_id": client_id,
                "sequence": sequence[client_id],
                "author_id": officer.pk,
                "organisation_id": office,
                "body": bodies[number % len(bodies)],
                "created_at": start + timedelta(minutes=number),
            }
        )
        if len(rows) == 50_000:
            copy_rows(CaseNote, rows)
            rows = []
    copy_rows(CaseNote, rows)


def generate(scale: float) -> dict[str, int]:
    counts = scaled(scale)
    steps = []

    def step(name: str, started: float) -> None:
        steps.append(f"{name} {time.monotonic() - started:.0f} s")
        print(steps[-1], flush=True)

    with transaction.atomic():
        started = time.monotonic()
        by_kind = add_organisations(counts)
        services = add_services(by_kind["cso"], counts["services"] // counts["csos"])
        step("directory", started)
        people = add_people(by_kind)
        started = time.monotonic()
        clients = add_clients(counts, by_kind, people[Role.PRISON_SOCIAL_WORKER])
        needs_of = add_needs(clients)
        busiest = OrganisationPage.objects.get(title="Busiest CSO").pk
        add_referrals(counts["referrals"], clients, needs_of, services, busiest, people[Role.PRISON_SOCIAL_WORKER])
        step("clients and referrals", started)
        started = time.monotonic()
        add_cases_and_notes(counts, clients, needs_of, by_kind, people[Role.PROBATION_OFFICER])
        step("cases and notes", started)
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    step("vacuum analyze", started)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the four-country scale (default 1)")
    arguments = parser.parse_args()
    started = time.monotonic()
    counts = generate(arguments.scale)
    print(f"generated {counts} in {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
