"""No injection: the safety scan refuses what would execute, and payloads in every free text of
the data and the configuration reach the built site only as text."""

from __future__ import annotations

import html
import json
import shutil
from pathlib import Path

import pytest
import yaml
from selectolax.lexbor import LexborHTMLParser

from achats_ouverts.building import postchecks
from achats_ouverts.building.build import build, mkdocs_config
from achats_ouverts.datafolder import schemas
from achats_ouverts.errors import BuildError
from achats_ouverts.model import load
from achats_ouverts.model.calculations import REGISTRY
from achats_ouverts.settings import Settings, theme_scripts_dir
from achats_ouverts.validation import validate
from tests.fixtures import injection
from tests.fixtures.folders import make_complete_data_dir
from tests.fixtures.paths import ROOT

THEME_SCRIPT = (
    '__md_scope=new URL("..",location),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0))'
    ',0),__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),'
    '__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname+"."+e,JSON.stringify(_))'
    "}catch(e){}}"
)


def scan_codes(tmp_path: Path, files: dict[str, str]) -> list[tuple[str, str]]:
    site = tmp_path / "site"
    for name, text in files.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text, encoding="utf-8")
    (site / "assets").mkdir(exist_ok=True)
    (site / "assets" / "app.js").write_text("", encoding="utf-8")
    scan = postchecks.SafetyScan(postchecks.theme_script_patterns((theme_scripts_dir(),)))
    return sorted({(f.file.split(" ")[0], f.check) for f in scan(site)})


def page(body: str, head: str = "") -> str:
    return f"<!doctype html><html><head><title>t</title>{head}</head><body>{body}</body></html>"


def test_the_theme_own_scripts_pass_the_scan(tmp_path: Path) -> None:
    html = page(
        f'<p>ok</p><a href="https://example.fr/">x</a><a href="mailto:a@b.fr">m</a>'
        f'<a href="../x/">r</a><script id="__config" type="application/json">{{"a": 1}}</script>'
        '<svg><rect style="fill: #333333; clip-path: url(#p1)"/></svg>'
        f'<script src="assets/app.js"></script><script>{THEME_SCRIPT}</script>',
        head='<script type="application/ld+json">{"@id": "https://example.fr/a"}</script>',
    )
    assert scan_codes(tmp_path, {"index.html": html}) == []


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ("<script>alert(1)</script>", "script-interdit"),
        ('<script type="module">alert(1)</script>', "script-interdit"),
        (f"<script>{THEME_SCRIPT};alert(1)</script>", "script-interdit"),
        ('<script src="https://cdn.example.net/x.js"></script>', "script-interdit"),
        ('<script src="donnees/marches.csv"></script>', "script-interdit"),
        ("<img src=x onerror=alert(1)>", "attribut-evenement"),
        ("<img/onerror=alert(1) src=x>", "attribut-evenement"),
        ('<p title="a>b" onclick="alert(1)">x</p>', "attribut-evenement"),
        ('<svg><a xlink:href="javascript:alert(1)">x</a></svg>', "url-interdite"),
        ('<a href="javascript:alert(1)">x</a>', "url-interdite"),
        ('<a href=" JaVa&#x09;ScRiPt:alert(1)">x</a>', "url-interdite"),
        ('<a href="data:text/html,<script>alert(1)</script>">x</a>', "url-interdite"),
        ('<form action="javascript:alert(1)"></form>', "url-interdite"),
        ('<img srcset="ok.png 1x, javascript:alert(1) 2x">', "url-interdite"),
        ('<iframe src="a.html"></iframe>', "element-interdit"),
        ('<object data="a.swf"></object>', "element-interdit"),
        ('<meta http-equiv="refresh" content="0;url=https://x">', "element-interdit"),
        ("<div style=\"background:url('javascript:alert(1)')\">x</div>", "style-interdit"),
        ('<div style="background: url( //x.net/a.png)">x</div>', "style-interdit"),
        ("<style>body { color: red }</style>", "element-interdit"),
        (
            '<script type="application/ld+json">{"url": "javascript:alert(1)"}</script>',
            "url-interdite",
        ),
        ('<script type="application/json">{"a": </script>', "json-invalide"),
    ],
)
def test_the_scan_refuses_what_would_execute(tmp_path: Path, body: str, code: str) -> None:
    assert ("index.html", code) in scan_codes(tmp_path, {"index.html": page(body)})


def test_escaped_payloads_are_text_and_pass(tmp_path: Path) -> None:
    body = "&lt;script&gt;alert(1)&lt;/script&gt; onclick=alert(1) javascript:alert(1)"
    assert scan_codes(tmp_path, {"index.html": page(f"<p>{body}</p>")}) == []


def test_the_scan_reads_feeds_svg_json_ld_search_index_turtle_and_icalendar(
    tmp_path: Path,
) -> None:
    atom = (
        '<feed xmlns="http://www.w3.org/2005/Atom"><title type="html">&lt;img src=x '
        "onerror=alert(1)&gt;</title><entry><title>&lt;script&gt;</title>"
        '<link href="javascript:alert(2)"/></entry></feed>'
    )
    rss = (
        "<rss><channel><item><description>&lt;script&gt;alert(1)&lt;/script&gt;"
        "</description></item></channel></rss>"
    )
    svg = '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>x</script></svg>'
    index = {"docs": [{"location": "", "title": "t", "text": "<p>x<img src=x onerror=y></p>"}]}
    files = {
        "flux.xml": atom,
        "flux.rss": rss,
        "graphique.svg": svg,
        "casse.xml": "<a><b></a>",
        "catalogue.jsonld": json.dumps({"@id": "javascript:alert(1)", "name": "<script>"}),
        "search/search_index.json": json.dumps(index),
        "catalogue.ttl": (
            '<https://x.fr/a> <http://purl.org/dc/terms/title> "<javascript:ok>" .\n'
            "<https://x.fr/a> <http://www.w3.org/ns/dcat#landingPage> <javascript:alert(1)> .\n"
        ),
        "achats.ics": "BEGIN:VCALENDAR\r\nURL:javascript:al\r\n ert(1)\r\nEND:VCALENDAR\r\n",
    }
    assert scan_codes(tmp_path, files) == [
        ("achats.ics", "url-interdite"),
        ("casse.xml", "xml-invalide"),
        ("catalogue.jsonld", "url-interdite"),
        ("catalogue.ttl", "url-interdite"),
        ("flux.rss", "script-interdit"),
        ("flux.xml", "attribut-evenement"),
        ("flux.xml", "url-interdite"),
        ("graphique.svg", "attribut-evenement"),
        ("graphique.svg", "script-interdit"),
        ("search/search_index.json", "attribut-evenement"),
    ]


def test_clean_feeds_and_catalogues_pass(tmp_path: Path) -> None:
    atom = (
        '<feed xmlns="http://www.w3.org/2005/Atom"><id>tag:x.fr,2024:achats</id>'
        '<title type="text">&lt;script&gt;</title><link href="https://x.fr/"/></feed>'
    )
    files = {
        "flux.xml": atom,
        "catalogue.jsonld": json.dumps({"@id": "https://x.fr/catalogue", "name": "<script>"}),
        "catalogue.ttl": '<urn:x:a> <http://purl.org/dc/terms/title> "<script>" .\n',
        "achats.ics": "BEGIN:VCALENDAR\r\nURL:https://x.fr/a\r\nEND:VCALENDAR\r\n",
    }
    assert scan_codes(tmp_path, files) == []


def test_a_payload_that_would_execute_blocks_publication(data_dir: Path, tmp_path: Path) -> None:
    """The scan runs at every build: a script slipped into the site stops the publication."""
    out = tmp_path / "site"
    settings = Settings(data_dir=data_dir, output_dir=out, project_dir=ROOT)
    build(settings)
    before = (out / "index.html").read_bytes()
    project = tmp_path / "projet"
    shutil.copytree(ROOT / "site_src", project / "site_src")
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    (project / "site_src" / "a-propos" / "index.md").write_text(
        "# À propos\n\n<img src=x onerror=alert(1)>\n", encoding="utf-8"
    )
    with pytest.raises(BuildError, match=r"a-propos/index.html \[attribut-evenement\]"):
        build(Settings(data_dir=data_dir, output_dir=out, project_dir=project))
    assert (out / "index.html").read_bytes() == before


# --- The injection fixture, built --------------------------------------------------------------


@pytest.fixture(scope="module")
def clean_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("propre")
    data = make_complete_data_dir(base / "data")
    out = base / "site"
    build(Settings(data_dir=data, output_dir=out, project_dir=ROOT))
    return out


@pytest.fixture(scope="module")
def injected_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("injection")
    return injection.inject(make_complete_data_dir(base / "source"), base / "data")


@pytest.fixture(scope="module")
def injected_site(injected_data: Path) -> Path:
    out = injected_data.parent / "site"
    build(Settings(data_dir=injected_data, output_dir=out, project_dir=ROOT))
    return out


def html_pages(site: Path) -> dict[str, LexborHTMLParser]:
    return {
        p.relative_to(site).as_posix(): LexborHTMLParser(p.read_text(encoding="utf-8"))
        for p in sorted(site.rglob("*.html"))
    }


def without_place_feeds(pages: dict[str, LexborHTMLParser]) -> list[str]:
    """The pages but those of the feeds of upcoming purchases by département."""
    return [n for n in pages if not (n.startswith("flux/") and "-departement-" in n)]


def executable_scripts(tree: LexborHTMLParser) -> list[tuple[str | None, str]]:
    """(src, inline text) of the scripts a browser runs (not JSON data blocks)."""
    return [
        (s.attributes.get("src"), s.text())
        for s in tree.css("script")
        if (s.attributes.get("type") or "") not in postchecks.DATA_SCRIPT_TYPES
    ]


def text_of(tree: LexborHTMLParser) -> str:
    body = tree.body
    return body.text(deep=True, separator=" ") if body is not None else ""


def squash(text: str) -> str:
    return " ".join(text.split())


def test_the_injected_folder_is_valid_and_carries_payloads_everywhere(injected_data: Path) -> None:
    result = validate(injected_data, calculations=REGISTRY)
    assert result.ok, result.report.to_text(20)
    for ds in schemas.DATASETS:
        text = (injected_data / ds.path).read_text(encoding="utf-8")
        assert len(injection.read_rows(injected_data / ds.path)) > 0, ds.name
        for field in injection.free_text_fields(ds):
            rows = injection.read_rows(injected_data / ds.path)
            values = [
                r[field["name"]] for r in rows if r[field["name"]] or field["name"] != "uidMarche"
            ]
            assert values, (ds.name, field["name"])
            assert all("ao-" in v or "<" in v for v in values), (ds.name, field["name"])
        assert "ao-" in text
    policy = (injected_data / "politique.yaml").read_text(encoding="utf-8")
    assert policy.count("ao-1") > 50
    assert "ao-1" in (injected_data / "editeur.yaml").read_text(encoding="utf-8")


def test_every_payload_is_published_as_text(injected_site: Path) -> None:
    pages = html_pages(injected_site)
    site_text = squash(" ".join(text_of(tree) for tree in pages.values()))
    for payload in injection.PAYLOADS:
        assert squash(payload) in site_text, payload
    policy = text_of(pages["politique-achat/index.html"])
    assert squash(injection.PAYLOAD) in squash(policy)
    for name in ("accessibilite/index.html", "mentions-legales/index.html", "index.html"):
        assert squash(injection.PAYLOAD) in squash(text_of(pages[name])), name
    # Identifiers are shown only by detail pages: wherever one is shown, it is whole, as text.
    for name, tree in pages.items():
        shown = text_of(tree) + tree.css_first("title").text()
        for payload, marker in (
            (injection.ID_PAYLOAD, "ao-13"),
            (injection.SUPPLIER_ID_PAYLOAD, "ao-14"),
        ):
            if marker in shown:
                assert payload in shown, (name, payload)


def test_published_files_keep_the_payloads_byte_for_byte(
    injected_data: Path, injected_site: Path
) -> None:
    for ds in schemas.DATASETS:
        published = injected_site / "donnees" / ds.path
        assert published.read_bytes() == (injected_data / ds.path).read_bytes(), ds.name


def test_no_script_handler_or_url_comes_from_the_data(
    clean_site: Path, injected_site: Path
) -> None:
    """The injected site runs exactly the scripts of the clean site (page by page where both
    have the page; detail pages are named after the injected identifiers), has no event
    handler and only safe URLs; no text is escaped twice (no visible `&lt;`)."""
    clean, injected = html_pages(clean_site), html_pages(injected_site)
    # The same pages, but for the feeds by département: the injected place of execution is not a
    # département, so its feeds are not published.
    assert len(without_place_feeds(clean)) == len(without_place_feeds(injected))
    assert {"index.html", "politique-achat/index.html", "donnees/index.html"} <= set(clean)
    assert {"index.html", "politique-achat/index.html", "donnees/index.html"} <= set(injected)
    known = {script for tree in clean.values() for script in executable_scripts(tree)}
    for name, tree in injected.items():
        scripts = executable_scripts(tree)
        assert set(scripts) <= known, name
        if name in clean:
            assert scripts == executable_scripts(clean[name]), name
        for node in tree.css("*"):
            for attribute, value in node.attributes.items():
                assert not attribute.lower().startswith("on"), (name, node.tag, attribute)
                if attribute in ("href", "src"):
                    assert not postchecks.unsafe_url(value or ""), (name, value)
        for visible in (text_of(tree), tree.css_first("title").text()):
            for entity in ("&lt;", "&gt;", "&#x27;", "&quot;", "&amp;"):
                assert entity not in visible, (name, entity)
    scan = postchecks.SafetyScan(postchecks.theme_script_patterns((theme_scripts_dir(),)))
    assert list(scan(injected_site)) == []


def test_titles_site_name_and_search_index_show_the_payload_as_text(
    injected_data: Path, injected_site: Path
) -> None:
    pages = html_pages(injected_site)
    name = injection.inject_yaml("Région Hauts-de-France", frozenset())
    home = pages["index.html"]
    assert squash(name) in squash(home.css_first("title").text())
    assert squash(name) in squash(home.css_first(".md-header__topic").text())
    index = json.loads((injected_site / "search" / "search_index.json").read_text("utf-8"))
    shown = " ".join(
        text_of(LexborHTMLParser(f"<body>{d['title']} {d['text']}</body>")) for d in index["docs"]
    )
    assert squash(injection.PAYLOAD) in squash(shown)


def test_data_never_reaches_mkdocs_configuration_unescaped(
    injected_data: Path, tmp_path: Path
) -> None:
    loaded = load(validate(injected_data, calculations=REGISTRY))
    settings = Settings(data_dir=injected_data, output_dir=tmp_path / "site", project_dir=ROOT)
    config = mkdocs_config(settings, loaded, tmp_path / "docs", tmp_path / "site")
    assert "copyright" not in config
    for key in ("site_name", "site_description"):
        for character in "<>\"'":
            assert character not in config[key], (key, character)
    assert "ao-1" in config["site_name"]
    assert config["site_url"] == loaded.publisher.url_site


def test_a_protocol_relative_link_is_refused(tmp_path: Path) -> None:
    """`//accessibilite/` (a bad base URL in a template) points at another host."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text(page('<a href="//accessibilite/">a</a>'), encoding="utf-8")
    assert [f.check for f in postchecks.check_links(site)] == ["lien-sans-protocole"]


def test_front_matter_carries_titles_escaped_and_as_plain_yaml_strings() -> None:
    """MkDocs renders front matter unescaped: `ctx.page()` titles are HTML-escaped first."""
    from achats_ouverts.output.rendering import front_matter

    text = front_matter(injection.PAYLOAD, description=injection.ID_PAYLOAD)
    meta = yaml.safe_load(text.split("---")[1])
    assert set(meta) == {"title", "description"}
    for value in meta.values():
        assert "<" not in value
        assert '"' not in value
        assert "'" not in value
    assert html.unescape(meta["title"]) == injection.PAYLOAD


def test_json_ld_compact_iris_use_the_prefixes_of_their_context(tmp_path: Path) -> None:
    document = {
        "@context": {"dcat": "http://www.w3.org/ns/dcat#", "spdx": "http://spdx.org/rdf/terms#"},
        "@id": "https://x.fr/catalogue",
        "@type": "dcat:Catalog",
        "algorithm": {"@id": "spdx:checksumAlgorithm_sha256"},
        "accessURL": "javascript:alert(1)",
        "landingPage": {"@id": "vbscript:x"},
    }
    found = sorted(
        f.message for f in postchecks.SafetyScan(()).json_urls(document, "catalog.jsonld")
    )
    assert found == ["« @id » : vbscript:x", "« accessURL » : javascript:alert(1)"]
