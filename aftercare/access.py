"""Who is on a client's case team, and which case notes and cases each member sees.

The case team: the holding prison (until its access ends), the probation office, and every
CSO with an accepted referral for the client whose consent still stands. CSOs see only notes
the author made visible to the whole team; everyone sees their own organisation's notes.
"""

import uuid

from django.contrib.auth.models import User
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from aftercare.models import (
    Alert,
    CaseNote,
    CheckIn,
    CheckInStatus,
    Goal,
    NoteVisibility,
    SupervisionCase,
    overdue_goals,
)
from cso_directory.models import OrganisationPage
from portal.foundation.audit import record_event
from portal.foundation.roles import Role
from referrals.access import (
    AnyUser,
    any_of,
    clients_held_by,
    clients_supervised_by,
    clients_visible_to,
    deny,
    get_client_for_user,
    organisations_where,
    refuse,
    visible_client_ids,
)
from referrals.models import CASE_TEAM_STATUSES, Client, Referral

TEAM_ROLES = (
    Role.PRISON_SOCIAL_WORKER,
    Role.PROBATION_OFFICER,
    Role.PROBATION_SUPERVISOR,
    Role.CSO_CASEWORKER,
)


def clients_supported_by(user: AnyUser) -> QuerySet[Client]:
    """Clients with an accepted referral to an organisation where the user is a caseworker, consent standing."""
    supporting = Referral.objects.filter(
        receiving_organisation__in=organisations_where(user, Role.CSO_CASEWORKER),
        status__in=CASE_TEAM_STATUSES,
        consent_withdrawn=False,
    )
    return Client.objects.filter(pk__in=supporting.values("client"))


def team_clients_of(user: AnyUser) -> QuerySet[Client]:
    """Clients on whose case team the user is."""
    return any_of(Client, clients_held_by(user), clients_supervised_by(user), clients_supported_by(user))


def notes_visible_to(user: AnyUser) -> QuerySet[CaseNote]:
    own_organisations = organisations_where(user, *TEAM_ROLES)
    return CaseNote.objects.filter(client__in=team_clients_of(user).values("pk")).filter(
        Q(visibility=NoteVisibility.TEAM) | Q(organisation__in=own_organisations)
    )


def cases_visible_to(user: AnyUser) -> QuerySet[SupervisionCase]:
    return SupervisionCase.objects.filter(client__in=visible_client_ids(user))


def annotated_caseload(user: AnyUser) -> QuerySet[SupervisionCase]:
    """The user's cases with what the caseload shows and filters on, in one query per page."""
    scheduled = CheckIn.objects.filter(case=OuterRef("pk"), status=CheckInStatus.SCHEDULED).order_by("due_on")
    return (
        cases_visible_to(user)
        .select_related("client", "probation_office", "officer")
        .annotate(
            has_overdue_goals=Exists(Goal.objects.filter(overdue_goals(), case=OuterRef("pk"))),
            has_missed_check_ins=Exists(CheckIn.objects.filter(case=OuterRef("pk"), status=CheckInStatus.MISSED)),
            next_check_in=Subquery(scheduled.values("due_on")[:1]),
        )
        .order_by("-opened_on", "client__reference")
    )


def caseload_counts(cases: QuerySet[SupervisionCase]) -> dict:
    return cases.aggregate(
        total=Count("pk"),
        with_overdue_goals=Count("pk", filter=Q(has_overdue_goals=True)),
        with_missed_check_ins=Count("pk", filter=Q(has_missed_check_ins=True)),
    )


def alerts_of(user: AnyUser) -> QuerySet[Alert]:
    """The user's own alerts: nobody reads another's."""
    if not isinstance(user, User):
        return Alert.objects.none()
    return Alert.objects.filter(user=user)


def team_organisation_of(user: AnyUser, client: Client) -> OrganisationPage | None:
    """The organisation the user writes notes for on this client's case, if any."""
    if clients_visible_to(user).filter(pk=client.pk).exists():
        probation = organisations_where(user, Role.PROBATION_OFFICER, Role.PROBATION_SUPERVISOR)
        if client.probation_office_id and probation.filter(pk=client.probation_office_id).exists():
            return client.probation_office
        return client.prison
    referral = (
        client.referrals.filter(
            receiving_organisation__in=organisations_where(user, Role.CSO_CASEWORKER),
            status__in=CASE_TEAM_STATUSES,
            consent_withdrawn=False,
        )
        .select_related("receiving_organisation")
        .first()
    )
    return referral.receiving_organisation if referral else None


def get_client_to_write_notes(user: AnyUser, pk: uuid.UUID | str) -> tuple[Client, OrganisationPage]:
    """The client and the organisation the user writes case notes for on their case, if the user
    is on the case team (audited); otherwise 404, audited too."""
    client = Client.objects.filter(pk=pk).select_related("prison", "probation_office").first()
    organisation = team_organisation_of(user, client) if client is not None else None
    if client is None or organisation is None:
        raise deny(user, "referrals.client", pk)
    record_event(user, "case_note.write", client)
    return client, organisation


def get_team_client_for_user(user: AnyUser, pk: uuid.UUID | str, *, action: str = "case.view") -> Client:
    client = team_clients_of(user).filter(pk=pk).first()
    if client is None:
        raise deny(user, "referrals.client", pk)
    record_event(user, action, client)
    return client


def get_client_to_hand_over(user: AnyUser, pk: uuid.UUID | str) -> Client:
    """The client, for the social workers of the prison holding them: 404 for who may not see
    the client, 403 for the others who see it (audited)."""
    client = get_client_for_user(user, pk, action="client.handover")
    if not organisations_where(user, Role.PRISON_SOCIAL_WORKER).filter(pk=client.prison_id).exists():
        raise refuse(user, client, _("Only social workers of the holding prison can hand this client over."))
    return client


def may_change_case(user: AnyUser, case: SupervisionCase) -> bool:
    """Only the probation office of a case changes it: its officers and supervisors."""
    probation_staff = organisations_where(user, Role.PROBATION_OFFICER, Role.PROBATION_SUPERVISOR)
    return probation_staff.filter(pk=case.probation_office_id).exists()


def get_case_for_user(
    user: AnyUser, pk: uuid.UUID | str, *, action: str = "case.view", write: bool = False
) -> SupervisionCase:
    """The case, if the user may see it (and, for a `write`, change it). Otherwise 404 for who may
    not see it, 403 for who may see but not change it; every answer is audited."""
    case = cases_visible_to(user).filter(pk=pk).select_related("client", "probation_office", "officer").first()
    if case is None:
        raise deny(user, "aftercare.supervisioncase", pk)
    if write and not may_change_case(user, case):
        raise refuse(user, case, _("Only the probation office of this case can change it."))
    record_event(user, action, case)
    return case
