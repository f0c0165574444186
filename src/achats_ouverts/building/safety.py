"""The safety scan, run on the built site before it is published.

It reads every output that a browser, a feed reader or the search widget interprets (HTML pages,
XML and feeds, SVG, JSON-LD, the search index, Turtle, iCalendar) the way they do, and refuses any
script that is not the theme's own, any event-handler attribute and any URL outside http(s),
mailto and relative ones: a payload that came in through the data can only ever be text. The
scripts and style attributes it meets make the Content-Security-Policy (`hosting`).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from selectolax.lexbor import LexborHTMLParser, LexborNode

from achats_ouverts.building.built_site import (
    Finding,
    Frame,
    Scopes,
    link_target,
    page_url,
    resolve,
    site_files,
)

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
    """The safety scan, a check: see the module docstring.

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
            where = page_url(site, path)
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
            found = link_target(site, page, src.strip()) if site and page else None
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
