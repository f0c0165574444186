"""Checks run on the built site in the staging folder, before it is published.

Any problem found here stops the publication: the previous site stays in place.
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from achats_ouverts import contracts
from achats_ouverts.output import in_other_process

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
    replaced (escaped text) and the content inserted after `start`; everything after the content
    is `tail`, the same in every page. The frame's links and resources are checked in full on the
    first page of the section; on the others, only the page's own content is scanned: at 100 000
    pages, the frame is two thirds of what would otherwise be read again and again.
    """

    section: str
    start: str
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
        return text[start + len(frame.start) : len(text) - len(frame.tail)]


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
    """Every internal link and anchor of every page resolves inside the site.

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
            if not link or link.startswith(("mailto:", "data:", "javascript:", "//")):
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
    for ds in contracts.DATASETS:
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


def run(
    site: Path,
    expected_rows: dict[str, int],
    extra: tuple[Check, ...] = (),
    frames: tuple[Frame, ...] = (),
) -> list[Finding]:
    """Every check, findings in a fixed order. The link check reads every page in a second
    process while this one looks for outside resources (the two cost about the same)."""
    findings: list[Finding] = []
    links = in_other_process(lambda: list(check_links(site, frames)))
    try:
        resources = list(check_external_resources(site, frames))
    except BaseException:
        links.cancel()
        raise
    findings.extend(links.result())
    findings.extend(resources)
    for check in extra:
        findings.extend(check(site))
    findings.extend(check_row_counts(site, expected_rows))
    return findings
