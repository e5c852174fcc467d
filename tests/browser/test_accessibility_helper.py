"""The axe-core helper later browser tests rely on really catches problems."""

import pytest

from tests.browser.accessibility import accessibility_violations, assert_accessible

GOOD_PAGE = """<!doctype html><html lang="en"><head><title>Fine</title></head>
<body><header><p>Partnership</p></header><main><h1>A page</h1>
<p>Text with <a href="/next">a descriptive link</a>.</p>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="A dot"></main></body></html>"""

BAD_PAGE = """<!doctype html><html><head><title>Bad</title></head>
<body><main><h1>A page</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<input type="text"></main></body></html>"""


def test_a_clean_page_passes(page):
    page.set_content(GOOD_PAGE)
    assert_accessible(page)


def test_missing_alt_text_label_and_language_are_reported(page):
    page.set_content(BAD_PAGE)
    found = {violation["id"] for violation in accessibility_violations(page)}
    assert {"image-alt", "label", "html-has-lang"} <= found
    with pytest.raises(AssertionError, match="image-alt"):
        assert_accessible(page)
