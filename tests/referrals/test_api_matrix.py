"""Every role × every referral transition through the API, from the transition's starting status.

Exactly the side the VERBS table names succeeds; the other side of the referral gets 403;
whoever cannot see the referral gets 404. A refusal changes neither status nor version.
"""

import pytest

from portal.foundation.models import AuditEvent, Decision
from referrals.models import VERBS, Referral, ReferralStatus, Side
from tests.referrals.api_cast import ROLES, build_cast, referral_in, signed_in
from tests.shared_casts import shared_fixture

RECEIVING_ROLES = {"caseworker"}
REFERRING_ROLES = {"social_worker", "probation_officer"}

# action → (status it starts from, what else the request needs)
STARTS = {
    "send": (ReferralStatus.DRAFT, {}),
    "accept": (ReferralStatus.SENT, {}),
    "decline": (ReferralStatus.SENT, {"reason": "not_eligible"}),
    "start": (ReferralStatus.ACCEPTED, {}),
    "complete": (ReferralStatus.IN_PROGRESS, {"outcome": "partly"}),
    "not_complete": (ReferralStatus.IN_PROGRESS, {}),
    "withdraw": (ReferralStatus.SENT, {}),
}


cast = shared_fixture(build_cast, name="cast")


def sees(role: str, status: str) -> bool:
    # A draft is the referrer's alone; the receiving caseworkers see a referral once it is sent.
    return role in REFERRING_ROLES or (role in RECEIVING_ROLES and status != ReferralStatus.DRAFT)


def expected_answer(role: str, action: str) -> int:
    starting_status, _extra = STARTS[action]
    allowed = REFERRING_ROLES if VERBS[action].side == Side.SENDER else RECEIVING_ROLES
    if role in allowed:
        return 200
    return 403 if sees(role, starting_status) else 404


def test_the_matrix_covers_every_transition_a_person_takes():
    people_take = {action for action, verb in VERBS.items() if verb.side != Side.SYSTEM}
    assert set(STARTS) == people_take


@pytest.mark.parametrize("action", list(STARTS))
@pytest.mark.parametrize("role", ROLES)
def test_role_and_action(cast, role, action):
    starting_status, extra = STARTS[action]
    referral = referral_in(cast, starting_status)
    user = cast.user(role)

    response = signed_in(user).post(
        f"/api/referrals/{referral.pk}/transitions", {"action": action, **extra}, content_type="application/json"
    )

    expected = expected_answer(role, action)
    assert response.status_code == expected, response.content
    after = Referral.objects.get(pk=referral.pk)
    if expected == 200:
        assert (after.status, after.version) == (VERBS[action].to_status, referral.version + 1)
        assert response.json()["status"] == after.status
    else:
        assert (after.status, after.version) == (referral.status, referral.version)
        assert AuditEvent.objects.filter(actor=user, object_id=str(referral.pk), outcome=Decision.DENIED).count() == 1
