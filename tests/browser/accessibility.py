"""axe-core checks for the pages the browser tests visit.

axe is injected from the copy that ``make assets`` puts in ``heard/static/vendor/axe``; nothing is downloaded.
The browser contexts bypass Heard's content security policy, which would otherwise (rightly) refuse the injected
inline script.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

from playwright.sync_api import BrowserContext, Page, Route

REPO_ROOT = Path(__file__).resolve().parents[2]
AXE_SCRIPT = REPO_ROOT / "heard" / "static" / "vendor" / "axe" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

_RUN_AXE = """async (tags) => {
  const results = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return results.violations.map((violation) => ({
    id: violation.id,
    impact: violation.impact,
    help: violation.help,
    helpUrl: violation.helpUrl,
    nodes: violation.nodes.map((node) => ({target: node.target.join(" "), summary: node.failureSummary})),
  }));
}"""
_SCRIPT_ELEMENT = re.compile(r"<script\b[^>]*>.*?</script\s*>", re.IGNORECASE | re.DOTALL)


class AccessibilityError(AssertionError):
    pass


@cache
def axe_source() -> str:
    if not AXE_SCRIPT.exists():
        raise AccessibilityError(f"axe-core is missing at {AXE_SCRIPT}. Run `make assets` to copy it there.")
    return AXE_SCRIPT.read_text(encoding="utf-8")


def describe_violations(url: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"axe found {len(violations)} accessibility violation(s) on {url}:"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']} <{violation['helpUrl']}>"
        )
        for node in violation["nodes"]:
            lines.append(f"    at {node['target']}")
            summary = (node.get("summary") or "").strip().replace("\n", "\n      ")
            if summary:
                lines.append(f"      {summary}")
    return "\n".join(lines)


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Runs axe on the page as it is now; the page's context must have JavaScript on and bypass CSP.

    Contexts made by the browser fixtures already carry axe as an init script; others get it injected here.
    """
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_source())
    return page.evaluate(_RUN_AXE, WCAG_TAGS)


class Auditor:
    """Checks pages shown with JavaScript off, where axe cannot run (it needs timers).

    A page in a context with JavaScript on shows the same HTML at the same address with its scripts taken out,
    which is exactly what a visitor without JavaScript sees, and axe checks that.
    """

    def __init__(self, context: BrowserContext) -> None:
        self._html = ""
        self._page = context.new_page()
        self._page.route(lambda _url: True, self._serve)

    def _serve(self, route: Route) -> None:
        if route.request.resource_type == "document":
            route.fulfill(status=200, content_type="text/html; charset=utf-8", body=self._html)
        elif route.request.resource_type == "script":
            route.abort()  # NHS.UK's scripts would not run for the visitor either
        else:
            route.fallback()

    def violations(self, page: Page) -> list[dict[str, Any]]:
        self._html = _SCRIPT_ELEMENT.sub("", page.content())
        self._page.goto(page.url.split("#", 1)[0])
        return axe_violations(self._page)


def assert_accessible(page: Page, *, auditor: Auditor | None = None) -> None:
    """Fails the test with a readable list of axe's WCAG 2.2 AA violations on ``page``."""
    violations = axe_violations(page) if auditor is None else auditor.violations(page)
    if violations:
        raise AccessibilityError(describe_violations(page.url, violations))
