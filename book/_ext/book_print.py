"""Sphinx extension for the book's PDF edition (``jupyter-book build . --builder pdflatex``).

Loaded through ``sphinx.local_extensions`` in ``_config.yml``; it changes nothing in the HTML.

* **Interactive figures print as figures.** An explorer's display bundle carries a PNG of its
  default frame (:attr:`snnlib.widgets.FrameExplorer.still`), which the LaTeX builder picks in
  place of the widget. The PNG's ``Caption`` text chunk names the control values shown; it is
  printed below the image.
* **Proofs without an empty title bar.** sphinx-proof prints a proof as an admonition with no
  title. Here it is a plain paragraph block opening with *Proof.* and closing with a square.
* **Part titles once.** The table of contents captions read "Part I — …" in the HTML sidebar;
  LaTeX numbers parts itself, so the prefix is dropped from the printed part titles.
* **One bibliography, where the contents put it.** The bibliography page is the last chapter,
  and Sphinx's LaTeX bibliography would open a second, unnumbered chapter of its own after it
  (:data:`LATEX_PREAMBLE` keeps it inside the page's chapter).
* **Fonts** (set in ``_config.yml``): FreeSerif for text, DejaVu Sans Mono for code, which has
  every character the book's code and outputs use. The PDF test reads the LaTeX log for a
  missing character.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx_proof.nodes import proof_node

from snnlib.widgets import png_text

LATEX_PREAMBLE = r"""
\makeatletter
% The bibliography inside the chapter that holds it (no second \chapter* heading).
\renewenvironment{sphinxthebibliography}[1]
  {\begingroup\def\chapter*##1{}\begin{thebibliography}{#1}}
  {\end{thebibliography}\endgroup}
% A proof: a paragraph block closed by a square.
\newenvironment{bookproof}{\par\medskip}{\nobreak\hfill$\square$\par\medskip}
\makeatother
"""


class PrintedExplorerCaptions(SphinxPostTransform):
    """Print the caption an explorer's still carries below it."""

    default_priority = 400
    formats = ("latex",)

    def run(self, **kwargs: Any) -> None:
        srcdir = Path(self.app.srcdir)
        for image in list(self.document.findall(nodes.image)):
            path = srcdir / image["uri"].lstrip("/")
            if path.suffix != ".png" or not path.is_file():
                continue
            caption = png_text(path.read_bytes()).get("Caption")
            if caption:
                note = nodes.paragraph("", "", nodes.emphasis(caption, caption),
                                       classes=["explorer-caption"])
                image.parent.insert(image.parent.index(image) + 1, note)


class PartTitles(SphinxPostTransform):
    """Drop the "Part I — " prefix of part titles: LaTeX numbers the parts."""

    default_priority = 710  # after sphinx-jupyterbook-latex makes the parts (700)
    formats = ("latex",)
    prefix = re.compile(r"^Part [IVXLC]+\s*[—–-]\s*")

    def run(self, **kwargs: Any) -> None:
        for title in list(self.document.findall(nodes.title)):
            text = title.astext()
            if self.prefix.match(text):
                title.children = [nodes.Text(self.prefix.sub("", text))]


def visit_proof_latex(self: Any, node: proof_node) -> None:
    self.body.append("\n\\begin{bookproof}\n")
    body = node[0] if len(node) == 1 and isinstance(node[0], nodes.admonition) else node
    for child in body.children:
        child.walkabout(self)
    self.body.append("\n\\end{bookproof}\n")
    raise nodes.SkipNode


def _emphasise_proof_word(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Print the opening "Proof." of a proof in italics (LaTeX builder only)."""
    if app.builder.format != "latex":
        return
    for proof in doctree.findall(proof_node):
        first = next(proof.findall(nodes.Text), None)
        if first is not None and first.astext().startswith("Proof. "):
            rest = nodes.Text(first.astext()[len("Proof. "):])
            first.parent.replace(first, rest)
            rest.parent.insert(rest.parent.index(rest), nodes.emphasis("Proof.", "Proof. "))


def _configure_latex(app: Sphinx, config: Any) -> None:
    app.registry.add_translation_handlers(proof_node, latex=(visit_proof_latex, None))
    elements = config.latex_elements
    elements["preamble"] = elements.get("preamble", "") + LATEX_PREAMBLE


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_post_transform(PrintedExplorerCaptions)
    app.add_post_transform(PartTitles)
    app.connect("config-inited", _configure_latex)
    app.connect("doctree-resolved", _emphasise_proof_word)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
