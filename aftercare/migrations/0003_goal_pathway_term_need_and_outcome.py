"""Goals get a pathway term, the need they answer and an outcome for achievement, beside the old
columns (renamed old_*); 0004 moves the values and 0005 drops the old columns. Each step is a
transaction of its own: PostgreSQL alters no table while foreign-key checks of updates are pending."""

import django.db.models.deletion
from django.db import migrations, models

from cso_directory.reference_data import PATHWAYS_TAXONOMY_ID


class Migration(migrations.Migration):
    dependencies = [
        ("aftercare", "0002_free_text_limits"),
        ("cso_directory", "0004_probation_supervisor_role"),
        ("referrals", "0002_client_prison_access_until"),
    ]

    operations = [
        migrations.RenameField("goal", "pathway", "old_pathway"),
        migrations.RenameField("goal", "achievement", "old_achievement"),
        migrations.RenameField("goalreview", "achievement", "old_achievement"),
        migrations.AlterField("goal", "old_pathway", models.CharField(max_length=20, blank=True)),
        migrations.AlterField("goal", "old_achievement", models.PositiveSmallIntegerField(default=0)),
        migrations.AlterField("goalreview", "old_achievement", models.PositiveSmallIntegerField(default=0)),
        migrations.AddField(
            model_name="goal",
            name="pathway",
            field=models.ForeignKey(
                null=True,
                limit_choices_to={"taxonomy_id": PATHWAYS_TAXONOMY_ID},
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="cso_directory.taxonomyterm",
                verbose_name="pathway",
            ),
        ),
        migrations.AddField(
            model_name="goal",
            name="achievement",
            field=models.CharField(
                blank=True,
                choices=[("achieved", "Achieved"), ("partly", "Partly achieved"), ("not_achieved", "Not achieved")],
                default="",
                max_length=20,
                verbose_name="achievement",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="goalreview",
            name="achievement",
            field=models.CharField(
                blank=True,
                choices=[("achieved", "Achieved"), ("partly", "Partly achieved"), ("not_achieved", "Not achieved")],
                default="",
                max_length=20,
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="goal",
            name="need",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="goals",
                to="referrals.need",
                verbose_name="need it answers",
            ),
        ),
    ]
