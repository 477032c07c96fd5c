"""Alerts /alerts/ (read, mark read) and the flag_missed_check_ins command that raises them."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from aftercare.actions import record_check_in
from aftercare.models import Alert, CheckInStatus
from portal.foundation.models import AuditEvent
from tests.aftercare.supervision_cast import build_cast, open_case
from tests.shared_casts import shared_fixture

pytestmark = pytest.mark.django_db
ALERTS = reverse("aftercare:alert_list")
MARK_READ = reverse("aftercare:alerts_mark_read")


cast = shared_fixture(build_cast, name="cast")


def today() -> datetime.date:
    return timezone.localdate()


def missed_check_in(cast, case, index=0):
    check_in = case.check_ins.order_by("due_on")[index]
    return record_check_in(cast.officer, check_in, status=CheckInStatus.MISSED)


def test_users_see_their_own_alerts_only(client, cast):
    case = open_case(cast, officer=cast.officer)
    other = open_case(cast, first_name="Ruslan", office=cast.office_b, officer=cast.office_b_officer)
    missed_check_in(cast, case)
    record_check_in(cast.office_b_officer, other.check_ins.first(), status=CheckInStatus.MISSED)
    client.force_login(cast.officer)
    response = client.get(ALERTS)
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]
    assert [alert.case for alert in response.context["page_obj"].object_list] == [case]
    assert response.context["unread"] == 1
    assert case.client.reference in response.content.decode()
    assert other.client.reference not in response.content.decode()


def test_an_alert_is_marked_read_and_another_users_alert_is_untouched(client, cast):
    case = open_case(cast, officer=cast.officer)
    missed_check_in(cast, case)
    mine = Alert.objects.get(user=cast.officer)
    theirs = Alert.objects.get(user=cast.supervisor)
    client.force_login(cast.officer)
    response = client.post(MARK_READ, {"alert": [mine.pk, theirs.pk]})
    assert response.status_code == 302
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.read_at is not None
    assert theirs.read_at is None


def test_all_alerts_are_marked_read_and_the_user_goes_back_to_a_local_page(client, cast):
    case = open_case(cast, officer=cast.officer)
    missed_check_in(cast, case, 0)
    missed_check_in(cast, case, 1)
    client.force_login(cast.officer)
    case_page = reverse("aftercare:case_detail", kwargs={"pk": case.pk})
    response = client.post(MARK_READ, {"next": case_page})
    assert response["Location"] == case_page
    assert not Alert.objects.filter(user=cast.officer, read_at__isnull=True).exists()
    assert client.post(MARK_READ, {"next": "https://evil.example/"})["Location"] == ALERTS


def test_alerts_need_a_login_and_marking_needs_post(client, cast):
    assert client.get(ALERTS)["Location"].startswith(reverse("login"))
    client.force_login(cast.officer)
    assert client.get(MARK_READ).status_code == 405


def test_the_header_links_caseload_and_alerts_for_probation_staff_only(client, cast):
    open_case(cast, officer=cast.officer)
    client.force_login(cast.officer)
    page = client.get(ALERTS).content.decode()
    assert reverse("aftercare:caseload") in page
    client.force_login(cast.caseworker)
    page = client.get(ALERTS).content.decode()
    assert reverse("aftercare:caseload") not in page


def run_command(*args) -> str:
    out = StringIO()
    call_command("flag_missed_check_ins", *args, stdout=out)
    return out.getvalue()


def test_the_command_marks_overdue_check_ins_missed_and_alerts_once(cast):
    # Released 10 days ago: check-ins due on day 1 and day 7 are overdue; day 14 is still to come.
    case = open_case(cast, officer=cast.officer, release_date=today() - datetime.timedelta(days=10))
    assert "Marked 2 " in run_command()
    statuses = dict(case.check_ins.values_list("due_on", "status"))
    assert statuses[today() - datetime.timedelta(days=9)] == CheckInStatus.MISSED
    assert statuses[today() - datetime.timedelta(days=3)] == CheckInStatus.MISSED
    assert statuses[today() + datetime.timedelta(days=4)] == CheckInStatus.SCHEDULED
    alerts = Alert.objects.filter(case=case, kind=Alert.Kind.MISSED_CHECK_IN)
    assert sorted(alerts.values_list("user__username", flat=True)) == ["officer", "officer", "supervisor", "supervisor"]
    assert AuditEvent.objects.filter(action="check_in.flag_missed", actor=None, channel="command").count() == 2

    assert "Marked 0 " in run_command()
    assert alerts.count() == 4


def test_the_grace_period_keeps_a_recent_check_in_scheduled(cast):
    case = open_case(cast, officer=cast.officer, release_date=today() - datetime.timedelta(days=3))
    due_two_days_ago = case.check_ins.get(due_on=today() - datetime.timedelta(days=2))
    run_command("--grace-days", "2")
    due_two_days_ago.refresh_from_db()
    assert due_two_days_ago.status == CheckInStatus.SCHEDULED
    run_command("--grace-days", "1")
    due_two_days_ago.refresh_from_db()
    assert due_two_days_ago.status == CheckInStatus.MISSED


def test_the_command_leaves_recorded_check_ins_alone(cast):
    case = open_case(cast, officer=cast.officer, release_date=today() - datetime.timedelta(days=10))
    attended = case.check_ins.order_by("due_on").first()
    record_check_in(cast.officer, attended, status=CheckInStatus.ATTENDED)
    run_command()
    attended.refresh_from_db()
    assert attended.status == CheckInStatus.ATTENDED
    assert not Alert.objects.filter(check_in=attended).exists()


def test_a_negative_grace_period_is_refused(cast):
    with pytest.raises(CommandError):
        run_command("--grace-days", "-1")


def test_marking_an_alert_read_on_a_case_page_shown_after_a_refused_form_goes_back_to_the_case(client, cast):
    import re

    case = open_case(cast, officer=cast.officer)
    missed_check_in(cast, case)
    client.force_login(cast.officer)
    case_page = reverse("aftercare:case_detail", kwargs={"pk": case.pk})

    refused = client.post(reverse("aftercare:goal_add", kwargs={"pk": case.pk}), {"pathway": "astrology"})
    mark_read_form = r'name="alert" value="(\d+)">\s*<input type="hidden" name="next" value="([^"]*)"'
    alert_form = re.search(mark_read_form, refused.content.decode())
    assert refused.status_code == 400
    assert alert_form is not None
    marked = client.post(MARK_READ, {"alert": alert_form.group(1), "next": alert_form.group(2)})

    assert marked["Location"] == case_page
    assert client.get(marked["Location"]).status_code == 200
