from django.db import migrations, models

from plans.migration_steps import no_statement_timeout


class Migration(migrations.Migration):
    dependencies = [
        ("priorities", "0006_rendered_markdown"),
    ]

    operations = [
        migrations.RunPython(no_statement_timeout, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="actionupdate",
            index=models.Index(
                condition=models.Q(("status", "approved")),
                fields=["reporting_period", "action_row", "action_status"],
                name="action_update_approved",
            ),
        ),
    ]
