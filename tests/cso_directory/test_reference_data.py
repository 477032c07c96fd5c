"""The reference data reloaded after every migrate and every flush: complete, corrected, and cheap to reload."""

import pytest

from cso_directory.models import Language, Region, Taxonomy, TaxonomyTerm
from cso_directory.reference_data import (
    OPEN_ELIGIBILITY_TAXONOMY_ID,
    PATHWAYS_TAXONOMY_ID,
    load_reference_data,
    read_rows,
    term_id,
)

pytestmark = pytest.mark.django_db


def reload():
    load_reference_data(Region, Language, Taxonomy, TaxonomyTerm)


def test_reloading_takes_a_handful_of_queries_not_one_per_row(django_assert_max_num_queries):
    # Transactional tests reload it after each flush: one query per row cost seconds each time.
    with django_assert_max_num_queries(12):
        reload()


def test_reloading_restores_edited_and_deleted_rows():
    almaty = next(row for row in read_rows("regions.csv") if row["code"] == "KZ-75")
    Region.objects.filter(code="KZ-75").update(name_en="Edited by hand")
    TaxonomyTerm.objects.filter(taxonomy_id=PATHWAYS_TAXONOMY_ID, code="education").delete()
    Language.objects.filter(code="kk").delete()
    counts = (Region.objects.count(), Language.objects.count() + 1, TaxonomyTerm.objects.count() + 1)

    reload()

    assert Region.objects.get(code="KZ-75").name_en == almaty["name_en"]
    education = TaxonomyTerm.objects.get(taxonomy_id=PATHWAYS_TAXONOMY_ID, code="education")
    assert education.id == term_id(PATHWAYS_TAXONOMY_ID, "education")
    assert education.parent_term_id == term_id(OPEN_ELIGIBILITY_TAXONOMY_ID, "education")
    assert Language.objects.filter(code="kk").exists()
    assert (Region.objects.count(), Language.objects.count(), TaxonomyTerm.objects.count()) == counts
