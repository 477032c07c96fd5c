"""Export the public directory as HSDS 3.0: `manage.py export_hsds DIR`.

Writes organizations.json, services.json, taxonomies.json and taxonomy_terms.json to DIR, and
the same data as a CSV datapackage to DIR/csv/. Only what the HSDS API shows the public.
"""

from pathlib import Path

from django.core.management.base import BaseCommand

from cso_directory.hsds.exporter import CSV_DIRECTORY, export_hsds


class Command(BaseCommand):
    help = "Export the public directory as HSDS 3.0 JSON files and a CSV datapackage."

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help="where to write the files (created if missing)")

    def handle(self, *args, directory: Path, **options):
        for file_name, count in export_hsds(directory).items():
            self.stdout.write(f"{directory / file_name}: {count} records")
        self.stdout.write(f"{directory / CSV_DIRECTORY}: CSV datapackage")
