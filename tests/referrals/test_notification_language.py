"""Each recipient's e-mails are written in their own preferred language."""

from django.conf import settings
from django.core import mail
from django.utils import translation

from accounts.actions import set_preferred_language
from cso_directory.actions import send_password_set_link
from portal.foundation.roles import Role
from tests.referrals.conftest import make_user, sent_referral


def test_a_referral_e_mails_each_caseworker_in_their_own_language(cast, canary, django_capture_on_commit_callbacks):
    colleague = make_user("caseworker-a2", cast.cso_a, Role.CSO_CASEWORKER)
    set_preferred_language(cast.caseworker_a, "ru")
    set_preferred_language(colleague, "en")

    with django_capture_on_commit_callbacks(execute=True):
        sent_referral(cast, canary)

    emails = {email.to[0]: email for email in mail.outbox}
    russian, english = emails["caseworker-a@example.org"], emails["caseworker-a2@example.org"]
    assert english.subject == "New referral for Literacy classes"
    assert english.body.startswith("Sign in to the portal to see the referral:")
    with translation.override("ru"):
        assert russian.subject == translation.gettext("New referral for %(service)s") % {"service": "Literacy classes"}
        assert russian.body.startswith(translation.gettext("Sign in to the portal to see the referral: %(url)s")[:20])
    assert russian.subject != english.subject
    assert any("\u0400" <= letter <= "\u04ff" for letter in russian.subject + russian.body)


def test_the_password_link_of_a_member_with_a_preference_is_in_their_language(cast):
    set_preferred_language(cast.outsider, "ru")

    send_password_set_link(cast.outsider)

    [email] = mail.outbox
    with translation.override("ru"):
        assert email.subject == translation.gettext("Your account on %(site)s") % {"site": settings.WAGTAIL_SITE_NAME}
    assert any("\u0400" <= letter <= "\u04ff" for letter in email.body)
