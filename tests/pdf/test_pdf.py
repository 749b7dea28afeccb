"""The PDF edition, read back: what a reader of the printed book sees.

Built by ``jupyter-book build . --builder pdflatex`` (``.ci/run`` does it before the HTML); read
with poppler's ``pdftotext`` and ``pdfinfo``. Every chapter title in the order of ``_toc.yml``;
the page count in a stated range; no interactive figure printed as the text of its widget, and
every explorer printed as a still with its caption; the LaTeX log free of errors and of missing
characters; one bibliography, in the place the table of contents gives it, labelled as the text
cites. Without a built PDF the tests are skipped with the reason; ``--require-pdf`` (what
``.ci/run`` passes) makes them fail instead.
"""

from __future__ import annotations

import json
import re
import subprocess
from functools import cache
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
NAME = "distributional-derivatives-snn"
LATEX = ROOT / "_build" / "latex"
PDF, LOG = LATEX / f"{NAME}.pdf", LATEX / f"{NAME}.log"
#: The book printed 253 pages when this test was written; a page range that a chapter's growth
#: fits and a lost part or an unprinted API reference does not.
PAGES = (200, 330)


@pytest.fixture(scope="module")
def pdf(request) -> Path:
    problem = None
    if not PDF.is_file():
        problem = f"{PDF.relative_to(ROOT)} not built (jupyter-book build . --builder pdflatex)"
    elif subprocess.run(["which", "pdftotext"], capture_output=True).returncode:
        problem = "pdftotext not installed (Debian package poppler-utils)"
    if problem:
        if request.config.getoption("--require-pdf"):
            pytest.fail(f"PDF tests required but cannot run: {problem}")
        pytest.skip(problem)
    return PDF


@cache
def pages(path: Path) -> list[str]:
    """The text of every page, whitespace collapsed."""
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout
    return [" ".join(page.split()) for page in text.split("\f")]


def title_of(doc: str) -> str:
    """The first level-1 heading of a chapter or page of the book."""
    path = ROOT / f"{doc}.ipynb"
    if path.exists():
        cells = json.loads(path.read_text())["cells"]
        source = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    else:
        source = (ROOT / f"{doc}.md").read_text()
    return re.search(r"^# (.+)$", source, re.M).group(1).strip()


def toc_documents() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    return [chapter["file"] for part in toc["parts"] for chapter in part["chapters"]]


def chapter_starts(text_pages: list[str]) -> dict[str, int]:
    """Index of the page on which each chapter of the body opens ("CHAPTER <number> <title>")."""
    starts = {}
    for doc in toc_documents():
        title = " ".join(title_of(doc).split()).upper()
        found = [i for i, page in enumerate(text_pages)
                 if re.match(r"CHAPTER [A-Z]+ " + re.escape(title), page.upper())]
        starts[doc] = found[0] if len(found) == 1 else -len(found)
    return starts


def test_every_chapter_opens_once_in_order(pdf):
    starts = chapter_starts(pages(pdf))
    missing = {doc: -n for doc, n in starts.items() if n < 0}
    assert not missing, f"chapters not opening exactly once (doc: times found): {missing}"
    order = list(starts.values())
    assert order == sorted(order), f"chapters out of the order of _toc.yml: {starts}"


def test_page_count_and_metadata(pdf):
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True,
                          text=True).stdout
    n_pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    assert PAGES[0] <= n_pages <= PAGES[1], f"{n_pages} pages, expected {PAGES}"
    title = yaml.safe_load((ROOT / "_config.yml").read_text())["title"]
    assert re.search(rf"^Title:\s+{re.escape(title)}$", info, re.M), info
    assert re.search(r"^Page size:.*\(A4\)", info, re.M), info


def test_interactive_figures_print_as_captioned_stills(pdf):
    text = " ".join(pages(pdf))
    assert "FrameExplorer(children=" not in text, "a widget printed as its text representation"
    notebooks = sorted(ROOT.glob("book/ch*.ipynb"))
    explorers = sum(len(re.findall(r"^\w+_explorer\(", "".join(c["source"]), re.M))
                    for nb in notebooks for c in json.loads(nb.read_text())["cells"]
                    if c["cell_type"] == "code")
    captions = re.findall(r"Shown: (.+?)\. In the online edition the controls move this figure "
                          r"through its (\d+) frames\.", text)
    assert explorers >= 9 and len(captions) == explorers, (explorers, captions)


def test_latex_log_has_no_error_and_no_missing_character(pdf):
    log = LOG.read_text(errors="replace")
    errors = [line for line in log.splitlines() if line.startswith("! ")]
    missing = sorted(set(re.findall(r"Missing character: There is no (.+?) in font", log)))
    assert not errors, f"LaTeX errors: {errors[:5]}"
    assert not missing, f"characters without a glyph in the printed fonts: {missing}"


def test_one_bibliography_where_the_contents_put_it(pdf):
    text_pages = pages(pdf)
    heading = [i for i, page in enumerate(text_pages) if re.match(r"CHAPTER [A-Z]+ BIBLIOGRAPHY",
                                                                  page.upper())]
    assert len(heading) == 1, f"Bibliography chapter opens on pages {heading}"
    first = text_pages[heading[0]]
    entries = re.findall(r"\[([^\[\]]+?, (?:\d{4}|n\.d\.)[a-z]?)\] ", first)
    assert len(entries) >= 5, f"bibliography page lists {entries}"
    # The contents give the bibliography's page; that printed page is the one it opens on.
    contents = " ".join(text_pages[:heading[0]])
    listed = re.search(r"\d+ Bibliography (\d+)", contents)
    assert listed, "the table of contents does not list the Bibliography chapter"
    number = re.search(r"(\d+)$", first) or re.match(r"(\d+) ", first)
    assert number and number.group(1) == listed.group(1), (listed.group(1), first[-80:])
    # Every citation in the text has its label in the list; the contents list one bibliography.
    body = " ".join(text_pages[: heading[0]])
    listed_labels = set(re.findall(r"\[([^\[\]]+?, (?:\d{4}|n\.d\.)[a-z]?)\] ",
                                   " ".join(text_pages[heading[0]:heading[0] + 4])))
    cited = {label.strip() for group in re.findall(r"\[([^\[\]]*?\d{4}[a-z]?)\]", body)
             for label in re.findall(r"([A-Za-zÀ-ž][^\[\],]*?, (?:\d{4}|n\.d\.)[a-z]?)", group)}
    unlisted = sorted(cited - listed_labels)
    assert cited and not unlisted, f"cited but not listed: {unlisted}"
    assert len(re.findall(r"Bibliography \d+", contents)) == 1, "two bibliographies in the contents"
