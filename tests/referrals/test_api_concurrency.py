"""Two people answering the same referral at the same moment, each on their own database connection.

The verbs lock the referral's row, so whoever comes second finds it already answered: exactly one
wins, the other gets a conflict (409 on the API), and nothing is overwritten.
"""

import threading
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client as HttpClient

from portal.foundation.roles import Role
from referrals.actions import Conflict, take_referral_step
from referrals.models import Referral, ReferralEvent, ReferralStatus
from tests.referrals.api_cast import build_cast, member, referral_in, signed_in, with_token

pytestmark = pytest.mark.django_db(transaction=True)


def at_once(*calls: Callable[[], object]) -> list[object]:
    """Run the calls in threads released together; return what each returned or raised, in order."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(index: int, call: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as exc:  # noqa: BLE001 - the outcome under test: the callers compare it
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def accept_over_api(client: HttpClient, referral: Referral) -> Callable[[], int]:
    path = f"/api/referrals/{referral.pk}/transitions"
    return lambda: client.post(path, {"action": "accept"}, content_type="application/json").status_code


def test_two_concurrent_accepts_over_the_api_give_one_success_and_one_conflict():
    cast = build_cast()
    referral = referral_in(cast, ReferralStatus.SENT)
    colleague = member("colleague", cast.cso, Role.CSO_CASEWORKER)
    clients = (signed_in(cast.caseworker), with_token(colleague))

    answers = at_once(*(accept_over_api(client, referral) for client in clients))

    assert sorted(answers) == [200, 409]
    accepted = Referral.objects.get(pk=referral.pk)
    assert (accepted.status, accepted.version) == (ReferralStatus.ACCEPTED, referral.version + 1)
    assert ReferralEvent.objects.filter(referral=referral, verb="accept").count() == 1


def test_accept_and_decline_at_once_one_wins_and_nothing_is_overwritten():
    cast = build_cast()
    referral = referral_in(cast, ReferralStatus.SENT)
    colleague = member("colleague", cast.cso, Role.CSO_CASEWORKER)

    outcomes = at_once(
        lambda: take_referral_step(cast.caseworker, referral, "accept", note="We take her."),
        lambda: take_referral_step(colleague, referral, "decline", reason="no_capacity", note="We are full."),
    )

    winners = [outcome for outcome in outcomes if isinstance(outcome, Referral)]
    losers = [outcome for outcome in outcomes if isinstance(outcome, Conflict)]
    assert (len(winners), len(losers)) == (1, 1), outcomes
    stored = Referral.objects.get(pk=referral.pk)
    assert stored.status == winners[0].status
    assert stored.response_note == winners[0].response_note
    assert ReferralEvent.objects.filter(referral=referral, verb__in=["accept", "decline"]).count() == 1
