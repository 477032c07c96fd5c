"""Each service's search document (cso_directory.search), with its indexes on PostgreSQL.

The trigram index serves the prefix matches (LIKE), the GIN index on the stems the stemmed ones;
both are PostgreSQL's own, so on SQLite (the demo) this migration only adds and fills the column.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

from cso_directory.search import SEARCH_FIELD, service_search_document
from portal.foundation.text_search import postgresql_indexes, stemmed_vector

INDEXES = [
    GinIndex(fields=[SEARCH_FIELD], opclasses=["gin_trgm_ops"], name="service_search_trigrams"),
    GinIndex(stemmed_vector(SEARCH_FIELD), name="service_search_stems"),
]


def fill_search_documents(apps, schema_editor):
    ServicePage = apps.get_model("cso_directory", "ServicePage")
    for service in ServicePage.objects.select_related("organisation").prefetch_related("categories"):
        ServicePage.objects.filter(pk=service.pk).update(search_document=service_search_document(service))


class Migration(migrations.Migration):
    dependencies = [
        ("cso_directory", "0011_page_title_index"),
    ]

    operations = [
        TrigramExtension(),
        migrations.AddField(
            model_name="servicepage",
            name="search_document",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill_search_documents, migrations.RunPython.noop),
        postgresql_indexes("cso_directory", "ServicePage", INDEXES),
    ]
