"""Pages that do not exist, and the health check that load balancers read."""

from __future__ import annotations

import pytest

from tests.browser.browsing import Visitor
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_given_a_signed_out_visitor_when_she_asks_for_a_missing_page_then_she_signs_in_first_and_then_sees_not_found(
    visitor: Visitor, dee
):
    visitor.visit("/no-such-page/")

    assert visitor.page.url.endswith("/login/?next=/no-such-page/")
    assert visitor.heading() == "Sign in to Heard"

    visitor.fill("Username", "dee")
    visitor.fill("Password", PASSWORD)
    response = visitor.submit("Sign in")

    assert visitor.page.url.endswith("/no-such-page/")
    assert response.status == 404
    assert visitor.heading() == "Page not found"


def test_given_the_health_check_when_asked_then_it_answers_in_json(visitor: Visitor):
    # An API for machines, not a page for people: read it as a load balancer would, without a page to check.
    response = visitor.page.request.get("/healthz")

    assert response.status == 200
    assert response.headers["content-type"] == "application/json"
    health = response.json()
    assert health["status"] == "ok"
    assert health["checks"]["database"]["ok"] is True
