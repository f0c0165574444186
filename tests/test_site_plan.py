"""The site's plan: one authority for every address (checked against mkdocs.yml and the
templates), producers that declare what they read, publish and write, the build order computed
from those declarations, and page modules that never borrow from each other."""

from __future__ import annotations

import pkgutil
import re
import tomllib
from pathlib import Path

import pathspec
import pytest
import yaml

from achats_ouverts import pages
from achats_ouverts.datafolder import schemas
from achats_ouverts.errors import BuildError
from achats_ouverts.model import Data
from achats_ouverts.output import BuildContext, artifacts, urls
from achats_ouverts.output.context import Artifact
from achats_ouverts.output.plan import Producer, Stage, order, run
from achats_ouverts.pages import producers
from achats_ouverts.report import Report
from achats_ouverts.settings import TEMPLATES_DIR
from tests.fixtures.folders import loaded, make_data_dir
from tests.fixtures.paths import ROOT

MKDOCS = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
NOT_IN_NAV = pathspec.gitignore.GitIgnoreSpec.from_lines(MKDOCS["not_in_nav"].splitlines())


def nav_pages(entries: list[dict[str, str]]) -> list[str]:
    return [path for entry in entries for path in entry.values()]


def outside_nav(page: str) -> bool:
    return bool(NOT_IN_NAV.match_file(page))


# --- One authority for addresses ------------------------------------------------------------------


def test_mkdocs_navigation_is_the_authoritys() -> None:
    assert nav_pages(MKDOCS["nav"]) == [urls.index_page(a) for a in urls.NAV]
    assert MKDOCS["not_in_nav"].split() == list(urls.NOT_IN_NAV)


def test_every_page_address_is_in_the_navigation_or_declared_outside_it() -> None:
    folders = {
        value
        for name, value in vars(urls).items()
        if name.isupper() and isinstance(value, str) and re.fullmatch(r"[a-z-]+/", value)
    }
    files_only = {urls.SITEMAP_PARTS, urls.PREVIEWS}
    assert folders - set(urls.SECTIONS) == files_only, "folders of files, not pages"
    assert len(set(urls.SECTIONS)) == len(urls.SECTIONS) == 19
    entity_pages = [
        urls.service("lycees"),
        urls.cpv_division("45"),
        urls.departement("59"),
        urls.action("a1"),
        urls.indicator("delai-paiement"),
        urls.dictionary("marches"),
        urls.ranking(2025),
        urls.analysis("offre-unique"),
        urls.dictionary(urls.analysis_dataset("offre-unique")),
        *(urls.shell(s) for s in urls.SHELL_SECTIONS),
    ]
    for address in [*urls.SECTIONS, *entity_pages]:
        page = urls.index_page(address)
        assert (address in urls.NAV) != outside_nav(page), page
    for address in urls.NAV:
        assert not outside_nav(urls.index_page(address)), address


def test_the_downloads_are_where_the_data_package_says() -> None:
    for ds in schemas.DATASETS:
        assert urls.table_file(ds.name, "csv") == urls.DATA + ds.path
        assert urls.schema_file(ds.name) == urls.DATA + ds.schema_path


LITERAL_LINK = re.compile(r"""\b(?:href|src)=["'](?!\{\{|#|https?://)[^"']""")
LITERAL_RELATIVE_URL = re.compile(r"""relative_url\(\s*["']""")
SECTION = "|".join(re.escape(a.strip("/")) for a in urls.SECTIONS if a)
SECTION_LITERAL = re.compile(rf"""["'](?:{SECTION})/["']|==\s*["'](?:{SECTION})["']""")


def test_no_template_spells_an_address() -> None:
    """Templates take addresses from their page context or from the jinja global `urls`."""
    templates = sorted(TEMPLATES_DIR.glob("*.j2")) + sorted(
        (ROOT / "site_src" / "overrides").glob("*.html")
    )
    assert len(templates) > 25
    for template in templates:
        text = template.read_text(encoding="utf-8")
        for pattern in (LITERAL_LINK, LITERAL_RELATIVE_URL, SECTION_LITERAL):
            found = pattern.search(text)
            assert found is None, f"{template.name}: {found and found.group(0)}"


def test_the_patterns_of_that_check_find_addresses() -> None:
    assert LITERAL_LINK.search('<a href="marches/">')
    assert LITERAL_LINK.search("<a href='../{{ x }}/'>")
    assert not LITERAL_LINK.search('<a href="{{ page.lien }}">')
    assert LITERAL_RELATIVE_URL.search("relative_url('accessibilite/', '')")
    assert SECTION_LITERAL.search('page.section == "services"')
    assert SECTION_LITERAL.search("{{ 'donnees/' | url }}")
    assert not SECTION_LITERAL.search('<h2 id="titulaires">')


# --- Page modules ---------------------------------------------------------------------------------


def test_every_page_module_is_in_the_independence_contract() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    independent = next(c for c in contracts if c["type"] == "independence")
    modules = {f"achats_ouverts.pages.{m.name}" for m in pkgutil.iter_modules(pages.__path__)}
    assert set(independent["modules"]) == modules - {"achats_ouverts.pages.producers"}


# --- The build order ------------------------------------------------------------------------------


def nothing(ctx: BuildContext) -> None:
    """A producer that does nothing."""


X: Artifact[int] = Artifact("x", "an artifact of these tests")
Y: Artifact[int] = Artifact("y", "another")


def producer(
    label: str,
    *,
    reads: tuple[Artifact[int], ...] = (),
    publishes: tuple[Artifact[int], ...] = (),
    stage: Stage = Stage.DOCS,
) -> Producer:
    return Producer(label, stage, nothing, reads=reads, publishes=publishes)


def test_the_build_runs_each_producer_after_what_it_reads() -> None:
    provided = {a.name for a in artifacts.BEFORE_MKDOCS}
    for stage, ran in ((Stage.DOCS, producers.PLAN.docs), (Stage.SITE, producers.PLAN.site)):
        if stage is Stage.SITE:
            provided |= {a.name for a in artifacts.AFTER_MKDOCS}
        for each in ran:
            assert each.stage is stage
            missing = {a.name for a in each.reads} - provided
            assert not missing, f"{each.label} runs before {missing} is published"
            provided |= {a.name for a in each.publishes}
    assert set(producers.PLAN.all()) == set(producers.PRODUCERS)
    reordered = order(reversed(producers.PRODUCERS))
    assert set(reordered.docs) == set(producers.PLAN.docs), "any declaration order works"
    assert order(producers.PRODUCERS) == producers.PLAN, "the same order every time"


def test_ties_keep_the_order_of_declaration_and_inputs_come_first() -> None:
    plan = order(
        [
            producer("lit-x", reads=(X,)),
            producer("seul"),
            producer("publie-x", publishes=(X,)),
            producer("apres", stage=Stage.SITE, reads=(X,)),
        ]
    )
    assert [p.label for p in plan.docs] == ["seul", "publie-x", "lit-x"]
    assert [p.label for p in plan.site] == ["apres"]


def test_a_cycle_is_refused_with_the_producers_in_it() -> None:
    with pytest.raises(BuildError, match=r"cycle.*« a ».*« b »"):
        order(
            [producer("a", reads=(Y,), publishes=(X,)), producer("b", reads=(X,), publishes=(Y,))]
        )


def test_an_input_nothing_publishes_is_refused() -> None:
    with pytest.raises(BuildError, match="« a » lit « x », que rien ne publie"):
        order([producer("a", reads=(X,))])


def test_an_artifact_published_twice_is_refused() -> None:
    with pytest.raises(BuildError, match="« x » est publié par « b » et par « a »"):
        order([producer("a", publishes=(X,)), producer("b", publishes=(X,))])
    with pytest.raises(BuildError, match="« pages-mkdocs » est publié par « a » et par la"):
        order([Producer("a", Stage.SITE, nothing, publishes=(artifacts.MKDOCS_PAGES,))])


def test_nothing_published_after_mkdocs_is_read_before_it() -> None:
    with pytest.raises(BuildError, match="« a » lit « x » avant MkDocs"):
        order([producer("a", reads=(X,)), producer("b", stage=Stage.SITE, publishes=(X,))])
    with pytest.raises(BuildError, match="« a » lit « pages-detaillees » avant MkDocs"):
        order(
            [
                producer("a", reads=(artifacts.DETAIL_PAGES,)),
                Producer("d", Stage.SITE, nothing, publishes=(artifacts.DETAIL_PAGES,)),
            ]
        )


# --- Producers keep to their declarations ---------------------------------------------------------


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Data:
    folder = make_data_dir(tmp_path_factory.mktemp("plan") / "data")
    return loaded(folder)


def context(data: Data, tmp: Path) -> BuildContext:
    ctx = BuildContext(data, tmp / "docs", tmp / "fichiers", tmp / "site")
    ctx.put(artifacts.DATA, data)
    ctx.put(artifacts.REPORT, Report())
    ctx.put(artifacts.PREVIOUS_SITE, None)
    return ctx


def test_a_producer_reads_publishes_and_writes_only_what_it_declares(
    data: Data, tmp_path: Path
) -> None:
    ctx = context(data, tmp_path)
    ctx.put(X, 1)

    def reads_x(ctx: BuildContext) -> None:
        ctx.get(X)

    def writes_home(ctx: BuildContext) -> None:
        ctx.page(urls.HOME, "Accueil", "<p>accueil</p>")

    def writes_a_file(ctx: BuildContext) -> None:
        ctx.file(urls.DECP, b"{}")

    def publishes_y(ctx: BuildContext) -> None:
        ctx.put(Y, 2)

    cases = (
        (Producer("lit", Stage.DOCS, reads_x), "« lit » lit « x » sans le déclarer"),
        (
            Producer("accueil", Stage.DOCS, writes_home, addresses=(urls.LEGAL,)),
            "« accueil » écrit « / » hors des adresses",
        ),
        (
            Producer("decp", Stage.DOCS, writes_a_file, addresses=(urls.DATA_PACKAGE,)),
            "« decp » écrit « /donnees/decp.json » hors des adresses",
        ),
        (Producer("y", Stage.DOCS, publishes_y), "« y » publie « y » sans le déclarer"),
        (Producer("oubli", Stage.DOCS, nothing, publishes=(Y,)), "« oubli » n'a pas publié : y"),
    )
    for declared, message in cases:
        with pytest.raises(BuildError, match=message):
            run(declared, ctx)
        assert ctx.scope is None, "the scope ends with the producer"
    run(Producer("lit", Stage.DOCS, reads_x, reads=(X,)), ctx)
    run(Producer("decp", Stage.DOCS, writes_a_file, addresses=(urls.DATA,)), ctx)
    with pytest.raises(BuildError, match="deux producteurs écrivent le fichier « /donnees/decp"):
        run(Producer("decp", Stage.DOCS, writes_a_file, addresses=(urls.DATA,)), ctx)


def test_every_page_before_mkdocs_is_in_the_navigation_or_declared_outside_it(
    data: Data, tmp_path: Path
) -> None:
    """What the producers write, as MkDocs will see it (MkDocs only logs the others)."""
    ctx = context(data, tmp_path)
    for each in producers.PLAN.docs:
        run(each, ctx)
    written = sorted(p.relative_to(ctx.docs_dir).as_posix() for p in ctx.docs_dir.rglob("*.md"))
    assert len(written) > 30
    in_nav = set(nav_pages(MKDOCS["nav"]))
    for page in written:
        assert (page in in_nav) != outside_nav(page), page
    hand_written = {urls.index_page(urls.ABOUT)}
    assert in_nav - set(written) == hand_written, "every other page of the nav is generated"
