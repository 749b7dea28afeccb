"""Sphinx extension for the book's HTML: one setting for the repository buttons, offline
MathJax that the widget manager can talk to, and no duplicated or dead scripts.

Loaded through ``sphinx.local_extensions`` in ``_config.yml``.

* **Repository buttons from one setting.** With ``repository.url`` empty (the default: the
  book has no public repository yet) there are no repository, issue, edit or launch buttons,
  so none leads to a page that does not exist. A fork that sets ``repository.url`` gets all of
  them (Binder and Colab launch buttons included) with no other change.
* **The widget manager's fonts from the book.** The manager finds its icon fonts relative to
  the module path that require.js gives it, which without a CDN is beside the page. A
  require.js configuration (the global ``require`` object, read when require.js loads) maps
  that path to the vendored copy in ``_static/vendor/html-manager/``.
* **MathJax 3 for the widget manager.** ``@jupyter-widgets/html-manager`` 1.0 typesets widget
  labels with MathJax 2's ``MathJax.Hub.Queue``, which MathJax 3 does not have; every widget
  page then logs a ``TypeError``. A small script gives whatever object ``window.MathJax`` is
  (the configuration, then MathJax itself) a ``Hub.Queue`` that calls MathJax 3's
  ``typesetPromise``.
* **A link to the PDF edition.** When ``_build/latex/`` holds the PDF (built before the HTML, as
  ``.ci/run`` does), the introduction gets a download link to it (where its source marks the
  place); without one, no link.
* **Accessibility** (issue 24): ``book-a11y.css`` and ``book-a11y.js`` (in ``book/_assets``,
  copied to ``_static``) darken the light theme's link colour (4.5:1 on the tinted theorem and
  exercise boxes), stop the horizontal scrollbar under each explorer, give each explorer
  frame its alt text (the tooltip its Python code generated), make the frame region a polite
  live region, name slider handles by their labels, and make the theme buttons' accessible
  names contain their visible text. Checked by axe-core in ``tests/browser/test_a11y.py``.
* **Scripts once.** sphinx-thebe registers its configuration script twice, which declares the
  constant ``THEBE_JS_URL`` twice (a ``SyntaxError`` on every page), and loads thebe from a
  CDN. The book has no Thebe cells, so both are dropped; any other script that appears twice
  is kept once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config

WIDGET_PAGE_SHIM = """(function () {
  var assets = new URL(
    (document.documentElement.dataset.content_root || "./") + "_static/vendor/html-manager/",
    document.baseURI).href;
  window.__jupyter_widgets_assets_path__ = assets;
  if (typeof window.require === "undefined") {
    window.require = {paths: {"@jupyter-widgets/html-manager/dist": assets.slice(0, -1)}};
  }
})();
(function () {
  function addHub(mj) {
    if (mj && typeof mj === "object" && !mj.Hub) {
      mj.Hub = {Queue: function (command) {
        var element = command && command[2];
        if (element && window.MathJax && window.MathJax.typesetPromise) {
          window.MathJax.typesetPromise([element]).catch(function (err) {
            console.warn("MathJax could not typeset a widget label", err);
          });
        }
      }};
    }
    return mj;
  }
  var current = addHub(window.MathJax);
  Object.defineProperty(window, "MathJax", {
    configurable: true,
    get: function () { return current; },
    set: function (value) { current = addHub(value); }
  });
})();"""

BUTTONS = ("use_repository_button", "use_issues_button", "use_edit_page_button")
LAUNCH = {"binderhub_url": "https://mybinder.org",
          "colab_url": "https://colab.research.google.com"}


def _buttons_follow_repository(app: Sphinx, config: Config) -> None:
    options = config.html_theme_options
    if not options.get("repository_url"):
        for key in BUTTONS:
            options[key] = False
        launch = options.get("launch_buttons", {})
        options["launch_buttons"] = {k: v for k, v in launch.items() if k not in LAUNCH}
        return
    for key in BUTTONS:
        options.setdefault(key, True)
    launch = dict(options.get("launch_buttons", {}))
    for key, url in LAUNCH.items():
        launch.setdefault(key, url)
    options["launch_buttons"] = launch


def _script_key(script: Any) -> tuple[str, str]:
    filename = str(getattr(script, "filename", script) or "")
    body = str(getattr(script, "attributes", {}).get("body", ""))
    return filename, body


def _clean_scripts(app: Sphinx, pagename: str, templatename: str, context: dict,
                   doctree: Any) -> None:
    scripts = context.get("script_files")
    if not scripts:
        return
    seen: set[tuple[str, str]] = set()
    kept = []
    for script in scripts:
        filename, body = _script_key(script)
        if "THEBE_JS_URL" in body or filename.endswith("sphinx-thebe.js"):
            continue
        if (filename, body) in seen:
            continue
        seen.add((filename, body))
        kept.append(script)
    scripts[:] = kept


#: The PDF edition, as ``jupyter-book build . --builder pdflatex`` writes it (``latex_documents``
#: in ``_config.yml`` names it), relative to the book's root.
PDF = Path("_build/latex/distributional-derivatives-snn.pdf")
PDF_MARK = "% The PDF edition's download link is inserted here"
PDF_LINK = """```{{note}}
The book is also a printed book: [download the PDF edition]({pdf}) (A4), built from the same
notebooks.
```

%"""


def _link_pdf(app: Sphinx, docname: str, source: list[str]) -> None:
    pdf = Path(app.srcdir) / PDF
    if docname == app.config.root_doc and app.builder.format == "html" and pdf.is_file():
        source[0] = source[0].replace(PDF_MARK, PDF_LINK.format(pdf="../" + PDF.as_posix()))


def _reread_root(app: Sphinx, env: Any, added: set, changed: set, removed: set) -> list[str]:
    """Read the introduction on every build, so the link follows the PDF's presence."""
    return [app.config.root_doc]


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("config-inited", _buttons_follow_repository, priority=900)
    app.add_js_file(None, body=WIDGET_PAGE_SHIM, priority=100)
    app.add_css_file("book-a11y.css", priority=900)
    app.add_js_file("book-a11y.js", priority=900, defer="defer")
    app.connect("html-page-context", _clean_scripts, priority=900)
    app.connect("source-read", _link_pdf)
    app.connect("env-get-outdated", _reread_root)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
