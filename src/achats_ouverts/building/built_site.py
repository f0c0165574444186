"""The built site as the checks read it: every file in a stable order, where a relative link
leads, and the frame detail pages share with their section's shell (read once per section).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit


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


def page_url(site: Path, path: Path) -> str:
    return path.relative_to(site).as_posix()


def link_target(site: Path, page: Path, link: str) -> tuple[Path, str] | None:
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
