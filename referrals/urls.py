from django.urls import path

from portal.foundation import converters  # noqa: F401 - registers <id:...>
from referrals import views

app_name = "referrals"
urlpatterns = [
    path("clients/", views.client_list, name="client_list"),
    path("clients/new/", views.client_create, name="client_create"),
    path("clients/<uuid:pk>/", views.client_detail, name="client_detail"),
    path("clients/<uuid:pk>/needs/", views.need_add, name="need_add"),
    path("clients/<uuid:pk>/needs/<id:need_id>/remove/", views.need_remove, name="need_remove"),
    path("clients/<uuid:pk>/consents/", views.consent_add, name="consent_add"),
    path("clients/<uuid:pk>/consents/<uuid:consent_id>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("clients/<uuid:pk>/consents/<uuid:consent_id>/evidence/", views.consent_evidence, name="consent_evidence"),
    path("clients/<uuid:pk>/refer/", views.refer, name="refer"),
    path("clients/<uuid:pk>/access-log/", views.access_log, name="access_log"),
    path("referrals/<uuid:pk>/", views.referral_detail, name="referral_detail"),
    path("referrals/<uuid:pk>/<slug:verb>/", views.referral_transition, name="referral_transition"),
    path("inbox/", views.inbox, name="inbox"),
    path("notifications/", views.notifications, name="notifications"),
]
