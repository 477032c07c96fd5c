"""What Chromium shows of a goal tied to the need it answers."""

import pytest
from django.conf import settings
from django.test import Client as HttpClient
from django.urls import reverse
from playwright.sync_api import expect

from referrals.actions import set_need
from referrals.models import Priority
from tests.aftercare.supervision_cast import build_cast, open_case
from tests.factories import pathway

# The browser talks to a live server in another thread: the data must be committed.
pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page, live_server, user) -> None:
    http = HttpClient()
    http.force_login(user)
    session = http.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])


def test_the_officer_adds_a_goal_answering_a_need_and_sees_the_link(live_server, page):
    cast = build_cast()
    case = open_case(cast, officer=cast.officer)
    set_need(cast.social_worker, case.client, category=pathway("housing"), priority=Priority.HIGH)
    sign_in(page, live_server, cast.officer)
    page.goto(f"{live_server.url}{reverse('aftercare:case_detail', kwargs={'pk': case.pk})}")

    page.get_by_text("Add a goal").click()
    form = page.locator("form", has=page.get_by_role("button", name="Add the goal"))
    form.get_by_label("Pathway").select_option(label="Housing")
    form.get_by_label("Need it answers").select_option(label="Housing (High)")
    form.get_by_label("Goal", exact=True).fill("Find a room")
    form.get_by_role("button", name="Add the goal").click()

    housing = page.get_by_role("region", name="Housing")
    expect(housing.get_by_text("Find a room")).to_be_visible()
    expect(housing.get_by_text("Answers the need: Housing (High)")).to_be_visible()
    expect(housing.locator(".facts").get_by_text("Not assessed yet")).to_be_visible()


def test_a_goal_resent_after_its_answer_was_lost_is_added_once_and_the_page_says_so(live_server, page):
    """The server stored the goal, but the proxy in front of it timed out first; reloading the proxy's
    error page sends the form again."""
    cast = build_cast()
    case = open_case(cast, officer=cast.officer)
    sign_in(page, live_server, cast.officer)
    page.goto(f"{live_server.url}{reverse('aftercare:case_detail', kwargs={'pk': case.pk})}")
    page.get_by_text("Add a goal").click()
    form = page.locator("form", has=page.get_by_role("button", name="Add the goal"))
    form.get_by_label("Pathway").select_option(label="Housing")
    form.get_by_label("Goal", exact=True).fill("Find a room")

    def lose_the_answer(route):
        route.fetch(max_redirects=0)  # the server gets the form and writes
        route.fulfill(status=504, body="Gateway Timeout")

    page.route("**/goals/", lose_the_answer, times=1)
    form.get_by_role("button", name="Add the goal").click()
    expect(page.get_by_text("Gateway Timeout")).to_be_visible()
    assert case.goals.filter(description="Find a room").count() == 1
    page.reload()

    expect(page.get_by_text("This form had already been sent: it was saved once, not twice.")).to_be_visible()
    housing = page.get_by_role("region", name="Housing")
    expect(housing.get_by_text("Find a room")).to_have_count(1)
    assert case.goals.filter(description="Find a room").count() == 1
