"""`manage.py load_demo_data`: a realistic directory and a login for every role, loaded once only."""

import io
import re
from itertools import pairwise
from urllib.parse import urlparse

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.management import CommandError, call_command
from django.db import models, transaction
from django.db.models import Count, F, Q
from django.test import RequestFactory, override_settings
from django.utils import timezone, translation
from wagtail.models import Page, Revision

from aftercare.actions import DEFAULT_CHECK_IN_OFFSETS
from aftercare.models import Alert, CaseNote, CheckIn, CheckInStatus, Goal, GoalReview, NoteVisibility, SupervisionCase
from cso_directory.models import (
    Capacity,
    Delivery,
    Language,
    Membership,
    OrganisationKind,
    OrganisationPage,
    Region,
    ServicePage,
    ServiceStatus,
    SexServed,
    TaxonomyTerm,
)
from cso_directory.reference_data import PATHWAYS_TAXONOMY_ID, STAFF_ATTRIBUTES_TAXONOMY_ID
from portal.foundation.countries import Country
from portal.foundation.models import AuditEvent
from portal.foundation.roles import Role
from portal.wiring.management.commands import load_demo_data
from referrals.access import referrals_visible_to
from referrals.actions import withdrawn_disclosure
from referrals.models import (
    AGE_BANDS,
    REFERABLE_KINDS,
    Client,
    Need,
    Notification,
    Outcome,
    Priority,
    Referral,
    ReferralEvent,
    ReferralStatus,
    Sex,
    overdue,
)
from reporting.overview import overview_of

pytestmark = pytest.mark.django_db

# Stems, so that "terrorism" and "экстремизм" are caught as well as the words the issue names.
STIGMATISING_WORDS = (
    "terroris",
    "extremis",
    "foreign fighter",
    "إرهاب",
    "متطرف",
    "تیرۆر",
    "توندڕەو",
    "террорис",
    "экстремис",
    "ифротгаро",
)
ROLE_KINDS = {
    Role.PRISON_SOCIAL_WORKER: OrganisationKind.PRISON,
    Role.CSO_CASEWORKER: OrganisationKind.CSO,
    Role.CSO_EDITOR: OrganisationKind.CSO,
    Role.PROBATION_OFFICER: OrganisationKind.PROBATION,
    Role.PROBATION_SUPERVISOR: OrganisationKind.PROBATION,
    Role.NATIONAL_COORDINATOR: OrganisationKind.COORDINATION,
    Role.INTERNATIONAL_VIEWER: OrganisationKind.INTERNATIONAL,
}
PHONE_PREFIXES = {
    Country.IRAQ: "+964 ",
    Country.KAZAKHSTAN: "+7 ",
    Country.KYRGYZSTAN: "+996 ",
    Country.TAJIKISTAN: "+992 ",
}
KURDISTAN_REGIONS = {"IQ-AR", "IQ-DA", "IQ-SU"}
ARABIC_SCRIPT = re.compile("[\u0600-\u06ff]")
SORANI_LETTERS = re.compile("[ێۆڕڵە]")
CYRILLIC_SCRIPT = re.compile("[\u0400-\u04ff]")
LATIN_LETTERS = re.compile("[A-Za-z]")
CENTRAL_ASIA = (Country.KAZAKHSTAN, Country.KYRGYZSTAN, Country.TAJIKISTAN)


class Boom(Exception):
    pass


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def test_refuses_to_run_in_production():
    with override_settings(PORTAL_ENV="production"), pytest.raises(CommandError, match="--force"):
        call_command("load_demo_data", stdout=io.StringIO())

    assert not OrganisationPage.objects.exists()
    assert not get_user_model().objects.exists()


def test_force_runs_it_in_production(monkeypatch):
    def reached_the_loading(*args, **kwargs):
        raise Boom

    monkeypatch.setattr(load_demo_data, "ensure_organisation", reached_the_loading)

    with override_settings(PORTAL_ENV="production"), pytest.raises(Boom):
        call_command("load_demo_data", "--force", stdout=io.StringIO())


def test_a_failure_midway_leaves_nothing_loaded(monkeypatch):
    before = row_counts()

    def fail_after_the_first_organisation(organisation, entries, references):
        assert OrganisationPage.objects.filter(pk=organisation.pk).exists()
        raise Boom

    monkeypatch.setattr(load_demo_data, "ensure_services", fail_after_the_first_organisation)

    with pytest.raises(Boom):
        call_command("load_demo_data", stdout=io.StringIO())

    assert row_counts() == before


@pytest.fixture(scope="class")
def demo_output(django_db_setup, django_db_blocker):
    """Load the demo data once for the whole class, in a transaction rolled back after it."""
    # The slow default hasher would make signing in as every demo user take half a minute.
    fast_hashing = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with fast_hashing, django_db_blocker.unblock(), transaction.atomic():
        output = io.StringIO()
        call_command("load_demo_data", stdout=output)
        yield output.getvalue()
        transaction.set_rollback(True)


def printed_password(output: str) -> str:
    match = re.search(r"^Password for every demo login: (\S+)$", output, re.MULTILINE)
    assert match, output
    return match.group(1)


def printed_logins(output: str) -> list[list[str]]:
    """The rows of the printed table of logins, split on runs of two or more spaces."""
    lines = output.split("\n")
    start = next(index for index, line in enumerate(lines) if line.split()[:2] == ["username", "role"])
    rows = []
    for line in lines[start + 1 :]:
        if not line.strip():
            break
        rows.append(re.split(r"\s{2,}", line.strip()))
    return rows


def live_services():
    return ServicePage.objects.live()


def services_available_in(region: Region):
    # As the directory's region filter: no regions named means wherever the organisation works.
    return live_services().filter(Q(regions=region) | Q(regions__isnull=True, organisation__regions=region)).distinct()


def services_available_at_age(age: int):
    return live_services().filter(
        Q(minimum_age__isnull=True) | Q(minimum_age__lte=age), Q(maximum_age__isnull=True) | Q(maximum_age__gte=age)
    )


def public_texts(page) -> list[str]:
    fields = page._meta.concrete_fields
    return [getattr(page, field.name) for field in fields if isinstance(field, models.CharField | models.TextField)]


def countries_with(referrals) -> set[str]:
    return set(referrals.values_list("client__country", flat=True))


def people_texts() -> list[str]:
    """Every text the demo wrote about a person: records, needs, referrals, plans, check-ins and notes."""
    texts = []
    for client in Client.objects.all():
        texts += [client.first_name, client.last_name, client.other_names, client.contact_route, client.risk_notes]
    texts += list(Need.objects.values_list("details", flat=True))
    for referral in Referral.objects.prefetch_related("events"):
        texts += [referral.note, referral.response_note, referral.outcome_note, str(referral.disclosed)]
        texts += [event.note for event in referral.events.all()]
    for case in SupervisionCase.objects.all():
        texts += [case.handover_note, str(case.handover_summary)]
    texts += list(Goal.objects.values_list("description", flat=True))
    texts += list(GoalReview.objects.values_list("note", flat=True))
    texts += list(CheckIn.objects.values_list("note", flat=True))
    texts += list(CaseNote.objects.values_list("body", flat=True))
    return texts


def summary_line(output: str, label: str) -> str:
    match = re.search(rf"^{label}: (.+)$", output, re.MULTILINE)
    assert match, output
    return match.group(1)


def assert_narrows(queryset, total: int, label: str) -> None:
    """A filter value narrows the directory: some services have it, not all."""
    assert 0 < queryset.count() < total, label


@pytest.mark.usefixtures("demo_output")
class TestLoadedDemoData:
    def test_organisations_and_services_in_all_four_countries(self):
        organisations = OrganisationPage.objects.live()
        assert organisations.count() >= 40
        assert live_services().count() >= 120
        for country in Country:
            assert organisations.filter(country=country).count() >= 5, country
            assert live_services().filter(organisation__country=country).count() >= 15, country
            assert organisations.filter(country=country, kind=OrganisationKind.COORDINATION).count() == 1, country
        assert set(organisations.values_list("kind", flat=True)) == set(OrganisationKind.values)
        assert organisations.filter(regions__code__in=KURDISTAN_REGIONS).exists()

    def test_every_pathway_has_services_in_at_least_two_countries(self):
        pathways = TaxonomyTerm.objects.filter(taxonomy_id=PATHWAYS_TAXONOMY_ID)
        assert pathways.count() == 12
        for pathway in pathways:
            countries = set(live_services().filter(categories=pathway).values_list("organisation__country", flat=True))
            assert len(countries) >= 2, pathway.code

    def test_every_page_is_live_with_one_published_revision(self):
        pages = Page.objects.type(OrganisationPage, ServicePage)
        assert pages.count() == OrganisationPage.objects.count() + ServicePage.objects.count()
        for page in pages:
            assert page.live, page
            assert page.live_revision_id == page.latest_revision_id is not None, page
            assert not page.has_unpublished_changes, page
        page_ids = [str(pk) for pk in pages.values_list("pk", flat=True)]
        assert Revision.page_revisions.filter(object_id__in=page_ids).count() == pages.count()

    def test_every_role_has_a_login_in_at_least_two_countries(self):
        for role in Role:
            countries = set(Membership.objects.filter(role=role).values_list("organisation__country", flat=True))
            assert len(countries) >= 2, role
            assert {Country.KAZAKHSTAN, Country.IRAQ} <= countries, role
        coordinated = Membership.objects.filter(role=Role.NATIONAL_COORDINATOR).values_list(
            "organisation__country", flat=True
        )
        assert set(coordinated) == set(Country.values)

    def test_members_belong_to_the_kind_of_organisation_their_role_works_in(self):
        for membership in Membership.objects.select_related("organisation"):
            assert membership.organisation.kind == ROLE_KINDS[membership.role], membership

    def test_coordinators_and_editors_get_their_admin_groups(self):
        coordinator = get_user_model().objects.get(username="kz.coordinator")
        editor = get_user_model().objects.get(username="iq.cso.editor")

        assert coordinator.groups.filter(coordinated_country__country=Country.KAZAKHSTAN).exists()
        assert editor.groups.filter(edited_organisation__memberships__user=editor).exists()

    def test_every_printed_login_signs_in_with_the_printed_password(self, client, demo_output):
        password = printed_password(demo_output)
        validate_password(password)
        usernames = [row[0] for row in printed_logins(demo_output)]

        assert sorted(usernames) == sorted(get_user_model().objects.values_list("username", flat=True))
        assert get_user_model().objects.get(username="admin").is_superuser
        for username in usernames:
            # With a request, as every sign-in has one: django-axes refuses to count attempts without.
            request = RequestFactory().post("/accounts/login/")
            assert client.login(request=request, username=username, password=password), username
            client.logout()

    def test_the_table_names_role_organisation_and_country_and_the_urls_follow(self, demo_output):
        rows = {row[0]: row for row in printed_logins(demo_output)}

        assert rows["kz.social.worker"][1:] == [
            str(Role.PRISON_SOCIAL_WORKER.label),
            Membership.objects.get(user__username="kz.social.worker").organisation.title,
            str(Country.KAZAKHSTAN.label),
        ]
        for path in ("/", "/directory/", "/admin/", "/accounts/login/"):
            assert re.search(rf"http://127\.0\.0\.1:\d+{path}(\s|$)", demo_output), path

    def test_the_viewer_and_the_coordinator_see_dashboards_full_of_figures(self, client):
        dashboards = {
            "viewer": ("referrals", "outcomes", "release", "aftercare", "network"),
            "kz.coordinator": ("referrals", "aftercare", "network"),
        }
        for username, groups in dashboards.items():
            client.force_login(get_user_model().objects.get(username=username))
            for group in groups:
                response = client.get(f"/reporting/dashboards/{group}/")
                figures = re.findall(r"<td>(\d+)</td>", response.content.decode())
                assert any(int(figure) >= 5 for figure in figures), (username, group)

    def test_the_coordinators_trend_has_referrals_in_most_of_the_six_months(self):
        for username, country in (("kz.coordinator", "KZ"), ("iq.coordinator", "IQ")):
            user = get_user_model().objects.get(username=username)
            trend = overview_of(user, country)["pipeline"]
            sent_per_month = [sum(row["cells"][index]["count"] for row in trend["rows"]) for index in range(6)]
            assert sum(count > 0 for count in sent_per_month) >= 4, (username, sent_per_month)

    def test_the_kz_coordinator_sees_figures_of_five_or_more_on_release_and_outcomes(self, client):
        client.force_login(get_user_model().objects.get(username="kz.coordinator"))
        for group in ("release", "outcomes"):
            response = client.get(f"/reporting/dashboards/{group}/")
            figures = re.findall(r"<td>(\d+)</td>", response.content.decode())
            assert any(int(figure) >= 5 for figure in figures), group

    def test_referrals_were_sent_on_different_days_and_answered_days_later(self):
        sent_days = set(Referral.objects.exclude(sent_at=None).values_list("sent_at__date", flat=True))
        assert len(sent_days) >= 15
        for event in ReferralEvent.objects.filter(verb__in=("accept", "decline")).select_related("referral"):
            assert event.at >= event.referral.sent_at, event.referral
            assert event.referral.consent.given_on <= timezone.localtime(event.referral.sent_at).date(), event.referral
        assert ReferralEvent.objects.filter(verb="accept", at__date__lt=timezone.localdate()).count() >= 10

    def test_every_filter_value_is_on_some_services_and_not_on_others(self):
        total = live_services().count()
        choice_fields = {
            "sex_served": SexServed,
            "delivery": Delivery,
            "capacity": Capacity,
            "status": ServiceStatus,
            "organisation__country": Country,
        }
        for field, choices in choice_fields.items():
            for value in choices.values:
                assert_narrows(live_services().filter(**{field: value}), total, f"{field}={value}")
        for term in TaxonomyTerm.objects.filter(taxonomy_id__in=[PATHWAYS_TAXONOMY_ID, STAFF_ATTRIBUTES_TAXONOMY_ID]):
            field = "sensitive_attributes" if term.is_sensitive else "categories"
            assert_narrows(live_services().filter(**{field: term}), total, term.code)
        for language in Language.objects.all():
            assert_narrows(live_services().filter(languages=language), total, language.code)
        named_regions = Region.objects.filter(Q(services__isnull=False) | Q(organisations__isnull=False)).distinct()
        assert named_regions.count() >= 30
        for region in named_regions:
            assert_narrows(services_available_in(region), total, region.code)
        assert_narrows(live_services().filter(regions__isnull=True), total, "services without regions")
        for age in (2, 10, 16, 30, 70):
            assert_narrows(services_available_at_age(age), total, f"age {age}")

    def test_age_limits_vary(self):
        assert live_services().filter(minimum_age__isnull=True, maximum_age__isnull=True).exists()
        assert live_services().filter(minimum_age=18, maximum_age__isnull=True).exists()
        assert live_services().filter(minimum_age=0, maximum_age=17).exists()

    def test_organisations_verified_on_different_dates_and_some_not_yet(self):
        organisations = OrganisationPage.objects.live()
        assert organisations.filter(verified_on__isnull=True).exists()
        assert organisations.values("verified_on").distinct().count() >= 10

    def test_womens_services_are_for_women_and_childrens_services_for_children(self):
        womens = live_services().filter(categories__code="women")
        childrens = live_services().filter(categories__code="children")

        assert womens.exists()
        assert not womens.exclude(sex_served=SexServed.FEMALE).exists()
        assert childrens.filter(maximum_age__lte=17).exists()
        assert not childrens.filter(maximum_age__gt=17).exists()

    def test_codes_come_from_the_right_taxonomy_and_regions_from_the_organisations_country(self):
        for service in live_services().prefetch_related("categories", "sensitive_attributes", "regions"):
            assert service.categories.exists(), service
            assert {term.taxonomy_id for term in service.categories.all()} == {PATHWAYS_TAXONOMY_ID}, service
            assert all(term.is_sensitive for term in service.sensitive_attributes.all()), service
            assert {region.country for region in service.regions.all()} <= {service.organisation.country}, service
        for organisation in OrganisationPage.objects.prefetch_related("regions"):
            assert {region.country for region in organisation.regions.all()} == {organisation.country}, organisation

    def test_names_and_descriptions_in_english_and_the_local_language(self):
        for organisation in OrganisationPage.objects.prefetch_related("regions"):
            local_text = organisation.local_name + organisation.description_local
            if organisation.country == Country.IRAQ:
                assert ARABIC_SCRIPT.search(local_text), organisation
                if {region.code for region in organisation.regions.all()} <= KURDISTAN_REGIONS:
                    assert SORANI_LETTERS.search(local_text), organisation
            else:
                assert CYRILLIC_SCRIPT.search(local_text), organisation
            for page in [organisation, *organisation.services.all()]:
                assert page.title and page.description and page.local_name and page.description_local, page
                assert not CYRILLIC_SCRIPT.search(page.title + page.description), page
                assert not ARABIC_SCRIPT.search(page.title + page.description), page

    def test_some_listings_translated_into_two_languages_and_shown_in_them(self, client):
        for model in (OrganisationPage, ServicePage):
            translated = model.objects.filter(translations__isnull=False).distinct().prefetch_related("translations")
            assert len(translated) >= 4, model
            for page in translated:
                languages = {row.language for row in page.translations.all()}
                assert len(languages) >= 2 and page.original_language not in languages, page
                assert all(row.title and row.description for row in page.translations.all()), page
        service = ServicePage.objects.filter(translations__language="ky").get()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ky"
        with translation.override(settings.LANGUAGE_CODE):  # the request activates Kyrgyz; English after it
            content = client.get(service.url).content.decode()
        assert service.translated("ky")["title"].value in content

    def test_no_public_text_labels_anyone(self):
        pages = [*OrganisationPage.objects.all(), *ServicePage.objects.all()]
        staff_terms = TaxonomyTerm.objects.filter(taxonomy_id=STAFF_ATTRIBUTES_TAXONOMY_ID)
        texts = [text for page in pages for text in public_texts(page)]
        texts += [term.name + " " + term.description for term in staff_terms]
        assert len(texts) > 1000
        for text in texts:
            for word in STIGMATISING_WORDS:
                assert word not in text.lower(), text

    def test_contacts_are_fictional(self):
        for organisation in OrganisationPage.objects.all():
            assert organisation.phone.startswith(PHONE_PREFIXES[organisation.country]), organisation
            assert organisation.address, organisation
            if organisation.email:
                assert organisation.email.endswith(".example.org"), organisation
            if organisation.website:
                assert urlparse(organisation.website).hostname.endswith(".example.org"), organisation
        assert OrganisationPage.objects.exclude(email="").count() >= 30
        for user in get_user_model().objects.all():
            assert user.email.endswith("@example.org"), user

    def test_keyword_search_finds_services(self):
        found = {service.title for service in live_services().search("literacy")}

        assert "Adult literacy evening classes" in found
        assert "Literacy and numeracy for adults" in found

    def test_clients_in_every_country_recorded_by_a_social_worker_of_their_prison(self):
        for country in Country:
            clients = Client.objects.filter(country=country)
            assert clients.count() >= 10, country
            assert clients.filter(sex=Sex.FEMALE).count() >= 3, country
            assert clients.filter(sex=Sex.MALE).count() >= 3, country
            assert clients.filter(expected_release_date__lt=timezone.localdate()).exists(), country
            assert clients.filter(expected_release_date__gt=timezone.localdate()).count() >= 5, country
            assert clients.values("expected_release_date").distinct().count() >= 8, country
        clients = Client.objects.select_related("prison", "region_of_return").prefetch_related("languages")
        assert Client.objects.filter(sex=Sex.MALE).count() > Client.objects.filter(sex=Sex.FEMALE).count()
        assert len({client.age_band for client in clients}) >= len(AGE_BANDS)
        for client in clients:
            assert Membership.objects.filter(
                user=client.created_by, organisation=client.prison, role=Role.PRISON_SOCIAL_WORKER
            ).exists(), client
            assert client.prison.kind == OrganisationKind.PRISON, client
            assert client.region_of_return.country == client.country, client
            assert client.languages.exists(), client
        assert AuditEvent.objects.filter(action="client.create").count() == Client.objects.count()

    def test_names_in_the_local_script_with_other_spellings(self):
        for client in Client.objects.all():
            local_script = ARABIC_SCRIPT if client.country == Country.IRAQ else CYRILLIC_SCRIPT
            assert local_script.search(client.first_name + client.last_name), client
            assert LATIN_LETTERS.search(client.other_names), client
            assert not LATIN_LETTERS.search(client.first_name + client.last_name), client
        kurdish = Client.objects.filter(country=Country.IRAQ, languages__code="ckb")
        assert any(SORANI_LETTERS.search(client.first_name + client.last_name) for client in kurdish)

    def test_needs_consent_and_contact_routes(self):
        for client in Client.objects.prefetch_related("needs", "consents"):
            assert client.needs.exists(), client
            assert client.consents.exists(), client
        assert set(Need.objects.values_list("priority", flat=True)) == set(Priority.values)
        assert Need.objects.values("category").distinct().count() >= 10
        withdrawn = Referral.objects.filter(consent__withdrawn_on__isnull=False)
        assert withdrawn.exists()
        for referral in withdrawn.filter(status__in=[ReferralStatus.SENT, ReferralStatus.ACCEPTED]):
            assert referral.consent_withdrawn, referral
            assert referral.disclosed == withdrawn_disclosure({"reference": referral.client.reference}), referral
        in_force = Client.objects.filter(consents__withdrawn_on__isnull=True).distinct().count()
        assert in_force >= Client.objects.count() - 2
        with_contact = Client.objects.exclude(contact_route="").count()
        assert 5 <= with_contact < Client.objects.count()
        assert Referral.objects.filter(disclosed__has_key="contact_route").exists()

    def test_referrals_in_every_status_in_at_least_two_countries(self):
        for status in ReferralStatus:
            assert len(countries_with(Referral.objects.filter(status=status))) >= 2, status
        completed = Referral.objects.filter(status=ReferralStatus.COMPLETED)
        for outcome in Outcome:
            assert len(countries_with(completed.filter(outcome=outcome))) >= 2, outcome
        declined = Referral.objects.filter(status=ReferralStatus.DECLINED)
        assert not declined.filter(decline_reason="").exists()
        assert declined.values("decline_reason").distinct().count() >= 3
        sent = Referral.objects.filter(status=ReferralStatus.SENT)
        assert len(countries_with(sent.filter(overdue()))) >= 2
        assert len(countries_with(sent.exclude(overdue()))) >= 2
        for referral in Referral.objects.filter(status=ReferralStatus.EXPIRED):
            assert referral.response_due < timezone.localdate(), referral

    def test_every_referral_stays_in_its_clients_country_and_goes_to_a_kind_that_takes_referrals(self):
        # The demo loader refers through the same verb as the pages and the API, which refuses the rest.
        referrals = Referral.objects.all()
        assert referrals.exists()
        assert not referrals.exclude(service__organisation__country=F("client__country")).exists()
        assert not referrals.exclude(service__organisation__kind__in=REFERABLE_KINDS).exists()

    def test_every_referral_went_through_the_verbs(self):
        for referral in Referral.objects.prefetch_related("events"):
            events = list(referral.events.all())
            assert events[0].verb == "create", referral
            assert events[-1].to_status == referral.status, referral
            assert all(earlier.to_status == later.from_status for earlier, later in pairwise(events)), referral
            if referral.status != ReferralStatus.DRAFT:
                assert referral.disclosed["reference"] == referral.client.reference, referral
        assert AuditEvent.objects.filter(action="referral.create").count() == Referral.objects.count()
        assert AuditEvent.objects.filter(action="referral.expire").count() == (
            Referral.objects.filter(status=ReferralStatus.EXPIRED).count()
        )

    def test_a_mother_and_her_children_are_referred_together_to_a_family_service(self):
        groups = set(Referral.objects.exclude(family_group=None).values_list("family_group", flat=True))
        assert len(groups) >= 2
        answered = 0
        for group in groups:
            referrals = list(Referral.objects.filter(family_group=group).select_related("client", "service"))
            mothers = [referral.client for referral in referrals if referral.client.mother_id is None]
            children = {referral.client for referral in referrals if referral.client.mother_id is not None}
            assert len(mothers) == 1 and mothers[0].sex == Sex.FEMALE, group
            assert children and children == set(mothers[0].children.all()), group
            service = referrals[0].service
            assert {referral.service for referral in referrals} == {service}, group
            assert service.categories.filter(code="family-support").exists(), group
            answered += all(referral.status == ReferralStatus.ACCEPTED for referral in referrals)
        assert answered >= 2
        assert len(countries_with(Referral.objects.exclude(family_group=None))) >= 2

    def test_every_caseworker_inbox_is_full(self):
        caseworkers = get_user_model().objects.filter(memberships__role=Role.CSO_CASEWORKER).distinct()
        assert caseworkers.count() >= 4
        for user in caseworkers:
            inbox = referrals_visible_to(user)
            assert inbox.count() >= 5, user
            assert inbox.values("status").distinct().count() >= 5, user
            assert inbox.filter(status=ReferralStatus.SENT).exists(), user
            assert Notification.objects.filter(user=user, verb="send").exists(), user

    def test_supervision_cases_with_plans_check_ins_and_notes(self):
        today = timezone.localdate()
        for country in (Country.KAZAKHSTAN, Country.IRAQ):
            cases = SupervisionCase.objects.filter(client__country=country).select_related("client", "officer")
            assert cases.count() >= 3, country
            for case in cases:
                assert case.opened_on < today and case.opened_on == case.client.expected_release_date, case
                assert case.client.probation_office_id == case.probation_office_id, case
                assert Membership.objects.filter(
                    user=case.officer, organisation=case.probation_office_id, role=Role.PROBATION_OFFICER
                ).exists(), case
                assert case.handover_summary["needs"] and case.handover_summary["referrals"], case
                assert case.goals.values("pathway").distinct().count() >= 2, case
                assert case.check_ins.filter(from_template=True).count() == len(DEFAULT_CHECK_IN_OFFSETS), case
                assert not case.check_ins.filter(due_on__lt=today, status=CheckInStatus.SCHEDULED).exists(), case
            statuses = set(CheckIn.objects.filter(case__in=cases).values_list("status", flat=True))
            assert statuses == set(CheckInStatus.values), country
            reviewed = Goal.objects.filter(case__in=cases).annotate(reviews_count=Count("reviews"))
            assert reviewed.filter(reviews_count__gte=3).exists(), country
            assert reviewed.values("status").distinct().count() >= 3, country
        for missed in CheckIn.objects.filter(status=CheckInStatus.MISSED).select_related("case"):
            assert Alert.objects.filter(check_in=missed, user=missed.case.officer).exists(), missed

    def test_case_notes_from_prison_probation_and_caseworkers(self):
        for country in (Country.KAZAKHSTAN, Country.IRAQ):
            notes = CaseNote.objects.filter(client__country=country)
            kinds = set(notes.values_list("organisation__kind", flat=True))
            assert kinds == {OrganisationKind.PRISON, OrganisationKind.PROBATION, OrganisationKind.CSO}, country
            assert set(notes.values_list("visibility", flat=True)) == set(NoteVisibility.values), country
            amendment = notes.filter(amends__isnull=False).select_related("amends").first()
            assert amendment is not None, country
            assert amendment.amends.client_id == amendment.client_id
            assert amendment.amends.sequence < amendment.sequence
            on_a_case = notes.filter(client__supervision_case__isnull=False)
            assert set(on_a_case.values_list("organisation__kind", flat=True)) == kinds, country
        for note in CaseNote.objects.filter(organisation__kind=OrganisationKind.CSO):
            assert note.visibility == NoteVisibility.TEAM, note
            assert Referral.objects.filter(
                client=note.client_id,
                receiving_organisation=note.organisation_id,
                status__in=["accepted", "in_progress", "completed"],
            ).exists(), note

    def test_no_text_about_a_person_labels_them(self):
        texts = people_texts()
        assert len(texts) > 500
        for text in texts:
            for word in STIGMATISING_WORDS:
                assert word not in text.lower(), text

    def test_the_summary_follows_the_logins_and_counts_what_exists(self, demo_output):
        assert demo_output.index("People: ") > demo_output.index("username  ")
        assert summary_line(demo_output, "People").startswith(f"{Client.objects.count()} clients in 4 countries")
        referrals = summary_line(demo_output, "Referrals")
        assert referrals.startswith(f"{Referral.objects.count()} ")
        for status in ReferralStatus:
            assert f"{status.label.lower()} {Referral.objects.filter(status=status).count()}" in referrals, status
        assert f"({Referral.objects.filter(overdue()).count()} overdue)" in referrals
        aftercare = summary_line(demo_output, "Aftercare")
        assert aftercare.startswith(f"{SupervisionCase.objects.count()} supervision cases, ")
        assert f" {CaseNote.objects.count()} case notes." in aftercare

    def test_a_second_run_changes_nothing(self, django_assert_max_num_queries):
        before = row_counts()
        pages = list(Page.objects.order_by("pk").values_list("pk", "latest_revision_id", "last_published_at"))
        users = list(get_user_model().objects.order_by("pk").values_list("pk", "password", "last_login"))
        referrals = list(Referral.objects.order_by("pk").values_list("pk", "status", "version", "response_due"))
        output = io.StringIO()

        # A first run takes some 20,000 queries; a second only looks.
        with django_assert_max_num_queries(500):
            call_command("load_demo_data", stdout=output)

        assert row_counts() == before
        assert list(Page.objects.order_by("pk").values_list("pk", "latest_revision_id", "last_published_at")) == pages
        assert list(get_user_model().objects.order_by("pk").values_list("pk", "password", "last_login")) == users
        assert list(Referral.objects.order_by("pk").values_list("pk", "status", "version", "response_due")) == referrals
        assert "(0 new)" in output.getvalue()
        assert "0 new clients." in output.getvalue()
