from django.conf import settings
from django.conf.urls.static import static
from django.urls import include, path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from portal.wiring import views
from portal.wiring.api import api as staff_api

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("workspace/", views.workspace, name="workspace"),
    path("accounts/", include("accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    # One sign-in for everyone, the portal's (second factor, lock-out, password reset): not Wagtail's own form.
    path("admin/login/", RedirectView.as_view(pattern_name="login", query_string=True)),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/hsds/", include("cso_directory.hsds.urls")),
    # After api/hsds/, so that the HSDS API keeps its own prefix.
    path("api/", staff_api.urls),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns.append(path("", include("referrals.urls")))  # the staff workspace, before Wagtail's catch-all
urlpatterns.append(path("", include("aftercare.urls")))
urlpatterns.append(path("reporting/", include("reporting.urls")))
urlpatterns.append(path("", include(wagtail_urls)))
