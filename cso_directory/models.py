"""The directory: regions, languages, the service taxonomy, organisations, services, memberships.

The page tree is Home → DirectoryIndexPage (/directory/) → CountryDirectoryPage (one per
country: it carries that country's moderation workflow and coordinators' permissions) →
OrganisationPage → ServicePage. Services are pages so that each has its own URL and every
change an editor makes goes through the same Wagtail revision and approval workflow.
"""

import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from cso_directory.access import can_see_sensitive_attributes
from cso_directory.page_forms import ListingPageForm, OrganisationPageForm
from cso_directory.search import service_search_document
from cso_directory.validators import TextLimit
from portal.foundation.countries import Country
from portal.foundation.roles import Role
from portal.foundation.validators import validate_names


def name_in_active_language(names: dict[str, str], fallback: str) -> str:
    """The name `names` gives for the active interface language, or `fallback` (the English one)."""
    return names.get(get_language() or "", "") or fallback


def limited_text(verbose_name, limit: int, **options) -> models.TextField:
    """Free text an editor types, of at most `limit` characters; going over names the field and the limit."""
    return models.TextField(verbose_name, validators=[TextLimit(limit, verbose_name)], **options)


def original_language_field() -> models.CharField:
    """The language a listing's own texts are written in: one of the portal's languages."""
    return models.CharField(
        _("original language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language the texts of this page are written in. Add translations into other languages below."),
    )


def translations_panel() -> InlinePanel:
    return InlinePanel("translations", heading=_("Translations"), label=_("Translation"))


@dataclass(frozen=True)
class Text:
    """A text shown to visitors and the language it is written in."""

    value: str
    language: str

    def __str__(self) -> str:
        return self.value


class ShownTexts:
    """A listing's visitor-facing texts in one language: each one translated where a translation has it,
    else the original. `texts["title"]` (`{{ texts.title }}` in a template) is a `Text`."""

    def __init__(self, listing: Any, language: str):
        original = listing.original_language
        translation = None
        if language != original:
            translation = next((row for row in listing.translations.all() if row.language == language), None)
        self.language = language
        self.original_language = original
        self.original_language_name = listing.get_original_language_display()
        self.is_translated = translation is not None
        self.texts: dict[str, Text] = {}
        for field in listing.translated_fields:
            translated_value = getattr(translation, field) if translation is not None else ""
            if translated_value:
                self.texts[field] = Text(translated_value, language)
            else:
                self.texts[field] = Text(getattr(listing, field), original)

    def __getitem__(self, field: str) -> Text:
        return self.texts[field]

    @property
    def falls_back(self) -> bool:
        """Whether any text shown is in the original language though the visitor asked for another."""
        return any(text.value and text.language != self.language for text in self.texts.values())


class CachedForVisitors:
    """A public page rendered once per language and query for anonymous visitors and served from the
    cache until a listing changes (cso_directory.directory_cache)."""

    def serve(self, request, *args, **kwargs):
        from cso_directory.directory_cache import served_from_cache

        def render():
            # A mixin of Page subclasses: Page.serve comes after it in their method order.
            return super(CachedForVisitors, self).serve(request, *args, **kwargs)  # type: ignore[misc]

        return served_from_cache(request, render)


class TranslatableListing:
    """A page whose `translated_fields` editors translate in `translations` (a ListingTranslation per language)."""

    translated_fields: tuple[str, ...]

    def translated(self, language: str) -> ShownTexts:
        return ShownTexts(self, language)


def translations_in(translation_model: type[models.Model], language: str, lookup: str = "translations"):
    """A prefetch of the listings' translations into `language` only: all that `translated(language)` reads."""
    return models.Prefetch(lookup, queryset=translation_model._default_manager.filter(language=language))


class ListingTranslation(Orderable):
    """The texts of an organisation or service page in one more language, edited and approved with the page."""

    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    title = models.CharField(_("name"), max_length=255)
    description = limited_text(_("description"), 2000)

    class Meta(Orderable.Meta):
        abstract = True

    def clean(self):
        super().clean()
        validate_names(self, "title")

    def __str__(self) -> str:
        return f"{self.get_language_display()}: {self.title}"


class Region(models.Model):
    """A first-level administrative division (ISO 3166-2), e.g. KZ-ALA or IQ-AR."""

    code = models.CharField(_("ISO 3166-2 code"), max_length=10, unique=True)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices, db_index=True)
    name_en = models.CharField(_("name in English"), max_length=100)
    name_local = models.CharField(_("name in the local language"), max_length=100)
    # The name in each interface language but English ({"ru": "город Алматы", ...}), from data/regions.csv.
    names = models.JSONField(_("names in the interface languages"), default=dict, blank=True)

    class Meta:
        ordering = ["country", "name_en"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        """The region's name in the active language, else in English."""
        return name_in_active_language(self.names, self.name_en)


class Language(models.Model):
    """A language a service can be received in; `code` is ISO 639-1, or 639-3 where no 639-1 exists."""

    code = models.CharField(_("code"), max_length=8, unique=True)
    name_en = models.CharField(_("name in English"), max_length=60)
    autonym = models.CharField(_("name in the language itself"), max_length=60)

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("language")
        verbose_name_plural = _("languages")

    def __str__(self) -> str:
        """The language's name in the active language, where Django knows it; else its own name."""
        try:
            return str(get_language_info(self.code)["name_translated"])
        except KeyError:
            return self.autonym


class Taxonomy(models.Model):
    """A vocabulary of terms (HSDS `taxonomy`)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    uri = models.CharField(_("URI"), max_length=500, blank=True)
    version = models.CharField(_("version"), max_length=50, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("taxonomy")
        verbose_name_plural = _("taxonomies")

    def __str__(self) -> str:
        return self.name


class TaxonomyTerm(models.Model):
    """A term of a taxonomy (HSDS `taxonomy_term`): a service category or a provider attribute.

    Terms marked `is_sensitive` (e.g. "experienced with returnees") describe providers in a way
    that must never reach the public: only signed-in staff see them.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    taxonomy = models.ForeignKey(
        Taxonomy, on_delete=models.PROTECT, null=True, blank=True, related_name="terms", verbose_name=_("taxonomy")
    )
    code = models.CharField(_("code"), max_length=100, blank=True, db_index=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    # HSDS allows a parent id from a taxonomy the portal does not hold, so this is no foreign key.
    parent_term_id = models.UUIDField(_("parent term id"), null=True, blank=True)
    taxonomy_label = models.CharField(_("taxonomy name as given by the source"), max_length=200, blank=True)
    term_uri = models.CharField(_("term URI"), max_length=500, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    is_sensitive = models.BooleanField(_("visible to signed-in staff only"), default=False, db_index=True)
    # The portal's own terms are named in each interface language but English (data/*.csv); `name` is English.
    names = models.JSONField(_("names in the interface languages"), default=dict, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("taxonomy term")
        verbose_name_plural = _("taxonomy terms")
        constraints = [
            models.UniqueConstraint(
                fields=["taxonomy", "code"], condition=~models.Q(code=""), name="unique_term_code_per_taxonomy"
            )
        ]

    def __str__(self) -> str:
        """The term's name in the active language, else `name`."""
        return name_in_active_language(self.names, self.name)


class DirectoryIndexPage(CachedForVisitors, Page):
    """The public directory at /directory/: search and filters over every live service."""

    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["portal.HomePage"]
    subpage_types = ["cso_directory.CountryDirectoryPage"]
    max_count = 1

    class Meta:
        verbose_name = _("directory")

    def get_context(self, request, *args, **kwargs):
        from cso_directory.filters import search_directory  # filters import these models

        return {**super().get_context(request, *args, **kwargs), **search_directory(request)}


class CountryDirectoryPage(Page):
    """A country's part of the directory; its coordinators approve every change below it."""

    country = models.CharField(_("country"), max_length=2, choices=Country.choices, unique=True)
    coordinators = models.OneToOneField(
        "auth.Group",
        on_delete=models.PROTECT,
        null=True,
        editable=False,
        related_name="coordinated_country",
        verbose_name=_("coordinators' group"),
    )

    content_panels = [*Page.content_panels, FieldPanel("country")]
    parent_page_types = ["cso_directory.DirectoryIndexPage"]
    subpage_types = ["cso_directory.OrganisationPage"]

    class Meta:
        verbose_name = _("country directory")

    def get_context(self, request, *args, **kwargs):
        organisations = OrganisationPage.objects.child_of(self).live().public().order_by("title")
        organisations = organisations.prefetch_related(translations_in(OrganisationTranslation, get_language()))
        return {**super().get_context(request, *args, **kwargs), "organisations": organisations}


def updates_any(update_fields, *names: str) -> bool:
    """Whether a save with these `update_fields` (None: every field) writes one of `names`."""
    return update_fields is None or not set(update_fields).isdisjoint(names)


class OrganisationKind(models.TextChoices):
    CSO = "cso", _("Civil society organisation / NGO")
    GOVERNMENT = "government", _("Government service")
    PRISON = "prison", _("Prison")
    PROBATION = "probation", _("Probation office")
    INTERNATIONAL = "international", _("International organisation")
    COORDINATION = "coordination", _("National coordination office")


class OrganisationPage(CachedForVisitors, TranslatableListing, Page):
    hsds_id = models.UUIDField(_("HSDS id"), default=uuid.uuid4, unique=True, editable=False)
    original_language = original_language_field()
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices, db_index=True)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices, db_index=True, editable=False)
    local_name = models.CharField(_("name in the local language"), max_length=255, blank=True)
    description = limited_text(_("description"), 2000)
    description_local = limited_text(_("description in the local language"), 2000, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    address = limited_text(_("address"), 500, blank=True)
    opening_hours = limited_text(_("opening hours"), 500, blank=True)
    regions = ParentalManyToManyField(
        Region, blank=True, related_name="organisations", verbose_name=_("regions served")
    )
    languages = ParentalManyToManyField(Language, blank=True, related_name="organisations", verbose_name=_("languages"))
    verified_on = models.DateField(_("verified on"), null=True, blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("logo"),
    )
    editors = models.OneToOneField(
        "auth.Group",
        on_delete=models.PROTECT,
        null=True,
        editable=False,
        related_name="edited_organisation",
        verbose_name=_("editors' group"),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("original_language"),
        FieldPanel("local_name"),
        FieldPanel("kind"),
        FieldPanel("description"),
        FieldPanel("description_local"),
        MultiFieldPanel(
            [
                FieldPanel("email"),
                FieldPanel("website"),
                FieldPanel("phone"),
                FieldPanel("address"),
                FieldPanel("opening_hours"),
            ],
            heading=_("Contacts"),
        ),
        FieldPanel("regions"),
        FieldPanel("languages"),
        FieldPanel("verified_on"),
        FieldPanel("logo"),
        translations_panel(),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("local_name"),
        index.SearchField("description"),
        index.SearchField("description_local"),
        index.FilterField("country"),
        index.FilterField("kind"),
    ]
    base_form_class = OrganisationPageForm
    parent_page_types = ["cso_directory.CountryDirectoryPage"]
    subpage_types = ["cso_directory.ServicePage"]
    exclude_fields_in_copy = ["hsds_id", "editors"]
    translated_fields = ("title", "description")

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def clean(self):
        super().clean()
        validate_names(self, "title", "local_name")

    def save(self, *args, **kwargs):
        adding = self._state.adding
        self.country = self.get_parent().specific.country
        super().save(*args, **kwargs)
        if not adding and updates_any(kwargs.get("update_fields"), "title", "local_name"):
            self.refresh_services_search_documents()

    def refresh_services_search_documents(self) -> None:
        """Rebuild the search documents of the organisation's services, which hold its names."""
        for service in self.services.select_related("organisation").prefetch_related("categories"):
            ServicePage.objects.filter(pk=service.pk).update(search_document=service_search_document(service))

    def get_context(self, request, *args, **kwargs):
        services = with_listing_relations(self.services.live().public().order_by("title"), request.user)
        return {
            **super().get_context(request, *args, **kwargs),
            "texts": self.translated(get_language()),
            "services": services,
            "show_sensitive": can_see_sensitive_attributes(request.user),
        }


class OrganisationTranslation(ListingTranslation):
    page = ParentalKey(OrganisationPage, on_delete=models.CASCADE, related_name="translations")

    panels = [FieldPanel("language"), FieldPanel("title"), FieldPanel("description")]

    class Meta(ListingTranslation.Meta):
        verbose_name = _("organisation translation")
        verbose_name_plural = _("organisation translations")
        constraints = [
            models.UniqueConstraint(fields=["page", "language"], name="one_organisation_translation_per_language")
        ]


class SexServed(models.TextChoices):
    ANY = "any", _("Women and men")
    FEMALE = "female", _("Women and girls only")
    MALE = "male", _("Men and boys only")


class Delivery(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    REMOTE = "remote", _("Remote")
    BOTH = "both", _("In person and remote")


class Capacity(models.TextChoices):
    ACCEPTING = "accepting", _("Accepting referrals")
    WAITLIST = "waitlist", _("Waiting list")
    FULL = "full", _("Full")


class ServiceStatus(models.TextChoices):
    """HSDS service status."""

    ACTIVE = "active", _("Active")
    INACTIVE = "inactive", _("Inactive")
    DEFUNCT = "defunct", _("Defunct")
    TEMPORARILY_CLOSED = "temporarily closed", _("Temporarily closed")


class ServicePageQuerySet(PageQuerySet):
    """Whom and where a service serves: the directory search and the suggestions for a client share these rules."""

    def serving_region(self, region: Region):
        # A service that names no regions serves wherever its organisation works.
        return self.filter(models.Q(regions=region) | models.Q(regions__isnull=True, organisation__regions=region))

    def serving_person(self, *, sex: str | None = None, age: int | None = None):
        """Services open to a person of this sex and age; either left out (None) is not checked."""
        services = self
        if sex is not None:
            services = services.filter(sex_served__in=[sex, SexServed.ANY])
        if age is not None:
            services = services.filter(
                models.Q(minimum_age__isnull=True) | models.Q(minimum_age__lte=age),
                models.Q(maximum_age__isnull=True) | models.Q(maximum_age__gte=age),
            )
        return services


class ServicePage(CachedForVisitors, TranslatableListing, Page):
    hsds_id = models.UUIDField(_("HSDS id"), default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        OrganisationPage,
        on_delete=models.PROTECT,
        related_name="services",
        editable=False,
        verbose_name=_("organisation"),
    )
    original_language = original_language_field()
    local_name = models.CharField(_("name in the local language"), max_length=255, blank=True)
    description = limited_text(_("description"), 2000)
    description_local = limited_text(_("description in the local language"), 2000, blank=True)
    categories = ParentalManyToManyField(
        TaxonomyTerm,
        related_name="services",
        limit_choices_to={"is_sensitive": False},
        verbose_name=_("categories"),
    )
    sensitive_attributes = ParentalManyToManyField(
        TaxonomyTerm,
        blank=True,
        related_name="+",
        limit_choices_to={"is_sensitive": True},
        verbose_name=_("attributes visible to signed-in staff only"),
    )
    status = models.CharField(_("status"), max_length=20, choices=ServiceStatus.choices, default=ServiceStatus.ACTIVE)
    sex_served = models.CharField(
        _("sex served"), max_length=10, choices=SexServed.choices, default=SexServed.ANY, db_index=True
    )
    minimum_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True, db_index=True)
    maximum_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True, db_index=True)
    languages = ParentalManyToManyField(Language, blank=True, related_name="services", verbose_name=_("languages"))
    regions = ParentalManyToManyField(Region, blank=True, related_name="services", verbose_name=_("regions served"))
    delivery = models.CharField(
        _("delivery"), max_length=10, choices=Delivery.choices, default=Delivery.IN_PERSON, db_index=True
    )
    capacity = models.CharField(
        _("capacity"), max_length=10, choices=Capacity.choices, default=Capacity.ACCEPTING, db_index=True
    )
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    address = limited_text(
        _("address"), 500, blank=True, help_text=_("Where to go, if not the organisation's address.")
    )
    opening_hours = limited_text(
        _("opening hours"), 500, blank=True, help_text=_("When it is open, if not the organisation's opening hours.")
    )
    eligibility_description = limited_text(_("eligibility"), 1000, blank=True)
    application_process = limited_text(_("how to apply"), 1000, blank=True)
    fees_description = limited_text(_("fees"), 500, blank=True)
    interpretation_services = limited_text(_("interpretation services"), 500, blank=True)
    alert = limited_text(_("alert"), 300, blank=True)
    # Built on every save from the service's and its organisation's names and texts (cso_directory.search).
    search_document = models.TextField(default="", blank=True, editable=False)

    content_panels = [
        *Page.content_panels,
        FieldPanel("original_language"),
        FieldPanel("local_name"),
        FieldPanel("description"),
        FieldPanel("description_local"),
        FieldPanel("categories"),
        MultiFieldPanel(
            [
                FieldPanel("sex_served"),
                FieldPanel("minimum_age"),
                FieldPanel("maximum_age"),
                FieldPanel("eligibility_description"),
            ],
            heading=_("Eligibility"),
        ),
        FieldPanel("languages"),
        FieldPanel("regions"),
        FieldPanel("delivery"),
        FieldPanel("capacity"),
        FieldPanel("status"),
        FieldPanel("sensitive_attributes"),
        MultiFieldPanel(
            [
                FieldPanel("email"),
                FieldPanel("website"),
                FieldPanel("phone"),
                FieldPanel("address"),
                FieldPanel("opening_hours"),
                FieldPanel("application_process"),
                FieldPanel("fees_description"),
                FieldPanel("interpretation_services"),
                FieldPanel("alert"),
            ],
            heading=_("Details"),
        ),
        InlinePanel("service_areas", heading=_("Service areas")),
        translations_panel(),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("local_name"),
        index.SearchField("description"),
        index.SearchField("description_local"),
        index.RelatedFields("organisation", [index.SearchField("title"), index.SearchField("local_name")]),
        index.RelatedFields("categories", [index.SearchField("name")]),
    ]
    parent_page_types = ["cso_directory.OrganisationPage"]
    subpage_types: list[str] = []
    exclude_fields_in_copy = ["hsds_id"]
    base_form_class = ListingPageForm
    translated_fields = (
        "title",
        "description",
        "eligibility_description",
        "application_process",
        "fees_description",
        "interpretation_services",
        "alert",
    )

    objects = PageManager.from_queryset(ServicePageQuerySet)()

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(minimum_age__isnull=True)
                | models.Q(maximum_age__isnull=True)
                | models.Q(minimum_age__lte=models.F("maximum_age")),
                name="service_age_range_ordered",
            )
        ]

    def clean(self):
        super().clean()
        validate_names(self, "title", "local_name")
        if self.minimum_age is not None and self.maximum_age is not None and self.minimum_age > self.maximum_age:
            raise ValidationError({"maximum_age": _("The maximum age must not be below the minimum age.")})

    def save(self, *args, **kwargs):
        self.organisation = self.get_parent().specific
        self.search_document = service_search_document(self)
        super().save(*args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        language = get_language()
        return {
            **super().get_context(request, *args, **kwargs),
            "texts": self.translated(language),
            "organisation_texts": self.organisation.translated(language),
            "show_sensitive": can_see_sensitive_attributes(request.user),
            "reach": self.how_to_reach(),
        }

    def how_to_reach(self) -> dict[str, str]:
        """Contact, address and hours of the service, each taken from its organisation where the service has none."""
        organisation = self.organisation
        return {
            field: getattr(self, field) or getattr(organisation, field)
            for field in ("email", "phone", "website", "address", "opening_hours")
        }


class ServiceTranslation(ListingTranslation):
    page = ParentalKey(ServicePage, on_delete=models.CASCADE, related_name="translations")
    eligibility_description = limited_text(_("eligibility"), 1000, blank=True)
    application_process = limited_text(_("how to apply"), 1000, blank=True)
    fees_description = limited_text(_("fees"), 500, blank=True)
    interpretation_services = limited_text(_("interpretation services"), 500, blank=True)
    alert = limited_text(_("alert"), 300, blank=True)

    panels = [
        FieldPanel("language"),
        FieldPanel("title"),
        FieldPanel("description"),
        FieldPanel("eligibility_description"),
        FieldPanel("application_process"),
        FieldPanel("fees_description"),
        FieldPanel("interpretation_services"),
        FieldPanel("alert"),
    ]

    class Meta(ListingTranslation.Meta):
        verbose_name = _("service translation")
        verbose_name_plural = _("service translations")
        constraints = [
            models.UniqueConstraint(fields=["page", "language"], name="one_service_translation_per_language")
        ]


class Membership(models.Model):
    """A user working for an organisation in a role. The user's country is the organisation's."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    organisation = models.ForeignKey(
        OrganisationPage, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("organisation")
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices, db_index=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["user", "organisation", "role"], name="unique_membership_role")]

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation} · {self.get_role_display()}"

    @property
    def country(self) -> str:
        return self.organisation.country


class MembershipRequest(models.Model):
    """A role that reads person data which a user asked for themself, in a new membership or by
    changing `membership`: it grants nothing until a second coordinator of the organisation's
    country (or a superuser) approves it (cso_directory.actions)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="membership_requests",
        verbose_name=_("user"),
    )
    organisation = models.ForeignKey(
        OrganisationPage, on_delete=models.CASCADE, related_name="membership_requests", verbose_name=_("organisation")
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    membership = models.ForeignKey(
        Membership,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="change_requests",
        verbose_name=_("membership to change"),
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership awaiting approval")
        verbose_name_plural = _("memberships awaiting approval")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "role"], name="unique_membership_request")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation} · {self.get_role_display()}"


def with_listing_relations(services, user):
    """Everything a list of services shows, fetched in a fixed number of queries: in the active
    language, so only the translations into it (the pages render in that language)."""
    language = get_language()
    services = services.select_related("organisation").prefetch_related(
        "categories",
        "languages",
        translations_in(ServiceTranslation, language),
        translations_in(OrganisationTranslation, language, "organisation__translations"),
    )
    if can_see_sensitive_attributes(user):
        services = services.prefetch_related("sensitive_attributes")
    return services


# ---------------------------------------------------------------------------------------------
# HSDS 3.0 details (Open Referral): the rows an organisation or service carries besides its page.
#
# Field names follow HSDS so that import, export and the HSDS API map them one to one; the
# primary key is the HSDS id. In HSDS one detail row may belong to several records at once (the
# official example shares one phone between an organisation, a service, a location and a
# contact), so these rows hold one optional link per possible owner, as HSDS's own tables do.
# Links to pages point at `hsds_id`, so a row's `service_id` is the service's HSDS id.
# Service areas belong to exactly one service and nothing links to them: they are ParentalKey
# children, edited inline on the service and published with its revisions. Every other row
# uses a plain foreign key: publishing a revision deletes and re-creates a page's ParentalKey
# children, which would cut the links other rows hold to them (phones, contacts and schedules
# link to a service-at-location), and a revision must not overwrite rows other pages share.
# A shared row stays when one of its owners goes (SET_NULL).
# ---------------------------------------------------------------------------------------------


class LocationType(models.TextChoices):
    PHYSICAL = "physical", _("Physical")
    POSTAL = "postal", _("Postal")
    VIRTUAL = "virtual", _("Virtual")


class Weekday(models.TextChoices):
    MO = "MO", _("Monday")
    TU = "TU", _("Tuesday")
    WE = "WE", _("Wednesday")
    TH = "TH", _("Thursday")
    FR = "FR", _("Friday")
    SA = "SA", _("Saturday")
    SU = "SU", _("Sunday")


class Frequency(models.TextChoices):
    WEEKLY = "WEEKLY", _("Weekly")
    MONTHLY = "MONTHLY", _("Monthly")


def hsds_link(model, verbose_name, related_name):
    """An optional link from a shared HSDS detail row to one of its possible owners."""
    to_field = "hsds_id" if model in (OrganisationPage, ServicePage) else None
    return models.ForeignKey(
        model,
        to_field=to_field,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name=related_name,
        verbose_name=verbose_name,
    )


class Location(models.Model):
    """Where services are delivered or an organisation can be reached (HSDS `location`)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = hsds_link(OrganisationPage, _("organisation"), "locations")
    location_type = models.CharField(_("location type"), max_length=10, choices=LocationType.choices)
    url = models.URLField(_("URL"), max_length=500, blank=True)
    name = models.CharField(_("name"), max_length=255, blank=True)
    alternate_name = models.CharField(_("alternate name"), max_length=255, blank=True)
    description = models.TextField(_("description"), blank=True)
    transportation = models.TextField(_("transportation"), blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    external_identifier = models.CharField(_("external identifier"), max_length=255, blank=True)
    external_identifier_type = models.CharField(_("external identifier type"), max_length=100, blank=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("location")
        verbose_name_plural = _("locations")

    def __str__(self) -> str:
        return self.name or str(self.id)


class Address(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, related_name="addresses", verbose_name=_("location")
    )
    attention = models.CharField(_("attention"), max_length=255, blank=True)
    address_1 = models.CharField(_("address line 1"), max_length=255)
    address_2 = models.CharField(_("address line 2"), max_length=255, blank=True)
    city = models.CharField(_("city"), max_length=100)
    region = models.CharField(_("region"), max_length=100, blank=True)
    state_province = models.CharField(_("state or province"), max_length=100, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    country = models.CharField(_("country (ISO 3166-1 alpha-2)"), max_length=2)
    address_type = models.CharField(_("address type"), max_length=10, choices=LocationType.choices)

    class Meta:
        ordering = ["id"]
        verbose_name = _("address")
        verbose_name_plural = _("addresses")

    def __str__(self) -> str:
        return f"{self.address_1}, {self.city}"


class ServiceAtLocation(models.Model):
    """A service delivered at a location (HSDS `service_at_location`)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = models.ForeignKey(
        ServicePage,
        to_field="hsds_id",
        on_delete=models.CASCADE,
        related_name="service_at_locations",
        verbose_name=_("service"),
    )
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, related_name="service_at_locations", verbose_name=_("location")
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("service at location")
        verbose_name_plural = _("services at locations")

    def __str__(self) -> str:
        return str(self.location)


class ServiceArea(models.Model):
    """The geographic area a service is available in, as the source describes it (HSDS `service_area`)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = ParentalKey(
        ServicePage,
        to_field="hsds_id",
        on_delete=models.CASCADE,
        related_name="service_areas",
        verbose_name=_("service"),
    )
    name = models.CharField(_("name"), max_length=500, blank=True)
    description = limited_text(_("description"), 1000, blank=True)
    extent = models.TextField(_("extent"), blank=True)
    extent_type = models.CharField(_("extent type"), max_length=50, blank=True)
    uri = models.CharField(_("URI"), max_length=500, blank=True)

    panels = [FieldPanel("name"), FieldPanel("description")]

    class Meta:
        ordering = ["id"]
        verbose_name = _("service area")
        verbose_name_plural = _("service areas")

    def __str__(self) -> str:
        return self.name or str(self.id)


class Contact(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = hsds_link(OrganisationPage, _("organisation"), "contacts")
    service = hsds_link(ServicePage, _("service"), "contacts")
    service_at_location = hsds_link(ServiceAtLocation, _("service at location"), "contacts")
    location = hsds_link(Location, _("location"), "contacts")
    name = models.CharField(_("name"), max_length=255, blank=True)
    title = models.CharField(_("job title"), max_length=255, blank=True)
    department = models.CharField(_("department"), max_length=255, blank=True)
    email = models.EmailField(_("email"), blank=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return self.name or str(self.id)


class Phone(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    location = hsds_link(Location, _("location"), "phones")
    service = hsds_link(ServicePage, _("service"), "phones")
    organisation = hsds_link(OrganisationPage, _("organisation"), "phones")
    contact = hsds_link(Contact, _("contact"), "phones")
    service_at_location = hsds_link(ServiceAtLocation, _("service at location"), "phones")
    number = models.CharField(_("number"), max_length=100)
    extension = models.PositiveIntegerField(_("extension"), null=True, blank=True)
    type = models.CharField(_("type"), max_length=20, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("phone")
        verbose_name_plural = _("phones")

    def __str__(self) -> str:
        return self.number


class Schedule(models.Model):
    """When a service, location or service-at-location is open, as an iCalendar recurrence (HSDS `schedule`)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = hsds_link(ServicePage, _("service"), "schedules")
    location = hsds_link(Location, _("location"), "schedules")
    service_at_location = hsds_link(ServiceAtLocation, _("service at location"), "schedules")
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    dtstart = models.DateField(_("first occurrence"), null=True, blank=True)
    timezone = models.FloatField(_("UTC offset in hours"), null=True, blank=True)
    until = models.DateField(_("until"), null=True, blank=True)
    count = models.PositiveIntegerField(_("number of occurrences"), null=True, blank=True)
    wkst = models.CharField(_("week starts on"), max_length=2, choices=Weekday.choices, blank=True)
    freq = models.CharField(_("frequency"), max_length=10, choices=Frequency.choices, blank=True)
    interval = models.PositiveIntegerField(_("interval"), null=True, blank=True)
    byday = models.CharField(_("days of the week"), max_length=100, blank=True)
    byweekno = models.CharField(_("week numbers"), max_length=200, blank=True)
    bymonthday = models.CharField(_("days of the month"), max_length=200, blank=True)
    byyearday = models.CharField(_("days of the year"), max_length=500, blank=True)
    description = models.TextField(_("description"), blank=True)
    opens_at = models.TimeField(_("opens at"), null=True, blank=True)
    closes_at = models.TimeField(_("closes at"), null=True, blank=True)
    schedule_link = models.URLField(_("schedule link"), max_length=500, blank=True)
    attending_type = models.CharField(_("attending type"), max_length=255, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("schedule")
        verbose_name_plural = _("schedules")

    def __str__(self) -> str:
        return self.description or str(self.id)


class LanguageSupport(models.Model):
    """A language a service, location or phone line works in, with a note (HSDS `language` object).

    Unlike `Language`, the portal's vocabulary, these rows keep what the source says verbatim.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    service = hsds_link(ServicePage, _("service"), "language_support")
    location = hsds_link(Location, _("location"), "language_support")
    phone = hsds_link(Phone, _("phone"), "language_support")
    name = models.CharField(_("name"), max_length=100, blank=True)
    code = models.CharField(_("code (ISO 639)"), max_length=20, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("language support")
        verbose_name_plural = _("language support")

    def __str__(self) -> str:
        return self.name or self.code


class Attribute(models.Model):
    """A taxonomy term describing any HSDS record (HSDS `attribute`), e.g. a location's accessibility.

    A service's categories are not stored here but in `ServicePage.categories`, which the
    directory filters on and editors choose from; the HSDS output shows them as attributes.
    `link_id` is the HSDS id of the described record, of whichever table `link_entity` names.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    taxonomy_term = models.ForeignKey(
        TaxonomyTerm, on_delete=models.PROTECT, related_name="attributes", verbose_name=_("taxonomy term")
    )
    link_id = models.UUIDField(_("described record's HSDS id"), db_index=True)
    link_type = models.CharField(_("link type"), max_length=100, blank=True)
    link_entity = models.CharField(_("described record's table"), max_length=50, blank=True)
    value = models.TextField(_("value"), blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("attribute")
        verbose_name_plural = _("attributes")

    def __str__(self) -> str:
        return f"{self.link_entity} {self.link_id}: {self.taxonomy_term}"
