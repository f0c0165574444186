from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from achats_ouverts.building import build
from achats_ouverts.settings import Settings
from tests.fixtures import browser
from tests.fixtures.folders import make_data_dir
from tests.fixtures.paths import DATA, ROOT

pytest_plugins = ["tests.fixtures.emitted_codes"]


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A small, valid data folder in a temporary directory."""
    return make_data_dir(tmp_path / "data")


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demonstration data folder built once per test session (skipped, and reported as
    skipped, while data/ holds no demonstration data; failed under CI=true, where it must be)."""
    if not (DATA / "marches.csv").is_file():
        message = "données de démonstration absentes de data/ (make demo-data)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    out = tmp_path_factory.mktemp("demo") / "site"
    build(Settings(data_dir=DATA, output_dir=out, project_dir=ROOT))
    return out


@pytest.fixture(scope="session")
def demo_url(demo_site: Path) -> Iterator[str]:
    with browser.serve(demo_site) as url:
        yield url


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    path = browser.chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=path, args=browser.CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def new_page(chromium: Any) -> Iterator[Any]:
    """A factory of pages (desktop by default) in fresh contexts, closed after the test."""
    contexts: list[Any] = []

    def make(viewport: dict[str, int] | None = None) -> Any:
        context = chromium.new_context(
            viewport=viewport or browser.DESKTOP, locale="fr-FR", reduced_motion="reduce"
        )
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()
