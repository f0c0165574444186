"""Browser testing helpers: Playwright driving Debian's Chromium, and axe-core.

Pages are served from a local folder on 127.0.0.1 with the HTTP headers of the site's `_headers`
file (so the Content-Security-Policy is in force); every request to another host is blocked and
recorded, every dialog and console error (a CSP violation is one) is recorded, so tests can assert
none happened.

`PAGE_TYPES` lists one page of each kind of the site: browser tests run on every entry. When a
part of the site adds a kind of page, add its entry here.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import unquote, urlsplit

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "RGAAv4", "best-practice"]
DESKTOP = {"width": 1280, "height": 900}
MOBILE = {"width": 375, "height": 740}
NARROW = {"width": 320, "height": 640}
"""The narrowest screen the site reflows to (WCAG 1.4.10, RGAA 10.11)."""


def chromium_or_skip() -> str:
    """The Chromium path; a missing browser skips, except under CI=true where it fails."""
    path = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    if not path:
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium est absent alors que CI=true : installer le paquet chromium")
        pytest.skip("Chromium absent (apt-get install chromium)")
    return path


@dataclass(frozen=True)
class PageType:
    """One kind of page: `path` from the site root (a `*` segment stands for the first folder, in
    name order, that holds such a page, e.g. `marches/*/` for a contract page); `setup` runs after
    loading, e.g. to apply an explorer's filters."""

    name: str
    path: str
    setup: Callable[[Any], None] | None = None


def filter_explorer(page: Any) -> None:
    """Apply filters on an explorer: a search term and the second choice of the first list."""
    page.wait_for_selector("form[data-ao-filtres]:not([hidden])")
    page.fill("input[name=recherche]", "a")
    choice = page.query_selector("form[data-ao-filtres] select")
    if choice is not None:
        choice.select_option(index=1)
    page.wait_for_timeout(500)


PAGE_TYPES: tuple[PageType, ...] = (
    PageType("accueil", ""),
    PageType("politique", "politique-achat/"),
    PageType("action", "politique-achat/*/"),
    PageType("tableau-de-bord-indicateurs", "indicateurs/"),
    PageType("indicateur", "indicateurs/*/"),
    PageType("qualite", "qualite/"),
    PageType("donnees", "donnees/"),
    PageType("dictionnaire-des-donnees", "donnees/*/"),
    PageType("flux", "flux/"),
    PageType("nouveautes", "nouveautes/"),
    PageType("a-propos", "a-propos/"),
    PageType("accessibilite", "accessibilite/"),
    PageType("mentions-legales", "mentions-legales/"),
    PageType("page-introuvable", "404.html"),
    PageType("explorateur-marches", "marches/", filter_explorer),
    PageType("explorateur-achats-a-venir", "achats-a-venir/", filter_explorer),
    PageType("marche", "marches/*/"),
    PageType("titulaire", "titulaires/*/"),
    PageType("services", "services/"),
    PageType("service", "services/*/"),
    PageType("domaines-cpv", "cpv/"),
    PageType("domaine-cpv", "cpv/*/"),
    PageType("departements", "departements/"),
    PageType("departement", "departements/*/"),
)


def page_path(site: Path, page_type: PageType) -> str:
    """The URL path of the page of this type in the built site; fails if there is none."""
    parts = page_type.path.split("/")
    if "*" in parts:
        star = parts.index("*")
        base = site.joinpath(*parts[:star])
        rest = "/".join(parts[star + 1 :])
        found = sorted(
            p.name
            for p in base.iterdir()
            if p.is_dir() and not p.name.startswith("_") and (p / rest / "index.html").is_file()
        )
        if not found:
            pytest.fail(f"aucune page « {page_type.path} » dans le site construit")
        parts[star] = found[0]
    path = "/".join(parts)
    target = site / path
    if not (target.is_file() or (target / "index.html").is_file()):
        pytest.fail(f"page « {path} » ({page_type.name}) absente du site construit")
    return path


def read_host_headers(folder: Path) -> dict[str, list[tuple[str, str]]]:
    """The rules of the site's `_headers` file (Netlify format): path pattern -> headers."""
    rules: ClassVar[dict[str, list[tuple[str, str]]]] = {}
    source = folder / "_headers"
    if not source.is_file():
        return rules
    current = ""
    for line in source.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            current = line.strip()
            rules.setdefault(current, [])
        else:
            name, _, value = line.strip().partition(":")
            rules[current].append((name.strip(), value.strip()))
    return rules


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    rules: ClassVar[dict[str, list[tuple[str, str]]]] = {}

    def log_message(self, format: str, *args: Any) -> None:
        return None

    def _headers(self) -> Iterator[tuple[str, str]]:
        path = unquote(urlsplit(self.path).path)
        for pattern, headers in self.rules.items():
            if pattern == path or (pattern.endswith("*") and path.startswith(pattern[:-1])):
                yield from headers

    def end_headers(self) -> None:
        for name, value in self._headers():
            if name.lower() != "content-type":
                self.send_header(name, value)
        super().end_headers()

    def guess_type(self, path: Any) -> str:
        for name, value in self._headers():
            if name.lower() == "content-type":
                return value
        return super().guess_type(path)


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve `folder` on a free loopback port with the headers of its `_headers` file; yields
    the base URL ending with '/'."""
    handler_class = type("Handler", (_QuietHandler,), {"rules": read_host_headers(folder)})
    handler = functools.partial(handler_class, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class Watch:
    """What a page did that tests forbid: requests outside the site, dialogs, console errors."""

    external_requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)


def watch(page: Any, base_url: str) -> Watch:
    seen = Watch()

    def route(request_route: Any) -> None:
        url = request_route.request.url
        if url.startswith(base_url) or url.startswith("data:"):
            request_route.continue_()
        else:
            seen.external_requests.append(url)
            request_route.abort()

    def dialog(d: Any) -> None:
        seen.dialogs.append(d.message)
        d.dismiss()

    def console(message: Any) -> None:
        if message.type == "error":
            seen.console_errors.append(message.text)

    page.route("**/*", route)
    page.on("dialog", dialog)
    page.on("console", console)
    page.on("pageerror", lambda exc: seen.console_errors.append(str(exc)))
    return seen


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core violations for WCAG 2.1 A/AA, RGAA 4 and best practices, as compact dicts."""
    from axe_playwright_python.sync_playwright import Axe

    page.wait_for_timeout(150)
    result = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    return [
        {
            "id": v["id"],
            "impact": v.get("impact"),
            "targets": [n["target"] for n in v["nodes"]][:5],
            "summary": v["nodes"][0].get("failureSummary", "")[:300] if v["nodes"] else "",
        }
        for v in result.response["violations"]
    ]
