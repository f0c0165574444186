"""Checks run on the built site in the staging folder, before it is published.

Any problem found here stops the publication: the previous site stays in place.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from achats_ouverts import contracts

HREF_SRC = re.compile(r"""\s(href|src)\s*=\s*["']([^"']*)["']""", re.I)
ID_ATTR = re.compile(r"""\sid\s*=\s*["']([^"']+)["']""", re.I)
EXTERNAL_RESOURCE = re.compile(
    r"""<(script|img|iframe|audio|video|source|embed)\b[^>]*\ssrc\s*=\s*["']\s*(https?:)?//"""
    r"""|<link\b[^>]*\shref\s*=\s*["']\s*(https?:)?//[^"']*["'][^>]*>"""
    r"""|@import\s+url\(\s*["']?(https?:)?//|url\(\s*["']?(https?:)?//""",
    re.I,
)
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


def html_files(site: Path) -> Iterator[Path]:
    yield from sorted(site.rglob("*.html"))


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


def check_links(site: Path) -> Iterator[Finding]:
    """Every internal link and anchor of every page resolves inside the site."""
    ids: dict[Path, set[str]] = {}
    site_resolved = site.resolve()

    def anchors(path: Path) -> set[str]:
        if path not in ids:
            text = (
                path.read_text(encoding="utf-8", errors="replace") if path.suffix == ".html" else ""
            )
            ids[path] = set(ID_ATTR.findall(text))
        return ids[path]

    for page in html_files(site):
        text = page.read_text(encoding="utf-8")
        ids.setdefault(page, set(ID_ATTR.findall(text)))
        for _attr, link in HREF_SRC.findall(text):
            if not link or link.startswith(("mailto:", "data:", "javascript:")):
                continue
            found = _target(site, page, link.strip())
            if found is None:
                continue
            target, fragment = found
            resolved = resolve(target)
            where = _page_url(site, page)
            if resolved is None or not resolved.resolve().is_relative_to(site_resolved):
                yield Finding(
                    where, "lien-casse", f"le lien « {link} » ne mène à aucun fichier du site"
                )
                continue
            if fragment and fragment not in anchors(resolved) and fragment != "__search":
                yield Finding(
                    where, "ancre-cassee", f"l'ancre « #{fragment} » n'existe pas ({link})"
                )


def check_external_resources(site: Path) -> Iterator[Finding]:
    """No page loads a script, style, font, image or frame from another site."""
    for path in sorted([*site.rglob("*.html"), *site.rglob("*.css")]):
        text = path.read_text(encoding="utf-8", errors="replace")
        for match in EXTERNAL_RESOURCE.finditer(text):
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


def run(site: Path, expected_rows: dict[str, int], extra: tuple[Check, ...] = ()) -> list[Finding]:
    findings: list[Finding] = []
    for check in (check_links, check_external_resources, *extra):
        findings.extend(check(site))
    findings.extend(check_row_counts(site, expected_rows))
    return findings
