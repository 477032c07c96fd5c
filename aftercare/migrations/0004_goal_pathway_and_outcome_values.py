"""Existing goals and reviews move to the pathway terms needs use and to the referral outcome; see the tables."""

from django.db import migrations

from cso_directory.reference_data import PATHWAYS_TAXONOMY_ID, term_id

# The old plan pathways and the pathway term (cso_directory/data/pathways.csv) each becomes.
PATHWAY_TERMS = {
    "accommodation": "housing",
    "education_work": "employment",
    "family": "family-support",
    "finance_documents": "legal-aid",  # its goals were about ID and documents, which legal aid covers
    "health": "health",
    "legal": "legal-aid",
    "attitudes": "religious-dialogue",  # "supporting disengagement from violence"
}
# Backwards: the old pathway of every pathway term.
OLD_PATHWAYS_OF_TERMS = {
    "housing": "accommodation",
    "education": "education_work",
    "vocational-training": "education_work",
    "employment": "education_work",
    "family-support": "family",
    "women": "family",
    "children": "family",
    "financial": "finance_documents",
    "legal-aid": "legal",
    "health": "health",
    "psychosocial": "health",
    "religious-dialogue": "attitudes",
}
# The old achievement levels 0 (no progress) to 4 (fully achieved) as outcomes, and back.
ACHIEVED, PARTLY, NOT_ACHIEVED = "achieved", "partly", "not_achieved"
LEVELS_OF_OUTCOMES = {"": 0, NOT_ACHIEVED: 0, PARTLY: 2, ACHIEVED: 4}


def outcome_of(level: int, status: str) -> str:
    """No progress is no outcome yet, unless the goal was given up; some progress is partly achieved."""
    if level == 0:
        return NOT_ACHIEVED if status == NOT_ACHIEVED else ""
    return ACHIEVED if level == 4 else PARTLY


def pathway_term(apps, code: str):
    """The term, created as the reference data will fill it in after `migrate` if it is not there yet."""
    Taxonomy = apps.get_model("cso_directory", "Taxonomy")
    TaxonomyTerm = apps.get_model("cso_directory", "TaxonomyTerm")
    Taxonomy.objects.get_or_create(id=PATHWAYS_TAXONOMY_ID, defaults={"name": "Reintegration pathways"})
    term, _created = TaxonomyTerm.objects.get_or_create(
        id=term_id(PATHWAYS_TAXONOMY_ID, code),
        defaults={"taxonomy_id": PATHWAYS_TAXONOMY_ID, "code": code, "name": code},
    )
    return term


def forwards(apps, schema_editor):
    Goal = apps.get_model("aftercare", "Goal")
    GoalReview = apps.get_model("aftercare", "GoalReview")
    for old, code in PATHWAY_TERMS.items():
        if Goal.objects.filter(old_pathway=old).exists():
            Goal.objects.filter(old_pathway=old).update(pathway=pathway_term(apps, code))
    for model in (Goal, GoalReview):
        for level in range(5):
            rows = model.objects.filter(old_achievement=level)
            rows.filter(status=NOT_ACHIEVED).update(achievement=outcome_of(level, NOT_ACHIEVED))
            rows.exclude(status=NOT_ACHIEVED).update(achievement=outcome_of(level, ""))


def backwards(apps, schema_editor):
    Goal = apps.get_model("aftercare", "Goal")
    GoalReview = apps.get_model("aftercare", "GoalReview")
    for code, old in OLD_PATHWAYS_OF_TERMS.items():
        Goal.objects.filter(pathway__code=code, pathway__taxonomy_id=PATHWAYS_TAXONOMY_ID).update(old_pathway=old)
    for model in (Goal, GoalReview):
        for outcome, level in LEVELS_OF_OUTCOMES.items():
            model.objects.filter(achievement=outcome).update(old_achievement=level)


class Migration(migrations.Migration):
    dependencies = [("aftercare", "0003_goal_pathway_term_need_and_outcome")]

    operations = [migrations.RunPython(forwards, backwards)]
