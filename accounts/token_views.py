"""The signed-in user's own API tokens: list, create (the plaintext shown once) and revoke."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.token_forms import TokenForm
from accounts.tokens import create_token, expires_at, revoke_token, tokens_of


@login_required
def token_list(request):
    """GET lists the user's tokens; POST makes one and shows its plaintext on this answer only."""
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        new_token = create_token(request.user, **form.cleaned_data)
        form = TokenForm()
    tokens = [(token, expires_at(token)) for token in tokens_of(request.user)]
    context = {"form": form, "tokens": tokens, "new_token": new_token, "now": timezone.now()}
    response = TemplateResponse(request, "accounts/tokens.html", context)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def token_revoke(request, token_id: int):
    """Revoke one of the user's tokens; anyone else's answers 404, like a token that does not exist."""
    token = get_object_or_404(tokens_of(request.user), pk=token_id)
    revoke_token(request.user, token)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("account_tokens")
