"""Writing the site into the staging area.

Producers receive a BuildContext and write through it:
- `page()`: a Markdown page for MkDocs (editorial pages and aggregates, a few hundred at most);
- `file()` / `open_file()`: downloads, feeds and other files copied to the site root after MkDocs;
- `direct()`: one of possibly thousands of detail pages (a contract, a supplier), rendered straight
  into the built site inside a "shell": a page MkDocs built with placeholders, so detail pages share
  the theme's look without being MkDocs pages (MkDocs cost grows quadratically with its navigation).

Every path is checked to stay inside the staging area.
"""

from __future__ import annotations

import hashlib
import html
import io
import multiprocessing
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Generic, TypeVar, cast

from achats_ouverts.errors import BuildError
from achats_ouverts.model import Data
from achats_ouverts.output.rendering import markdown_page
from achats_ouverts.report import Report

T = TypeVar("T")
SHELL_DIR = "_gabarit"
TITLE_MARK = "AO-TITRE-A7F3C9"
CONTENT_MARK = "<!--AO-CONTENU-A7F3C9-->"
DESCRIPTION_MARK = "AO-DESCRIPTION-A7F3C9"
SEGMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,150}$")


def path_segment(value: str) -> str:
    """A URL- and file-system-safe segment for an identifier, stable and collision-free.

    Identifiers made only of letters, digits, '_' and '-' are kept as they are; any other gets
    its unsafe characters replaced and a short hash of the original appended.
    """
    clean = re.sub(r"[^A-Za-z0-9_-]+", "-", value).strip("-_")[:100]
    if clean == value and clean:
        return clean
    digest = hashlib.sha256(value.encode("utf-8")).hexdigest()[:8]
    return f"{clean}-{digest}" if clean else digest


def check_relative_path(path: str) -> str:
    parts = path.split("/")
    if (
        path.startswith("/")
        or any(p in ("", ".", "..") for p in parts[:-1])
        or parts[-1] in (".", "..")
    ):
        raise BuildError(f"chemin de sortie refusé : « {path} »")
    return path


@dataclass(frozen=True)
class Shell:
    """The HTML MkDocs built for a shell page, cut around the content placeholder."""

    section: str
    head: str
    tail: str

    def page(self, slug: str, title: str, body: str, description: str = "") -> str:
        head = (
            self.head.replace(TITLE_MARK, html.escape(title, quote=True))
            .replace(DESCRIPTION_MARK, html.escape(description, quote=True))
            .replace(f"{self.section}/{SHELL_DIR}/", f"{self.section}/{slug}/")
        )
        return head + body + self.tail

    def head_pattern(self) -> re.Pattern[str]:
        """What `page()` may put before the content: the shell's head, with only escaped text
        where the title and description go and a page segment where the address goes."""
        text = r"[^<>\"']*"  # html.escape(quote=True) leaves none of these
        holes = {
            TITLE_MARK: text,
            DESCRIPTION_MARK: text,
            f"{self.section}/{SHELL_DIR}/": re.escape(f"{self.section}/")
            + SEGMENT.pattern.strip("^$")
            + "/",
        }
        parts = re.split("(" + "|".join(re.escape(hole) for hole in holes) + ")", self.head)
        return re.compile("".join(holes.get(part, re.escape(part)) for part in parts), re.S)


DETAIL_START = '<div class="ao-detail">'
"""What opens the content of a detail page in its shell."""


def shell_markdown() -> str:
    body = f"{DETAIL_START}{CONTENT_MARK}</div>"
    return markdown_page(
        TITLE_MARK, body, search=False, hide=("navigation", "toc"), description=DESCRIPTION_MARK
    )


def compact_whitespace(html_text: str) -> str:
    """Collapse each run of blank space containing a line break to one line break: the theme's
    templates indent heavily, and detail pages repeat that chrome thousands of times. Browsers
    collapse such runs anyway (the shell holds no `<pre>` or `<textarea>`)."""
    return re.sub(r"[ \t]*\n\s*", "\n", html_text)


def read_shell(site_dir: Path, section: str) -> Shell:
    text = (site_dir / section / SHELL_DIR / "index.html").read_text(encoding="utf-8")
    if "<pre" not in text and "<textarea" not in text:
        text = compact_whitespace(text)
    head, sep, tail = text.partition(CONTENT_MARK)
    if not sep:
        raise BuildError(f"gabarit de page introuvable pour la section « {section} »")
    return Shell(section, head, tail)


class Pending(Generic[T]):
    """Work started in a forked process (the machine has two cores): `result()` waits for its
    return value, or raises BuildError with the child's error; `cancel()` stops it. Where
    processes cannot be forked, the work runs here when its result is asked for. The work must
    not rely on changing this process's state: only its return value comes back."""

    def __init__(self, work: Callable[[], T]) -> None:
        self.work = work
        self.process: Any = None
        if "fork" not in multiprocessing.get_all_start_methods():
            return
        context = multiprocessing.get_context("fork")
        self.receiver, sender = context.Pipe(duplex=False)

        def run() -> None:
            try:
                sender.send((True, work()))
            except BaseException as exc:  # reported in the parent
                sender.send((False, f"{type(exc).__name__}: {exc}"))
            finally:
                sender.close()

        self.process = context.Process(target=run, daemon=True)
        self.process.start()
        sender.close()

    def result(self) -> T:
        if self.process is None:
            return self.work()
        try:
            ok, value = self.receiver.recv()
        except EOFError:
            ok, value = False, f"processus arrêté (code {self.process.exitcode})"
        finally:
            self.process.join()
            self.receiver.close()
        if not ok:
            raise BuildError(f"travail en parallèle impossible : {value}")
        found: T = value
        return found

    def cancel(self) -> None:
        if self.process is not None and self.process.is_alive():
            self.process.terminate()
            self.process.join()


def in_other_process(work: Callable[[], T]) -> Pending[T]:
    """Start `work` in a second process (see `Pending`)."""
    return Pending(work)


@dataclass(frozen=True)
class Published:
    """A file written for the site, with what a download list shows about it."""

    path: str
    octets: int
    sha256: str


class _HashingWriter(io.BufferedIOBase):
    """A write-only stream that hashes and counts what goes through it."""

    def __init__(self, handle: BinaryIO) -> None:
        super().__init__()
        self._handle = handle
        self.digest = hashlib.sha256()
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data: bytes | bytearray | memoryview) -> int:  # type: ignore[override]
        self.digest.update(data)
        self.size += len(data)
        return self._handle.write(data)

    def flush(self) -> None:
        self._handle.flush()


def file_digest(path: Path) -> tuple[int, str]:
    """Size and SHA-256 of a file, read in blocks."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
            size += len(block)
    return size, digest.hexdigest()


@dataclass(frozen=True)
class Feed:
    """An Atom feed announced in a page's head (`<link rel="alternate">`)."""

    titre: str
    chemin: str


FEEDS_PAGE = "flux/"
UPCOMING_FEED = Feed("Achats à venir", "flux/achats-a-venir.xml")
AWARDED_FEED = Feed("Marchés attribués récemment", "flux/marches-attribues.xml")
CHANGES_FEED = Feed("Nouveautés des données", "flux/nouveautes.xml")
CALENDAR = Feed("Calendrier des achats à venir", "flux/achats-a-venir.ics")
MAIN_FEEDS = (UPCOMING_FEED, AWARDED_FEED, CHANGES_FEED)
"""The site-wide feeds, at stable addresses; pages announce them and link to them."""


@dataclass
class BuildContext:
    data: Data
    report: Report
    docs_dir: Path
    files_dir: Path
    site_dir: Path
    previous_site: Path | None = None
    contract_pages: bool = True
    """Whether contracts get a page each (`Settings.contract_pages`)."""
    shells: dict[str, Shell] = field(default_factory=dict)
    direct_pages: list[str] = field(default_factory=list)
    published: dict[str, Published] = field(default_factory=dict)

    def page(
        self,
        path: str,
        title: str,
        body: str,
        *,
        search: bool = True,
        hide: tuple[str, ...] = (),
        feeds: tuple[Feed, ...] = (),
    ) -> None:
        """Write a Markdown page for MkDocs, e.g. `politique-achat/index.md`.

        `feeds` are announced in the page head; their titles and paths are set by code only.
        """
        target = self.docs_dir / check_relative_path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        alternates = tuple((feed.titre, check_relative_path(feed.chemin)) for feed in feeds)
        target.write_text(
            markdown_page(title, body, search=search, hide=hide, feeds=alternates),
            encoding="utf-8",
        )

    def file(self, path: str, data: bytes) -> None:
        """Write a file copied to the site root after MkDocs, e.g. `donnees/marches.csv`."""
        with self.open_file(path) as handle:
            handle.write(data)

    @contextmanager
    def open_file(self, path: str) -> Iterator[BinaryIO]:
        """Open a site file for writing; its size and SHA-256 are recorded in `published`."""
        target = self.files_dir / check_relative_path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("wb") as handle:
            writer = _HashingWriter(handle)
            yield cast(BinaryIO, writer)
        self.published[path] = Published(path, writer.size, writer.digest.hexdigest())

    def file_path(self, path: str) -> Path:
        """Where a library may write a site file itself; call `record()` once it is complete."""
        target = self.files_dir / check_relative_path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        return target

    def record(self, path: str) -> Published:
        """Record the size and SHA-256 of a file written through `file_path()`."""
        octets, sha256 = file_digest(self.file_path(path))
        self.published[path] = Published(path, octets, sha256)
        return self.published[path]

    def direct(self, section: str, slug: str, title: str, body: str, description: str = "") -> str:
        """Write a detail page at `section/slug/`, inside the section's shell. Returns its path."""
        if not SEGMENT.match(slug) or not SEGMENT.match(section):
            raise BuildError(f"identifiant de page refusé : « {section}/{slug} »")
        shell = self.shells.get(section)
        if shell is None:
            raise BuildError(f"aucun gabarit déclaré pour la section « {section} »")
        target = self.site_dir / section / slug / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(shell.page(slug, title, body, description), encoding="utf-8")
        path = f"{section}/{slug}/"
        self.direct_pages.append(path)
        return path
