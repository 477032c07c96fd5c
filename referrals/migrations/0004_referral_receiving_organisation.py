import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0003_free_text_limits"),
    ]

    operations = [
        migrations.RenameField(model_name="referral", old_name="organisation", new_name="receiving_organisation"),
        migrations.AlterField(
            model_name="referral",
            name="receiving_organisation",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="received_referrals",
                to="cso_directory.organisationpage",
                verbose_name="receiving organisation",
            ),
        ),
    ]
