"""The checks themselves: axe must be able to fail, and no page may slip past it."""

from __future__ import annotations

import pytest

from tests.browser.accessibility import AccessibilityError
from tests.browser.browsing import Visitor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

INACCESSIBLE_PAGE = """<!DOCTYPE html>
<html lang="en"><head><title>Broken</title></head>
<body><main><h1>Broken</h1><img src="/static/nothing.png"><input type="text" name="unlabelled"></main></body></html>"""


def test_given_a_page_with_an_unlabelled_input_and_an_image_without_alt_text_then_the_check_fails_readably(
    visitor: Visitor, live_server
):
    visitor.page.route(
        f"{live_server.url}/broken/",
        lambda route: route.fulfill(body=INACCESSIBLE_PAGE, content_type="text/html"),
    )

    with pytest.raises(AccessibilityError) as failure:
        visitor.visit("/broken/")

    message = str(failure.value)
    assert "image-alt (critical)" in message
    assert "at img" in message
    assert "label (critical)" in message
    assert f"{live_server.url}/broken/" in message


def test_given_no_javascript_then_pages_are_still_checked_as_shown(
    visitor_without_javascript: Visitor, live_server
):
    visitor = visitor_without_javascript
    visitor.page.route(
        f"{live_server.url}/broken/",
        lambda route: route.fulfill(body=INACCESSIBLE_PAGE, content_type="text/html"),
    )

    with pytest.raises(AccessibilityError, match="image-alt"):
        visitor.visit("/broken/")


def test_given_a_page_reached_without_the_visitor_then_it_is_noted_as_unchecked(
    visitor: Visitor, live_server
):
    visitor.page.goto(f"{live_server.url}/login/")

    assert visitor.unchecked == [f"{live_server.url}/login/"]
    visitor.check()
    assert visitor.unchecked == []
