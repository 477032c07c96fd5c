"""Operators' side of personal API tokens: `manage.py api_tokens list` and `manage.py api_tokens revoke ID`.

Replaces Wagtail's command of the same name (this app comes first in INSTALLED_APPS), which
makes tokens for anyone without an expiry of their choosing and without the portal's audit:
staff make their own tokens on /accounts/tokens/. A revocation here is audited.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.tokens import all_tokens, expires_at, revoke_token_by_command


class Command(BaseCommand):
    help = "List personal API tokens (never their secret) or revoke one; staff make tokens on /accounts/tokens/."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="subcommand", required=True)
        commands.add_parser("list", help="every token: id, prefix, owner, name, expiry, status")
        revoke = commands.add_parser("revoke", help="revoke one token, whoever owns it")
        revoke.add_argument("token_id", type=int)

    def handle(self, *args, subcommand: str, **options):
        if subcommand == "list":
            self.list_tokens()
        else:
            self.revoke_token(options["token_id"])

    def list_tokens(self) -> None:
        now = timezone.now()
        for token in all_tokens():
            expiry = expires_at(token)
            status = "revoked" if token.revoked_at else "expired" if expiry <= now else "active"
            fields = [token.pk, f"{token.prefix}…", token.user.get_username(), token.name, f"{expiry:%Y-%m-%d %H:%M}"]
            self.stdout.write("\t".join(map(str, [*fields, status])))

    def revoke_token(self, token_id: int) -> None:
        token = all_tokens().filter(pk=token_id).first()
        if token is None:
            raise CommandError(f"No API token has the id {token_id}.")
        revoke_token_by_command(token)
        self.stdout.write(f"Revoked {token.prefix}… of {token.user.get_username()}.")
