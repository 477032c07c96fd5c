"""An index on the pages' titles, for the directory and the HSDS API, which list services by title.

The title is a column of Wagtail's page table, so the index is created here by name.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("cso_directory", "0010_names_in_interface_languages")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS cso_directory_page_title ON wagtailcore_page (title)",
            reverse_sql="DROP INDEX IF EXISTS cso_directory_page_title",
        )
    ]
