"""Browser tests: Playwright (sync API) driving Debian's Chromium against pytest-django's live server.

One browser per session and a fresh context per test keep the suite fast and the tests apart. Without
Chromium the tests are skipped, loudly; in CI (``CI=true``) they fail instead, so that a missing browser can
never pass for a green build.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pyotp
import pytest

# Playwright's sync API runs an asyncio event loop in the test's thread; Django would otherwise refuse the
# database calls the tests and fixtures make between browser steps.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from heard.core.models import User
from heard.core.services.signin import two_factor_begin, two_factor_confirm, two_factor_secret
from tests.browser.accessibility import Auditor, axe_source
from tests.browser.browsing import Visitor

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
MISSING_CHROMIUM = (
    f"BROWSER TESTS SKIPPED: CHROMIUM IS NOT INSTALLED AT {CHROMIUM}. "
    "INSTALL IT WITH `bash scripts/ensure-chromium.sh` (OR `apt-get install chromium`) TO RUN THEM."
)
# Generous: CI shares two cores with PostgreSQL, Redis and the server under test.
DEFAULT_TIMEOUT_MS = 20_000


def _in_ci() -> bool:
    return os.environ.get("CI") == "true"


def _banner(text: str) -> list[str]:
    rule = "!" * 100
    return [rule, f"!!! {text}", rule]


def pytest_report_header(config: pytest.Config) -> list[str] | None:
    # Shown only when pytest starts from this folder (pytest tests/browser); the summary below always shows.
    if not CHROMIUM.exists():
        return _banner(MISSING_CHROMIUM)
    return None


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    if CHROMIUM.exists():
        return
    browser_tests = [
        report
        for reports in terminalreporter.stats.values()
        for report in reports
        if "tests/browser/" in str(getattr(report, "nodeid", ""))
    ]
    if browser_tests:
        for line in _banner(
            MISSING_CHROMIUM if not _in_ci() else "BROWSER TESTS FAILED: CHROMIUM IS MISSING IN CI"
        ):
            terminalreporter.write_line(line, red=True, bold=True)


@pytest.fixture(scope="session")
def playwright_session() -> Iterator[Playwright]:
    if not CHROMIUM.exists():
        if _in_ci():
            pytest.fail(
                f"Chromium is not installed at {CHROMIUM}, and CI=true: browser tests must run in CI. "
                "Install it with `bash scripts/ensure-chromium.sh`.",
                pytrace=False,
            )
        pytest.skip(MISSING_CHROMIUM)
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_session: Playwright) -> Iterator[Browser]:
    browser = playwright_session.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


def _new_context(browser: Browser, base_url: str, *, javascript: bool = True) -> BrowserContext:
    # bypass_csp lets axe be injected; Heard's policy is tested on its own in the unit tests.
    context = browser.new_context(base_url=base_url, bypass_csp=True, java_script_enabled=javascript)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    if javascript:
        context.add_init_script(script=axe_source())  # sent once per context, not with every page
    return context


@pytest.fixture
def context(browser: Browser, live_server) -> Iterator[BrowserContext]:
    context = _new_context(browser, live_server.url)
    yield context
    context.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):
    report = yield
    if report.when == "call":
        item.stash[_test_passed] = report.passed
    return report


_test_passed = pytest.StashKey[bool]()


def _visitor_checked_everything(visitor: Visitor, request: pytest.FixtureRequest) -> None:
    # A test that already failed need not also be told that the page it failed on went unchecked.
    if request.node.stash.get(_test_passed, False) and visitor.unchecked:
        pytest.fail(
            "These pages were shown without an accessibility check; move between pages with "
            f"visitor.visit/submit/follow, or call visitor.check(): {visitor.unchecked}",
            pytrace=False,
        )


@pytest.fixture
def visitor(context: BrowserContext, live_server, request: pytest.FixtureRequest) -> Iterator[Visitor]:
    """Someone using Heard with JavaScript on."""
    page: Page = context.new_page()
    visitor = Visitor(page, base_url=live_server.url)
    yield visitor
    _visitor_checked_everything(visitor, request)


@pytest.fixture
def another_visitor(browser: Browser, live_server, request: pytest.FixtureRequest) -> Iterator[Visitor]:
    """A second person at another computer, signed in separately."""
    context = _new_context(browser, live_server.url)
    visitor = Visitor(context.new_page(), base_url=live_server.url)
    yield visitor
    _visitor_checked_everything(visitor, request)
    context.close()


@pytest.fixture
def visitor_without_javascript(
    browser: Browser, live_server, request: pytest.FixtureRequest
) -> Iterator[Visitor]:
    """Someone whose browser runs no JavaScript. axe checks their pages in a second, JavaScript-on context."""
    context = _new_context(browser, live_server.url, javascript=False)
    auditor_context = _new_context(browser, live_server.url)
    visitor = Visitor(context.new_page(), base_url=live_server.url, auditor=Auditor(auditor_context))
    yield visitor
    _visitor_checked_everything(visitor, request)
    auditor_context.close()
    context.close()


@pytest.fixture
def authenticator_for():
    """Sets up an authenticator app for a member, as the set-up page would, and returns it.

    The set-up uses the previous time step's code, so that the current step is free for signing in.
    """

    def set_up(user: User) -> pyotp.TOTP:
        totp = pyotp.TOTP(two_factor_secret(two_factor_begin(user=user)))
        for _attempt in range(2):  # a second try only if a 30-second boundary fell between the two lines
            if two_factor_confirm(user=user, code=totp.at(time.time() - totp.interval)) is not None:
                return totp
        raise AssertionError(f"Could not set up an authenticator for {user.username}")

    return set_up
