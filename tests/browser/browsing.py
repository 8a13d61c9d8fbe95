"""A person using Heard in a browser: every page they land on is checked by axe.

Tests move between pages only through :class:`Visitor` (``visit``, ``submit``, ``follow``), each of which waits
for the new page and checks it. As a safety net the visitor also notes every document the page loads; the
fixture that made it fails the test if any page was shown without a check.
"""

from __future__ import annotations

import time

import pyotp
from django.conf import settings
from django.test import Client
from playwright.sync_api import Locator, Page, Response

from heard.core.middleware import SESSION_SIGNED_IN_AT, SESSION_TWO_FACTOR
from heard.core.models import User
from tests.browser.accessibility import Auditor, assert_accessible
from tests.factories import PASSWORD


class Visitor:
    def __init__(self, page: Page, *, base_url: str, auditor: Auditor | None = None) -> None:
        self.page = page
        self.base_url = base_url.rstrip("/")
        self._auditor = auditor
        self.unchecked: list[str] = []
        page.on("domcontentloaded", lambda loaded: self.unchecked.append(loaded.url))

    # --- moving between pages -----------------------------------------------------------------------------

    def visit(self, path: str) -> Response:
        """Types ``path`` into the address bar."""
        response = self.page.goto(self.base_url + path)
        assert response is not None, f"No response for {path}"
        self.check()
        return response

    def submit(self, button: str = "Continue", *, within: Locator | Page | None = None) -> Response:
        """Presses the button called ``button`` and waits for the page the form leads to."""
        scope = within or self.page.get_by_role("main")
        return self._navigate_by(scope.get_by_role("button", name=button, exact=True))

    def follow(self, link: str, *, within: Locator | Page | None = None) -> Response:
        """Follows the link called ``link``."""
        scope = within or self.page
        return self._navigate_by(scope.get_by_role("link", name=link, exact=True))

    def _navigate_by(self, control: Locator) -> Response:
        with self.page.expect_navigation() as navigation:
            control.click()
        response = navigation.value
        assert response is not None
        self.check()
        return response

    def check(self) -> None:
        """Runs axe on the page now shown."""
        self.unchecked.clear()
        assert_accessible(self.page, auditor=self._auditor)

    # --- what a person sees ---------------------------------------------------------------------------------

    @property
    def main(self) -> Locator:
        return self.page.get_by_role("main")

    def heading(self) -> str:
        return self.page.get_by_role("heading", level=1).inner_text().strip()

    def fill(self, label: str, value: str) -> None:
        self.main.get_by_label(label, exact=True).fill(value)

    def fill_date(self, legend: str, day: str, month: str, year: str) -> None:
        """The NHS.UK date input: three boxes in a fieldset named by its legend."""
        group = self.main.get_by_role("group", name=legend)
        group.get_by_label("Day", exact=True).fill(day)
        group.get_by_label("Month", exact=True).fill(month)
        group.get_by_label("Year", exact=True).fill(year)

    def choose(self, label: str) -> None:
        """Ticks a checkbox or chooses a radio button."""
        self.main.get_by_label(label, exact=True).check()

    # --- signing in and out -----------------------------------------------------------------------------------

    def sign_in_with_password(self, username: str, password: str = PASSWORD) -> Response:
        self.visit("/login/")
        self.fill("Username", username)
        self.fill("Password", password)
        return self.submit("Sign in")

    def enter_code(self, code: str) -> Response:
        self.fill("Enter the code from your authenticator app", code)
        return self.submit("Continue")

    def sign_in(self, username: str, *, authenticator: pyotp.TOTP | None = None) -> Response:
        """Signs in with a password and, for members of real organisations, the authenticator's code."""
        response = self.sign_in_with_password(username)
        if authenticator is not None:
            response = self.enter_code(authenticator.now())
        assert self.page.url == f"{self.base_url}/home/", f"Signing in as {username} ended at {self.page.url}"
        return response

    def start_signed_in(self, user: User) -> None:
        """Starts on the home page already signed in with both factors, for tests about what comes after.

        The sign-in pages have tests of their own; going through them again in every test would double the
        suite's time and test nothing new.
        """
        client = Client()
        client.force_login(user)
        session = client.session
        session[SESSION_SIGNED_IN_AT] = time.time()
        session[SESSION_TWO_FACTOR] = True
        session.save()
        self.page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session.session_key or "", "url": self.base_url}]
        )
        self.visit("/home/")
        assert self.heading().startswith("Welcome,"), f"{user.username} is not signed in: {self.page.url}"

    def sign_out(self) -> None:
        self.follow("Sign out", within=self.page.get_by_role("banner"))
        self.submit("Sign out")
        assert self.heading() == "You have signed out"


def next_time_step_code(totp: pyotp.TOTP) -> str:
    """The code for the next 30-second step: Heard accepts one step of clock drift, never a step twice."""
    return totp.at(time.time() + totp.interval)
