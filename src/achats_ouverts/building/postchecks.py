"""Checks run on the built site in the staging folder, before it is published.

Any problem found here stops the publication: the previous site stays in place. Links and
anchors resolve inside the site, no page loads a resource from another site, each published CSV
holds the rows that were validated, and the safety scan (`safety`) finds no script or URL that
came from the data.
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from urllib.parse import unquote

from achats_ouverts.building.built_site import (
    Check,
    Finding,
    Frame,
    Scopes,
    html_files,
    page_url,
    resolve,
    site_files,
)
from achats_ouverts.building.safety import (
    DATA_SCRIPT_TYPES,
    SafetyScan,
    csp_hash,
    theme_script_patterns,
    unsafe_url,
)
from achats_ouverts.datafolder import schemas
from achats_ouverts.output import in_other_process, urls
from achats_ouverts.settings import theme_scripts_dir

__all__ = [
    "DATA_SCRIPT_TYPES",
    "Check",
    "Finding",
    "Frame",
    "SafetyScan",
    "check_external_resources",
    "check_links",
    "check_row_counts",
    "csp_hash",
    "run",
    "theme_script_patterns",
    "unsafe_url",
]

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
                    page_url(site, page),
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
                    page_url(site, page),
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
                    page_url(site, page),
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
                page_url(site, path),
                "ressource-externe",
                f"ressource chargée depuis un autre site : {snippet[:120]}",
            )


def csv_rows(path: Path) -> int:
    with path.open(encoding="utf-8", newline="") as handle:
        return max(sum(1 for _ in csv.reader(handle)) - 1, 0)


def check_row_counts(site: Path, expected: dict[str, int]) -> Iterator[Finding]:
    """Each published CSV holds exactly the rows that were validated."""
    for ds in schemas.DATASETS:
        address = urls.table_file(ds.name, "csv")
        path = site / address
        if not path.is_file():
            yield Finding(address, "fichier-manquant", "fichier de données non publié")
            continue
        rows = csv_rows(path)
        want = expected.get(ds.name, 0)
        if rows != want:
            yield Finding(
                address, "lignes-perdues", f"{rows} lignes publiées pour {want} lignes validées"
            )


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
