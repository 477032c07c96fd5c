"""Import HSDS 3.0 data: `manage.py import_hsds PATH [--country KZ]`.

PATH is an HSDS JSON file, a CSV table, or a directory: every .json and .csv file in it is
read (a CSV datapackage is such a directory; datapackage.json itself is not needed). A new
organisation goes to the directory of the first portal country among its addresses, else of
--country; without either the import stops. Existing organisations stay where they are.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cso_directory.hsds.importer import HsdsImportError, import_hsds
from portal.foundation.countries import Country


class Command(BaseCommand):
    help = "Import HSDS 3.0 JSON files or a CSV datapackage into the directory, all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="an HSDS JSON or CSV file, or a directory of them")
        parser.add_argument(
            "--country",
            choices=Country.values,
            help="country of new organisations with no address in a portal country",
        )

    def handle(self, *args, path: Path, country: str | None, **options):
        try:
            report = import_hsds(path, country=country, progress=self.stdout.write)
        except HsdsImportError as error:
            raise CommandError(f"Nothing imported. {error}") from None
        for line in report.lines():
            self.stdout.write(line)
