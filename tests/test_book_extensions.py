"""The book's Sphinx extensions that compute something (``book/_ext``): citation labels."""

from __future__ import annotations

import sys
from pathlib import Path

from pybtex.database import Entry, Person

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "book" / "_ext"))
from book_citations import AuthorYearLabels


def entry(authors: list[str], year: str) -> Entry:
    return Entry("article", fields={"year": year, "title": "T"},
                 persons={"author": [Person(a) for a in authors]})


def test_author_year_labels_match_the_in_text_citations():
    entries = [entry(["Alexiewicz, Andrzej"], "1948"),
               entry(["Friedlander, F. Gerard", "Joshi, Mark"], "1998"),
               entry(["Hairer, Ernst", "Nørsett, Syvert P.", "Wanner, Gerhard"], "1993"),
               entry(["Moser, Bernhard", "Lunglmayr, Michael"], "2025"),
               entry(["Moser, Bernhard", "Lunglmayr, Michael"], "2025"),
               entry(["{van der} Vorst, Henk"], "2003")]
    assert list(AuthorYearLabels().format_labels(entries)) == [
        "Alexiewicz, 1948", "Friedlander and Joshi, 1998", "Hairer et al., 1993",
        "Moser and Lunglmayr, 2025a", "Moser and Lunglmayr, 2025b", "van der Vorst, 2003"]
