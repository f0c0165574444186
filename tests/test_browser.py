"""The built site in a real browser (Debian's Chromium through Playwright), served with its own
HTTP headers: axe-core finds no violation on any page type, in any state; no page requests
anything outside the site; the Content-Security-Policy lets the theme work and blocks any other
script; payloads from the data never run."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from selectolax.lexbor import LexborHTMLParser

from achats_ouverts.building import build, hosting
from achats_ouverts.settings import Settings
from tests.fixtures import browser, injection
from tests.fixtures.folders import make_complete_data_dir
from tests.fixtures.paths import DATA, ROOT

pytestmark = pytest.mark.browser

STATES = ("bureau", "bureau-recherche", "mobile-menu", "mobile-recherche")
SEARCH_TERM = "données"


@pytest.fixture(scope="module")
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demonstration site when its data is there, else the small complete site."""
    if (DATA / "marches.csv").is_file():
        demo: Path = request.getfixturevalue("demo_site")
        return demo
    data = make_complete_data_dir(tmp_path_factory.mktemp("complet") / "data")
    out = tmp_path_factory.mktemp("navigateur") / "site"
    build(Settings(data_dir=data, output_dir=out, project_dir=ROOT))
    return out


@pytest.fixture(scope="module")
def site_url(site: Path) -> Iterator[str]:
    with browser.serve(site) as url:
        yield url


@pytest.fixture(scope="module")
def injected_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("injection-navigateur")
    data = injection.inject(make_complete_data_dir(base / "source"), base / "data")
    out = base / "site"
    build(Settings(data_dir=data, output_dir=out, project_dir=ROOT))
    return out


def open_state(page: Any, state: str) -> None:
    """Put the loaded page in one of STATES: the drawer or the search open, results shown."""
    if state == "mobile-menu":
        page.click("label.md-header__button[for='__drawer']")
        page.wait_for_function("document.getElementById('__drawer').checked")
        page.wait_for_timeout(300)
    elif state.endswith("recherche"):
        if state.startswith("mobile"):
            page.click("label.md-header__button[for='__search']")
            expect(page.locator("#ao-recherche-entete")).to_be_focused()
        else:
            page.click(".md-search__input")
        page.keyboard.type(SEARCH_TERM)
        page.wait_for_selector("[data-ao-recherche] [data-ao-type]", timeout=10_000)
        page.wait_for_timeout(300)


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("page_type", browser.PAGE_TYPES, ids=lambda t: t.name)
def test_every_page_type_has_no_axe_violation_and_stays_on_the_site(
    site: Path, site_url: str, new_page: Any, page_type: browser.PageType, state: str
) -> None:
    path = browser.page_path(site, page_type)
    page = new_page(browser.MOBILE if state.startswith("mobile") else browser.DESKTOP)
    seen = browser.watch(page, site_url)
    response = page.goto(site_url + path, wait_until="load")
    assert response is not None
    if page_type.setup is not None:
        page_type.setup(page)
    open_state(page, state)
    assert browser.axe_violations(page) == []
    assert seen.external_requests == []
    assert seen.console_errors == []
    assert seen.dialogs == []


@pytest.mark.parametrize("width", browser.REFLOW_WIDTHS)
@pytest.mark.parametrize("page_type", browser.PAGE_TYPES, ids=lambda t: t.name)
def test_no_page_scrolls_horizontally(
    site: Path, site_url: str, new_page: Any, page_type: browser.PageType, width: int
) -> None:
    """Reflow (WCAG 1.4.10, RGAA 10.11): at 320 CSS pixels and wider, no page of any type is
    wider than the screen, in the state its setup puts it in (an explorer filtered)."""
    page = new_page({"width": width, "height": 740})
    page.goto(site_url + browser.page_path(site, page_type), wait_until="load")
    if page_type.setup is not None:
        page_type.setup(page)
    page.wait_for_timeout(200)
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("width", [1220, 1280, 1600])
def test_every_menu_tab_is_visible_where_the_tabs_are_shown(
    site_url: str, new_page: Any, width: int
) -> None:
    """From 1220 px the theme shows the sections as tabs in one line: the last one (« À propos »)
    is not cut off at the header's edge."""
    page = new_page({"width": width, "height": 740})
    page.goto(site_url, wait_until="load")
    fits = page.evaluate(
        """() => {
          const list = document.querySelector('.md-tabs__list');
          const items = [...list.querySelectorAll('.md-tabs__item')];
          const edge = list.getBoundingClientRect().right;
          return [items.length, items.every(i => i.getBoundingClientRect().right <= edge + 0.5)];
        }"""
    )
    assert fits[0] >= 12
    assert fits[1], "a menu tab is cut off"


def test_pages_are_served_with_the_content_security_policy(
    site: Path, site_url: str, new_page: Any
) -> None:
    """The policy is the one of `_headers`, hashes only: an inline script added to a page is
    refused (and reported), while the theme's own scripts ran (the search works)."""
    page = new_page()
    seen = browser.watch(page, site_url)
    response = page.goto(site_url, wait_until="load")
    assert response is not None
    policy = response.headers["content-security-policy"]
    assert "'unsafe-inline'" not in policy
    assert "'unsafe-eval'" not in policy
    assert "'sha256-" in policy
    assert policy in (site / "_headers").read_text(encoding="utf-8")
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.aoInjected = true'; document.head.appendChild(s); }"
    )
    page.wait_for_timeout(100)
    assert page.evaluate("() => window.aoInjected === undefined")
    assert any("Content Security Policy" in error for error in seen.console_errors)
    open_state(page, "bureau-recherche")


@pytest.mark.parametrize("page_type", browser.PAGE_TYPES, ids=lambda t: t.name)
def test_payloads_never_run_in_the_browser(
    injected_site: Path, new_page: Any, page_type: browser.PageType
) -> None:
    """Every page type of the injected site: no dialog, no error, the title is the one written
    in the file; the search shows results made of payloads, still without any dialog."""
    path = browser.page_path(injected_site, page_type)
    source = injected_site / path
    source = source / "index.html" if source.is_dir() else source
    title_node = LexborHTMLParser(source.read_text(encoding="utf-8")).css_first("title")
    assert title_node is not None
    expected_title = " ".join(title_node.text().split())
    with browser.serve(injected_site) as url:
        page = new_page()
        seen = browser.watch(page, url)
        page.goto(url + path, wait_until="load")
        if page_type.setup is not None:
            page_type.setup(page)
        page.mouse.move(300, 300)
        page.mouse.move(600, 500)
        page.click(".md-search__input")
        page.keyboard.type("ao-7")
        page.wait_for_selector("[data-ao-recherche] [data-ao-type]", timeout=10_000)
        page.wait_for_timeout(200)
        assert " ".join(page.title().split()) == expected_title
        assert page.evaluate("() => typeof window.aoInjected") == "undefined"
    assert seen.dialogs == []
    assert seen.console_errors == []
    assert seen.external_requests == []


def test_the_watch_sees_dialogs_errors_and_outside_requests(tmp_path: Path, new_page: Any) -> None:
    """The harness itself: a page that does all the forbidden things is caught."""
    (tmp_path / "index.html").write_text(
        "<!doctype html><html lang=fr><head><title>t</title>"
        '<script src="https://cdn.example.net/x.js"></script></head>'
        "<body><img src=x onerror=\"alert('ao')\"><script>throw new Error('ao')</script></body>"
        "</html>",
        encoding="utf-8",
    )
    with browser.serve(tmp_path) as url:
        page = new_page()
        seen = browser.watch(page, url)
        page.goto(url, wait_until="load")
        page.wait_for_timeout(200)
    assert seen.dialogs == ["ao"]
    assert seen.external_requests == ["https://cdn.example.net/x.js"]
    assert any("ao" in error for error in seen.console_errors)


def test_the_policy_applies_hashed_style_attributes_and_refuses_others(
    tmp_path: Path, new_page: Any
) -> None:
    """Inline SVG charts carry `style` attributes: those of the built pages are allowed by
    hash, any other is refused by the browser."""
    (tmp_path / "index.html").write_text(
        '<!doctype html><html lang="fr"><head><title>t</title></head><body>'
        '<p id="permis" style="color: rgb(1, 2, 3)">a</p>'
        '<p id="refuse" style="color: rgb(4, 5, 6)">b</p></body></html>',
        encoding="utf-8",
    )
    hosting.write_host_files(tmp_path, [], ["color: rgb(1, 2, 3)"])
    with browser.serve(tmp_path) as url:
        page = new_page()
        seen = browser.watch(page, url)
        page.goto(url, wait_until="load")
        color = "id => getComputedStyle(document.getElementById(id)).color"
        assert page.evaluate(color, "permis") == "rgb(1, 2, 3)"
        assert page.evaluate(color, "refuse") != "rgb(4, 5, 6)"
    assert len(seen.console_errors) == 1
    assert "style" in seen.console_errors[0]
