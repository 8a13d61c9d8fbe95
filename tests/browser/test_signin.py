"""Signing in through the browser: demo organisations, two-factor set-up, recovery codes and lock-out."""

from __future__ import annotations

import pyotp
import pytest

from tests.browser.browsing import Visitor, next_time_step_code
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_given_a_demo_organisation_member_when_she_signs_in_with_a_password_only_then_she_is_home_and_warned(
    visitor: Visitor, dee
):
    visitor.sign_in_with_password("dee")

    assert visitor.page.url.endswith("/home/")
    assert visitor.heading().startswith("Welcome, Dee")
    warning = visitor.page.get_by_text("Demonstration organisation: two-factor sign-in is off")
    assert warning.is_visible()


def test_given_a_real_organisation_member_signing_in_for_the_first_time_then_she_must_set_up_two_factor(
    visitor: Visitor, alice
):
    visitor.sign_in_with_password("alice")

    assert visitor.page.url.endswith("/account/two-factor/")
    assert visitor.heading() == "Set up two-factor sign-in"
    secret = visitor.page.locator("#secret").inner_text().replace(" ", "")
    totp = pyotp.TOTP(secret)
    set_up_code = totp.now()
    visitor.fill("Code from your authenticator app", set_up_code)
    visitor.submit("Turn on two-factor sign-in")

    assert visitor.heading() == "Your recovery codes"
    recovery_codes = visitor.page.locator("#recovery-codes li").all_inner_texts()
    assert len(recovery_codes) == 10
    visitor.follow("I have saved my codes: go to Heard")
    assert visitor.heading().startswith("Welcome, Alice")
    visitor.sign_out()

    # The code used to set up the app cannot be used again; the next step's code is allowed for clock drift.
    visitor.sign_in_with_password("alice")
    assert visitor.page.url.endswith("/login/code/")
    response = visitor.enter_code(set_up_code)
    assert response.status == 400
    assert visitor.main.get_by_text("That code is not right").first.is_visible()
    visitor.enter_code(next_time_step_code(totp))
    assert visitor.page.url.endswith("/home/")
    assert visitor.heading().startswith("Welcome, Alice")
    assert visitor.page.get_by_text("two-factor sign-in is off").count() == 0
    visitor.follow("Sign-in security", within=visitor.page.get_by_role("banner"))
    assert visitor.main.get_by_text("Two-factor sign-in is on.").is_visible()
    visitor.sign_out()

    # A recovery code signs her in once.
    visitor.sign_in_with_password("alice")
    visitor.enter_code(recovery_codes[0])
    assert visitor.heading().startswith("Welcome, Alice")
    visitor.sign_out()

    visitor.sign_in_with_password("alice")
    visitor.enter_code(recovery_codes[0])
    assert visitor.page.url.endswith("/login/code/")
    assert visitor.page.get_by_role("alert").get_by_text("There is a problem").is_visible()
    assert visitor.main.get_by_text("That code is not right").first.is_visible()


def test_given_a_wrong_password_five_times_then_the_account_is_locked_even_for_the_right_password(
    visitor: Visitor, alice
):
    visitor.visit("/login/")
    for attempt in range(1, 6):
        visitor.fill("Username", "alice")
        visitor.fill("Password", "not-the-password")
        response = visitor.submit("Sign in")
        assert response.status == 400
        if attempt < 5:
            assert visitor.main.get_by_text("The username or password is not right").first.is_visible()

    assert visitor.main.get_by_text(
        "There have been too many attempts to sign in to this account"
    ).is_visible()

    response = visitor.sign_in_with_password("alice", PASSWORD)
    assert response.status == 400
    assert visitor.page.url.endswith("/login/")
    assert visitor.main.get_by_text(
        "There have been too many attempts to sign in to this account"
    ).is_visible()


def test_given_a_signed_in_member_when_she_signs_out_then_staff_pages_send_her_back_to_sign_in(
    visitor: Visitor, dee
):
    visitor.sign_in("dee")
    visitor.sign_out()

    visitor.visit("/home/")

    assert visitor.page.url.endswith("/login/?next=/home/")
    assert visitor.heading() == "Sign in to Heard"


def test_given_a_form_left_open_when_the_session_cookie_is_gone_then_the_form_has_expired_page_explains(
    visitor: Visitor, dee
):
    visitor.visit("/login/")
    visitor.page.context.clear_cookies()
    visitor.fill("Username", "dee")
    visitor.fill("Password", PASSWORD)

    response = visitor.submit("Sign in")

    assert response.status == 403
    assert visitor.heading() == "Your form has expired"
