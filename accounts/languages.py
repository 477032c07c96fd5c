"""The portal's languages as the switcher names them; a user's preferred language coming back when they
sign in, in any browser (the sign-in answer sets the language cookie Django's LocaleMiddleware reads), and
writing their e-mails in it."""

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation

from accounts.access import preferred_language

# Each language in its own name, as its speakers write it (Django's own names for Arabic, Kazakh and Tajik
# differ: a vowel mark, "Қазақ" without "-ша", a lower-case "тоҷикӣ"). Never translated.
OWN_NAMES = {
    "en": "English",
    "ar": "العربية",
    "ckb": "کوردی",
    "ru": "Русский",
    "kk": "Қазақша",
    "ky": "Кыргызча",
    "tg": "Тоҷикӣ",
}
RESTORED = "preferred_language_restored"  # request attribute: the language to set in the cookie


def restore_language(request: HttpRequest, user) -> None:
    """At sign-in: answer in the user's preferred language and have the browser keep it."""
    language = preferred_language(user)
    if language is None:
        return
    translation.activate(language)
    request.LANGUAGE_CODE = language
    setattr(request, RESTORED, language)


def in_language_of(user):
    """Write what is for this user (an e-mail) in their preferred language, or else in the current one."""
    return translation.override(preferred_language(user) or translation.get_language())


class RestoredLanguageCookieMiddleware:
    """Sets the language cookie on the answer to a sign-in, as Django's own language switch does."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        language = getattr(request, RESTORED, None)
        if language is not None:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response


def switcher_languages() -> list[tuple[str, str]]:
    """(code, own name) of every language of the portal, in the order of settings.LANGUAGES."""
    return [(code, OWN_NAMES[code]) for code, _name in settings.LANGUAGES]
