"""Write verbs of the accounts: the audit of signing in. Views and signal receivers change accounts only here."""

from django.contrib.auth.models import User

from portal.foundation.audit import record_event
from portal.foundation.models import Decision

# Failed sign-ins and lock-outs name no account: the username typed may not exist.
NO_ACCOUNT = ("auth.user", "")


# Signing in ---------------------------------------------------------------------------------------


def record_sign_in(user: User) -> None:
    record_event(user, "sign_in", user)


def record_failed_sign_in(username: str) -> None:
    """A wrong password, an unknown username or a locked-out attempt; never the password itself."""
    record_event(None, "sign_in.failed", NO_ACCOUNT, outcome=Decision.DENIED, username=username[:150])


def record_lock_out(username: str) -> None:
    record_event(None, "sign_in.locked_out", NO_ACCOUNT, outcome=Decision.DENIED, username=username[:150])


def record_throttled_password_reset(limits: list[str]) -> None:
    """A reset link not sent because one address or one IP address asked too often (not which address)."""
    record_event(None, "password_reset.throttled", NO_ACCOUNT, outcome=Decision.DENIED, limits=limits)
