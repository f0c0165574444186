"""Writing the site into the staging area.

Producers receive a BuildContext and write through it:
- `page()`: a Markdown page for MkDocs (editorial pages and aggregates, a few hundred at most);
- `file()` / `open_file()`: downloads, feeds and other files copied to the site root after MkDocs;
- `direct()`: one of possibly thousands of detail pages (a contract, a supplier), rendered straight
  into the built site inside a "shell": a page MkDocs built with placeholders, so detail pages share
  the theme's look without being MkDocs pages (MkDocs cost grows quadratically with its navigation).

Every path is checked to stay inside the staging area and, while a producer runs, inside the
addresses it declares (`output.plan`). Producers pass results to each other as named artifacts
(`get()` / `put()`), never by looking for each other's files.
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
from achats_ouverts.output import urls
from achats_ouverts.output.rendering import markdown_page

T = TypeVar("T")
TITLE_MARK = "AO-TITRE-A7F3C9"
CONTENT_MARK = "<!--AO-CONTENU-A7F3C9-->"
DESCRIPTION_MARK = "AO-DESCRIPTION-A7F3C9"


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
    """The HTML MkDocs built for the shell page of a section (`urls.shell`), cut around the
    content placeholder."""

    section: str
    head: str
    tail: str

    def page(self, slug: str, title: str, body: str, description: str = "") -> str:
        head = (
            self.head.replace(TITLE_MARK, html.escape(title, quote=True))
            .replace(DESCRIPTION_MARK, html.escape(description, quote=True))
            .replace(urls.shell(self.section), f"{self.section}{slug}/")
        )
        return head + body + self.tail

    def head_pattern(self) -> re.Pattern[str]:
        """What `page()` may put before the content: the shell's head, with only escaped text
        where the title and description go and a page segment where the address goes."""
        text = r"[^<>\"']*"  # html.escape(quote=True) leaves none of these
        holes = {
            TITLE_MARK: text,
            DESCRIPTION_MARK: text,
            urls.shell(self.section): re.escape(self.section)
            + urls.SEGMENT.pattern.strip("^$")
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
    """The shell MkDocs built for `section` (an address, `marches/`)."""
    text = (site_dir / urls.shell(section) / "index.html").read_text(encoding="utf-8")
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
class Artifact(Generic[T]):
    """A named result of the build, published once (by a producer, or by the build itself) and
    read by the producers that declare it (`output.plan`). `T` is the type of its value."""

    name: str
    description: str


SHELLS: Artifact[dict[str, Shell]] = Artifact(
    "gabarits", "the shell of each section of detail pages, cut from what MkDocs built"
)
"""Provided by the build after MkDocs; `direct()` reads it (see `artifacts`)."""


@dataclass(frozen=True)
class Scope:
    """What the running producer declared: the artifacts it reads and publishes, and the
    addresses it writes (a folder address, ending in `/`, covers everything below it)."""

    label: str
    reads: frozenset[str]
    publishes: frozenset[str]
    addresses: tuple[str, ...]

    def covers(self, path: str) -> bool:
        return any(
            path == address or (address.endswith("/") and path.startswith(address))
            for address in self.addresses
        )


@dataclass
class BuildContext:
    """The data and folders of one build, the artifacts published so far, and the scope of the
    producer running (set by `output.plan`: outside one, nothing is checked)."""

    data: Data
    docs_dir: Path
    files_dir: Path
    site_dir: Path
    contract_pages: bool = True
    """Whether contracts get a page each (`Settings.contract_pages`)."""
    versions_kept: int = 0
    """Dated versions of the data kept (`Settings.versions_kept`, 0 for all)."""
    published: dict[str, Published] = field(default_factory=dict)
    """Every file written so far: a producer reads back only its own."""
    results: dict[str, Any] = field(default_factory=dict)
    scope: Scope | None = None

    def get(self, artifact: Artifact[T]) -> T:
        """The value of an artifact the running producer declared it reads (or published)."""
        scope = self.scope
        if scope is not None and not (
            artifact.name in scope.reads or artifact.name in scope.publishes
        ):
            raise BuildError(
                f"le producteur « {scope.label} » lit « {artifact.name} » sans le déclarer"
            )
        if artifact.name not in self.results:
            raise BuildError(f"« {artifact.name} » n'est pas encore publié")
        return cast(T, self.results[artifact.name])

    def put(self, artifact: Artifact[T], value: T) -> None:
        """Publish an artifact the running producer declared; each is published once."""
        scope = self.scope
        if scope is not None and artifact.name not in scope.publishes:
            raise BuildError(
                f"le producteur « {scope.label} » publie « {artifact.name} » sans le déclarer"
            )
        if artifact.name in self.results:
            raise BuildError(f"« {artifact.name} » est publié deux fois")
        self.results[artifact.name] = value

    def _writes(self, path: str) -> str:
        """`path`, checked to stay in the staging area and in the running producer's addresses."""
        check_relative_path(path)
        if self.scope is not None and not self.scope.covers(path):
            raise BuildError(
                f"le producteur « {self.scope.label} » écrit « /{path} » hors des adresses "
                "qu'il déclare"
            )
        return path

    def page(
        self,
        address: str,
        title: str,
        body: str,
        *,
        search: bool = True,
        hide: tuple[str, ...] = (),
        feeds: tuple[urls.Feed, ...] = (),
        description: str = "",
    ) -> None:
        """Write the Markdown page MkDocs builds at `address`, e.g. `politique-achat/`.

        `feeds` are announced in the page head; their titles and paths are set by code only.
        `description` (escaped) is the page's meta description and link previews' text; a page
        that has a preview image (`urls.has_preview`) names it.
        """
        target = self.docs_dir / urls.index_page(self._writes(address))
        if target.exists():
            raise BuildError(f"deux producteurs écrivent la page « /{address} »")
        target.parent.mkdir(parents=True, exist_ok=True)
        alternates = tuple((feed.titre, check_relative_path(feed.chemin)) for feed in feeds)
        target.write_text(
            markdown_page(
                title,
                body,
                search=search,
                hide=hide,
                feeds=alternates,
                description=description,
                preview=urls.preview(address) if urls.has_preview(address) else "",
            ),
            encoding="utf-8",
        )

    def file(self, path: str, data: bytes) -> Published:
        """Write a file copied to the site root after MkDocs, e.g. `donnees/marches.csv`."""
        with self.open_file(path) as handle:
            handle.write(data)
        return self.published[path]

    @contextmanager
    def open_file(self, path: str) -> Iterator[BinaryIO]:
        """Open a site file for writing; its size and SHA-256 are recorded in `published`."""
        target = self.file_path(path)
        try:
            handle = target.open("xb")
        except FileExistsError as exc:
            raise BuildError(f"deux producteurs écrivent le fichier « /{path} »") from exc
        with handle:
            writer = _HashingWriter(handle)
            yield cast(BinaryIO, writer)
        self.published[path] = Published(path, writer.size, writer.digest.hexdigest())

    def file_path(self, path: str) -> Path:
        """Where a library may write a site file itself; call `record()` once it is complete."""
        target = self.files_dir / check_relative_path(self._writes(path))
        target.parent.mkdir(parents=True, exist_ok=True)
        return target

    def record(self, path: str) -> Published:
        """Record the size and SHA-256 of a file written through `file_path()`."""
        octets, sha256 = file_digest(self.files_dir / check_relative_path(path))
        self.published[path] = Published(path, octets, sha256)
        return self.published[path]

    def direct(self, address: str, title: str, body: str, description: str = "") -> str:
        """Write the detail page at `address` (`<section>/<segment>/`) into its section's
        shell. Returns the address."""
        section, _, rest = address.partition("/")
        slug = rest.removesuffix("/")
        if not urls.SEGMENT.match(slug) or not urls.SEGMENT.match(section) or rest != f"{slug}/":
            raise BuildError(f"identifiant de page refusé : « {address} »")
        shell = self.get(SHELLS).get(f"{section}/")
        if shell is None:
            raise BuildError(f"aucun gabarit déclaré pour la section « {section} »")
        target = self.site_dir / self._writes(address) / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(shell.page(slug, title, body, description), encoding="utf-8")
        return address
