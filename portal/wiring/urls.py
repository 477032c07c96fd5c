from django.conf import settings
from django.conf.urls.static import static
from django.contrib.auth import views as auth_views
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from portal.wiring import views
from portal.wiring.api import api as staff_api

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("workspace/", views.workspace, name="workspace"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Forgot password: the same answer whether or not an account uses the address given.
    path(
        "accounts/password_reset/",
        auth_views.PasswordResetView.as_view(
            subject_template_name="registration/password_reset_subject.txt",
            email_template_name="registration/password_reset_email.txt",
            extra_email_context={"base_url": settings.WAGTAILADMIN_BASE_URL, "site": settings.WAGTAIL_SITE_NAME},
        ),
        name="password_reset",
    ),
    path("accounts/password_reset/done/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    # New members choose their first password here, from the link their coordinator's invitation sends.
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("accounts/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("i18n/", include("django.conf.urls.i18n")),
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
urlpatterns.append(path("", include(wagtail_urls)))
