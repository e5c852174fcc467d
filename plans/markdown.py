"""Managers write narrative in Markdown; readers get sanitised HTML with GOV.UK classes.

The HTML of a plan's narrative is rendered once, when its row is written, and stored beside the
Markdown (RenderedMarkdownField): public pages print it rather than render it per request."""

from functools import lru_cache

import markdown
import nh3
from django.db import models
from django.db.models.signals import pre_save
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "code", "pre", "blockquote", "sup",
    "ul", "ol", "li", "a", "h3", "h4", "h5", "h6", "div",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "li": {"id"}, "sup": {"id"}, "th": {"scope"}}
GOVUK_CLASSES = {
    "p": {"class": "govuk-body"},
    "ul": {"class": "govuk-list govuk-list--bullet"},
    "ol": {"class": "govuk-list govuk-list--number"},
    "a": {"class": "govuk-link"},
    "h2": {"class": "govuk-heading-l"},
    "h3": {"class": "govuk-heading-m"},
    "h4": {"class": "govuk-heading-s"},
    "h5": {"class": "govuk-heading-s"},
    "h6": {"class": "govuk-heading-s"},
    "blockquote": {"class": "govuk-inset-text"},
    "table": {"class": "govuk-table"},
    "tr": {"class": "govuk-table__row"},
    "th": {"class": "govuk-table__header"},
    "td": {"class": "govuk-table__cell"},
    "div": {"class": "app-footnotes"},  # the footnotes extension's only <div>
}


def render_markdown(text: str, *, top_heading: int = 3) -> SafeString:
    """Markdown to safe HTML. Headings start at <h3>, as the text sits under a page's <h2>;
    a whole page of text under its <h1> (a statement) passes top_heading=2."""
    return mark_safe(_sanitised_html(text or "", top_heading))


# A statement page, and a refresh of a small plan, render the same texts again: keep the last few.
@lru_cache(maxsize=128)
def _sanitised_html(text: str, top_heading: int) -> str:
    html = markdown.markdown(
        text,
        extensions=["footnotes", "sane_lists", "tables", "toc"],
        extension_configs={
            "toc": {"baselevel": top_heading, "anchorlink": False, "permalink": False},
            "footnotes": {"BACKLINK_TITLE": "Back to the text of footnote %d"},
        },
    )
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS | {f"h{top_heading}"},
        attributes=ALLOWED_ATTRIBUTES,
        set_tag_attribute_values=GOVUK_CLASSES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    return clean


class RenderedMarkdownField(models.TextField):
    """The sanitised HTML of the Markdown in the model's `source` field, rendered whenever the
    row is written: by save() (forms, the admin), bulk_create (imports, refreshes, the demo)
    and loaddata (raw saves, see `_render_on_raw_save`). Not for people to edit; read back as
    safe HTML, as only render_markdown writes it. A save(update_fields=…) naming the source
    must name this field too: MarkdownRenderedOnSave does that."""

    def __init__(self, *args, source: str = "", **kwargs):
        self.source = source
        kwargs.update(editable=False, blank=True, default="")
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        for fixed in ("editable", "blank", "default"):
            kwargs.pop(fixed, None)
        return name, path, args, {**kwargs, "source": self.source}

    def rendered(self, instance) -> SafeString:
        return render_markdown(getattr(instance, self.source))

    def pre_save(self, instance, add: bool) -> SafeString:
        html = self.rendered(instance)
        setattr(instance, self.attname, html)
        return html

    def from_db_value(self, value, expression, connection):
        return None if value is None else mark_safe(value)

    def contribute_to_class(self, cls, name, *args, **kwargs):
        super().contribute_to_class(cls, name, *args, **kwargs)
        if not cls._meta.abstract:
            pre_save.connect(_render_on_raw_save, sender=cls, weak=False)


def rendered_markdown_fields(model) -> list[RenderedMarkdownField]:
    return [field for field in model._meta.fields if isinstance(field, RenderedMarkdownField)]


def _render_on_raw_save(sender, instance, raw=False, **kwargs) -> None:
    """loaddata saves rows as they are (no field's pre_save): fixtures carry Markdown only."""
    if raw:
        for field in rendered_markdown_fields(sender):
            setattr(instance, field.attname, field.rendered(instance))


class MarkdownRenderedOnSave:
    """For a model with RenderedMarkdownFields: a save of only some fields that names a
    Markdown source also writes its HTML, so the two never part."""

    def save(self, *args, update_fields=None, **kwargs):
        if update_fields is not None:
            update_fields = set(update_fields)
            update_fields |= {
                field.name
                for field in rendered_markdown_fields(type(self))
                if field.source in update_fields
            }
        super().save(*args, update_fields=update_fields, **kwargs)
