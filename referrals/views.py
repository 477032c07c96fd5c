"""The staff workspace: clients, consent, referrals, the CSO inbox and notifications.

Every record is fetched through referrals.access, so what a user may not see answers 404 (and
the denial is audited); every change goes through a verb of referrals.actions. Pages that show
a person are never cached.
"""

import csv
import uuid
from collections.abc import Iterable
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cso_directory.models import Language, ServicePage
from cso_directory.reference_data import pathway_in_active_language
from portal.foundation.audit import refused_writes_audited
from portal.foundation.exports import spreadsheet_safe
from portal.foundation.forms import carried_out
from portal.foundation.idempotency import sent_once
from portal.foundation.listing import paginate, paginate_bounded, query_without_page, record_shown
from portal.foundation.uploads import upload_limit
from portal.foundation.validators import record_ids
from referrals.access import (
    AnyUser,
    access_log_of,
    clients_coordinated_by,
    clients_overseen_by,
    clients_visible_to,
    consent_evidence_response,
    get_client_for_user,
    get_client_to_oversee,
    get_referable_service,
    get_referral_for_user,
    notifications_of,
    prisons_of,
    referrals_received_by,
    require_a_prison_to_record_in,
    side_of,
)
from referrals.actions import (
    Conflict,
    PossibleDuplicates,
    build_disclosure,
    consent_in_force,
    create_client,
    create_referral,
    mark_notifications_read,
    record_consent,
    refusal_audited,
    remove_need,
    send_family_referrals,
    send_referral,
    set_need,
    take_referral_step,
    withdraw_consent,
)
from referrals.filters import AccessLogFilter, ClientFilter, InboxFilter
from referrals.forms import (
    EVIDENCE_MAX_BYTES,
    EVIDENCE_TOO_LARGE,
    ClientForm,
    ConsentForm,
    NeedForm,
    NeedPreviewForm,
    ReferralForm,
    TransitionForm,
)
from referrals.models import (
    VERBS,
    Client,
    Need,
    Priority,
    Referral,
    ReferralStatus,
    ReferralVerb,
    Sex,
    Side,
)
from referrals.notifications import subject_shown
from referrals.suggestions import missing_consent, pending_service_ids, referral_warnings, suggest_services

# Helpers ---------------------------------------------------------------------------------------


def disclosure_rows(disclosed: dict) -> list[tuple[str, str]]:
    """What a referral shows the service, as labelled rows in the reader's language."""
    rows = [(_("Reference"), disclosed.get("reference", ""))]
    if "first_name" in disclosed:
        languages = [str(language) for language in Language.objects.filter(code__in=disclosed.get("languages", []))]
        rows += [
            (_("First name"), disclosed["first_name"]),
            (_("Sex"), Sex(disclosed["sex"]).label),
            (_("Age band"), disclosed["age_band"]),
            (_("Languages"), ", ".join(languages) or "—"),
        ]
    need = disclosed.get("need")
    if need:
        rows.append((_("Need"), pathway_in_active_language(need["category"])))
        rows.append((_("Priority"), Priority(need["priority"]).label))
        if "details" in need:
            rows.append((_("Details of the need"), need["details"]))
    if "contact_route" in disclosed:
        rows.append((_("How to reach the person"), disclosed["contact_route"]))
    return rows


# Clients ---------------------------------------------------------------------------------------


@login_required
@never_cache
@require_GET
def client_list(request: HttpRequest) -> HttpResponse:
    clients = clients_visible_to(request.user).select_related("prison", "region_of_return")
    client_filter = ClientFilter(request.GET or None, queryset=clients, request=request)
    page = paginate_bounded(request, client_filter.qs if client_filter.is_bound else clients)
    record_shown(request.user, "client.list", ("referrals.client", "list"), page.object_list)
    context = {
        "filter": client_filter,
        "form": client_filter.form,
        "page_obj": page,
        "query_string": query_without_page(request),
        "may_create": prisons_of(request.user).exists(),
    }
    return render(request, "referrals/client_list.html", context)


@login_required
@refused_writes_audited
@never_cache
@require_http_methods(["GET", "POST"])
def client_create(request: HttpRequest) -> HttpResponse:
    require_a_prison_to_record_in(request.user)
    form = ClientForm(request.POST or None, user=request.user)
    if "confirmed_new" in request.POST:
        form.offer_confirmation()

    def write() -> HttpResponse:
        duplicates = None
        if form.is_bound and form.is_valid():
            try:
                client = create_client(request.user, **form.cleaned_data)
            except PossibleDuplicates as error:
                candidates = [candidate.pk for candidate in error.candidates]
                duplicates = clients_visible_to(request.user).filter(pk__in=candidates).only("pk", "reference")
                form.offer_confirmation()
                form.add_error(None, error)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                recorded = _("The client was recorded as %(reference)s.") % {"reference": client.reference}
                messages.success(request, recorded)
                return redirect("referrals:client_detail", pk=client.pk)
        context = {"form": form, "duplicates": duplicates}
        return render(request, "referrals/client_form.html", context, status=400 if form.errors else 200)

    return sent_once(request, write)


@login_required
@never_cache
@require_GET
def client_detail(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    return render_client_page(request, get_client_for_user(request.user, pk))


def render_client_page(
    request: HttpRequest,
    client: Client,
    *,
    status: int = 200,
    need_form: NeedForm | None = None,
    consent_form: ConsentForm | None = None,
) -> HttpResponse:
    visible = clients_visible_to(request.user)
    context = {
        "client": client,
        "languages": client.languages.all(),
        "needs": client.needs.select_related("category"),
        "consents": client.consents.all(),
        "mother": visible.filter(pk=client.mother_id).first() if client.mother_id else None,
        "children": visible.filter(mother=client),
        "referrals": client.referrals.select_related("service", "receiving_organisation").prefetch_related("events"),
        "suggestions": suggest_services(client),
        "directory_query": directory_query_for(client),
        "need_form": need_form or NeedForm(),
        "consent_form": consent_form or ConsentForm(initial={"given_on": timezone.localdate()}),
        "may_see_access_log": clients_overseen_by(request.user).filter(pk=client.pk).exists(),
    }
    return render(request, "referrals/client_detail.html", context, status=status)


# Who accessed a client's records ------------------------------------------------------------------

ACCESS_LOG_COLUMNS = ("at", "who", "action", "outcome", "channel", "ip", "user_agent", "object_type", "object_id")


def access_log_row(event) -> list:
    """One event as inspectors read it; every cell spreadsheet-safe (a user agent is anyone's text)."""
    who = event.actor.username if event.actor else ""
    values = (event.at.isoformat(), who, event.action, event.outcome, event.channel, event.ip or "", event.user_agent)
    return [spreadsheet_safe(value) for value in (*values, event.object_type, event.object_id)]


def access_log_csv(client: Client, events: QuerySet) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="access-log-{client.reference}.csv"'
    writer = csv.writer(response)
    writer.writerow(ACCESS_LOG_COLUMNS)
    writer.writerows(access_log_row(event) for event in events.iterator())
    return response


@login_required
@never_cache
@require_GET
def access_log(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """Who accessed the client's records, when, from where and how; as a page or, with
    `?format=csv`, as a spreadsheet for inspectors. Reading it is audited like any access."""
    exporting = request.GET.get("format") == "csv"
    action = "client.access_log.export" if exporting else "client.access_log.view"
    client = get_client_to_oversee(request.user, pk, action=action)
    log_filter = AccessLogFilter(request.GET or None, queryset=access_log_of(client))
    events = log_filter.qs if log_filter.is_bound and log_filter.is_valid() else access_log_of(client)
    if log_filter.is_bound and not log_filter.is_valid():
        events = events.none()  # a filter that cannot be applied shows its error, never the whole log
    if exporting:
        return access_log_csv(client, events)
    context = {
        "client": client,
        "filter": log_filter,
        "form": log_filter.form,
        "page_obj": paginate(request, events),
        "query_string": query_without_page(request),
        "may_export_everything": clients_coordinated_by(request.user).filter(pk=client.pk).exists(),
    }
    return render(request, "referrals/access_log.html", context)


def directory_query_for(client: Client) -> str:
    """The public directory's filters for what this person can use."""
    query = {"country": client.country, "sex": client.sex, "age": client.age}
    if client.region_of_return:
        query["region"] = client.region_of_return.code
    return urlencode(query)


@login_required
@refused_writes_audited
@never_cache
@require_POST
def need_add(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    client = get_client_for_user(request.user, pk)
    form = NeedForm(request.POST)

    def write() -> HttpResponse:
        if not carried_out(form, set_need, request.user, client):
            return render_client_page(request, client, status=400, need_form=form)
        messages.success(request, _("The need was saved."))
        return redirect("referrals:client_detail", pk=client.pk)

    return sent_once(request, write)


@login_required
@refused_writes_audited
@never_cache
@require_POST
def need_remove(request: HttpRequest, pk: uuid.UUID, need_id: int) -> HttpResponse:
    client = get_client_for_user(request.user, pk)

    def write() -> HttpResponse:
        remove_need(request.user, get_object_or_404(client.needs.select_related("client", "category"), pk=need_id))
        messages.success(request, _("The need was removed."))
        return redirect("referrals:client_detail", pk=client.pk)

    return sent_once(request, write)


@upload_limit(EVIDENCE_MAX_BYTES, EVIDENCE_TOO_LARGE)
@login_required
@refused_writes_audited
@never_cache
@require_POST
def consent_add(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    client = get_client_for_user(request.user, pk)
    form = ConsentForm(request.POST, request.FILES)

    def write() -> HttpResponse:
        if not form.is_valid():
            return render_client_page(request, client, status=400, consent_form=form)
        fields = {name: value for name, value in form.cleaned_data.items() if value is not None}
        try:
            record_consent(request.user, client, **fields)
        except ValidationError as error:
            form.add_error(None, error)
            return render_client_page(request, client, status=400, consent_form=form)
        messages.success(request, _("The consent was recorded."))
        return redirect("referrals:client_detail", pk=client.pk)

    return sent_once(request, write)


@login_required
@refused_writes_audited
@never_cache
@require_POST
def consent_withdraw(request: HttpRequest, pk: uuid.UUID, consent_id: uuid.UUID) -> HttpResponse:
    client = get_client_for_user(request.user, pk)
    consent = get_object_or_404(client.consents.select_related("client"), pk=consent_id)

    def write() -> HttpResponse:
        try:
            withdraw_consent(request.user, consent)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The consent was withdrawn. Open referrals no longer show what it allowed."))
        return redirect("referrals:client_detail", pk=client.pk)

    return sent_once(request, write)


@login_required
@never_cache
@require_GET
def consent_evidence(request: HttpRequest, pk: uuid.UUID, consent_id: uuid.UUID) -> FileResponse:
    return consent_evidence_response(request.user, pk, consent_id)


# Referring -------------------------------------------------------------------------------------


def need_to_preview(request: HttpRequest, client: Client, service: ServicePage) -> Need | None:
    """The need chosen on the page, or else the client's first need this service meets."""
    if "need" in request.GET:
        form = NeedPreviewForm(request.GET, client=client)
        return form.cleaned_data["need"] if form.is_valid() else None
    return client.needs.filter(category__in=service.categories.all()).select_related("category").first()


def send_referrals(
    user: AnyUser,
    client: Client,
    service: ServicePage,
    *,
    need: Need | None,
    note: str = "",
    override_reason: str = "",
    children: Iterable[Client] = (),
) -> list[Referral]:
    """Create and send at once; a family referral links the mother's and her children's."""
    if children:
        return send_family_referrals(user, client, children, service, note=note)
    referral = create_referral(user, client, service, need=need, note=note)
    return [send_referral(user, referral, override_reason=override_reason)]


@login_required
@refused_writes_audited
@never_cache
@require_http_methods(["GET", "POST"])
def refer(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    client = get_client_for_user(request.user, pk, action="client.refer")
    service = get_referable_service(request.user, client, request.GET.get("service"))
    children = clients_visible_to(request.user).filter(mother=client) if client.sex == Sex.FEMALE else None
    may_override = request.user.has_perm("referrals.override_consent")
    need = need_to_preview(request, client, service)
    form = ReferralForm(
        request.POST or None, client=client, children=children, may_override=may_override, initial={"need": need}
    )

    def write() -> HttpResponse:
        shown_need = need
        if form.is_bound and form.is_valid():
            try:
                with refusal_audited(request.user, "referral.send", client), transaction.atomic():
                    # a refused send leaves no draft behind
                    sent = send_referrals(request.user, client, service, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The referral was sent to %(service)s.") % {"service": service.title})
                return redirect("referrals:referral_detail", pk=sent[0].pk)
            shown_need = form.cleaned_data.get("need")
        return render_refer_page(request, client, service, form, shown_need)

    return sent_once(request, write)


def render_refer_page(
    request: HttpRequest, client: Client, service: ServicePage, form: ReferralForm, need: Need | None
) -> HttpResponse:
    consent = consent_in_force(client, service.organisation)
    context = {
        "client": client,
        "service": service,
        "warnings": referral_warnings(client, service, pending_service_ids(client)),
        "missing_consent": missing_consent(service, list(client.consents.all())),
        "need": need,
        "consent": consent,
        "disclosure": disclosure_rows(build_disclosure(client, need, consent)),
        "preview_form": NeedPreviewForm(client=client, initial={"need": need}),
        "form": form,
    }
    return render(request, "referrals/refer.html", context, status=400 if form.errors else 200)


# Referrals -------------------------------------------------------------------------------------


def allowed_verbs(referral: Referral, side: str) -> list[ReferralVerb]:
    """The steps this side may take now on the referral's page, read from the one VERBS table."""
    return [
        verb
        for verb in VERBS.values()
        if verb.on_referral_page and verb.side == side and verb.may_start_from(referral.status)
    ]


def transition_forms(referral: Referral, side: str, failed_form: TransitionForm | None = None) -> list[TransitionForm]:
    forms = []
    for verb in allowed_verbs(referral, side):
        if failed_form is not None and failed_form.verb == verb.name:
            forms.append(failed_form)
        else:
            forms.append(TransitionForm(verb=verb, initial={"expected_version": referral.version}))
    return forms


def render_referral_page(
    request: HttpRequest,
    referral: Referral,
    *,
    status: int = 200,
    failed_form: TransitionForm | None = None,
    error: str = "",
) -> HttpResponse:
    side = side_of(request.user, referral)
    if side is None:
        raise Http404
    context = {
        "referral": referral,
        "disclosure": disclosure_rows(referral.disclosed),
        "forms": transition_forms(referral, side, failed_form),
        "error": error,
    }
    if side == Side.RECEIVER:
        # The receiving organisation's page is built from the disclosed snapshot alone.
        return render(request, "referrals/referral_receiver.html", context, status=status)
    context["events"] = referral.events.select_related("actor")
    return render(request, "referrals/referral_sender.html", context, status=status)


@login_required
@never_cache
@require_GET
def referral_detail(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    return render_referral_page(request, get_referral_for_user(request.user, pk))


@login_required
@refused_writes_audited
@never_cache
@require_POST
def referral_transition(request: HttpRequest, pk: uuid.UUID, verb: str) -> HttpResponse:
    if verb not in VERBS or not VERBS[verb].on_referral_page:
        raise Http404
    referral = get_referral_for_user(request.user, pk)
    form = TransitionForm(request.POST, verb=VERBS[verb])

    def write() -> HttpResponse:
        if not form.is_valid():
            return render_referral_page(request, referral, status=400, failed_form=form)
        try:
            with refusal_audited(request.user, f"referral.{verb}", referral):
                take_referral_step(request.user, referral, verb, **form.cleaned_data)
        except Conflict as conflict:
            referral.refresh_from_db()
            return render_referral_page(request, referral, status=409, error=str(conflict))
        except ValidationError as error:
            form.add_error(None, error)
            return render_referral_page(request, referral, status=400, failed_form=form)
        messages.success(request, _("The referral was updated."))
        return redirect("referrals:referral_detail", pk=referral.pk)

    return sent_once(request, write)


# Inbox -----------------------------------------------------------------------------------------


def status_counts(referrals: QuerySet[Referral]) -> list[tuple[str, str, int]]:
    """(status, label, count) for every status present, in one aggregate query."""
    counts = dict(referrals.order_by().values_list("status").annotate(count=Count("pk")))
    return [(status, str(label), counts[status]) for status, label in ReferralStatus.choices if status in counts]


LIST_FRAGMENT_HEADER = "X-Portal-Fragment"


@login_required
@never_cache
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    """The referrals the caseworker's organisations received; each shows its disclosed snapshot only."""
    received = referrals_received_by(request.user)
    inbox_filter = InboxFilter(request.GET or None, queryset=received)
    listed = inbox_filter.qs.distinct() if inbox_filter.is_bound else received
    page = paginate_bounded(
        request, listed.select_related("service", "receiving_organisation").order_by("-sent_at", "pk")
    )
    record_shown(request.user, "referral.list", ("referrals.referral", "inbox"), page.object_list)
    context = {
        "filter": inbox_filter,
        "form": inbox_filter.form,
        "page_obj": page,
        "query_string": query_without_page(request),
        "status_counts": status_counts(received),
    }
    response = render(request, inbox_template(request), context)
    patch_vary_headers(response, [LIST_FRAGMENT_HEADER])
    return response


def inbox_template(request: HttpRequest) -> str:
    """The whole page, or only its counts and list when the page's script asks again (static/portal/live.js)."""
    if request.headers.get(LIST_FRAGMENT_HEADER) == "list":
        return "referrals/inbox_fragment.html"
    return "referrals/inbox.html"


# Notifications ---------------------------------------------------------------------------------


@login_required
@refused_writes_audited
@never_cache
@require_http_methods(["GET", "POST"])
def notifications(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        chosen = record_ids(request.POST.getlist("notification"))
        mark_notifications_read(request.user, None if "all" in request.POST else chosen)
        return redirect("referrals:notifications")
    page = paginate(request, notifications_of(request.user).select_related("referral__service"))
    record_shown(request.user, "notification.list", ("referrals.notification", "*"), page.object_list)
    context = {"page_obj": page, "notices": [(notice, subject_shown(notice)) for notice in page.object_list]}
    return render(request, "referrals/notifications.html", context)
