"""Managers write narrative in Markdown; readers get sanitised HTML with GOV.UK classes."""

import markdown
import nh3
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
    html = markdown.markdown(
        text or "",
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
    return mark_safe(clean)
