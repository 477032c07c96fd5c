"""The fixed top of the page tree: home, /directory/ and one directory page per country.

Each country page carries its coordinators' group (publish rights on the country's subtree)
and a moderation workflow whose only task is approval by that group, so every change an
organisation's editor makes waits for a coordinator of the same country.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import GroupApprovalTask, GroupPagePermission, Page, Site, Workflow, WorkflowPage

from cso_directory.models import CountryDirectoryPage, DirectoryIndexPage
from portal.countries import Country
from portal.models import HomePage

COORDINATOR_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page")
ADMIN_ACCESS = ("wagtailadmin", "access_admin")


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
    root = Page.get_first_root_node()
    for placeholder in root.get_children().filter(content_type__model="page"):
        placeholder.delete()  # Wagtail's "Welcome" page, and the default site with it
    home = root.add_child(instance=HomePage(title="Reintegration and CSO Coordination Portal", slug="home"))
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": "Portal"}
    )
    return home


def ensure_country_page(directory: DirectoryIndexPage, country: Country) -> CountryDirectoryPage:
    page = CountryDirectoryPage.objects.filter(country=country).first()
    if page is None:
        page = directory.add_child(
            instance=CountryDirectoryPage(title=str(country.label), slug=country.value.lower(), country=country)
        )
    if page.coordinators is None:
        page.coordinators = Group.objects.create(name=f"Coordinators {country.value}")
        page.save(update_fields=["coordinators"])
    grant_page_permissions(page.coordinators, page, COORDINATOR_PAGE_PERMISSIONS)
    ensure_approval_workflow(page)
    return page


def grant_page_permissions(group: Group, page: Page, codenames: tuple[str, ...]) -> None:
    group.permissions.add(Permission.objects.get(content_type__app_label=ADMIN_ACCESS[0], codename=ADMIN_ACCESS[1]))
    for codename in codenames:
        permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
        GroupPagePermission.objects.get_or_create(group=group, page=page, permission=permission)


def ensure_approval_workflow(page: CountryDirectoryPage) -> None:
    if WorkflowPage.objects.filter(page=page).exists():
        return
    name = f"Approval by coordinators {page.country}"
    task, _created = GroupApprovalTask.objects.get_or_create(name=name)
    task.groups.set([page.coordinators])
    workflow, created = Workflow.objects.get_or_create(name=name)
    if created:
        workflow.workflow_tasks.create(task=task, sort_order=0)
    WorkflowPage.objects.create(page=page, workflow=workflow)
