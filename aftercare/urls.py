from django.urls import path

from aftercare import views
from portal.foundation import converters  # noqa: F401 - registers <id:...>

app_name = "aftercare"
urlpatterns = [
    path("clients/<uuid:pk>/handover/", views.handover, name="handover"),
    path("clients/<uuid:pk>/case/", views.case_notes_page, name="case_notes"),
    path("clients/<uuid:pk>/notes/", views.add_note, name="add_note"),
    path("clients/<uuid:pk>/subject-access/", views.subject_access, name="subject_access"),
    path("cases/<uuid:pk>/", views.case_detail, name="case_detail"),
    path("cases/<uuid:pk>/officer/", views.officer_assign, name="officer_assign"),
    path("cases/<uuid:pk>/goals/", views.goal_add, name="goal_add"),
    path("cases/<uuid:pk>/goals/<id:goal_id>/review/", views.goal_review, name="goal_review"),
    path("cases/<uuid:pk>/check-ins/", views.check_in_add, name="check_in_add"),
    path("cases/<uuid:pk>/check-ins/<id:check_in_id>/", views.check_in_record, name="check_in_record"),
    path("caseload/", views.caseload, name="caseload"),
    path("alerts/", views.alert_list, name="alert_list"),
    path("alerts/read/", views.alerts_mark_read, name="alerts_mark_read"),
]
