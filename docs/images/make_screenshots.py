"""Takes the README's screenshots from a running ``heard demo``.

Start the demo first, on a spare port and with a known password, for example:

    HEARD_VAR_DIR=/tmp/heard-shots PORT=8765 HEARD_DEMO_PASSWORD=demo-password-for-shots .venv/bin/heard demo

then, in another terminal:

    .venv/bin/python docs/images/make_screenshots.py --base http://127.0.0.1:8765 \
        --password demo-password-for-shots

It drives Debian's Chromium (/usr/bin/chromium) through Playwright for Python; it never downloads a browser.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# (file name, path) for each page to capture, signed in.
PAGES = [
    ("projects.png", "/projects/"),
    ("home.png", "/home/"),
]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--base", default="http://127.0.0.1:8765")
    parser.add_argument("--username", default="demo-lead")
    parser.add_argument("--password", required=True)
    parser.add_argument("--out", type=Path, default=HERE)
    args = parser.parse_args()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{args.base}/login/")
        page.fill("input[name=username]", args.username)
        page.fill("input[name=password]", args.password)
        page.click("button[type=submit]")
        page.wait_for_url("**/home/")
        for name, path in PAGES:
            page.goto(f"{args.base}{path}")
            page.wait_for_load_state("networkidle")
            target = args.out / name
            page.screenshot(path=str(target), full_page=False)
            print(f"{target} ({target.stat().st_size // 1024} KB)")
        browser.close()


if __name__ == "__main__":
    main()
