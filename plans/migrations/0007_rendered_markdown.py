from django.db import migrations

import plans.markdown


def render_sections(apps, schema_editor):
    """Sections written before the HTML was stored get it now."""
    Section = apps.get_model("plans", "Section")
    sections = list(Section.objects.only("body"))
    for section in sections:
        section.body_html = plans.markdown.render_markdown(section.body)
    Section.objects.bulk_update(sections, ["body_html"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("plans", "0006_risks_and_funds")]

    operations = [
        migrations.AddField(
            model_name="section",
            name="body_html",
            field=plans.markdown.RenderedMarkdownField(source="body"),
        ),
        migrations.RunPython(render_sections, migrations.RunPython.noop, elidable=True),
    ]
