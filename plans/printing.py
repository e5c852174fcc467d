"""The running heads of printed pages: what a page says in its margins, and on every page.

Static CSS cannot name the document, its address or the day it was printed, and the
Content-Security-Policy allows no inline style, so each printable page links a small generated
stylesheet of @page rules (media="print") built here: the report's and the plan's.
"""

from datetime import date

from django.http import HttpResponse
from django.utils.cache import patch_cache_control

MARGIN_BOX_FONT = "font: 9pt sans-serif;"


def page_css(
    *,
    title: str,
    printed: date,
    address: str = "",
    size: str = "A4",
    orientation: str = "portrait",
    margin: str = "18mm 14mm 16mm",
) -> str:
    """@page rules putting on every printed page: `title` at the top left, the day it was
    `printed` at the top right, the page's `address` (when given) at the bottom left, and
    "Page N of M" at the bottom right."""
    boxes = {
        "top-left": quoted(title),
        "top-right": quoted(f"Printed {printed.day} {printed:%B %Y}"),
        "bottom-left": quoted(address) if address else "",
        "bottom-right": '"Page " counter(page) " of " counter(pages)',
    }
    rules = "".join(
        f"  @{box} {{ content: {content}; {MARGIN_BOX_FONT} }}\n"
        for box, content in boxes.items()
        if content
    )
    return f"@page {{\n  size: {size} {orientation};\n  margin: {margin};\n{rules}}}\n"


def quoted(text: str) -> str:
    """`text` as a CSS string: its quotes and backslashes escaped, on one line."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + " ".join(escaped.split()) + '"'


def stylesheet_response(css: str) -> HttpResponse:
    """The stylesheet, asked for again each time it is printed: the date in it changes daily,
    and a draft's is for members only."""
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    patch_cache_control(response, no_cache=True, private=True)
    return response
