"""Accessibility of the built book: axe-core (WCAG 2.1 A/AA) on every page, in a real browser.

axe-core is vendored (``vendor/axe.min.js``, 4.14.1, MPL-2.0, licence beside it), so nothing is
fetched at test time. Every page is checked with its widgets rendered in their default state;
every chapter again after one control of each explorer has moved. Any *critical* or *serious*
violation fails the test, naming the rule id and the elements (CSS selectors). The chapters'
explorers are also checked to speak: the shown frame has alternative text naming the control
values, inside a live region, and that text changes when a control moves.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_book import CHAPTERS, HTML, PAGES, WIDGET_VIEW, open_page, saved_explorers

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING_IMPACTS = ("critical", "serious")

RUN_AXE = """axe.run(document, {runOnly: {type: 'tag', values: %s}, resultTypes: ['violations']})
  .then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 8), count: v.nodes.length})))"""

SHOWN_FRAME = """(() => {
  const imgs = window.__book.visibleImages(%d);
  if (imgs.length !== 1) return null;
  const live = imgs[0].closest('[aria-live]');
  return {alt: imgs[0].getAttribute('alt'), live: live ? live.getAttribute('aria-live') : null};
})()"""


def axe_violations(browser) -> list[dict]:
    """Run axe-core (WCAG 2.1 A/AA) on the open page; every violation, with its elements."""
    if not browser.eval("typeof window.axe !== 'undefined'"):
        browser.eval(AXE.read_text(encoding="utf-8") + "\n;true")
    return browser.eval(RUN_AXE % json.dumps(TAGS), await_promise=True)


def failing(violations: list[dict]) -> list[dict]:
    return [v for v in violations if v["impact"] in FAILING_IMPACTS]


def report(page: str, violations: list[dict]) -> str:
    lines = [f"{page}: {len(violations)} critical/serious WCAG 2.1 A/AA violation(s)"]
    for v in violations:
        lines.append(f"  [{v['impact']}] {v['id']} ({v['count']} element(s)): {v['help']}")
        lines.extend(f"      {node}" for node in v["nodes"])
    return "\n".join(lines)


def open_rendered(browser, server, page: str) -> int:
    """Open a page and wait until every widget view has rendered; the number of views."""
    open_page(browser, server, page)
    views = len(WIDGET_VIEW.findall((HTML / page).read_text(encoding="utf-8")))
    if views:
        browser.wait_for(f"[...Array({views}).keys()].every(k => window.__book.root(k))")
        browser.wait_for(f"[...Array({views}).keys()].every("
                         "k => window.__book.visibleImages(k).length <= 1)")
    browser.pump(0.5)
    return views


@pytest.mark.parametrize("page", PAGES)
def test_axe_default_state(browser, server, page):
    open_rendered(browser, server, page)
    bad = failing(axe_violations(browser))
    assert not bad, report(page, bad)


def _move_first_control(browser, k: int, explorer) -> None:
    if explorer.dropdown[0]:
        target = (explorer.start[0] + 1) % len(explorer.labels[0])
        browser.eval(f"window.__book.choose({k}, 0, {target})")
    else:
        assert browser.eval(f"window.__book.focusHandle({k}, 0)"), "slider handle not focused"
        browser.press("End" if explorer.start[0] != len(explorer.labels[0]) - 1 else "Home")
    browser.pump(0.3)


@pytest.mark.parametrize("page", CHAPTERS)
def test_axe_after_moving_and_frames_speak(browser, server, page):
    explorers = saved_explorers((HTML / page).read_text(encoding="utf-8"))
    open_rendered(browser, server, page)
    for k, explorer in enumerate(explorers):
        if explorer is None:
            continue
        before = browser.eval(SHOWN_FRAME % k)
        assert before and before["alt"], f"{page}: explorer {k}: the shown frame has no alt text"
        assert before["live"] == "polite", f"{page}: explorer {k}: frame not in a live region"
        _move_first_control(browser, k, explorer)
        if not explorer.dropdown[0]:
            end = len(explorer.labels[0]) - 1
            want = explorer.labels[0][0 if explorer.start[0] == end else end]
            browser.wait_for(f"window.__book.control({k}, 0).querySelector('.noUi-handle')"
                             f".getAttribute('aria-valuetext') === {json.dumps(want)}", timeout=5)
        after = browser.eval(SHOWN_FRAME % k)
        assert after and after["alt"] and after["alt"] != before["alt"], (
            f"{page}: explorer {k}: alt text did not change when a control moved "
            f"({before['alt']!r} -> {after and after['alt']!r})")
    bad = failing(axe_violations(browser))
    assert not bad, report(page + " (after moving controls)", bad)


def test_every_image_has_alt_text(html_root):
    """Every <img> of the built book has a non-empty alt that is not a file name."""
    import re

    missing = []
    for page in PAGES:
        for tag in re.findall(r"<img\b[^>]*>", (html_root / page).read_text(encoding="utf-8")):
            alt = re.search(r'\balt="([^"]*)"', tag)
            text = alt.group(1).strip() if alt else ""
            if not text or re.fullmatch(r"[\w./-]+\.(png|svg|jpe?g|gif)", text):
                missing.append(f"{page}: {tag[:120]}")
    assert not missing, "images without alt text:\n" + "\n".join(missing)


def test_controls_reachable_by_tab_and_named(browser, server):
    """From the top of a chapter, Tab alone reaches every control of its explorer; each
    slider handle is named by its label and has a value text a screen reader can read."""
    page = next(p for p in CHAPTERS if "ch08_" in p)
    open_rendered(browser, server, page)
    controls = browser.eval("""[...window.__book.root(0).querySelectorAll(
        '.noUi-handle, select')].length""")
    reached = set()
    browser.eval("document.activeElement && document.activeElement.blur(); true")
    for _ in range(400):
        browser.press("Tab")
        here = browser.eval("""(() => { const a = document.activeElement;
            const root = window.__book.root(0);
            if (!root.contains(a)) return null;
            const name = a.tagName === 'SELECT'
              ? a.closest('.widget-dropdown').querySelector('label').textContent.trim()
              : a.getAttribute('aria-label');
            return [name, a.getAttribute('aria-valuetext') || a.value || ''];
        })()""")
        if here:
            assert here[0], "a control reached by Tab has no accessible name"
            assert here[1], f"control {here[0]!r} reached by Tab has no value text"
            reached.add(here[0])
        if len(reached) == controls:
            break
    assert len(reached) == controls, f"Tab reached only {sorted(reached)} of {controls} controls"
