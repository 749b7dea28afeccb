"""Sphinx extension: author–year labels for the bibliography, which the citations print.

pybtex's plain style labels the list [1], [2], …, which does not tell a reader who is cited;
sphinxcontrib-bibtex's author–year citations, on the other hand, print "Moser and Lunglmayr,
2024" for two different papers of that year, and match no label of the list. This registers
the pybtex formatting style ``authoryear``: the plain style with labels "Last, year", "Last and
Last, year" or "Last et al., year", and "a", "b", … after the year where two entries would share
a label. ``_config.yml`` selects it (``bibtex_default_style``) and cites by label
(``bibtex_reference_style: label``), so every citation reads exactly as its entry's label:
[Moser and Lunglmayr, 2024a]. HTML and PDF alike.

Loaded through ``sphinx.local_extensions`` in ``_config.yml``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

from pybtex.database import Entry
from pybtex.plugin import register_plugin
from pybtex.richtext import Text
from pybtex.style.formatting.plain import Style as PlainStyle
from pybtex.style.labels import BaseLabelStyle
from sphinx.application import Sphinx


def _names(entry: Entry) -> str:
    people = entry.persons.get("author") or entry.persons.get("editor") or []
    last = [" ".join(Text.from_latex(" ".join(p.last_names)).render_as("text").split())
            for p in people]
    if not last:
        return entry.fields.get("key", entry.key)
    if len(last) == 1:
        return last[0]
    if len(last) == 2:
        return f"{last[0]} and {last[1]}"
    return f"{last[0]} et al."


class AuthorYearLabels(BaseLabelStyle):
    """Labels "Names, year", with "a", "b", … where two entries would share one."""

    def format_labels(self, sorted_entries: Iterable[Entry]) -> Iterator[str]:
        entries = list(sorted_entries)
        labels = [f"{_names(e)}, {e.fields.get('year', 'n.d.')}" for e in entries]
        repeated = {label for label, n in Counter(labels).items() if n > 1}
        seen: Counter = Counter()
        for label in labels:
            if label in repeated:
                seen[label] += 1
                label += "abcdefghijklmnopqrstuvwxyz"[seen[label] - 1]
            yield label


class AuthorYearStyle(PlainStyle):
    """pybtex's plain formatting, author–year labels."""

    default_label_style = AuthorYearLabels


register_plugin("pybtex.style.formatting", "authoryear", AuthorYearStyle)


def setup(app: Sphinx) -> dict[str, Any]:
    return {"parallel_read_safe": True, "parallel_write_safe": True}
