"""The fixed top of the page tree: home, /directory/ and one directory page per country.

Each country page carries its coordinators' group (publish rights on the country's subtree)
and a moderation workflow whose only task is approval by that group, so every change an
organisation's editor makes waits for a coordinator of the same country.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    Page,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from cso_directory.models import CountryDirectoryPage, DirectoryIndexPage
from portal.foundation.countries import Country
from portal.foundation.models import HomePage

COORDINATOR_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page")
ADMIN_ACCESS = ("wagtailadmin", "access_admin")
# Logos are public, so editors and coordinators share one collection: they may upload images
# there and choose any image from it, and change or delete only the images they uploaded.
LOGO_COLLECTION = "Logos"
LOGO_PERMISSIONS = ("add_image", "choose_image")


@transaction.atomic
def ensure_directory_tree() -> DirectoryIndexPage:
    """Create what is missing of home → directory → countries; idempotent."""
    home = ensure_home_page()
    directory = DirectoryIndexPage.objects.child_of(home).first()
    if directory is None:
        directory = home.add_child(instance=DirectoryIndexPage(title="Directory", slug="directory"))
    for country in Country:
        ensure_country_page(directory, country)
    return directory


def ensure_home_page() -> HomePage:
    home = HomePage.objects.first()
    if home is not None:
        return home
    root = Page.get_first_root_node() or create_wagtail_roots()
    for placeholder in root.get_children().filter(content_type__model="page"):
        placeholder.delete()  # Wagtail's "Welcome" page, and the default site with it
    home = root.add_child(instance=HomePage(title="Reintegration and CSO Coordination Portal", slug="home"))
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": "Portal"}
    )
    return home


def create_wagtail_roots() -> Page:
    """The roots Wagtail's migrations create, again after a flush (between transactional tests)."""
    locale, _created = Locale.objects.get_or_create(language_code=get_supported_content_language_variant("en"))
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    return Page.add_root(instance=Page(title="Root", slug="root", locale=locale))


def ensure_country_page(directory: DirectoryIndexPage, country: Country) -> CountryDirectoryPage:
    page = CountryDirectoryPage.objects.filter(country=country).first()
    if page is None:
        page = directory.add_child(
            instance=CountryDirectoryPage(title=str(country.label), slug=country.value.lower(), country=country)
        )
    if page.coordinators is None:
        page.coordinators, _created = Group.objects.get_or_create(name=f"Coordinators {country.value}")
        page.save(update_fields=["coordinators"])
    grant_page_permissions(page.coordinators, page, COORDINATOR_PAGE_PERMISSIONS)
    grant_logo_permissions(page.coordinators)
    ensure_approval_workflow(page)
    return page


def grant_page_permissions(group: Group, page: Page, codenames: tuple[str, ...]) -> None:
    group.permissions.add(Permission.objects.get(content_type__app_label=ADMIN_ACCESS[0], codename=ADMIN_ACCESS[1]))
    for codename in codenames:
        permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
        GroupPagePermission.objects.get_or_create(group=group, page=page, permission=permission)


def grant_logo_permissions(group: Group) -> None:
    collection = ensure_logo_collection()
    for codename in LOGO_PERMISSIONS:
        permission = Permission.objects.get(content_type__app_label="wagtailimages", codename=codename)
        GroupCollectionPermission.objects.get_or_create(group=group, collection=collection, permission=permission)


def ensure_logo_collection() -> Collection:
    root = Collection.get_first_root_node()
    return root.get_children().filter(name=LOGO_COLLECTION).first() or root.add_child(name=LOGO_COLLECTION)


def ensure_approval_workflow(page: CountryDirectoryPage) -> None:
    """One task, approval by the country's coordinators; a workflow an administrator put on the page stays."""
    name = f"Approval by coordinators {page.country}"
    task, _created = GroupApprovalTask.objects.get_or_create(name=name)
    task.groups.set([page.coordinators])
    workflow, _created = Workflow.objects.get_or_create(name=name)
    # Not workflow.workflow_tasks.create(): that is a modelcluster relation, saved only with the workflow.
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.get_or_create(page=page, defaults={"workflow": workflow})
