"""Checks run on the built site in the staging folder, before it is published.

Any problem found here stops the publication: the previous site stays in place.

The safety scan (`SafetyScan`) reads every output that a browser, a feed reader or the search
widget interprets (HTML pages, XML and feeds, SVG, JSON-LD, the search index, Turtle, iCalendar)
the way they do, and refuses any script that is not the theme's own, any event-handler attribute
and any URL outside http(s), mailto and relative ones: a payload that came in through the data can
only ever be text.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import json
import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from achats_ouverts.datafolder import schemas
from achats_ouverts.output import in_other_process
from achats_ouverts.settings import theme_scripts_dir

HREF_SRC = re.compile(r"""\s(href|src)\s*=\s*["']([^"']*)["']""", re.I)
ID_ATTR = re.compile(r"""\sid\s*=\s*["']([^"']+)["']""", re.I)
EXTERNAL_RESOURCE = re.compile(
    r"""<(script|img|iframe|audio|video|source|embed)\b[^>]*\ssrc\s*=\s*["']\s*(https?:)?//"""
    r"""|<link\b[^>]*\shref\s*=\s*["']\s*(https?:)?//[^"']*["'][^>]*>"""
    r"""|@import\s+url\(\s*["']?(https?:)?//|url\(\s*["']?(https?:)?//""",
    re.I,
)
URL_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
LINK_REL = re.compile(r"""\srel\s*=\s*["']([^"']*)["']""", re.I)
NAVIGATION_RELS = {"canonical", "alternate", "license", "me", "author", "help"}


@dataclass(frozen=True)
class Finding:
    file: str
    check: str
    message: str

    def line(self) -> str:
        return f"{self.file} [{self.check}] {self.message}"


Check = Callable[[Path], Iterator[Finding]]


@dataclass(frozen=True)
class Frame:
    """What a shell gives every detail page of a section: the theme around the content.

    Detail pages are the shell page MkDocs built, with the title, description and address
    replaced and the content inserted after `start`; everything after the content is `tail`, the
    same in every page. The first page of a section is checked in full. On the others, when the
    part before the content matches `head` (the shell's head, with only escaped text where the
    title and description go and a page segment where the address goes) and the page ends with
    `tail`, only the page's own content is scanned: the rest is the frame already checked. At
    100 000 pages the frame is two thirds of what would otherwise be read again and again.
    """

    section: str
    start: str
    head: re.Pattern[str]
    tail: str


class Scopes:
    """The part of each page to scan: the whole page, or its own content for detail pages
    after the first of their section."""

    def __init__(self, site: Path, frames: Iterable[Frame]) -> None:
        self.root = str(site) + os.sep
        self.frames = {frame.section: frame for frame in frames}
        self.seen: set[str] = set()

    def part(self, page: str, text: str) -> str:
        relative = page[len(self.root) :] if page.startswith(self.root) else page
        section, _, rest = relative.partition(os.sep)
        frame = self.frames.get(section)
        if frame is None or rest.count(os.sep) != 1 or not rest.endswith("index.html"):
            return text
        if section not in self.seen:
            self.seen.add(section)
            return text
        start = text.find(frame.start)
        if start < 0 or not text.endswith(frame.tail):
            return text
        end = start + len(frame.start)
        if not frame.head.fullmatch(text, 0, end):
            return text
        return text[end : len(text) - len(frame.tail)]


def site_files(site: Path) -> Iterator[Path]:
    """Every file of the site in a stable order, listed folder by folder (never all at once)."""
    for folder, dirs, names in os.walk(site):
        dirs.sort()
        for name in sorted(names):
            yield Path(folder, name)


def html_files(site: Path) -> Iterator[Path]:
    return (path for path in site_files(site) if path.suffix == ".html")


def _page_url(site: Path, path: Path) -> str:
    return path.relative_to(site).as_posix()


def _target(site: Path, page: Path, link: str) -> tuple[Path, str] | None:
    """The file a relative link points to, and its fragment; None for external or special links."""
    parts = urlsplit(link)
    if parts.scheme or parts.netloc or link.startswith("//"):
        return None
    path = unquote(parts.path)
    base = page.parent
    target = (site / path.lstrip("/")) if path.startswith("/") else (base / path if path else page)
    return target, parts.fragment


def resolve(target: Path) -> Path | None:
    if target.is_dir():
        index = target / "index.html"
        return index if index.is_file() else None
    return target if target.is_file() else None


def check_links(site: Path, frames: Iterable[Frame] = ()) -> Iterator[Finding]:
    """Every internal link and anchor of every page resolves inside the site; no link is
    protocol-relative (`//x/`: another host, usually a mistaken base URL).

    Built for sites of 100 000 pages: links are parsed as strings, each distinct target is looked
    up on disk once (pages share their navigation and assets), and a page's anchors are read only
    when a link points to one of them.
    """
    site_resolved = site.resolve()
    located: dict[str, Path | None] = {}
    ids: dict[Path, set[str]] = {}

    def locate(target: str) -> Path | None:
        if target not in located:
            found = resolve(Path(target))
            inside = found is not None and found.resolve().is_relative_to(site_resolved)
            located[target] = found if inside else None
        return located[target]

    def anchors(path: Path) -> set[str]:
        if path not in ids:
            text = (
                path.read_text(encoding="utf-8", errors="replace") if path.suffix == ".html" else ""
            )
            ids[path] = set(ID_ATTR.findall(text))
        return ids[path]

    root = str(site)
    scopes = Scopes(site, frames)
    for page in html_files(site):
        text = page.read_text(encoding="utf-8")
        own_ids: set[str] | None = None
        page_text = str(page)
        folder = os.path.dirname(page_text)  # noqa: PTH120 (strings: millions of links)
        for _attr, raw in HREF_SRC.findall(scopes.part(page_text, text)):
            link = raw.strip()
            if link.startswith("//"):
                yield Finding(
                    _page_url(site, page),
                    "lien-sans-protocole",
                    f"le lien « {raw} » désigne un autre site sans dire lequel : écrire "
                    "l'adresse complète (https://…) ou un chemin relatif",
                )
                continue
            if not link or link.startswith(("mailto:", "data:", "javascript:")):
                continue
            if URL_SCHEME.match(link):
                continue
            path, _, fragment = link.partition("#")
            path = unquote(path.partition("?")[0])
            if not path:
                target = page_text
            elif path.startswith("/"):
                target = os.path.normpath(os.path.join(root, path.lstrip("/")))  # noqa: PTH118
            else:
                target = os.path.normpath(os.path.join(folder, path))  # noqa: PTH118
            resolved = locate(target)
            if resolved is None:
                yield Finding(
                    _page_url(site, page),
                    "lien-casse",
                    f"le lien « {raw} » ne mène à aucun fichier du site",
                )
                continue
            if not fragment or fragment == "__search":
                continue
            if resolved == page:
                if own_ids is None:
                    own_ids = set(ID_ATTR.findall(text))
                known = own_ids
            else:
                known = anchors(resolved)
            if fragment not in known:
                yield Finding(
                    _page_url(site, page),
                    "ancre-cassee",
                    f"l'ancre « #{fragment} » n'existe pas ({raw})",
                )


def check_external_resources(site: Path, frames: Iterable[Frame] = ()) -> Iterator[Finding]:
    """No page loads a script, style, font, image or frame from another site."""
    scopes = Scopes(site, frames)
    for path in (p for p in site_files(site) if p.suffix in (".html", ".css")):
        text = path.read_text(encoding="utf-8", errors="replace")
        for match in EXTERNAL_RESOURCE.finditer(scopes.part(str(path), text)):
            snippet = match.group(0)
            if snippet.lower().startswith("<link"):
                rel = LINK_REL.search(snippet)
                rels = set((rel.group(1) if rel else "").lower().split())
                if rels and rels <= NAVIGATION_RELS:
                    continue
            yield Finding(
                _page_url(site, path),
                "ressource-externe",
                f"ressource chargée depuis un autre site : {snippet[:120]}",
            )


def csv_rows(path: Path) -> int:
    with path.open(encoding="utf-8", newline="") as handle:
        return max(sum(1 for _ in csv.reader(handle)) - 1, 0)


def check_row_counts(
    site: Path, expected: dict[str, int], folder: str = "donnees"
) -> Iterator[Finding]:
    """Each published CSV holds exactly the rows that were validated."""
    for ds in schemas.DATASETS:
        path = site / folder / ds.path
        if not path.is_file():
            yield Finding(
                f"{folder}/{ds.path}", "fichier-manquant", "fichier de données non publié"
            )
            continue
        rows = csv_rows(path)
        want = expected.get(ds.name, 0)
        if rows != want:
            yield Finding(
                f"{folder}/{ds.path}",
                "lignes-perdues",
                f"{rows} lignes publiées pour {want} lignes validées",
            )


# --- Safety scan ----------------------------------------------------------------------------------

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
IDENTIFIER_SCHEMES = SAFE_SCHEMES | {"tag", "urn"}
"""Identifiers of feeds and catalogues (Atom ids, RDF subjects) may also be `tag:` or `urn:`."""
URL_ATTRIBUTES = frozenset(
    {
        "href",
        "src",
        "action",
        "formaction",
        "poster",
        "data",
        "cite",
        "background",
        "longdesc",
        "manifest",
        "codebase",
        "ping",
        "xlink:href",
        "xml:base",
    }
)
SRCSET_ATTRIBUTES = frozenset({"srcset", "imagesrcset"})
FORBIDDEN_ELEMENTS = frozenset(
    {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal", "style"}
)
"""Frames, plug-ins, a base URL, and `<style>` elements (the site's styles are files)."""
EVENT_HANDLER = re.compile(r"""[\s/"']on[^\s/>="']*\s*=""")
"""Any attribute whose name starts with `on`, in lowercased text: where this never matches, the
HTML parser cannot produce an event-handler attribute (attribute names follow a space, a `/`
or a closing quote), so the scan may inspect only the risky elements (`RISKY_NODES`)."""
RISKY_NODES = ", ".join(
    [
        "script",
        *sorted(FORBIDDEN_ELEMENTS),
        *(f"[{name.replace(':', chr(92) + ':')}]" for name in sorted(URL_ATTRIBUTES)),
        "[srcset]",
        "[imagesrcset]",
        "[style]",
        "[http-equiv]",
    ]
)
DATA_SCRIPT_TYPES = frozenset({"application/json", "application/ld+json"})
SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
TAB_OR_NEWLINE = re.compile(r"[\t\n\r]")
C0_OR_SPACE = "".join(chr(code) for code in range(0x21))
DANGEROUS_STYLE = re.compile(r"""expression\s*\(|javascript:|url\s*\(\s*['"]?\s*(?!#)""", re.I)
"""In a `style` attribute: only `url(#…)` (a reference inside the page, e.g. an SVG clip path)."""
TEMPLATE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)
JINJA_EXPRESSION = re.compile(r"\{\{.*?\}\}", re.S)
TEMPLATE_VALUE = r"[A-Za-z0-9._/:~-]*"
"""What a template expression inside a theme script may become: a relative or absolute URL."""
FEED_HTML_ELEMENTS = frozenset({"content", "summary", "title", "subtitle", "rights"})
URL_TEXT_ELEMENTS = frozenset({"loc", "uri", "icon", "logo"})
JSON_URL_KEYS = frozenset(
    {"@id", "@context", "@base", "@vocab", "sameas", "landingpage", "license"}
)
TURTLE_STRING = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|'
    r"'''(?:[^'\\]|\\.|'(?!''))*'''|"
    r'"(?:[^"\\\n]|\\.)*"|'
    r"'(?:[^'\\\n]|\\.)*'",
    re.S,
)
TURTLE_IRI = re.compile(r"<([^<>\"{}|^`\\\s]*)>")
ICAL_URL_PROPERTIES = frozenset(
    {"URL", "ATTACH", "ORGANIZER", "ATTENDEE", "TZURL", "SOURCE", "CONFERENCE", "IMAGE"}
)


def unsafe_url(value: str, allowed: frozenset[str] = SAFE_SCHEMES) -> bool:
    """True when a browser would read a scheme outside `allowed` in this attribute value.

    Browsers drop leading and trailing controls and spaces and remove tabs and newlines anywhere
    before reading the scheme (`java\\tscript:` is `javascript:`); so does this check.
    """
    text = TAB_OR_NEWLINE.sub("", value).strip(C0_OR_SPACE)
    match = SCHEME.match(text)
    return match is not None and match.group(1).lower() not in allowed


def theme_script_patterns(template_dirs: Iterable[Path]) -> tuple[re.Pattern[str], ...]:
    """The inline scripts the theme's own templates write, as patterns of their rendered text.

    A template expression inside a script (`{{ base_url }}`) may only become a URL-like value.
    """
    patterns: set[str] = set()
    for folder in template_dirs:
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*.html")):
            for body in TEMPLATE_SCRIPT.findall(path.read_text(encoding="utf-8")):
                parts = JINJA_EXPRESSION.split(body)
                patterns.add(TEMPLATE_VALUE.join(re.escape(part) for part in parts))
    return tuple(re.compile(pattern, re.S) for pattern in sorted(patterns))


def context_terms(document: Any) -> set[str]:
    """The terms (prefixes) defined by every `@context` object of a JSON-LD document."""
    terms: set[str] = set()
    stack = [document]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            context = node.get("@context")
            contexts = context if isinstance(context, list) else [context]
            for item in contexts:
                if isinstance(item, dict):
                    terms.update(str(term) for term in item if not str(term).startswith("@"))
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return terms


def csp_hash(script: str) -> str:
    """The Content-Security-Policy source allowing this inline script: `'sha256-…'`."""
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def _short(value: str, length: int = 80) -> str:
    text = " ".join(value.split())
    return text if len(text) <= length else text[: length - 1] + "…"


@dataclass
class SafetyScan:
    """The HTML safety scan, a check: see the module docstring.

    `inline_scripts` collects the text of every executable inline script met (all of them the
    theme's own once the scan is clean) and `style_attributes` every `style` attribute value of
    the pages (inline SVG charts use them): their hashes make the Content-Security-Policy.
    """

    theme_scripts: tuple[re.Pattern[str], ...]
    inline_scripts: set[str] = field(default_factory=set)
    style_attributes: set[str] = field(default_factory=set)
    script_files: dict[str, bool] = field(default_factory=dict)
    frames: tuple[Frame, ...] = ()
    """Shared frames of detail pages, scanned once per section (see `Frame`)."""

    def _site_script(self, site: Path, target: Path) -> bool:
        """Whether `target` is a JavaScript file of the site (cached: every page loads the same)."""
        key = os.path.normpath(target)
        if key not in self.script_files:
            resolved = resolve(Path(key))
            self.script_files[key] = (
                resolved is not None
                and resolved.suffix == ".js"
                and os.path.realpath(resolved).startswith(os.path.realpath(site) + os.sep)
            )
        return self.script_files[key]

    def __call__(self, site: Path) -> Iterator[Finding]:
        scopes = Scopes(site, self.frames)
        for path in site_files(site):
            suffix = path.suffix.lower()
            where = _page_url(site, path)
            if suffix in (".html", ".htm"):
                text = path.read_text(encoding="utf-8", errors="replace")
                yield from self.html(scopes.part(str(path), text), where, site, path)
            elif suffix in (".xml", ".atom", ".rss", ".svg"):
                yield from self.xml(path, where)
            elif suffix == ".jsonld" or path.name == "search_index.json":
                try:
                    value = json.loads(path.read_text(encoding="utf-8"))
                except ValueError as exc:
                    yield Finding(where, "json-invalide", f"JSON illisible : {exc}")
                    continue
                if suffix == ".jsonld":
                    yield from self.json_urls(value, where)
                else:
                    yield from self.search_index(value, where)
            elif suffix == ".ttl":
                yield from self.turtle(path.read_text(encoding="utf-8"), where)
            elif suffix == ".ics":
                yield from self.icalendar(path.read_text(encoding="utf-8"), where)

    # HTML, as a browser parses it (lexbor follows the WHATWG parsing algorithm).

    def html(
        self, text: str, where: str, site: Path | None, page: Path | None
    ) -> Iterator[Finding]:
        """`site` and `page` are None for an HTML fragment (feed content, search index entry),
        where no script at all is allowed.

        Only the elements that can carry a risk are inspected (CSS selection in the parser),
        unless the text holds something that may be an event-handler attribute: then every
        element is."""
        tree = LexborHTMLParser(text)
        root = tree.root
        if root is None:
            return
        nodes = root.traverse() if EVENT_HANDLER.search(text.lower()) else tree.css(RISKY_NODES)
        for node in nodes:
            tag = node.tag or ""
            for name, value in node.attributes.items():
                yield from self._attribute(tag, name.lower(), value or "", where)
                if site is not None and name.lower() == "style" and value:
                    self.style_attributes.add(value)
            if tag in FORBIDDEN_ELEMENTS:
                yield Finding(where, "element-interdit", f"élément <{tag}> interdit")
            elif tag == "script":
                yield from self._script(node, where, site, page)

    def _attribute(self, tag: str, name: str, value: str, where: str) -> Iterator[Finding]:
        if name.startswith("on"):
            yield Finding(
                where, "attribut-evenement", f"attribut « {name} » sur <{tag}> : {_short(value)}"
            )
        elif name in URL_ATTRIBUTES:
            if unsafe_url(value):
                yield Finding(where, "url-interdite", f"{name}=« {_short(value)} » sur <{tag}>")
        elif name in SRCSET_ATTRIBUTES:
            for candidate in value.split(","):
                url = candidate.strip().split(" ")[0]
                if unsafe_url(url):
                    yield Finding(where, "url-interdite", f"{name}=« {_short(url)} » sur <{tag}>")
        elif name == "style" and DANGEROUS_STYLE.search(value):
            yield Finding(where, "style-interdit", f"style=« {_short(value)} » sur <{tag}>")
        elif name == "http-equiv" and value.strip().lower() == "refresh":
            yield Finding(where, "element-interdit", "redirection <meta http-equiv=refresh>")

    def _script(
        self, node: LexborNode, where: str, site: Path | None, page: Path | None
    ) -> Iterator[Finding]:
        attributes = node.attributes
        src = attributes.get("src")
        if src is not None:
            found = _target(site, page, src.strip()) if site and page else None
            if site is None or found is None or not self._site_script(site, found[0]):
                yield Finding(where, "script-interdit", f"script « {_short(src)} » hors du thème")
            return
        kind = (attributes.get("type") or "").strip().lower()
        text = node.text(deep=True)
        if kind in DATA_SCRIPT_TYPES:
            try:
                value = json.loads(text)
            except ValueError as exc:
                yield Finding(where, "json-invalide", f"<script type={kind}> illisible : {exc}")
                return
            if kind == "application/ld+json":
                yield from self.json_urls(value, where)
            return
        if site is not None and any(pattern.fullmatch(text) for pattern in self.theme_scripts):
            self.inline_scripts.add(text)
            return
        yield Finding(where, "script-interdit", f"script en ligne hors du thème : {_short(text)}")

    def fragment(self, markup: str, where: str) -> Iterator[Finding]:
        if "<" in markup:
            yield from self.html(markup, where, None, None)

    # Other formats.

    def xml(self, path: Path, where: str) -> Iterator[Finding]:
        try:
            root = ET.parse(path).getroot()
        except ET.ParseError as exc:
            yield Finding(where, "xml-invalide", f"XML mal formé : {exc}")
            return
        rss = root.tag == "rss"
        for element in root.iter():
            local = element.tag.rsplit("}", 1)[-1].lower()
            if local == "script":
                yield Finding(where, "script-interdit", "élément <script> dans un fichier XML")
            for name, value in element.attrib.items():
                attribute = name.rsplit("}", 1)[-1].lower()
                yield from self._attribute(local, attribute, value, where)
            text = element.text or ""
            if local in URL_TEXT_ELEMENTS and unsafe_url(text, IDENTIFIER_SCHEMES):
                yield Finding(where, "url-interdite", f"<{local}>{_short(text)}</{local}>")
            html_text = (local in FEED_HTML_ELEMENTS and element.get("type") == "html") or (
                rss and local == "description"
            )
            if html_text:
                yield from self.fragment(text, f"{where} <{local}>")

    def json_urls(self, value: Any, where: str) -> Iterator[Finding]:
        """Every URL-valued member of a JSON(-LD) document has a safe scheme; compact IRIs
        (`dcat:Dataset`) may use the prefixes the document's own `@context` defines."""
        allowed = IDENTIFIER_SCHEMES | {term.lower() for term in context_terms(value)}
        yield from self._json_urls(value, where, "", frozenset(allowed))

    def _json_urls(
        self, value: Any, where: str, key: str, allowed: frozenset[str]
    ) -> Iterator[Finding]:
        if isinstance(value, dict):
            for name, item in sorted(value.items()):
                yield from self._json_urls(item, where, str(name), allowed)
        elif isinstance(value, list):
            for item in value:
                yield from self._json_urls(item, where, key, allowed)
        elif isinstance(value, str):
            lowered = key.lower()
            is_url = lowered in JSON_URL_KEYS or lowered.endswith("url")
            if is_url and unsafe_url(value, allowed):
                yield Finding(where, "url-interdite", f"« {key} » : {_short(value)}")

    def search_index(self, value: Any, where: str) -> Iterator[Finding]:
        """The search widget inserts titles and texts of its index as HTML."""
        docs = value.get("docs", []) if isinstance(value, dict) else []
        for doc in docs:
            if not isinstance(doc, dict):
                continue
            location = str(doc.get("location", ""))
            if unsafe_url(location):
                yield Finding(where, "url-interdite", f"location « {_short(location)} »")
            for key in ("title", "text"):
                yield from self.fragment(str(doc.get(key, "")), f"{where} ({location})")

    def turtle(self, text: str, where: str) -> Iterator[Finding]:
        for iri in TURTLE_IRI.findall(TURTLE_STRING.sub('""', text)):
            if unsafe_url(iri, IDENTIFIER_SCHEMES):
                yield Finding(where, "url-interdite", f"IRI <{_short(iri)}>")

    def icalendar(self, text: str, where: str) -> Iterator[Finding]:
        unfolded = re.sub(r"\r?\n[ \t]", "", text)
        for line in unfolded.splitlines():
            name = re.split(r"[;:]", line, maxsplit=1)[0].upper()
            if name not in ICAL_URL_PROPERTIES:
                continue
            value = re.sub(r'"[^"]*"', "", line).partition(":")[2]
            if unsafe_url(value):
                yield Finding(where, "url-interdite", f"{name} : {_short(value)}")


def run(
    site: Path,
    expected_rows: dict[str, int],
    extra: tuple[Check, ...] = (),
    safety: SafetyScan | None = None,
    frames: tuple[Frame, ...] = (),
) -> list[Finding]:
    """Every check, findings in a fixed order. Links and outside resources are checked in a
    second process while this one runs the safety scan (which gathers the pages' scripts and
    style attributes for the host files); `frames` are the shared frames of detail pages."""
    scan = (
        safety if safety is not None else SafetyScan(theme_script_patterns((theme_scripts_dir(),)))
    )
    findings: list[Finding] = []
    other = in_other_process(
        lambda: (list(check_links(site, frames)), list(check_external_resources(site, frames)))
    )
    try:
        scanned = list(scan(site))
    except BaseException:
        other.cancel()
        raise
    links, resources = other.result()
    findings.extend(links)
    findings.extend(resources)
    findings.extend(scanned)
    for check in extra:
        findings.extend(check(site))
    findings.extend(check_row_counts(site, expected_rows))
    return findings
