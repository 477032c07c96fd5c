"""Every sign-in, failed sign-in and lock-out is audited, whichever path called authenticate(); a sign-in
brings back the user's preferred language."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from accounts import actions
from accounts.languages import restore_language
from accounts.second_factor import note_sign_in


@receiver(user_logged_in, dispatch_uid="accounts.signed_in")
def signed_in(sender, request, user, **kwargs):
    actions.record_sign_in(user)
    note_sign_in(request, user)
    restore_language(request, user)


@receiver(user_login_failed, dispatch_uid="accounts.sign_in_failed")
def sign_in_failed(sender, credentials, request=None, **kwargs):
    # `credentials` has the password already masked by Django; only the username is kept.
    actions.record_failed_sign_in(credentials.get("username") or "")


@receiver(user_locked_out, dispatch_uid="accounts.locked_out")
def locked_out(sender, request, username, ip_address, **kwargs):
    actions.record_lock_out(username or "")
