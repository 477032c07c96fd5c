from django.db import migrations

from cso_directory.reference_data import load_reference_data


def load(apps, schema_editor):
    load_reference_data(
        apps.get_model("cso_directory", "Region"),
        apps.get_model("cso_directory", "Language"),
        apps.get_model("cso_directory", "Taxonomy"),
        apps.get_model("cso_directory", "TaxonomyTerm"),
    )


class Migration(migrations.Migration):
    dependencies = [("cso_directory", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
