from html import escape

from django import template
from django.utils.safestring import SafeString

from plans.markdown import render_markdown

register = template.Library()


@register.filter
def markdown(text: str):
    """Markdown rendered as the page is: for text not saved yet (a Word document's preview).
    Saved text is rendered once when saved: print its `…_html` field instead."""
    return render_markdown(text)


def _list_cell(items) -> str:
    listed = "".join(f"<li>{escape(item)}</li>" for item in items)
    return f'<td class="govuk-table__cell">\n<ul class="govuk-list">{listed}</ul>\n</td>'


@register.simple_tag(takes_context=True)
def action_rows(context, rows) -> SafeString:
    """An action table's rows: Action, Outcome, Data and Lead, a draft's with the comments on
    each. Written here rather than by template loops: a large plan's page has thousands of
    rows, which the template engine took most of its time over."""
    comments = None
    if context.get("draft"):
        comments = context.template.engine.get_template("drafts/_comments.html")
    written = []
    for row in rows:
        on_row = ""
        if comments is not None:
            with context.push(subject=row, subject_name=row, subject_kind="row", subject_id=row.pk):
                on_row = comments.render(context)
        # The row's texts, read with every other row's (priorities.models.plan_contents).
        cells = (row.texts.outcomes, row.texts.data_lines, row.texts.lead_organisations)
        written.append(
            '<tr class="govuk-table__row">\n'
            f'<td class="govuk-table__cell">{escape(row.description)}{on_row}</td>\n'
            + "\n".join(_list_cell(items) for items in cells)
            + "\n</tr>"
        )
    return SafeString("\n".join(written))
