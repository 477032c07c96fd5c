"""The authorisation matrix: every URL, API operation and socket × every role, against a table.

The routes are generated, never listed by hand: the URL resolver of portal.wiring.urls (the
workspace, the accounts pages, Wagtail's page routes, and a generated sample of Wagtail's admin),
the operations of the staff API (/api/openapi.json) and of the HSDS API (/api/hsds/), and the
WebSocket routes of portal.wiring.routing. Path parameters are filled with the ids of one shared
cast (tests/security/matrix_cast.py) by the collection they name. Each route is asked by every
role of ROLES with GET (a socket: connect); the answer must be the one EXPECTED gives. A route
with no entry in EXPECTED, or a collection with no id in ids_of, fails the suite, naming it.

Unsafe methods are checked on a representative set (UNSAFE): without the CSRF token every role
is refused before the view runs; with it, the table's answer. The cross-country case, a
referral of a Kazakh client to a service in Iraq, is refused on the page and in the API.
"""

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.db import connections, transaction
from django.test import Client as HttpClient
from django.urls import URLPattern, URLResolver, resolve
from django.urls.exceptions import Resolver404
from django.utils.crypto import get_random_string

from cso_directory.hsds.api import api as hsds_api
from cso_directory.models import ServiceAtLocation
from cso_directory.reference_data import PATHWAYS_TAXONOMY_ID
from portal.wiring import routing, urls
from portal.wiring.api import api as staff_api
from portal.wiring.asgi import application
from referrals.models import Referral
from tests.factories import pathway
from tests.security.matrix_cast import ROLES, Cast, build_cast
from tests.shared_casts import shared_fixture


@dataclass
class SignedInCast(Cast):
    """The matrix cast with a session for each role, made once with it: every test asks as every role,
    and signing in some 1,200 times took a third of the module's time."""

    sessions: dict[str, str] = field(default_factory=dict)


def build_signed_in_cast() -> SignedInCast:
    cast = SignedInCast(**vars(build_cast()))
    for role in ROLES:
        if (user := cast.user(role)) is not None:
            signing_in = HttpClient()
            signing_in.force_login(user)
            cast.sessions[role] = signing_in.cookies[settings.SESSION_COOKIE_NAME].value
    return cast


cast = shared_fixture(build_signed_in_cast, name="cast")

# Answers ---------------------------------------------------------------------------------------

SIGN_IN = "sign-in"  # a redirect to the sign-in page (302 to /accounts/login/?next=…)
EVERYONE = {role: 200 for role in ROLES}


def rule(anonymous: int | str = SIGN_IN, default: int = 404, **answers: int) -> dict[str, int | str]:
    """The answer of each role: `answers` by name, anonymous apart, `default` for the other roles."""
    unknown = set(answers) - set(ROLES)
    assert not unknown, f"no such role: {unknown}"
    return {role: anonymous if role == "anonymous" else answers.get(role, default) for role in ROLES}


def public(status: int = 200) -> dict[str, int | str]:
    return {role: status for role in ROLES}


def signed_in(status: int = 200) -> dict[str, int | str]:
    return rule(default=status)


# The client's people: the prison that holds them, the probation office (officer and
# supervisor), and the CSO whose referral was accepted (caseworker). The national coordinator
# administers the directory and sees no person; the editor edits a listing; foreign users see
# nothing of Kazakhstan.
HOLDER = ("social_worker",)
PROBATION = ("officer", "supervisor")
TEAM = (*HOLDER, *PROBATION, "caseworker")
REFERRERS = (*HOLDER, *PROBATION)
REPORTERS = ("caseworker", "editor", "coordinator", "viewer")


def only(roles: tuple[str, ...], status: int = 200, **others: int) -> dict[str, int | str]:
    """`status` for `roles`, 404 (or `others`) for the other signed-in roles: what they may not see does not exist."""
    return rule(**({role: status for role in roles} | others))


# GET of every page route, by URL name (namespaced as Django names it).
PAGES: dict[str, dict[str, int | str]] = {
    "healthz": public(),
    "workspace": signed_in(302),  # to the role's own start page
    "login": public(),
    "logout": public(405),  # sign-out is a POST
    "password_reset": public(),
    "password_reset_done": public(),
    "password_reset_confirm": public(),  # an invalid link says so
    "password_reset_complete": public(),
    "set_language": public(302),
    "choose_language": public(405),  # the switcher posts
    "wagtaildocs_serve": public(404),  # no documents in the cast
    "wagtaildocs_authenticate_with_password": public(404),
    "wagtailcore_authenticate_with_password": public(404),
    "wagtailcore_login": public(),
    "wagtail_serve": public(),  # the public directory
    "api:openapi-json": public(),
    "api:openapi-view": public(),
    "hsds:openapi-json": public(),
    "hsds:openapi-view": public(),
    "api:api-root": public(404),
    "referrals:client_list": signed_in(),
    # Only prison social workers record new clients, in their own prison.
    "referrals:client_create": rule(default=403, social_worker=200, foreign=200),
    "referrals:client_detail": only(REFERRERS),
    "referrals:need_add": signed_in(405),  # POST only: the method is refused before anything is read
    "referrals:need_remove": signed_in(405),
    "referrals:consent_add": signed_in(405),
    "referrals:consent_withdraw": signed_in(405),
    "referrals:consent_evidence": only(REFERRERS),
    "referrals:refer": only(REFERRERS),
    "referrals:referral_detail": only(TEAM),
    "referrals:referral_transition": signed_in(405),
    "referrals:inbox": signed_in(),
    "referrals:notifications": signed_in(),
    # The prison hands over (already done here: to the case); probation sees the client but may not.
    "aftercare:handover": only(HOLDER, 302, officer=403, supervisor=403),
    "aftercare:case_notes": only(TEAM),
    "aftercare:add_note": signed_in(405),
    "aftercare:case_detail": only(REFERRERS),
    "aftercare:officer_assign": signed_in(405),
    "aftercare:goal_add": signed_in(405),
    "aftercare:goal_review": signed_in(405),
    "aftercare:check_in_add": signed_in(405),
    "aftercare:check_in_record": signed_in(405),
    "aftercare:caseload": signed_in(),
    "aftercare:alert_list": signed_in(),
    "aftercare:alerts_mark_read": signed_in(405),
    # Who viewed a record: for the client's supervisors and coordinators.
    "referrals:access_log": only(("supervisor", "coordinator")),
    # Everything held about one client: for coordinators.
    "aftercare:subject_access": only(("coordinator",)),
    # The country's overview and the lists of referrals and organisations behind it: for its coordinators.
    "reporting:overview_start": only(("coordinator",), 302),
    "reporting:overview": only(("coordinator",)),
    "reporting:overview_referrals": only(("coordinator",)),
    "reporting:overview_organisations": only(("coordinator",)),
    # The user's own security: second factor, recovery codes, personal API tokens.
    "two_factor_verify": signed_in(302),  # no device yet: to the set-up
    "two_factor_setup": signed_in(),
    "two_factor_recovery_codes": signed_in(),
    "account_security": signed_in(),
    "new_recovery_codes": public(405),  # POST only
    "account_tokens": signed_in(),
    "account_token_revoke": signed_in(405),
    # Figures, never people: coordinators their country's, a CSO's members their organisation's.
    "reporting:index": only(REPORTERS, 302),
    "reporting:dashboard": only(REPORTERS),
    "reporting:export": only(REPORTERS),
}

# Wagtail's admin, by URL name pattern (first match): only editors and coordinators enter it;
# every other role is sent to sign in. What the two may do inside is Wagtail's permissions:
# a view they lack permission for redirects to the admin home (302).
ADMIN_STAFF = ("editor", "coordinator")


def admin(status: int | str = 200, **answers: int | str) -> dict[str, int | str]:
    return rule(default=SIGN_IN, **({role: status for role in ADMIN_STAFF} | answers))


ADMIN: dict[str, dict[str, int | str]] = {
    "admin/^.*/$": admin(404),  # the admin's own "not found"
    "admin/test404/": admin(200),
    "members:*": admin(302, coordinator=200),  # the country's members: coordinators only
    "wagtailadmin_error_test": admin(500),  # Wagtail's deliberate error page (/admin/failwhale/)
    "wagtailadmin_logout": admin(405),  # sign-out is a POST
    "admin/login/": public(302),  # to the portal's sign-in: Wagtail's own form (wagtailadmin_login) is unreachable
    "wagtailadmin_password_reset*": public(404),  # closed: one reset flow for everyone, /accounts/password_reset/
    "wagtailadmin_javascript_catalog": public(),
    "wagtailadmin_sprite": public(),  # the icons
    "wagtailadmin_api:*:find": admin(404),
    "wagtailadmin_collections:*": admin(302),
    "wagtailadmin_workflows:task_chooser*": admin(200),
    "wagtailadmin_workflows:*": admin(302),
    "wagtailadmin_reports:locked_pages*": admin(302),
    "wagtailadmin_explore_root": admin(302),
    "wagtailadmin_*": admin(200),
    "wagtaildocs*": admin(302),
    "wagtailimages:add": admin(200),  # logos: both may upload images
    "wagtailimages:add_multiple": admin(200),  # logos: both may upload images
    "wagtailimages*": admin(302),
    "wagtailembeds*": admin(302),
    "wagtailforms*": admin(302),
    "wagtailredirects*": admin(302),
    "wagtailsites*": admin(302),
    "wagtailsnippets*": admin(302),
    "wagtailusers_*": admin(302),
    # Routes with parameters only, so asked by the anonymous alone; the staff's answers are unchecked.
    "wagtail_bulk_action": admin(302),
    "wagtailsettings:*": admin(302),
    "cso_directory_service_capacity": admin(302),
    "cso_directory_membership_request_*": admin(302),
}

# Every operation of both APIs, by operationId. Unsafe operations are sent the body BODIES gives
# them, with the CSRF token; each role's request is rolled back, so no role sees another's write.
API_TEAM = ("social_worker", "officer", "supervisor")


def api_rule(**answers: int) -> dict[str, int | str]:
    """401 for the anonymous; `answers` by role, 404 for the others."""
    return rule(anonymous=401, **answers)


def api_for(roles: tuple[str, ...], status: int = 200, **others: int) -> dict[str, int | str]:
    return api_rule(**({role: status for role in roles} | others))


API: dict[str, dict[str, int | str]] = {
    "referrals_api_list_clients": api_rule(default=200),
    # The foreign social worker may record clients, in Iraq: the body names the Kazakh prison.
    "referrals_api_create_client": api_rule(default=403, social_worker=201),
    "referrals_api_get_client": api_for(REFERRERS),
    "referrals_api_update_client": api_for(REFERRERS),
    "referrals_api_list_needs": api_for(REFERRERS),
    "referrals_api_set_need": api_for(REFERRERS),
    "referrals_api_list_consents": api_for(REFERRERS),
    "referrals_api_record_consent": api_for(REFERRERS, 201),
    "referrals_api_get_consent": api_for(REFERRERS),
    "referrals_api_withdraw_consent": api_for(REFERRERS),
    "referrals_api_list_referrals": api_rule(default=200),
    "referrals_api_create_referral": api_for(("social_worker", "officer"), 201, supervisor=403),
    "referrals_api_get_referral": api_for(TEAM),
    # Starting the work is the receiving side's step; the referring side sees the referral.
    "referrals_api_transition_referral": api_for(("caseworker",), 200, **dict.fromkeys(REFERRERS, 403)),
    "referrals_api_list_referral_events": api_for(TEAM),
    "referrals_api_list_suggestions": api_for(REFERRERS),
    "referrals_api_list_referable_services": api_for(REFERRERS),
    "referrals_api_list_referable_organisations": api_rule(default=200),
    "referrals_api_list_prisons": api_rule(default=200),
    "aftercare_api_list_notes": api_for(TEAM),
    "aftercare_api_add_note": api_for(TEAM, 201),
    "referrals_api_list_access_log": api_for(("supervisor", "coordinator")),
    "aftercare_api_subject_access": api_for(("coordinator",)),
    "aftercare_api_handover": api_for(HOLDER, 400, officer=403, supervisor=403),  # handed over already
    "reporting_api_report": api_for(REPORTERS),
    "reporting_api_overview": api_for(("coordinator",)),
    "reporting_api_overview_referrals": api_for(("coordinator",)),
    "reporting_api_overview_organisations": api_for(("coordinator",)),
    # The supervision side, as its pages: probation staff change a case the holding prison reads.
    "referrals_api_remove_need": api_for(REFERRERS, 204),
    "referrals_api_consent_evidence": api_for(REFERRERS),
    "referrals_api_list_notifications": api_rule(default=200),
    "referrals_api_read_notifications": api_rule(default=200),
    "aftercare_api_list_caseload": api_rule(default=200),
    "aftercare_api_get_case": api_for(REFERRERS),
    "aftercare_api_set_officer": api_for(PROBATION, social_worker=403),
    "aftercare_api_create_goal": api_for(PROBATION, 201, social_worker=403),
    "aftercare_api_create_goal_review": api_for(PROBATION, 201, social_worker=403),
    "aftercare_api_create_check_in": api_for(PROBATION, 201, social_worker=403),
    "aftercare_api_set_check_in_outcome": api_for(PROBATION, social_worker=403),
    "aftercare_api_list_alerts": api_rule(default=200),
    "aftercare_api_read_alerts": api_rule(default=200),
    "cso_directory_hsds_api_get_service_at_location": public(404),  # the cast's service has no location
    "cso_directory_hsds_api_*": public(),
}


def bodies(cast: Cast) -> dict[str, dict[str, Any]]:
    """The JSON body of each unsafe operation: a valid request, so that only the asker decides the answer."""
    today = str(cast.consent.given_on)
    return {
        "referrals_api_create_client": {
            "prison_id": cast.prison.pk,
            "first_name": "Dana",
            "last_name": "Example",
            "sex": "female",
            "birth_date": "1992-06-01",
            "confirmed_new": True,
        },
        "referrals_api_update_client": {"other_names": "Dina"},
        "referrals_api_set_need": {"category": "housing", "priority": "low"},
        "referrals_api_record_consent": {"organisation_kinds": ["cso"], "given_on": today, "method": "signed_form"},
        "referrals_api_withdraw_consent": {},
        "referrals_api_create_referral": {"client_id": str(cast.client.pk), "service_id": cast.other_service.pk},
        "referrals_api_transition_referral": {"action": "start"},
        "aftercare_api_add_note": {"body": "Phoned; all well."},
        "aftercare_api_handover": {"probation_office": cast.probation_office.pk, "release_date": today},
        "referrals_api_remove_need": {},
        "referrals_api_read_notifications": {},
        "aftercare_api_set_officer": {"officer": cast.officer.pk},
        "aftercare_api_create_goal": {"pathway": "education", "description": "Finish the course"},
        "aftercare_api_create_goal_review": {"status": "in_progress"},
        "aftercare_api_create_check_in": {"due_on": today},
        "aftercare_api_set_check_in_outcome": {"status": "attended"},
        "aftercare_api_read_alerts": {},
    }


# Filling path parameters -----------------------------------------------------------------------


def ids_of(cast: Cast) -> dict[str, Callable[[], Any]]:
    """The id that fills a path parameter, by the collection the parameter follows (or its own name)."""
    return {
        "clients": lambda: cast.client.pk,
        "referrals": lambda: cast.referral.pk,
        "cases": lambda: cast.case.pk,
        "needs": lambda: cast.need.pk,
        "consents": lambda: cast.consent.pk,
        "goals": lambda: cast.goal.pk,
        "check-ins": lambda: cast.check_in.pk,
        "tokens": lambda: 1,  # no token: the revoke form is a POST
        "services": lambda: cast.service.hsds_id,
        "organizations": lambda: cast.cso.hsds_id,
        "service_at_locations": lambda: ServiceAtLocation.objects.values_list("pk", flat=True).first() or uuid.uuid4(),
        "taxonomies": lambda: PATHWAYS_TAXONOMY_ID,
        "taxonomy_terms": lambda: pathway("education").pk,
        "verb": lambda: "start",
        "group": lambda: "referrals",
        "table": lambda: "referrals",
        "file_format": lambda: "csv",
        "uidb64": lambda: "MQ",
        "token": lambda: "set-password",
        "restriction_id": lambda: 1,
        "page_view_restriction_id": lambda: 1,
        "page_id": lambda: cast.service.pk,
        "country": lambda: cast.client.country,
    }


PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>|\{(\w+)\}")


def filled(template: str, cast: Cast) -> str:
    """`template` (a Django route or an OpenAPI path) with each parameter replaced by the cast's id."""
    ids = ids_of(cast)

    def value(match: re.Match) -> str:
        name = match.group(1) or match.group(2)
        before = template[: match.start()].rstrip("/").rsplit("/", 1)[-1]
        key = name if name in ids else before
        assert key in ids, f"no id for the parameter {name!r} after {before!r} in {template}: add it to ids_of"
        return str(ids[key]())

    return PARAMETER.sub(value, template)


# Routes -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str
    template: str  # the route with Django's parameters, without the leading slash
    regex: bool


def walk(patterns, prefix: str = "", namespace: str = ""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            route = prefix + str(pattern.pattern)
            name = f"{namespace}{pattern.name}" if pattern.name else route  # an unnamed route by its pattern
            yield Route(name, route, "^" in route or "(" in route)


def openapi_operations(api, prefix: str) -> list[tuple[str, str, str]]:
    """(operationId, method, path) of every operation of a django-ninja API."""
    schema = api.get_openapi_schema(path_prefix=prefix)
    return [
        (operation["operationId"], method.upper(), path)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
    ]


OPERATIONS = [*openapi_operations(staff_api, "/api/"), *openapi_operations(hsds_api, "/api/hsds/")]
OPERATION_PATHS = {re.sub(r"\{(\w+)\}", r"<\1>", path.lstrip("/")) for _id, _method, path in OPERATIONS}
ALL_ROUTES = list(walk(urls.urlpatterns))
# API operations are asked through the OpenAPI documents; their routes are not pages.
PAGE_ROUTES = [
    route for route in ALL_ROUTES if not route.template.startswith("admin/") and route.template not in OPERATION_PATHS
]
# Wagtail's sign-in, whose path the portal's redirect to its own sign-in answers (portal/wiring/urls.py).
SHADOWED = {"wagtailadmin_login"}
ADMIN_ROUTES = [route for route in ALL_ROUTES if route.template.startswith("admin/") and route.name not in SHADOWED]
# The sample of the admin every role asks: the routes without parameters (every listing and
# form of the admin's menu); all the others are asked by the anonymous user.
ADMIN_SAMPLE = [route for route in ADMIN_ROUTES if not PARAMETER.search(route.template)]

REGEX_SAMPLES: dict[str, Callable[[Cast], list[str]]] = {
    "wagtail_serve": lambda cast: ["/", cast.cso.url, cast.service.url, cast.foreign_service.url],
    "wagtaildocs_serve": lambda cast: ["/documents/1/consent.pdf"],
}

# The refer page previews a referral to one service.
QUERIES: dict[str, Callable[[Cast], str]] = {"referrals:refer": lambda cast: f"?service={cast.service.pk}"}


def paths_of(route: Route, cast: Cast) -> list[str]:
    if route.regex:
        assert route.name in REGEX_SAMPLES, f"no sample path for the route {route.name} ({route.template})"
        return REGEX_SAMPLES[route.name](cast)
    path = "/" + filled(route.template, cast)
    if route.name != route.template:  # an unnamed route has nothing to compare
        assert resolve(path).view_name == route.name, f"{path} does not resolve to {route.name}"
    return [path + QUERIES.get(route.name, lambda cast: "")(cast)]


# Asking -----------------------------------------------------------------------------------------


def browser_of(session: str | None = None) -> HttpClient:
    """A client as a browser would be: with `session` (a signed-in user's, if any) and the CSRF cookie it
    sends back."""
    secret = get_random_string(32)
    http = HttpClient(enforce_csrf_checks=True, raise_request_exception=False, headers={"x-csrftoken": secret})
    http.cookies["csrftoken"] = secret
    if session is not None:
        http.cookies[settings.SESSION_COOKIE_NAME] = session
    return http


def answer(response) -> int | str:
    if response.streaming:
        b"".join(response.streaming_content)  # read to the end, which closes the file sent
    if response.status_code == 302 and "login/?next=" in response["Location"]:
        return SIGN_IN
    return response.status_code


def answers(
    cast: SignedInCast, paths: list[str], method: str = "get", **request: Any
) -> dict[str, dict[str, int | str]]:
    """The answer of each role to each path, {path: {role: answer}}."""
    found: dict[str, dict[str, int | str]] = {path: {} for path in paths}
    for role in ROLES:
        http = browser_of(cast.sessions.get(role))
        for path in paths:
            with transaction.atomic():
                found[path][role] = answer(getattr(http, method)(path, **request))
                transaction.set_rollback(True)
    return found


def expected_for(table: dict[str, dict[str, int | str]], name: str) -> dict[str, int | str]:
    matching = [key for key in table if fnmatchcase(name, key)]
    assert matching, f"{name} has no entry in the expected-answer table: add one"
    return table[matching[0]]


def mismatches(found: dict[str, dict[str, int | str]], expected: dict[str, int | str]) -> list[str]:
    return [
        f"MISMATCH {path} as {role}: {got[role]}, expected {expected[role]}"
        for path, got in found.items()
        for role in ROLES
        if got[role] != expected[role]
    ]


@pytest.mark.parametrize("route", PAGE_ROUTES, ids=lambda route: route.name)
def test_page(cast, route):
    expected = expected_for(PAGES, route.name)
    problems = mismatches(answers(cast, paths_of(route, cast)), expected)
    assert not problems, "\n".join(problems)


def every_kth(routes: list[Route], count: int) -> list[Route]:
    """About `count` routes spread evenly over `routes` sorted by name: a sample that changes with the admin."""
    ordered = sorted(routes, key=lambda route: route.name)
    step = max(1, len(ordered) // count)
    return ordered[::step]


# Every tenth admin route without parameters, and every route of the portal's own admin area.
ADMIN_SAMPLE_FOR_ALL = every_kth(ADMIN_SAMPLE, len(ADMIN_SAMPLE) // 10) + [
    route for route in ADMIN_SAMPLE if route.name.startswith("members:")
]


@pytest.mark.parametrize("route", ADMIN_SAMPLE_FOR_ALL, ids=lambda route: route.name)
def test_admin_sample(cast, route):
    expected = expected_for(ADMIN, route.name)
    problems = mismatches(answers(cast, [generic_path(route.template)]), expected)
    assert not problems, "\n".join(problems)


GENERIC = {"int": "1", "id": "1", "uuid": str(uuid.UUID(int=1)), "path": "x", "str": "x", "slug": "x"}


def generic_path(template: str) -> str:
    """`template` with every parameter filled with a value of its type: a regex route's groups with 1."""
    path = re.sub(r"\(\?P<\w+>[^)]*\)", "1", template)
    path = re.sub(r"<(?:(\w+):)?\w+>", lambda match: GENERIC[match.group(1) or "str"], path)
    path = path.replace("\\.", ".").replace(".*", "no-such-page")
    return "/" + path.replace("^", "").replace("$", "")


def test_every_admin_route_for_the_anonymous(db):
    """Every admin route, its parameters filled by type: the sign-in, password-reset and script pages only are open."""
    http = browser_of()
    unresolved = [route.name for route in ADMIN_ROUTES if not resolves_to(route, generic_path(route.template))]
    assert unresolved == []
    problems = [
        f"MISMATCH {route.name}: {got}, expected {expected}"
        for route in ADMIN_ROUTES
        if (got := answer(http.get(generic_path(route.template))))
        != (expected := expected_for(ADMIN, route.name)["anonymous"])
    ]
    assert not problems, "\n".join(problems)


def resolves_to(route: Route, path: str) -> bool:
    """`path` resolves to `route` (an unnamed route: to anything)."""
    name = resolve_name(path)
    return name is not None if route.name == route.template else name == route.name


def resolve_name(path: str) -> str | None:
    try:
        return resolve(path).view_name
    except Resolver404:
        return None


@pytest.mark.parametrize(("operation_id", "method", "template"), OPERATIONS, ids=[op[0] for op in OPERATIONS])
def test_api_operation(cast, operation_id, method, template):
    expected = expected_for(API, operation_id)
    request: dict[str, Any] = {}
    if method != "GET":
        body = bodies(cast)
        assert operation_id in body, f"no body for {operation_id}: add one to bodies()"
        request = {"data": body[operation_id], "content_type": "application/json"}
    problems = mismatches(answers(cast, [filled(template, cast)], method.lower(), **request), expected)
    assert not problems, "\n".join(problems)


def test_the_matrix_asks_the_operations_of_the_served_openapi_documents(client):
    served = [
        (operation["operationId"], method.upper(), path)
        for document in ("/api/openapi.json", "/api/hsds/openapi.json")
        for path, operations in client.get(document).json()["paths"].items()
        for method, operation in operations.items()
    ]
    assert sorted(served) == sorted(OPERATIONS)


# Unsafe requests on pages: a representative set, by URL name → (form data, answer with the CSRF token).
UNSAFE: dict[str, tuple[Callable[[Cast], dict[str, Any]], dict[str, int | str]]] = {
    "aftercare:add_note": (
        lambda cast: {"body": "Phoned.", "visibility": "team", "idempotency_key": uuid.uuid4()},
        only(TEAM, 302),
    ),
    "referrals:need_add": (lambda cast: {"category": pathway("housing").pk, "priority": "low"}, only(REFERRERS, 302)),
    "referrals:consent_withdraw": (lambda cast: {}, only(REFERRERS, 302)),
    "referrals:referral_transition": (
        lambda cast: {"expected_version": cast.referral.version},
        only(("caseworker",), 302, **dict.fromkeys(REFERRERS, 403)),
    ),
    # Only probation changes the case; an empty review is refused with the form.
    "aftercare:goal_review": (lambda cast: {}, only(PROBATION, 400, social_worker=403)),
    "aftercare:alerts_mark_read": (lambda cast: {}, signed_in(302)),
    "referrals:notifications": (lambda cast: {"all": "1"}, signed_in(302)),
    "logout": (lambda cast: {}, public(302)),
    "choose_language": (lambda cast: {"language": "ru", "next": "/"}, public(302)),
}


def page_route(name: str) -> Route:
    return next(route for route in PAGE_ROUTES if route.name == name)


@pytest.mark.parametrize("name", list(UNSAFE))
def test_unsafe_page_request_with_the_csrf_token(cast, name):
    data, expected = UNSAFE[name]
    problems = mismatches(answers(cast, paths_of(page_route(name), cast), "post", data=data(cast)), expected)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", list(UNSAFE))
def test_unsafe_page_request_without_the_csrf_token_is_refused_for_everyone(cast, name):
    data, _expected = UNSAFE[name]
    found = {}
    for role in ROLES:
        http = HttpClient(enforce_csrf_checks=True)
        if cast.user(role) is not None:
            http.force_login(cast.user(role))
        found[role] = http.post(paths_of(page_route(name), cast)[0], data(cast)).status_code
    assert found == public(403)


def test_an_api_write_without_the_csrf_token_is_refused_for_every_signed_in_role(cast):
    path = f"/api/clients/{cast.client.pk}/notes"
    found = {}
    for role in ROLES:
        http = HttpClient(enforce_csrf_checks=True)
        if cast.user(role) is not None:
            http.force_login(cast.user(role))
        found[role] = http.post(path, {"body": "Forged."}, content_type="application/json").status_code
    assert found == rule(anonymous=401, default=403)


# The cross-country case --------------------------------------------------------------------------


def test_a_referral_to_a_service_in_another_country_is_refused_on_every_channel(cast):
    refer = f"/clients/{cast.client.pk}/refer/?service={cast.foreign_service.pk}"
    body = {"client_id": str(cast.client.pk), "service_id": cast.foreign_service.pk}

    assert answers(cast, [refer])[refer] == signed_in(404)
    assert answers(cast, [refer], "post", data={"note": "Please take her."})[refer] == signed_in(404)
    api = answers(cast, ["/api/referrals"], "post", data=body, content_type="application/json")["/api/referrals"]
    assert api == api_rule(default=404)
    listed = browser_of(cast.sessions["social_worker"]).get(
        f"/api/clients/{cast.client.pk}/referable-services?limit=100"
    )
    assert cast.foreign_service.pk not in [service["id"] for service in listed.json()["items"]]
    assert not Referral.objects.filter(receiving_organisation__country="IQ").exists()


# WebSockets -------------------------------------------------------------------------------------

ORIGIN = (b"origin", b"http://testserver")
ACCEPT = "accept"
SOCKET_SAMPLES: dict[str, Callable[[Cast], str]] = {"": lambda cast: "/ws/no-such-socket/"}
SOCKETS: dict[str, dict[str, int | str]] = {
    "ws/clients/<uuid:client_id>/notes/": rule(anonymous=4401, default=4403, **dict.fromkeys(TEAM, ACCEPT)),
    "ws/me/": rule(anonymous=4401, default=ACCEPT),
    "": public(4404),  # any other path
}
SOCKET_ROUTES = [str(pattern.pattern) for pattern in routing.websocket_urlpatterns]


def socket_path(template: str, cast: Cast) -> str:
    if template in SOCKET_SAMPLES:
        return SOCKET_SAMPLES[template](cast)
    return "/" + filled(template, cast)


async def socket_answer(path: str, cookie: str | None, origin=ORIGIN) -> int | str:
    headers = [origin] if origin else []
    if cookie is not None:
        headers.append((b"cookie", f"sessionid={cookie}".encode()))
    communicator = WebsocketCommunicator(application, path, headers=headers)
    try:
        accepted, code = await communicator.connect()
    finally:
        await communicator.disconnect()
    return ACCEPT if accepted else code


def session_of(user) -> str | None:
    if user is None:
        return None
    http = HttpClient()
    http.force_login(user)
    return http.cookies["sessionid"].value


@pytest.mark.django_db(transaction=True)
async def test_every_socket_route_for_every_role():
    """One transactional test (the consumers read the database from other threads): every route × role."""
    cast = await database_sync_to_async(build_cast)()
    try:
        cookies = {role: await sync_to_async(session_of)(cast.user(role)) for role in ROLES}
        problems = []
        for template in SOCKET_ROUTES:
            expected = SOCKETS.get(template)
            assert expected is not None, f"the socket route {template!r} has no entry in SOCKETS: add one"
            path = await sync_to_async(socket_path)(template, cast)
            for role in ROLES:
                got = await socket_answer(path, cookies[role])
                if got != expected[role]:
                    problems.append(f"MISMATCH {path} as {role}: {got}, expected {expected[role]}")
            foreign_origin = await socket_answer(path, cookies["social_worker"], (b"origin", b"https://evil.example"))
            if foreign_origin == ACCEPT:
                problems.append(f"MISMATCH {path} accepted a foreign Origin")
        assert not problems, "\n".join(problems)
    finally:
        await sync_to_async(connections.close_all)()


# Opaque ids --------------------------------------------------------------------------------------

# Path parameters that are not ids of records: a referral's step, a password-reset link's parts,
# a report's dashboard, table and file format (reports count, never name, people), a country's
# ISO 3166-1 code (the overview of a country its coordinators read).
NOT_IDS = {"verb", "uidb64", "token", "group", "table", "file_format", "country"}


def test_person_routes_carry_opaque_ids_only():
    """Every parameter of the workspace's routes and of the staff API is an id (a UUID or a number), never a name."""
    workspace = [route for route in PAGE_ROUTES if not route.regex]
    parameters = [
        (template, match.group(0))
        for template in [route.template for route in workspace] + [path for _id, _method, path in OPERATIONS]
        for match in PARAMETER.finditer(template)
    ]
    assert parameters, "the check sees no parameter at all"
    named = [
        (template, parameter)
        for template, parameter in parameters
        if not re.fullmatch(r"<(uuid|int|id):\w+>|\{(\w+_)?id\}", parameter)
        and (re.sub(r"[<>{}]|\w+:", "", parameter) not in NOT_IDS)
    ]
    assert named == []
