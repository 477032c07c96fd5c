"""Import HSDS 3.0 data: `manage.py import_hsds PATH --country KZ [--as USERNAME] [--publish]`.

PATH is an HSDS JSON file, a CSV table, or a directory: every .json and .csv file in it is
read (a CSV datapackage is such a directory; datapackage.json itself is not needed). The import
changes only the CSO listings of --country: a record touching a prison, a probation office or
another country's listing refuses the whole import. Changes are submitted to the country's
approval workflow; --publish publishes them at once, bypassing moderation, and is for a national
coordinator of the country or a superuser, named with --as.
"""

from pathlib import Path

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError

from cso_directory.hsds.importer import HsdsImportError, import_hsds
from portal.foundation.countries import Country


class Command(BaseCommand):
    help = (
        "Import HSDS 3.0 JSON files or a CSV datapackage into the CSO listings of one country, all or nothing. "
        "Changes wait for approval by the country's coordinators, unless --publish."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="an HSDS JSON or CSV file, or a directory of them")
        parser.add_argument(
            "--country",
            choices=Country.values,
            required=True,
            help="the country whose CSO listings the import creates and changes; nothing else is touched",
        )
        parser.add_argument(
            "--as",
            dest="username",
            help="who imports: recorded on the revisions and the approval request; required with --publish",
        )
        parser.add_argument(
            "--publish",
            action="store_true",
            help=(
                "publish at once, BYPASSING MODERATION (no coordinator approves the changes); "
                "only for a national coordinator of the country or a superuser, given with --as"
            ),
        )

    def handle(self, *args, path: Path, country: str, username: str | None, publish: bool, **options):
        user = importing_user(username)
        if publish:
            self.stdout.write(f"--publish: the changes go live at once, bypassing moderation, as {username}.")
        try:
            report = import_hsds(path, country=country, user=user, publish=publish, progress=self.stdout.write)
        except HsdsImportError as error:
            raise CommandError(f"Nothing imported. {error}") from None
        for line in report.lines():
            self.stdout.write(line)
        if not publish:
            self.stdout.write(
                f"Submitted for approval by the national coordinators of {country}: new pages stay unpublished "
                "and changed ones keep their published version until approved."
            )


def importing_user(username: str | None) -> User | None:
    if username is None:
        return None
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"No active user is called {username!r}.")
    return user
