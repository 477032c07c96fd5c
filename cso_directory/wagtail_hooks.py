"""The directory's side of the Wagtail admin: coordinators manage the members of their countries.

Who may edit which page is Wagtail's page permissions (cso_directory.site_tree and
cso_directory.actions keep the groups); this module adds the "Members" area, whose every
query and write goes through cso_directory.access and cso_directory.actions.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin.views import generic
from wagtail.admin.views.generic import history, usage
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import Button
from wagtail.permission_policies import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from cso_directory.access import (
    coordinators_by_country,
    managed_countries,
    membership_requests_decidable_by,
    membership_requests_visible_to,
    memberships_visible_to,
    services_whose_capacity_user_may_set,
)
from cso_directory.actions import (
    approve_membership_request,
    change_membership,
    invite_member,
    refuse_membership_request,
    remove_membership,
    set_service_capacity,
)
from cso_directory.admin_forms import MemberInvitationForm, MembershipForm, ServiceCapacityForm
from cso_directory.models import CountryDirectoryPage, Membership, MembershipRequest, ServicePage
from cso_directory.site_tree import ensure_country_page
from portal.foundation import converters  # noqa: F401 - registers <id:...>
from portal.foundation.countries import Country
from portal.foundation.roles import Role


class MembershipPermissionPolicy(BasePermissionPolicy):
    """Those who manage members may do anything to the memberships of the countries they manage.

    The countries are looked up once per user object (so once per request), not once per row.
    """

    permission_cache_name = "_managed_countries_cache"

    def get_all_permissions_for_user(self, user):
        return managed_countries(user)

    def user_has_permission(self, user, action):
        return bool(self.get_cached_permissions_for_user(user))

    def user_has_permission_for_instance(self, user, action, instance):
        return instance.organisation.country in self.get_cached_permissions_for_user(user)

    def instances_user_has_any_permission_for(self, user, actions):
        return memberships_visible_to(user)

    def users_with_any_permission(self, actions):
        coordinators = Q(memberships__role=Role.NATIONAL_COORDINATOR)
        return get_user_model().objects.filter(coordinators | Q(is_superuser=True), is_active=True).distinct()


# Registered before the viewset, which would otherwise fall back to Django's model permissions.
register_permission_policy(Membership, MembershipPermissionPolicy(Membership))


# A membership the user may not manage answers 404, exactly like one that does not exist: the
# edit and delete views look it up in get_queryset(), the history and usage views (whose
# get_queryset() lists log entries and references) in get_base_object_queryset().


class MembershipIndexView(generic.IndexView):
    def get_base_queryset(self):
        return memberships_visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["membership_requests"] = pending_requests(self.request.user)
        return context


def pending_requests(user) -> list[tuple[MembershipRequest, list, bool]]:
    """Each membership awaiting approval the user may see, with who may approve it and whether they may."""
    pending = list(membership_requests_visible_to(user))
    if not pending:
        return []
    decidable = set(membership_requests_decidable_by(user).values_list("pk", flat=True))
    coordinators = coordinators_by_country({each.organisation.country for each in pending})
    return [
        (
            each,
            [other for other in coordinators.get(each.organisation.country, []) if other != each.user],
            each.pk in decidable,
        )
        for each in pending
    ]


def answer_request_for_approval(request, membership_request: MembershipRequest):
    """A self-granted role that reads person data was saved as a request: say so; it grants nothing."""
    messages.warning(
        request,
        gettext(
            "You cannot give yourself the role %(role)s in %(organisation)s: it reads person data. "
            "Your request waits for another national coordinator of the country to approve it."
        )
        % {"role": membership_request.get_role_display(), "organisation": membership_request.organisation.title},
    )
    return redirect("members:index")


class MembershipCreateView(generic.CreateView):
    def save_action(self):
        if isinstance(self.object, MembershipRequest):
            return answer_request_for_approval(self.request, self.object)
        return super().save_action()

    def save_instance(self):
        data = self.form.cleaned_data
        return invite_member(
            username=data["username"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            organisation=data["organisation"],
            role=data["role"],
            actor=self.request.user,
        )


class MembershipEditView(generic.EditView):
    def get_queryset(self):
        return memberships_visible_to(self.request.user)

    def save_action(self):
        if isinstance(self.object, MembershipRequest):
            return answer_request_for_approval(self.request, self.object)
        return super().save_action()

    def save_instance(self):
        data = self.form.cleaned_data
        return change_membership(
            self.object, organisation=data["organisation"], role=data["role"], actor=self.request.user
        )


class MembershipDeleteView(generic.DeleteView):
    def get_queryset(self):
        return memberships_visible_to(self.request.user)

    def delete_action(self):
        remove_membership(self.object, actor=self.request.user)


class MembershipHistoryView(history.HistoryView):
    def get_base_object_queryset(self):
        return memberships_visible_to(self.request.user)


class MembershipUsageView(usage.UsageView):
    def get_base_object_queryset(self):
        return memberships_visible_to(self.request.user)


class MembershipViewSet(ModelViewSet):
    model = Membership
    name = "members"
    icon = "group"
    menu_label = _("Members")
    add_to_admin_menu = True
    menu_order = 300
    add_to_reference_index = False
    copy_view_enabled = False
    index_view_class = MembershipIndexView
    add_view_class = MembershipCreateView
    edit_view_class = MembershipEditView
    delete_view_class = MembershipDeleteView
    history_view_class = MembershipHistoryView
    usage_view_class = MembershipUsageView
    list_display = ["user", "organisation", "role", "created_at"]
    list_filter = ["role"]
    ordering = ["organisation__title", "user__username"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "organisation__title"]
    search_backend_name = None

    index_template_name = "cso_directory/admin/membership_index.html"

    def get_form_class(self, for_update=False):
        return MembershipForm if for_update else MemberInvitationForm


@hooks.register("register_admin_viewset")
def register_membership_viewset():
    return MembershipViewSet()


@require_POST
def decide_membership_request(request, request_id: int, approve: bool):
    """Approve or refuse a membership awaiting approval; one the user may not see answers 404,
    and its requester (who sees it) may not decide it (PermissionDenied)."""
    membership_request = get_object_or_404(membership_requests_visible_to(request.user), pk=request_id)
    facts = {
        "user": membership_request.user.get_username(),
        "role": membership_request.get_role_display(),
        "organisation": membership_request.organisation.title,
    }
    if approve:
        approve_membership_request(membership_request, actor=request.user)
        messages.success(request, gettext("%(user)s is now %(role)s in %(organisation)s.") % facts)
    else:
        refuse_membership_request(membership_request, actor=request.user)
        messages.success(
            request, gettext("The request of %(user)s to be %(role)s in %(organisation)s is refused.") % facts
        )
    return redirect("members:index")


@hooks.register("register_admin_urls")
def register_membership_request_urls():
    return [
        path(
            "members/requests/<int:request_id>/approve/",
            decide_membership_request,
            {"approve": True},
            name="cso_directory_membership_request_approve",
        ),
        path(
            "members/requests/<int:request_id>/refuse/",
            decide_membership_request,
            {"approve": False},
            name="cso_directory_membership_request_refuse",
        ),
    ]


@hooks.register("after_create_page")
def equip_new_country_page(request, page):
    """A country page made in the admin gets its coordinators' group and approval workflow too."""
    if isinstance(page.specific, CountryDirectoryPage):
        ensure_country_page(page.get_parent().specific, Country(page.specific.country))


def service_capacity(request, page_id: int):
    """Change a service's capacity at once; a service the user may not change answers 404."""
    service = get_object_or_404(services_whose_capacity_user_may_set(request.user), pk=page_id)
    form = ServiceCapacityForm(request.POST or None, initial={"capacity": service.capacity})
    if request.method == "POST" and form.is_valid():
        service = set_service_capacity(request.user, service, form.cleaned_data["capacity"])
        messages.success(
            request,
            gettext("“%(service)s” now shows: %(capacity)s.")
            % {"service": service.title, "capacity": service.get_capacity_display()},
        )
        return redirect("wagtailadmin_explore", service.get_parent().pk)
    return TemplateResponse(request, "cso_directory/admin/service_capacity.html", {"service": service, "form": form})


@hooks.register("register_admin_urls")
def register_service_capacity_url():
    return [path("directory/services/<id:page_id>/capacity/", service_capacity, name="cso_directory_service_capacity")]


def capacity_button(page, user, priority: int):
    """A button to the capacity form, on services whose capacity the user may change."""
    if page.specific_class is ServicePage and services_whose_capacity_user_may_set(user).filter(pk=page.pk).exists():
        url = reverse("cso_directory_service_capacity", args=[page.pk])
        yield Button(_("Change capacity"), url, icon_name="success", priority=priority)


@hooks.register("register_page_listing_more_buttons")
def page_listing_capacity_button(page, user, next_url=None):
    yield from capacity_button(page, user, priority=15)


@hooks.register("register_page_header_buttons")
def page_header_capacity_button(page, user, view_name, next_url=None):
    yield from capacity_button(page, user, priority=15)


@hooks.register("insert_global_admin_css")
def focus_ring_css():
    """The admin's focus ring in a colour that shows on all its surfaces (static/portal/admin.css)."""
    return format_html('<link rel="stylesheet" href="{}">', static("portal/admin.css"))
