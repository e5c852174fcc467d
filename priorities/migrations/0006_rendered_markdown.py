from django.db import migrations

import plans.markdown

PARTS = ["what_is", "local_picture", "response"]


def render_priorities(apps, schema_editor):
    """Priorities written before the HTML was stored get it now."""
    Priority = apps.get_model("priorities", "Priority")
    priorities = list(Priority.objects.only(*PARTS))
    for priority in priorities:
        for part in PARTS:
            setattr(
                priority, f"{part}_html", plans.markdown.render_markdown(getattr(priority, part))
            )
    Priority.objects.bulk_update(priorities, [f"{part}_html" for part in PARTS], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("priorities", "0005_admin_indexes")]

    operations = [
        *(
            migrations.AddField(
                model_name="priority",
                name=f"{part}_html",
                field=plans.markdown.RenderedMarkdownField(source=part),
            )
            for part in PARTS
        ),
        migrations.RunPython(render_priorities, migrations.RunPython.noop, elidable=True),
    ]
