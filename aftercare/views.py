"""The supervision workspace: handover at release, the case page with its plan and check-ins,
the probation caseload and the alerts of a user.

Records come through aftercare.access (or referrals.access for the client at handover), so what
a user may not see answers 404 and the denial is audited; every change goes through a verb of
aftercare.actions, which answers 403 to those who may see but not change. Pages showing a person
are never cached.
"""

import uuid
from dataclasses import dataclass
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Max, Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aftercare.access import (
    alerts_of,
    annotated_caseload,
    caseload_counts,
    get_case_for_user,
    get_client_to_hand_over,
    get_client_to_write_notes,
    get_team_client_for_user,
    may_change_case,
    notes_visible_to,
)
from aftercare.actions import (
    add_case_note_once,
    add_check_in,
    add_goal,
    assign_officer,
    hand_over,
    mark_alerts_read,
    record_check_in,
    review_goal,
)
from aftercare.filters import CaseloadFilter
from aftercare.forms import (
    AssignOfficerForm,
    CaseNoteForm,
    CheckInForm,
    GoalForm,
    GoalReviewForm,
    HandoverForm,
    RecordCheckInForm,
)
from aftercare.models import CaseNote, CheckIn, CheckInStatus, Goal, SupervisionCase
from aftercare.payloads import display_name
from aftercare.subject_access import subject_access_response
from cso_directory.reference_data import pathway_in_active_language
from portal.foundation.audit import refused_writes_audited
from portal.foundation.forms import carried_out
from portal.foundation.idempotency import sent_once
from portal.foundation.listing import paginate, paginate_bounded, query_without_page, record_shown
from portal.foundation.validators import record_ids
from referrals.access import clients_visible_to, get_client_for_subject_access
from referrals.forms import pathways
from referrals.models import Client, Priority, ReferralStatus

# Helpers ---------------------------------------------------------------------------------------


def safe_next(request: HttpRequest, default: str) -> str:
    """The `next` of a POST when it stays on this site, else `default`."""
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return next_url
    return default


# Handover --------------------------------------------------------------------------------------


@login_required
@refused_writes_audited
@never_cache
@require_http_methods(["GET", "POST"])
def handover(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    client = get_client_to_hand_over(request.user, pk)
    form = HandoverForm(request.POST or None, client=client)

    def write() -> HttpResponse:
        existing = SupervisionCase.objects.filter(client=client).first()
        if existing is not None:
            messages.info(request, _("This client has already been handed over."))
            return redirect("aftercare:case_detail", pk=existing.pk)
        if form.is_bound and form.is_valid():
            try:
                case = hand_over(request.user, client, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("%(reference)s was handed over to %(office)s.")
                    % {"reference": client.reference, "office": case.probation_office.title},
                )
                return redirect("aftercare:case_detail", pk=case.pk)
        context = {"client": client, "form": form}
        return render(request, "aftercare/handover.html", context, status=400 if form.errors else 200)

    return sent_once(request, write)


# Case page -------------------------------------------------------------------------------------


def handover_rows(summary: dict) -> dict:
    """The handover snapshot with its stored codes shown as labels in the reader's language."""

    def label(choices, value):
        return choices(value).label if value in choices.values else value

    return {
        "needs": [
            {
                **need,
                "pathway": pathway_in_active_language(need["pathway"]),
                "priority": label(Priority, need["priority"]),
            }
            for need in summary.get("needs", [])
        ],
        "referrals": [
            {**referral, "status": label(ReferralStatus, referral.get("status"))}
            for referral in summary.get("referrals", [])
        ],
        "key_notes": summary.get("key_notes", []),
    }


@dataclass
class PlannedGoal:
    goal: Goal
    review_form: GoalReviewForm | None


@dataclass
class BookedCheckIn:
    check_in: CheckIn
    record_form: RecordCheckInForm | None


def plan_by_pathway(
    case: SupervisionCase, editable: bool, failed_review: tuple[int, GoalReviewForm] | None
) -> list[tuple[str, list[PlannedGoal]]]:
    """Every pathway with its goals, each with its review history and form, in a fixed number of queries."""
    terms = list(pathways())
    by_pathway: dict[uuid.UUID, list[PlannedGoal]] = {term.pk: [] for term in terms}
    goals = case.goals.select_related("need__category").prefetch_related(Prefetch("reviews", to_attr="history"))
    for goal in goals:
        by_pathway[goal.pathway_id].append(
            PlannedGoal(goal, review_form_for(goal, failed_review) if editable else None)
        )
    return [(str(term), by_pathway[term.pk]) for term in terms]


def review_form_for(goal: Goal, failed_review: tuple[int, GoalReviewForm] | None) -> GoalReviewForm:
    if failed_review is not None and failed_review[0] == goal.pk:
        return failed_review[1]
    initial = {"status": goal.status, "achievement": goal.achievement}
    return GoalReviewForm(initial=initial, auto_id=f"id_goal{goal.pk}_%s")


def check_ins_with_forms(
    case: SupervisionCase, editable: bool, failed_record: tuple[int, RecordCheckInForm] | None
) -> list[BookedCheckIn]:
    """The check-ins, oldest first; those still scheduled come with the form to record them."""
    booked = []
    for check_in in case.check_ins.select_related("recorded_by"):
        form = None
        if editable and check_in.status == CheckInStatus.SCHEDULED:
            form = record_form_for(check_in, failed_record)
        booked.append(BookedCheckIn(check_in, form))
    return booked


def record_form_for(check_in: CheckIn, failed_record: tuple[int, RecordCheckInForm] | None) -> RecordCheckInForm:
    if failed_record is not None and failed_record[0] == check_in.pk:
        return failed_record[1]
    return RecordCheckInForm(auto_id=f"id_checkin{check_in.pk}_%s")


def render_case_page(
    request: HttpRequest,
    case: SupervisionCase,
    *,
    status: int = 200,
    officer_form: AssignOfficerForm | None = None,
    goal_form: GoalForm | None = None,
    check_in_form: CheckInForm | None = None,
    failed_review: tuple[int, GoalReviewForm] | None = None,
    failed_record: tuple[int, RecordCheckInForm] | None = None,
) -> HttpResponse:
    editable = may_change_case(request.user, case)
    unread_alerts = alerts_of(request.user).filter(case=case, read_at__isnull=True)
    # Its forms go back here, also when the page shows a refused form under another URL.
    page_path = reverse("aftercare:case_detail", kwargs={"pk": case.pk})
    context = {
        "case": case,
        "page_path": page_path,
        "client": case.client,
        "editable": editable,
        "summary": handover_rows(case.handover_summary),
        "plan": plan_by_pathway(case, editable, failed_review),
        "check_ins": check_ins_with_forms(case, editable, failed_record),
        "alerts": unread_alerts.select_related("case__client", "check_in"),
        **case_notes_context(request, case.client, return_path=page_path),
    }
    if editable:
        context |= {
            "officer_form": officer_form
            or AssignOfficerForm(office_id=case.probation_office_id, initial={"officer": case.officer_id}),
            "goal_form": goal_form or GoalForm(client=case.client, auto_id="id_new_goal_%s"),
            "check_in_form": check_in_form or CheckInForm(auto_id="id_new_check_in_%s"),
        }
    return render(request, "aftercare/case_detail.html", context, status=status)


@login_required
@never_cache
@require_GET
def case_detail(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    return render_case_page(request, get_case_for_user(request.user, pk))


def redirect_to_case(case: SupervisionCase, fragment: str) -> HttpResponseRedirect:
    response = redirect("aftercare:case_detail", pk=case.pk)
    response["Location"] += f"#{fragment}"
    return response


@login_required
@refused_writes_audited
@never_cache
@require_POST
def officer_assign(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    case = get_case_for_user(request.user, pk, write=True)
    form = AssignOfficerForm(request.POST, office_id=case.probation_office_id)

    def write() -> HttpResponse:
        if carried_out(form, assign_officer, request.user, case):
            messages.success(request, _("The probation officer was assigned."))
            return redirect_to_case(case, "officer")
        return render_case_page(request, case, status=400, officer_form=form)

    return sent_once(request, write)


@login_required
@refused_writes_audited
@never_cache
@require_POST
def goal_add(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    case = get_case_for_user(request.user, pk, write=True)
    form = GoalForm(request.POST, client=case.client, auto_id="id_new_goal_%s")

    def write() -> HttpResponse:
        if carried_out(form, add_goal, request.user, case):
            messages.success(request, _("The goal was added to the plan."))
            return redirect_to_case(case, "plan")
        return render_case_page(request, case, status=400, goal_form=form)

    return sent_once(request, write)


@login_required
@refused_writes_audited
@never_cache
@require_POST
def goal_review(request: HttpRequest, pk: uuid.UUID, goal_id: int) -> HttpResponse:
    case = get_case_for_user(request.user, pk, write=True)
    goal = get_object_or_404(case.goals.select_related("case"), pk=goal_id)
    form = GoalReviewForm(request.POST, auto_id=f"id_goal{goal.pk}_%s")

    def write() -> HttpResponse:
        if carried_out(form, review_goal, request.user, goal):
            messages.success(request, _("The review was recorded."))
            return redirect_to_case(case, f"goal-{goal.pk}")
        return render_case_page(request, case, status=400, failed_review=(goal.pk, form))

    return sent_once(request, write)


@login_required
@refused_writes_audited
@never_cache
@require_POST
def check_in_add(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    case = get_case_for_user(request.user, pk, write=True)
    form = CheckInForm(request.POST, auto_id="id_new_check_in_%s")

    def write() -> HttpResponse:
        if carried_out(form, add_check_in, request.user, case):
            messages.success(request, _("The check-in was added."))
            return redirect_to_case(case, "check-ins")
        return render_case_page(request, case, status=400, check_in_form=form)

    return sent_once(request, write)


@login_required
@refused_writes_audited
@never_cache
@require_POST
def check_in_record(request: HttpRequest, pk: uuid.UUID, check_in_id: int) -> HttpResponse:
    case = get_case_for_user(request.user, pk, write=True)

    def write() -> HttpResponse:
        scheduled = case.check_ins.select_related("case").filter(status=CheckInStatus.SCHEDULED)
        check_in = get_object_or_404(scheduled, pk=check_in_id)
        form = RecordCheckInForm(request.POST, auto_id=f"id_checkin{check_in.pk}_%s")
        if carried_out(form, record_check_in, request.user, check_in):
            messages.success(request, _("The check-in was recorded."))
            return redirect_to_case(case, "check-ins")
        return render_case_page(request, case, status=400, failed_record=(check_in.pk, form))

    return sent_once(request, write)


# Caseload --------------------------------------------------------------------------------------


@login_required
@never_cache
@require_GET
def caseload(request: HttpRequest) -> HttpResponse:
    cases = annotated_caseload(request.user)
    case_filter = CaseloadFilter(request.GET or None, queryset=cases, request=request)
    if not case_filter.is_bound:
        filtered = cases
    else:  # a filter that cannot be applied shows its error and no cases, never the unfiltered list
        filtered = case_filter.qs if case_filter.is_valid() else cases.none()
    page = paginate_bounded(request, filtered)
    record_shown(request.user, "case.list", ("aftercare.supervisioncase", "list"), page.object_list)
    context = {
        "filter": case_filter,
        "form": case_filter.form,
        "page_obj": page,
        "counts": caseload_counts(filtered),
        "query_string": query_without_page(request),
    }
    return render(request, "aftercare/caseload.html", context)


# Alerts ----------------------------------------------------------------------------------------


@login_required
@never_cache
@require_GET
def alert_list(request: HttpRequest) -> HttpResponse:
    alerts = alerts_of(request.user).select_related("case__client", "check_in")
    page = paginate(request, alerts)
    record_shown(request.user, "alert.list", ("aftercare.alert", "*"), page.object_list)
    context = {"page_obj": page, "unread": alerts.filter(read_at__isnull=True).count()}
    return render(request, "aftercare/alert_list.html", context)


@login_required
@refused_writes_audited
@require_POST
def alerts_mark_read(request: HttpRequest) -> HttpResponse:
    """Mark the alerts given read (`alert` may repeat), or all of them when none is given; then go back."""
    ids = record_ids(request.POST.getlist("alert"))
    count = mark_alerts_read(request.user, ids or None)
    messages.success(
        request, ngettext("%(count)d alert marked read.", "%(count)d alerts marked read.", count) % {"count": count}
    )
    return redirect(safe_next(request, reverse("aftercare:alert_list")))


# Case notes ------------------------------------------------------------------------------------


NOTES_SHOWN = 50


def note_cursor(request: HttpRequest) -> int | None:
    """The `?before=` of a page of earlier notes: show those with a lower sequence number."""
    before = request.GET.get("before", "")
    return int(before) if before.isdigit() and len(before) <= 9 else None


def note_link(note: CaseNote, shown_ids: set) -> str:
    """Where a link to the note goes: its place on this page, or the page of earlier notes that shows it."""
    anchor = f"#note-{note.pk}"
    return anchor if note.pk in shown_ids else f"?before={note.sequence + 1}{anchor}"


def notes_with_amendments(notes: list, visible: QuerySet) -> list:
    """Give each note its author's name, the visible note it amends and the visible notes amending it,
    with a link to each wherever it is shown: one query, however many notes the client has."""
    shown_ids = {note.pk for note in notes}
    amended_ids = {note.amends_id for note in notes if note.amends_id}
    related = visible.filter(Q(amends__in=shown_ids) | Q(pk__in=amended_ids)).only("pk", "sequence", "amends_id")
    amendments: dict = {note.pk: [] for note in notes}
    seen = set()
    for other in related.order_by("sequence"):
        other.link = note_link(other, shown_ids)
        seen.add(other.pk)
        if other.amends_id in amendments:
            amendments[other.amends_id].append(other)
    for note in notes:
        note.author_name = display_name(note.author)
        note.amendment_list = amendments[note.pk]
        note.amended_note = note.amends if note.amends_id in seen else None
        if note.amended_note is not None:
            note.amended_note.link = note_link(note.amended_note, shown_ids)
    return notes


def amends_offered(request: HttpRequest, visible: QuerySet, form: CaseNoteForm | None) -> uuid.UUID | None:
    """The note a new note amends, when the form or the link (`?amends=`) names one the user can see."""
    chosen = form["amends"].value() if form is not None else request.GET.get("amends")
    try:
        note_id = uuid.UUID(str(chosen))
    except ValueError:
        return None
    return note_id if visible.filter(pk=note_id).exists() else None


def case_notes_context(
    request: HttpRequest, client: Client, *, return_path: str, form: CaseNoteForm | None = None
) -> dict:
    """What templates/aftercare/includes/case_notes.html needs. Any page showing a client whose case
    team the user is on can include the panel with `context |= case_notes_context(request, client, ...)`;
    `return_path` is the page the note form goes back to, also after a refused submit.
    Only the client's id goes in: the panel never shows the person (a CSO must not see names).

    The latest NOTES_SHOWN notes, or with `?before=` the ones before that sequence number; the
    link to earlier notes and the "amends" choices cover only those, so the page does not grow
    with the client's notes.
    """
    visible = notes_visible_to(request.user).filter(client=client)
    before = note_cursor(request)
    page = visible.filter(sequence__lt=before) if before is not None else visible
    newest_first = list(
        page.select_related("author", "organisation", "amends").order_by("-sequence")[: NOTES_SHOWN + 1]
    )
    notes = notes_with_amendments(newest_first[:NOTES_SHOWN][::-1], visible)
    amends = amends_offered(request, visible, form)
    if form is None:
        form = CaseNoteForm(notes=visible, initial={"amends": amends} if amends else {})
    offered = [note.pk for note in notes] + ([amends] if amends else [])
    form.offer_to_amend(visible.filter(pk__in=offered))
    return {
        "notes_client_id": client.pk,
        "case_notes": notes,
        "earlier_notes_before": notes[0].sequence if len(newest_first) > NOTES_SHOWN else None,
        "showing_earlier_notes": before is not None,
        "last_note_sequence": visible.aggregate(last=Max("sequence"))["last"] or 0,
        "note_form": form,
        "notes_return_path": return_path,
    }


def render_case_notes_page(
    request: HttpRequest, client: Client, *, form: CaseNoteForm | None = None, status: int = 200
) -> HttpResponse:
    # Names only for the prison and probation staff who see the client record; a CSO sees the reference.
    full_record = clients_visible_to(request.user).filter(pk=client.pk).exists()
    context = {
        "client_reference": client.reference,
        "client_name": f"{client.first_name} {client.last_name}" if full_record else "",
        "full_record": full_record,
        **case_notes_context(request, client, return_path=notes_return_path(request, client), form=form),
    }
    return render(request, "aftercare/case_notes.html", context, status=status)


@login_required
@never_cache
@require_GET
def case_notes_page(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    return render_case_notes_page(request, get_team_client_for_user(request.user, pk, action="case_note.list"))


def notes_return_path(request: HttpRequest, client: Client) -> str:
    """The page the note form came from: this one, or after a refused submit the one it carried along."""
    if request.method == "GET":
        return request.get_full_path()
    return safe_next(request, reverse("aftercare:case_notes", kwargs={"pk": client.pk}))


def back_to_notes(request: HttpRequest, client: Client) -> HttpResponseRedirect:
    return redirect(notes_return_path(request, client).split("#")[0] + "#case-notes")


@login_required
@refused_writes_audited
@never_cache
@require_POST
def add_note(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    client, organisation = get_client_to_write_notes(request.user, pk)
    form = CaseNoteForm(request.POST, notes=notes_visible_to(request.user).filter(client=client))
    if carried_out(form, partial(add_case_note_once, organisation=organisation), request.user, client):
        messages.success(request, _("The note was added."))
        return back_to_notes(request, client)
    return render_case_notes_page(request, client, form=form, status=400)


# Subject access --------------------------------------------------------------------------------


@login_required
@never_cache
@require_GET
def subject_access(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    return subject_access_response(get_client_for_subject_access(request.user, pk))
