"""Goals: the old pathway and achievement columns go, now that 0004 moved their values."""

import django.db.models.deletion
from django.db import migrations, models

from cso_directory.reference_data import PATHWAYS_TAXONOMY_ID


class Migration(migrations.Migration):
    dependencies = [("aftercare", "0004_goal_pathway_and_outcome_values")]

    operations = [
        migrations.RemoveField("goal", "old_pathway"),
        migrations.RemoveField("goal", "old_achievement"),
        migrations.RemoveField("goalreview", "old_achievement"),
        migrations.AlterField(
            model_name="goal",
            name="pathway",
            field=models.ForeignKey(
                limit_choices_to={"taxonomy_id": PATHWAYS_TAXONOMY_ID},
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="cso_directory.taxonomyterm",
                verbose_name="pathway",
            ),
        ),
        migrations.AlterModelOptions(
            name="goal",
            options={"ordering": ["pathway__name", "target_date"], "verbose_name": "goal", "verbose_name_plural": "goals"},
        ),
    ]
