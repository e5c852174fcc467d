"""GOV.UK Frontend markup written once, for every page: table headers, banners, warnings and the
error summary. The markup itself is in templates/includes/.

    {% table_head "Agency" "Due|numeric" %}
    {% warning_text %}This version has been replaced.{% endwarning_text %}
    {% notification_banner title="Success" success=True %}…{% endnotification_banner %}
    {% include "includes/error_summary.html" with errors=form|error_links %}
"""

from functools import lru_cache

from django import template
from django.template.base import token_kwargs
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import ngettext

register = template.Library()

# What may follow "|" in a table_head column: a GOV.UK modifier, or our own class.
COLUMN_CLASSES = {"numeric": "govuk-table__header--numeric"}


@register.simple_tag
def table_head(*headers: str) -> str:
    """A table's <thead>: one column header per argument, "Text" or "Text|numeric"."""
    return _table_head(headers)


# A large plan's page has a table per priority, all with the same head: render it once.
@lru_cache(maxsize=64)
def _table_head(headers: tuple[str, ...]) -> str:
    columns = []
    for header in headers:
        text, _, modifier = header.partition("|")
        columns.append({"text": text, "class": COLUMN_CLASSES.get(modifier, modifier)})
    return render_to_string("includes/table_head.html", {"columns": columns})


@register.filter
def error_links(form) -> list[tuple[str, str]]:
    """A form's errors as (link target, message) pairs for the error summary."""
    if not form.errors:
        return []
    first_field = next(iter(form.visible_fields()), None)
    top = f"#{first_field.auto_id}" if first_field else "#main-content"
    links = [(top, message) for message in form.non_field_errors()]
    for field in form.visible_fields():
        links.extend((f"#{field.auto_id}", message) for message in field.errors)
    return links


RATING_COLOURS = {"green": "green", "amber": "orange", "red": "red"}


@register.filter
def rating_colour(code: str) -> str:
    """The GOV.UK tag colour of a rating: amber is orange in GOV.UK Frontend."""
    return RATING_COLOURS.get(code, "grey")


@register.filter
def in_minutes(duration) -> str:
    """A timedelta as people say it: "15 minutes", "1 minute"."""
    minutes = max(1, round(duration.total_seconds() / 60))
    return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}


class ComponentNode(template.Node):
    """Renders an include with the tag's body as `content` and its keyword arguments."""

    def __init__(self, template_name: str, nodelist, kwargs: dict):
        self.template_name = template_name
        self.nodelist = nodelist
        self.kwargs = kwargs

    def render(self, context) -> str:
        values = {name: value.resolve(context) for name, value in self.kwargs.items()}
        values["content"] = mark_safe(self.nodelist.render(context).strip())
        component = context.template.engine.get_template(self.template_name)
        with context.push(**values):
            return component.render(context)


def component(name: str, template_name: str) -> None:
    """Register `{% name key=value … %}body{% endname %}` rendering `template_name`."""

    def compile_tag(parser, token):
        bits = token.split_contents()[1:]
        kwargs = token_kwargs(bits, parser)
        if bits:
            raise template.TemplateSyntaxError(f"{name} takes only key=value arguments.")
        nodelist = parser.parse((f"end{name}",))
        parser.delete_first_token()
        return ComponentNode(template_name, nodelist, kwargs)

    register.tag(name, compile_tag)


component("warning_text", "includes/warning_text.html")
component("notification_banner", "includes/notification_banner.html")
