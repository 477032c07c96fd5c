"""Each client's names as a search document (portal.foundation.text_search), trigram-indexed on PostgreSQL.

On SQLite (the demo) this migration only adds and fills the column.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

from portal.foundation.text_search import postgresql_indexes, search_document

INDEX = GinIndex(fields=["name_search"], opclasses=["gin_trgm_ops"], name="client_name_search_trigrams")


def fill_name_search(apps, schema_editor):
    Client = apps.get_model("referrals", "Client")
    for client in Client.objects.exclude(name_key="").only("first_name", "last_name", "other_names"):
        names = search_document(client.first_name, client.last_name, client.other_names)
        Client.objects.filter(pk=client.pk).update(name_search=names)


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0004_referral_receiving_organisation"),
    ]

    operations = [
        TrigramExtension(),
        migrations.AddField(
            model_name="client",
            name="name_search",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill_name_search, migrations.RunPython.noop),
        postgresql_indexes("referrals", "Client", [INDEX]),
    ]
