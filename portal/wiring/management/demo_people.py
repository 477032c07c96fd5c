"""The people of the demo: clients, consent, referrals in every state, supervision cases and case notes.

`portal/wiring/demo/people.json` holds, per country, blocks of clients by prison. Everything is written through
the verbs of `referrals.actions` and `aftercare.actions`, acting as the demo's social workers, caseworkers and
probation officers, so the audit trail, the referral timelines and the notices are those of real use.

A block is loaded once: if its prison already holds clients, it is left as it is. Dates are counted from the
day of loading ("release_in_days", "given_days_ago", ...), and birth dates are moved by as many years as have
passed since BIRTH_DATES_AS_OF, so the demo always looks current and everyone keeps their age.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.db.models import Count, F, Q

from aftercare.actions import add_case_note, add_goal, assign_officer, hand_over, record_check_in, review_goal
from aftercare.models import CaseNote, CheckIn, CheckInStatus, Goal, SupervisionCase
from cso_directory.models import Membership, OrganisationPage, ServicePage
from portal.foundation.roles import Role
from referrals.actions import (
    create_client,
    create_referral,
    expire_overdue_referrals,
    record_consent,
    send_family_referrals,
    set_need,
    take_referral_step,
    withdraw_consent,
)
from referrals.models import PEOPLES_VERBS, VERBS, Client, Referral, ReferralEvent, ReferralStatus, Side, overdue

# The steps that take a new referral to the status the demo data asks for. Expired referrals are sent, then
# expired together at the end, once their answer deadline has been moved into the past.
STEPS = {
    ReferralStatus.DRAFT: (),
    ReferralStatus.SENT: ("send",),
    ReferralStatus.EXPIRED: ("send",),
    ReferralStatus.WITHDRAWN: ("send", "withdraw"),
    ReferralStatus.ACCEPTED: ("send", "accept"),
    ReferralStatus.DECLINED: ("send", "decline"),
    ReferralStatus.IN_PROGRESS: ("send", "accept", "start"),
    ReferralStatus.COMPLETED: ("send", "accept", "start", "complete"),
    ReferralStatus.NOT_COMPLETED: ("send", "accept", "start", "not_complete"),
}
# Expired referrals had their answer due this many days ago; overdue ones fewer days ago than the cut-off.
EXPIRED_DUE_DAYS_AGO = 21
EXPIRY_CUTOFF_DAYS_AGO = 10
# How many days a referral sent in the past waited for its answer, unless people.json says otherwise.
ANSWERED_IN_DAYS = 4
# The year the birth dates of people.json were written for: a child of 9 then is 9 whenever the demo loads.
BIRTH_DATES_AS_OF = 2026


@dataclass
class Cast:
    """Who acts and what they act on, each table read once and only when some block is to be loaded."""

    today: datetime.date
    codes: dict[str, dict]  # regions, languages and pathways ("categories") by code
    due_dates: dict = field(default_factory=dict)  # referral pk → days ago its answer was due
    sent_dates: dict = field(default_factory=dict)  # referral pk → (days ago it was sent, days until answered)

    @cached_property
    def users(self) -> dict:
        return {user.username: user for user in get_user_model().objects.all()}

    @cached_property
    def services(self) -> dict:
        services = ServicePage.objects.live().select_related("organisation")
        return {f"{service.organisation.slug}/{service.slug}": service for service in services}

    @cached_property
    def caseworkers(self) -> dict:
        caseworkers: dict[int, Any] = {}
        for membership in Membership.objects.filter(role=Role.CSO_CASEWORKER).select_related("user").order_by("pk"):
            caseworkers.setdefault(membership.organisation_id, membership.user)
        return caseworkers

    def user(self, username: str):
        if username not in self.users:
            raise CommandError(f"people.json: no demo login {username!r}")
        return self.users[username]

    def service(self, key: str) -> ServicePage:
        if key not in self.services:
            raise CommandError(f"people.json: no live service {key!r} (organisation slug/service slug)")
        return self.services[key]

    def caseworker_of(self, referral: Referral):
        if referral.receiving_organisation_id not in self.caseworkers:
            raise CommandError(f"people.json: nobody at {referral.receiving_organisation} can answer {referral}")
        return self.caseworkers[referral.receiving_organisation_id]

    def birth_date(self, written: str) -> datetime.date:
        birth_date = datetime.date.fromisoformat(written)
        return birth_date.replace(year=birth_date.year + self.today.year - BIRTH_DATES_AS_OF)

    def day(self, days_from_today: int) -> datetime.date:
        return self.today + datetime.timedelta(days=days_from_today)

    def code(self, kind: str, code: str):
        rows = self.codes[kind]
        if code not in rows:
            raise CommandError(f"people.json: unknown {kind} {code!r}")
        return rows[code]


def load_people(entries: dict, organisations: dict, codes: dict[str, dict], today: datetime.date) -> int:
    """Load every block of people whose prison holds nobody yet; return how many clients are new."""
    cast = Cast(today=today, codes=codes)
    new_clients = 0
    for country, blocks in entries.items():
        for block in blocks:
            prison = organisations.get((country, block["prison"]))
            if prison is None:
                raise CommandError(f"people.json: no prison {block['prison']!r} in {country}")
            if not Client.objects.filter(prison=prison).exists():
                new_clients += load_block(block, prison, cast)
    if cast.sent_dates:
        send_as_time_passed(cast)
    if cast.due_dates:
        expire_as_time_passes(cast)
    return new_clients


def load_block(block: dict, prison: OrganisationPage, cast: Cast) -> int:
    """The block's people, then their referrals, then the follow-up: notes, handover and aftercare."""
    worker = cast.user(block["social_worker"])
    clients: dict[str, Client] = {}
    for entry in block["clients"]:
        clients[entry["key"]] = record_person(worker, prison, entry, clients, cast)
    for entry in block["clients"]:
        children = [clients[other["key"]] for other in block["clients"] if other.get("mother") == entry["key"]]
        refer_all(worker, clients[entry["key"]], entry, children, cast)
    for entry in block["clients"]:
        follow_up(worker, clients[entry["key"]], entry, block, cast)
    return len(clients)


def record_person(worker, prison: OrganisationPage, entry: dict, clients: dict, cast: Cast) -> Client:
    client = create_client(
        worker,
        prison=prison,
        languages=[cast.code("languages", code) for code in entry["languages"]],
        first_name=entry["first_name"],
        last_name=entry["last_name"],
        other_names=entry["other_names"],
        sex=entry["sex"],
        birth_date=cast.birth_date(entry["birth_date"]),
        expected_release_date=cast.day(entry["release_in_days"]),
        region_of_return=cast.code("regions", entry["region"]),
        contact_route=entry.get("contact_route", ""),
        risk_notes=entry.get("risk_notes", ""),
        mother=clients[entry["mother"]] if "mother" in entry else None,
    )
    for code, (priority, details) in entry["needs"].items():
        set_need(worker, client, category=cast.code("categories", code), priority=priority, details=details)
    consent = entry["consent"]
    record_consent(
        worker,
        client,
        share_contact_route=consent["share_contact_route"],
        share_needs_details=consent["share_needs_details"],
        organisation_kinds=consent["organisation_kinds"],
        given_on=cast.day(-consent["given_days_ago"]),
        method=consent["method"],
    )
    return client


def refer_all(worker, client: Client, entry: dict, children: list[Client], cast: Cast) -> None:
    """The person's referrals, the family's, then a withdrawal of consent, which flags the open ones."""
    for spec in entry.get("referrals", []):
        refer(worker, client, spec, cast)
    if "family_referral" in entry:
        refer_family(worker, client, children, entry["family_referral"], cast)
    if "withdrawn_days_ago" in entry["consent"]:
        withdrawn_on = cast.day(-entry["consent"]["withdrawn_days_ago"])
        withdraw_consent(worker, client.consents.get(), withdrawn_on=withdrawn_on)


def refer(sender, client: Client, spec: dict, cast: Cast) -> Referral:
    need = client.needs.get(category__code=spec["need"]) if "need" in spec else None
    referral = create_referral(sender, client, cast.service(spec["service"]), need=need, note=spec.get("note", ""))
    return advance(sender, referral, spec, STEPS[spec["status"]], cast)


def refer_family(worker, mother: Client, children: list[Client], spec: dict, cast: Cast) -> list[Referral]:
    """A mother and her children referred together, then answered together."""
    if not children:
        raise CommandError(f"people.json: a family referral for {mother} but no children name her as mother")
    referrals = send_family_referrals(worker, mother, children, cast.service(spec["service"]), note=spec["note"])
    return [advance(worker, referral, spec, STEPS[spec["status"]][1:], cast) for referral in referrals]


def advance(sender, referral: Referral, spec: dict, steps: tuple[str, ...], cast: Cast) -> Referral:
    """Take the referral through `steps`, each by the side whose turn it is."""
    for step in steps:
        actor = cast.caseworker_of(referral) if VERBS[step].side == Side.RECEIVER else sender
        referral = take_step(step, actor, referral, spec)
    if "sent_days_ago" in spec:
        cast.sent_dates[referral.pk] = (spec["sent_days_ago"], spec.get("answered_in_days", ANSWERED_IN_DAYS))
    if spec["status"] == ReferralStatus.EXPIRED:
        cast.due_dates[referral.pk] = EXPIRED_DUE_DAYS_AGO
    elif "due_days_ago" in spec:
        if not 0 < spec["due_days_ago"] < EXPIRY_CUTOFF_DAYS_AGO:
            raise CommandError(f"people.json: due_days_ago must be between 1 and {EXPIRY_CUTOFF_DAYS_AGO - 1}")
        cast.due_dates[referral.pk] = spec["due_days_ago"]
    return referral


# Which note of people.json a step takes: the answer to a sent referral, or the result that closes it.
NOTE_OF_STEP = {
    "accept": "answer",
    "decline": "answer",
    "complete": "result",
    "not_complete": "result",
    "withdraw": "result",
}


def take_step(step: str, actor, referral: Referral, spec: dict) -> Referral:
    if step not in PEOPLES_VERBS:
        raise CommandError(f"people.json: unknown referral step {step!r}")
    available = {**spec, "note": spec.get(NOTE_OF_STEP.get(step, ""), "")}
    given = {name: available[name] for name in VERBS[step].fields if name in available}
    return take_referral_step(actor, referral, step, **given)


def send_as_time_passed(cast: Cast) -> None:
    # Like `expire_as_time_passes`: every referral was sent and answered while the demo loaded, so each one
    # given "sent_days_ago" is moved back to that day with its creation, and the steps after the sending
    # (answer, start, close) to the day it was answered, "answered_in_days" later. The audit trail keeps the
    # real times.
    for pk, (sent_days_ago, answered_in_days) in cast.sent_dates.items():
        if not 0 <= answered_in_days <= sent_days_ago:
            raise CommandError("people.json: a referral must be answered between its sending and today")
        sent, answered = (
            datetime.timedelta(days=sent_days_ago),
            datetime.timedelta(days=sent_days_ago - answered_in_days),
        )
        referral = Referral.objects.get(pk=pk)
        if referral.sent_at is None or referral.response_due is None:
            raise CommandError(f"people.json: {referral} has sent_days_ago but was never sent")
        Referral.objects.filter(pk=pk).update(
            created_at=referral.created_at - sent,
            sent_at=referral.sent_at - sent,
            response_due=referral.response_due - sent,
        )
        ReferralEvent.objects.filter(referral=pk, verb__in=("create", "send")).update(at=F("at") - sent)
        ReferralEvent.objects.filter(referral=pk).exclude(verb__in=("create", "send")).update(at=F("at") - answered)


def expire_as_time_passes(cast: Cast) -> None:
    # The one direct write of the demo people: time cannot pass while the demo loads, so the answer deadline of
    # the referrals meant to be overdue or expired is moved into the past, as if they had been sent weeks ago.
    # The expiry itself then goes through the verb, as the daily `expire_referrals` run would.
    for pk, days_ago in cast.due_dates.items():
        Referral.objects.filter(pk=pk, status=ReferralStatus.SENT).update(response_due=cast.day(-days_ago))
    expire_overdue_referrals(today=cast.day(-EXPIRY_CUTOFF_DAYS_AGO))


def follow_up(worker, client: Client, entry: dict, block: dict, cast: Cast) -> None:
    """The prison's notes; the handover and aftercare of people released already; then everyone else's notes."""
    notes = entry.get("notes", [])
    written: dict[int, CaseNote] = {}
    for index, spec in enumerate(notes):
        if spec["by"] == block["social_worker"]:
            written[index] = write_note(client, spec, written, cast)
    if "aftercare" in entry:
        supervise(worker, client, entry["aftercare"], cast.user(block["probation_officer"]), cast)
    for index, spec in enumerate(notes):
        if spec["by"] != block["social_worker"]:
            written[index] = write_note(client, spec, written, cast)


def write_note(client: Client, spec: dict, written: dict, cast: Cast) -> CaseNote:
    amends = written[spec["amends"]] if "amends" in spec else None
    return add_case_note(cast.user(spec["by"]), client, body=spec["body"], visibility=spec["visibility"], amends=amends)


def supervise(worker, client: Client, spec: dict, officer, cast: Cast) -> SupervisionCase:
    """Hand over on the release date; the officer takes the case, sets goals, reviews them and sees the person."""
    office = OrganisationPage.objects.get(memberships__user=officer, memberships__role=Role.PROBATION_OFFICER)
    release_date = client.expected_release_date
    if release_date is None or release_date >= cast.today:
        raise CommandError(f"people.json: {client} has aftercare but is not released yet")
    case = hand_over(worker, client, probation_office=office, release_date=release_date, note=spec["handover_note"])
    assign_officer(officer, case, officer)
    for goal_spec in spec["goals"]:
        plan_goal(officer, case, goal_spec, cast)
    check_ins = list(case.check_ins.order_by("due_on"))
    if len(spec["check_ins"]) > sum(check_in.due_on < cast.today for check_in in check_ins):
        raise CommandError(f"people.json: more check-ins recorded for {client} than have fallen due")
    for check_in, check_in_spec in zip(check_ins, spec["check_ins"], strict=False):
        see(officer, check_in, check_in_spec, cast)
    client.refresh_from_db()
    for referral_spec in spec.get("referrals", []):
        refer(officer, client, referral_spec, cast)
    return case


def plan_goal(officer, case: SupervisionCase, spec: dict, cast: Cast) -> Goal:
    """A goal on a pathway; it answers the client's need on that pathway when there is one."""
    pathway = cast.code("categories", spec["pathway"])
    need = case.client.needs.filter(category=pathway).first()
    goal = add_goal(
        officer,
        case,
        pathway=pathway,
        need=need,
        description=spec["description"],
        target_date=cast.day(spec["target_in_days"]),
    )
    for status, achievement, note in spec["reviews"]:
        goal = review_goal(officer, goal, status=status, achievement=achievement, note=note)
    return goal


def see(officer, check_in: CheckIn, spec: list, cast: Cast) -> None:
    """Record a check-in; a meeting moved to a day gone by is recorded as held on that day."""
    status, note, *moved_by_days = spec
    if status != CheckInStatus.RESCHEDULED:
        record_check_in(officer, check_in, status=status, note=note)
        return
    moved_to = check_in.due_on + datetime.timedelta(days=moved_by_days[0])
    record_check_in(officer, check_in, status=status, note=note, rescheduled_to=moved_to)
    if moved_to < cast.today:
        moved = CheckIn.objects.get(case=check_in.case, due_on=moved_to, status=CheckInStatus.SCHEDULED)
        record_check_in(officer, moved, status=CheckInStatus.ATTENDED, note="Held on the new date.")


def summary() -> list[str]:
    """What the demo holds, for the command to print: people, referrals per status, aftercare."""
    clients = Client.objects.aggregate(
        total=Count("pk"), women=Count("pk", filter=Q(sex="female", mother=None)), children=Count("mother")
    )
    countries = Client.objects.values("country").distinct().count()
    families = Referral.objects.exclude(family_group=None).values("family_group").distinct().count()
    statuses = Counter(dict(Referral.objects.values_list("status").annotate(count=Count("pk")).order_by()))
    overdue_count = Referral.objects.filter(overdue()).count()
    per_status = " · ".join(
        f"{status.label.lower()} {statuses[status]}" + (f" ({overdue_count} overdue)" if status == "sent" else "")
        for status in ReferralStatus
    )
    check_ins = Counter(dict(CheckIn.objects.values_list("status").annotate(count=Count("pk")).order_by()))
    return [
        f"People: {clients['total']} clients in {countries} countries ({clients['women']} women, "
        f"{clients['children']} children with their mother); {families} family referrals.",
        f"Referrals: {sum(statuses.values())} — {per_status}.",
        f"Aftercare: {SupervisionCase.objects.count()} supervision cases, {Goal.objects.count()} goals, "
        f"{sum(check_ins.values())} check-ins ("
        + ", ".join(f"{check_ins[status]} {status.label.lower()}" for status in CheckInStatus)
        + f"), {CaseNote.objects.count()} case notes.",
    ]
