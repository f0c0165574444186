"""What axe-core cannot see, checked on every page of the built site (RGAA 4.1 themes 1, 5, 6, 8
and 9): data tables with a caption and scoped headers, charts with a text alternative and the
same numbers in a table, one h1 and a logical heading order, a unique title per page, download
links that say format and size; and the accessibility statement and legal notices."""

from __future__ import annotations

import itertools
import posixpath
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser, LexborNode

from achats_ouverts.building import build
from achats_ouverts.settings import Settings
from tests.fixtures import injection
from tests.fixtures.folders import make_complete_data_dir
from tests.fixtures.paths import ROOT

DATA_FILE = re.compile(r"\.(csv|json|jsonld|parquet|xlsx|ods|zip|ttl|rdf|gz|geojson)$", re.I)
SIZE = re.compile(r"\d+(?:[,.]\d+)?\s?(?:octets?|Ko|Mo|Go)\b")
FORMATS = ("CSV", "JSON", "Parquet", "XLSX", "ODS", "ZIP", "Turtle", "RDF", "GeoJSON", "gzip")
NUMBER = re.compile(r"\d+(?:[\u202f\u00a0 ]\d{3})*(?:,\d+)?")
CHART_SVG = "svg[role='img']"


@pytest.fixture(scope="module", params=["complet", "injection", "demo"])
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small complete site, the same with payloads everywhere, and the demonstration site."""
    if request.param == "demo":
        demo: Path = request.getfixturevalue("demo_site")
        return demo
    base = tmp_path_factory.mktemp(request.param)
    data = make_complete_data_dir(base / "source")
    if request.param == "injection":
        data = injection.inject(data, base / "data")
    out = base / "site"
    build(Settings(data_dir=data, output_dir=out, project_dir=ROOT))
    return out


def pages(site: Path) -> Iterator[tuple[str, LexborHTMLParser]]:
    for path in sorted(site.rglob("*.html")):
        yield path.relative_to(site).as_posix(), LexborHTMLParser(path.read_text("utf-8"))


def content(tree: LexborHTMLParser) -> LexborNode:
    article = tree.css_first("article.md-content__inner")
    assert article is not None
    return article


def squash(text: str) -> str:
    return " ".join(text.split())


def test_every_data_table_has_a_caption_and_scoped_headers(built: Path) -> None:
    tables = 0
    for name, tree in pages(built):
        for table in tree.css("table"):
            tables += 1
            first = table.css_first("caption")
            assert first is not None, f"{name} : tableau sans <caption>"
            assert squash(first.text()), f"{name} : <caption> vide"
            assert table.css("th"), f"{name} : tableau sans en-tête"
            for th in table.css("th"):
                scope = th.attributes.get("scope")
                assert scope in ("col", "row", "colgroup", "rowgroup"), (name, th.html)
    assert tables > 0


def companion_table(chart: LexborNode) -> LexborNode | None:
    """The table giving a chart's numbers: inside its figure (or section), or the element right
    after that figure."""
    figure = chart.parent
    while figure is not None and figure.tag not in ("figure", "section", "article"):
        figure = figure.parent
    if figure is None:
        return None
    inside = figure.css_first("table")
    if inside is not None:
        return inside
    following = figure.next
    while following is not None and following.tag in ("-text", "-comment"):
        following = following.next
    if following is not None and following.tag == "table":
        return following
    return following.css_first("table") if following is not None else None


def chart_problems(article: LexborNode) -> list[str]:
    """Charts (an SVG with role=img, a canvas, an image with a non-empty alt) need a text
    alternative (aria-labelledby, aria-label, alt or title) and a table with the same numbers in
    their figure or right after it; any other SVG must be decorative (aria-hidden, or one of the
    theme's icons) or inside a chart (an SVG nested in role=img, whose content is
    presentational)."""
    problems = []
    for img in article.css("img"):
        if img.attributes.get("alt") is None:
            problems.append(f"image sans alt : {img.attributes.get('src')}")
    for chart in article.css(f"{CHART_SVG}, canvas, img"):
        if chart.tag == "img" and not chart.attributes.get("alt"):
            continue  # decorative image
        title = chart.css_first("title")
        labelled = [
            article.css_first(f"[id='{ref}']")
            for ref in (chart.attributes.get("aria-labelledby") or "").split()
        ]
        alternative = squash(
            " ".join(node.text() for node in labelled if node is not None)
            or chart.attributes.get("aria-label")
            or chart.attributes.get("alt")
            or (title.text() if title is not None else "")
        )
        if not alternative:
            problems.append(f"graphique <{chart.tag}> sans alternative textuelle")
            continue
        table = companion_table(chart)
        if table is None:
            problems.append(f"graphique « {alternative[:60]} » sans tableau des mêmes chiffres")
            continue
        table_text = "".join(table.text().split())
        for number in NUMBER.findall(alternative):
            if "".join(number.split()) not in table_text:
                problems.append(f"graphique « {alternative[:60]} » : {number} absent du tableau")
    for svg in article.css("svg"):
        if svg.attributes.get("role") == "img":
            continue
        node: LexborNode | None = svg
        while node is not None:
            hidden = node.attributes.get("aria-hidden") == "true"
            in_chart = node is not svg and node.attributes.get("role") == "img"
            if hidden or in_chart or "md-icon" in (node.attributes.get("class") or "").split():
                break
            node = node.parent
        else:
            problems.append("SVG ni décoratif (aria-hidden) ni graphique (role=img)")
    return problems


def test_every_chart_has_a_text_alternative_and_its_numbers_in_a_table(built: Path) -> None:
    for name, tree in pages(built):
        assert chart_problems(content(tree)) == [], name


@pytest.mark.parametrize(
    ("html", "problem"),
    [
        ('<figure><svg role="img"><rect/></svg><table></table></figure>', "sans alternative"),
        ('<figure><svg role="img" aria-label="12 marchés"></svg></figure>', "sans tableau"),
        (
            '<figure><svg role="img" aria-label="12 marchés en 2024"></svg>'
            "<table><tr><td>2024</td><td>13</td></tr></table></figure>",
            "12 absent du tableau",
        ),
        ('<figure><img src="g.png"><table></table></figure>', "image sans alt"),
        ("<p><svg><circle/></svg></p>", "ni décoratif"),
    ],
)
def test_the_chart_check_finds_each_missing_alternative(html: str, problem: str) -> None:
    article = LexborHTMLParser(f"<article>{html}</article>").css_first("article")
    assert article is not None
    assert any(problem in found for found in chart_problems(article))


def test_the_chart_check_accepts_a_chart_doubled_by_its_table() -> None:
    html = (
        '<article><figure><svg role="img" aria-label="1 234 marchés en 2024, 56,5 %">'
        '<rect/></svg><table><caption>c</caption><tr><th scope="row">2024</th>'
        "<td>1 234</td><td>56,5 %</td></tr></table></figure>"
        '<span class="md-icon"><svg><path/></svg></span><svg aria-hidden="true"></svg>'
        '<figure><svg role="img" aria-label="3 marchés"><svg x="10%"><text>3</text></svg></svg>'
        "<table><tr><td>3</td></tr></table></figure></article>"
    )
    article = LexborHTMLParser(html).css_first("article")
    assert article is not None
    assert chart_problems(article) == []


def test_one_h1_and_a_logical_heading_order(built: Path) -> None:
    for name, tree in pages(built):
        levels = [int(h.tag[1]) for h in tree.css("h1, h2, h3, h4, h5, h6")]
        assert levels.count(1) == 1, f"{name} : {levels.count(1)} titres h1"
        assert levels[0] == 1, f"{name} : le premier titre n'est pas h1"
        for before, after in itertools.pairwise(levels):
            assert after <= before + 1, f"{name} : h{before} suivi de h{after}"
        for heading in tree.css("h1, h2, h3, h4, h5, h6"):
            assert squash(heading.text()), f"{name} : titre vide"


def test_every_page_has_a_skip_link_to_the_start_of_its_content(built: Path) -> None:
    """RGAA 12.7: the first link of every page leads past the banner, the tabs and the sidebars
    to the article (the theme's own link on Markdown pages, ours on generated pages and 404)."""
    problems = []
    for name, tree in pages(built):
        links = tree.css("body a[href]")
        skips = tree.css("a.md-skip")
        if len(skips) != 1 or not links or links[0].html != skips[0].html:
            problems.append(f"{name}: {len(skips)} skip links, or not the first link")
            continue
        target = (skips[0].attributes.get("href") or "").removeprefix("#")
        if not target or content(tree).css_first(f'[id="{target}"]') is None:
            problems.append(f"{name}: #{target} is not in the article")
    assert problems == []


def test_every_page_has_a_unique_title(built: Path) -> None:
    titles: dict[str, str] = {}
    for name, tree in pages(built):
        node = tree.css_first("title")
        assert node is not None
        title = squash(node.text())
        assert title, name
        assert title not in titles, f"{name} et {titles.get(title)} ont le même titre « {title} »"
        titles[title] = name


def test_download_links_say_format_and_size(built: Path) -> None:
    links = 0
    for name, tree in pages(built):
        for link in content(tree).css("a"):
            href = link.attributes.get("href") or ""
            if "download" not in link.attributes and not DATA_FILE.search(href.split("#")[0]):
                continue
            links += 1
            text = squash(link.text())
            assert SIZE.search(text), f"{name} : lien « {text} » ({href}) sans taille"
            assert any(f in text for f in FORMATS), f"{name} : lien « {text} » sans format"
    assert links > 0


def test_the_accessibility_statement_is_complete(built: Path) -> None:
    tree = LexborHTMLParser((built / "accessibilite" / "index.html").read_text("utf-8"))
    text = squash(content(tree).text())
    assert "Déclaration d'accessibilité" in squash(tree.css_first("h1").text())
    for expected in (
        "État de conformité",
        "RGAA",
        "Contenus non accessibles",
        "Établissement de cette déclaration",
        "Retour d'information et contact",
        "Voies de recours",
        "Défenseur des droits",
    ):
        assert expected in text, expected
    state = re.search(r"(non|partiellement|totalement) conforme", text)
    assert state is not None
    contact = content(tree).css_first("a[href^='mailto:']")
    assert contact is not None


def test_every_page_links_to_the_statement_with_the_conformity_state(built: Path) -> None:
    for name, tree in pages(built):
        links = {
            squash(a.text()): a.attributes.get("href") for a in tree.css("footer a, nav.ao-pied a")
        }
        mention = [t for t in links if re.fullmatch(r"Accessibilité : \w+ ?\w* conforme", t)]
        assert mention, f"{name} : pas de mention de conformité dans le pied de page"
        target = posixpath.join(posixpath.dirname(name), links[mention[0]] or "")
        assert posixpath.normpath(target).endswith("accessibilite"), (name, target)
        assert any(t == "Mentions légales" for t in links), name


def test_the_legal_notices_name_publisher_director_host_and_licence(built: Path) -> None:
    tree = LexborHTMLParser((built / "mentions-legales" / "index.html").read_text("utf-8"))
    text = squash(content(tree).text())
    for expected in ("Éditeur", "SIRET", "Directeur de la publication", "Hébergement"):
        assert expected in text, expected
    assert "Licence Ouverte" in text
    assert "cookie" in text
