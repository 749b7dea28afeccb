"""Fixtures for the browser tests: the built book served on 127.0.0.1, and headless Chromium.

Without Chromium or without a built book the tests are skipped with the reason; with
``--require-browser`` (what ``.ci/run`` passes) they fail instead, so CI cannot pass on
browser tests that did not run.
"""

from pathlib import Path

import pytest
from cdp import Browser, StaticServer, environment_problem, find_chromium

HTML = Path(__file__).resolve().parents[2] / "_build" / "html"


def pytest_addoption(parser):
    parser.addoption("--require-browser", action="store_true",
                     help="fail (instead of skip) when Chromium or the built book is missing")


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
