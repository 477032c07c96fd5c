"""The cast of the Wagtail admin tests: two organisations in Kazakhstan, one in Iraq, and their people."""

from dataclasses import dataclass

from django.contrib.auth.models import User
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from cso_directory.actions import add_membership
from cso_directory.models import Membership, OrganisationPage, ServicePage
from portal.foundation.roles import Role
from tests.factories import make_organisation, make_service

IQ_CANARY = "canary-iq-caseworker"


@dataclass
class Cast:
    org_a: OrganisationPage
    service_a: ServicePage
    org_b: OrganisationPage
    kz_office: OrganisationPage
    iq_org: OrganisationPage
    editor: User
    kz_coordinator: User
    iq_coordinator: User
    outsider: User
    iq_member: Membership
    editor_membership: Membership


def publish_organisation(country: str, title: str) -> OrganisationPage:
    organisation = make_organisation(country, title=title)
    organisation.save_revision().publish()
    return organisation


def publish_service(organisation: OrganisationPage, title: str) -> ServicePage:
    service = make_service(organisation, title=title)
    service.save_revision().publish()
    return service


def make_user(username: str) -> User:
    """A user without a password (the tests sign in with force_login): hashing one costs most of a second."""
    return User.objects.create_user(username=username, email=f"{username}@example.org")


def build_cast() -> Cast:
    org_a = publish_organisation("KZ", "Alpha Reintegration Centre")
    kz_office = publish_organisation("KZ", "Kazakhstan coordination office")
    iq_org = publish_organisation("IQ", "Baghdad Legal Aid")
    iq_office = publish_organisation("IQ", "Iraq coordination office")
    editor = make_user("kz-editor")
    kz_coordinator = make_user("kz-coordinator")
    iq_coordinator = make_user("iq-coordinator")
    add_membership(kz_coordinator, kz_office, Role.NATIONAL_COORDINATOR)
    add_membership(iq_coordinator, iq_office, Role.NATIONAL_COORDINATOR)
    return Cast(
        org_a=org_a,
        service_a=publish_service(org_a, "Literacy classes"),
        org_b=publish_organisation("KZ", "Bravo Family House"),
        kz_office=kz_office,
        iq_org=iq_org,
        editor=editor,
        kz_coordinator=kz_coordinator,
        iq_coordinator=iq_coordinator,
        outsider=make_user("outsider"),
        iq_member=add_membership(make_user(IQ_CANARY), iq_org, Role.CSO_CASEWORKER),
        editor_membership=add_membership(editor, org_a, Role.CSO_EDITOR),
    )


def organisation_form(organisation: OrganisationPage, **changes) -> dict:
    """What the admin's edit form of an organisation posts, with `changes` applied."""
    return nested_form_data(
        {
            "title": organisation.title,
            "slug": organisation.slug,
            "kind": organisation.kind,
            "original_language": organisation.original_language,
            "description": organisation.description,
            "translations": inline_formset([]),
            "comments": inline_formset([]),
            **changes,
        }
    )


def service_form(service: ServicePage, **changes) -> dict:
    """What the admin's edit form of a service posts, with `changes` applied (formsets as inline_formset)."""
    categories = [term.pk for term in ServicePage.objects.get(pk=service.pk).categories.all()]
    return {"categories": categories} | nested_form_data(
        {
            "title": service.title,
            "slug": service.slug,
            "original_language": service.original_language,
            "description": service.description,
            "sex_served": service.sex_served,
            "delivery": service.delivery,
            "capacity": service.capacity,
            "status": service.status,
            "service_areas": inline_formset([]),
            "translations": inline_formset([]),
            "comments": inline_formset([]),
            **changes,
        }
    )
