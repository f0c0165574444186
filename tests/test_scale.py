"""National scale: a site built without a page per contract (`build --sans-pages-marches`), and
post-build checks that read the shared frame of detail pages once."""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Callable, Iterator
from contextlib import nullcontext
from pathlib import Path
from typing import Any
from unittest import mock

import pytest

from achats_ouverts.building import build, postchecks
from achats_ouverts.cli import run
from achats_ouverts.errors import BuildError
from achats_ouverts.model import load
from achats_ouverts.model.calculations import REGISTRY
from achats_ouverts.output import artifacts, plan, urls
from achats_ouverts.output.context import (
    DETAIL_START,
    BuildContext,
    Pending,
    Shell,
    in_other_process,
)
from achats_ouverts.output.listing import build_list_index
from achats_ouverts.output.urls import path_segment
from achats_ouverts.pages import contract, producers
from achats_ouverts.settings import Settings
from achats_ouverts.validation import validate
from tests.fixtures import browser
from tests.fixtures.companies import LILLE_SME
from tests.fixtures.explorer_folder import CONTRACTS, RENOVATION, make_explorer_data
from tests.fixtures.paths import ROOT


@pytest.fixture(scope="module")
def lean_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The explorers' test folder built without contract pages (post-build checks included)."""
    base = tmp_path_factory.mktemp("sans-pages")
    out = base / "site"
    settings = Settings(
        data_dir=make_explorer_data(base / "data"),
        output_dir=out,
        project_dir=ROOT,
        contract_pages=False,
    )
    build(settings)
    return out


def test_no_contract_page_is_written_and_lists_link_to_the_explorer(lean_site: Path) -> None:
    slugs = [path_segment(c["uid"]) for c in CONTRACTS]
    assert not any((lean_site / "marches" / slug).exists() for slug in slugs)
    assert (lean_site / "marches" / "index.html").is_file(), "the explorer stays"
    supplier = (lean_site / "titulaires" / LILLE_SME / "index.html").read_text(encoding="utf-8")
    linked = set(re.findall(r'href="\.\./\.\./marches/\?recherche=([^"]+)"', supplier))
    assert linked
    assert linked <= set(slugs)
    assert "../../marches/" + slugs[0] + "/" not in supplier
    explorer = (lean_site / "marches" / "index.html").read_text(encoding="utf-8")
    row_link = r'<th scope="row"><a href="\.\./marches/\?recherche=([^"]+)"'
    static = set(re.findall(row_link, explorer))
    assert static == set(slugs), "the first page of results, without JavaScript"
    sitemap = (lean_site / "sitemap.xml").read_text(encoding="utf-8")
    assert not any(f"/marches/{slug}/" in sitemap for slug in slugs)
    assert "/titulaires/" in sitemap, "supplier pages are still written and listed"


def test_the_explorer_script_is_told_how_to_link_rows(lean_site: Path) -> None:
    explorer = (lean_site / "marches" / "index.html").read_text(encoding="utf-8")
    match = re.search(r'"liens":\s*(\{[^}]*\})', explorer)
    assert match, "explorer configuration"
    links = json.loads(match.group(1))
    assert links["marche"] == "../marches/?recherche="
    assert links["marcheSuffixe"] == ""


def test_awarded_feed_links_to_the_list(lean_site: Path) -> None:
    feed = (lean_site / "flux" / "marches-attribues.xml").read_text(encoding="utf-8")
    assert not any(f"/marches/{path_segment(c['uid'])}/" in feed for c in CONTRACTS)


def test_cli_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = make_explorer_data(tmp_path / "data")
    code = run(["build", str(data), "-o", str(tmp_path / "site"), "--sans-pages-marches"])
    assert code == 0, capsys.readouterr()
    assert not (tmp_path / "site" / "marches" / path_segment(RENOVATION["uid"])).exists()


@pytest.fixture(scope="module")
def lean_url(lean_site: Path) -> Iterator[str]:
    with browser.serve(lean_site) as url:
        yield url


@pytest.mark.browser
def test_script_rows_open_the_explorer_on_the_contract(new_page: Any, lean_url: str) -> None:
    page = new_page()
    seen = browser.watch(page, lean_url)
    page.goto(lean_url + "marches/?tri=montant-desc")
    page.wait_for_selector("[data-ao-filtres]:not([hidden])")
    page.wait_for_function(
        "() => { const r = document.querySelector('[data-ao-explorateur]');"
        " return r && r.aoExplorateur && !r.aoExplorateur.debouncing; }"
    )
    hrefs = page.eval_on_selector_all(
        "[data-ao-resultats] tbody th a", "links => links.map(a => a.getAttribute('href'))"
    )
    slugs = {path_segment(c["uid"]) for c in CONTRACTS}
    assert hrefs
    assert {h.removeprefix("../marches/?recherche=") for h in hrefs} <= slugs
    page.click("[data-ao-resultats] tbody th a")
    page.wait_for_selector("[data-ao-filtres]:not([hidden])")
    page.wait_for_function(
        "() => document.querySelectorAll('[data-ao-resultats] tbody th a').length === 1"
    )
    assert seen.console_errors == []
    assert seen.external_requests == []


# --- Post-build checks: the frame of detail pages is scanned once per section ---------------------


def frame_site(tmp_path: Path) -> tuple[Path, postchecks.Frame]:
    """Detail pages written through a shell whose frame has a broken link; page b has one in its
    content, page c a different tail, page d a head that is not the shell's (a title that was not
    escaped)."""
    site_dir = tmp_path / "site"
    head = (
        '<html><head><title>AO-TITRE-A7F3C9</title><link href="../../style.css">'
        '<link rel="canonical" href="https://x.test/sec/_gabarit/"></head>'
        f"<body><h1>AO-TITRE-A7F3C9</h1>{DETAIL_START}"
    )
    shell = Shell("sec", head, '</div><a href="../../absent-du-cadre/">pied</a></body></html>')
    (site_dir / "sec").mkdir(parents=True)
    (site_dir / "style.css").write_text("body{}", encoding="utf-8")
    (site_dir / "index.html").write_text('<a href="sec/a/">a</a>', encoding="utf-8")
    pages = {
        "a": ("a", "<p>a</p>"),
        "b": ("Page « b » & 'co' <i>", '<p><a href="../../absent-du-contenu/">b</a></p>'),
        "c": ("c", "<p>c</p>"),
        "d": ("d", "<p>d</p>"),
    }
    for slug, (title, body) in pages.items():
        text = shell.page(slug, title, body)
        if slug == "c":
            text = text.replace("pied", 'pied <img src="//x.test/i">')
        if slug == "d":
            text = text.replace("<h1>d</h1>", "<h1>d<script>alert(1)</script></h1>")
        page = site_dir / "sec" / slug / "index.html"
        page.parent.mkdir()
        page.write_text(text, encoding="utf-8")
    return site_dir, postchecks.Frame("sec", DETAIL_START, shell.head_pattern(), shell.tail)


def test_the_frame_is_checked_once_and_each_page_content_always(tmp_path: Path) -> None:
    site_dir, frame = frame_site(tmp_path)
    scan = postchecks.SafetyScan(postchecks.theme_script_patterns(()), frames=(frame,))
    found = [(f.file, f.check, f.message) for f in postchecks.run(site_dir, {}, (), scan, (frame,))]
    broken = [
        (file, message.split(" » ")[0].split("« ")[1])
        for file, check, message in found
        if check == "lien-casse"
    ]
    assert broken == [
        ("sec/a/index.html", "../../absent-du-cadre/"),
        ("sec/b/index.html", "../../absent-du-contenu/"),
        ("sec/c/index.html", "../../absent-du-cadre/"),
        ("sec/d/index.html", "../../absent-du-cadre/"),
    ], "a page whose frame differs is read in full"
    assert [f[0] for f in found if f[1] == "ressource-externe"] == ["sec/c/index.html"]
    assert [f[0] for f in found if f[1] == "script-interdit"] == ["sec/d/index.html"]
    everything = postchecks.run(site_dir, {})
    assert sum(f.check == "lien-casse" for f in everything) == 5, "without frames: every page"


def test_work_in_the_other_process_returns_its_result_or_its_error() -> None:
    def failing() -> list[str]:
        raise ValueError("panne")

    assert in_other_process(lambda: [os.getpid()]).result() != [os.getpid()]
    with pytest.raises(BuildError, match="ValueError: panne"):
        in_other_process(failing).result()
    slow = in_other_process(lambda: time.sleep(60))
    slow.cancel()
    assert not slow.process.is_alive()


class Serial(Pending[list[str]]):
    """A `Pending` that runs its work here, when asked (as where processes cannot fork)."""

    def __init__(self, work: Callable[[], list[str]]) -> None:
        self.work = work
        self.process = None


def test_detail_pages_written_by_two_processes_are_those_of_one(tmp_path: Path) -> None:
    """Same files, same bytes, same list of pages for the sitemap as a single process."""
    data = load(validate(make_explorer_data(tmp_path / "data"), calculations=REGISTRY))
    written: dict[str, dict[str, str]] = {}
    for label, fork in (("deux", True), ("un", False)):
        site_dir = tmp_path / label
        ctx = BuildContext(data, tmp_path / "docs", tmp_path / "f", site_dir)
        shells = {
            s: Shell(s, "<html><title>AO-TITRE-A7F3C9</title>", "</html>")
            for s in urls.SHELL_SECTIONS
        }
        ctx.put(artifacts.SHELLS, shells)
        ctx.put(artifacts.LIST_INDEX, build_list_index(data))
        detail_pages = producers.by_label("details.produce_detail_pages")
        assert detail_pages is not None
        serial = mock.patch.object(plan, "in_other_process", Serial)
        with mock.patch.object(contract, "PAGE_CHUNK", 2), serial if not fork else nullcontext():
            plan.run(detail_pages, ctx)
        written[label] = {
            p.relative_to(site_dir).as_posix(): p.read_text(encoding="utf-8")
            for p in site_dir.rglob("*.html")
        }
        pages = ctx.get(artifacts.DETAIL_PAGES)
        assert sorted(pages) == sorted(str(Path(k).parent) + "/" for k in written[label])
    assert written["deux"] == written["un"]
    assert len(written["un"]) > len(CONTRACTS)
