"""Shared test configuration: one BLAS thread per kernel, and the browser tests' fixtures.

The suite runs on every core (pytest-xdist), and every chapter's kernel would otherwise start as
many BLAS threads as there are cores: with two workers on two cores that oversubscribes the
machine (chapters 5–7 measured 58 s against 41 s with one thread each). The kernels nbval starts
inherit this process's environment; an ``OPENBLAS_NUM_THREADS`` already set wins.

The browser tests (``tests/browser``) get the built book served on 127.0.0.1 and headless
Chromium. Without Chromium or without a built book they are skipped with the reason; with
``--require-browser`` (what ``.ci/run`` passes) they fail instead, so CI cannot pass on
browser tests that did not run. The PDF tests (``tests/pdf``) likewise skip without a built PDF,
and fail instead with ``--require-pdf``.
"""

import os
from pathlib import Path

import pytest
from browser.cdp import Browser, StaticServer, environment_problem, find_chromium

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

HTML = Path(__file__).resolve().parents[1] / "_build" / "html"


def pytest_addoption(parser):
    parser.addoption("--require-browser", action="store_true",
                     help="fail (instead of skip) when Chromium or the built book is missing")
    parser.addoption("--require-pdf", action="store_true",
                     help="fail (instead of skip) when the PDF edition or poppler is missing")


@pytest.fixture(scope="session")
def html_root(request):
    problem = environment_problem(HTML)
    if problem:
        if request.config.getoption("--require-browser"):
            pytest.fail(f"browser tests required but cannot run: {problem}")
        pytest.skip(problem)
    return HTML


@pytest.fixture(scope="session")
def server(html_root):
    srv = StaticServer(html_root)
    yield srv
    srv.close()


@pytest.fixture(scope="session")
def browser(html_root):
    b = Browser(find_chromium())
    yield b
    b.close()
