"""Screenshots of the built book for a reader's check (not a test): light and dark theme at
desktop width, and a phone-width viewport, each with the first explorer in view.

Usage: ``python tests/browser/screenshots.py OUT_DIR [PAGE ...]`` (pages relative to
``_build/html``; default: chapters 5 and 8). Needs Chromium and the built book.
"""

from __future__ import annotations

import sys
from pathlib import Path

from cdp import Browser, StaticServer, find_chromium

HTML = Path(__file__).resolve().parents[2] / "_build" / "html"
VIEWS = {"light": (1280, 1000, False), "dark": (1280, 1000, False), "phone": (390, 844, True)}


def shoot(out: Path, pages: list[str]) -> list[Path]:
    """Save the screenshots of ``pages``; the files written."""
    out.mkdir(parents=True, exist_ok=True)
    server, browser = StaticServer(HTML), Browser(find_chromium())
    written = []
    try:
        for page in pages:
            for view, (width, height, mobile) in VIEWS.items():
                browser.viewport(width, height, mobile)
                browser.open(server.url + page)
                browser.wait_for("document.readyState === 'complete'")
                mode = "dark" if view == "dark" else "light"
                browser.eval(f"document.documentElement.dataset.mode = '{mode}';"
                             f"document.documentElement.dataset.theme = '{mode}'; true")
                browser.wait_for("!!document.querySelector('.widget-image') || "
                                 "!document.querySelector('.jupyter-widgets')", timeout=30)
                browser.eval("(document.querySelector('.widget-vbox') || document.body)"
                             ".scrollIntoView(); true")
                browser.pump(1.0)
                path = out / f"{Path(page).stem}-{view}.png"
                browser.screenshot(path)
                written.append(path)
    finally:
        browser.close()
        server.close()
    return written


if __name__ == "__main__":
    pages = sys.argv[2:] or ["book/ch05_adjoint.html", "book/ch08_if_sampling.html"]
    for path in shoot(Path(sys.argv[1]), pages):
        print(path)
