"""What a build may replace, and when: the output folder rules, checked before any work; one
build at a time per output folder; no publication after Ctrl-C or SIGTERM.

`build` replaces its output folder by the new site. It must never delete what it did not create,
so it refuses, before reading any data, an output folder that is the data folder or contains it,
the current folder or one of its parents, the home folder or `/`, anything that is not a folder,
and any non-empty folder that is not a site published by this tool. A published site is marked by
a manifest at its root (`urls.MANIFEST`) that lists its top-level entries: an entry added by hand
later (a `.git` folder, a `CNAME` file) makes the folder one the tool did not publish.

Sites published before the manifest existed are recognised by the files only this tool writes
together (`LEGACY_SIGNATURE`).
"""

from __future__ import annotations

import fcntl
import json
import os
import signal
import threading
from pathlib import Path
from types import FrameType
from typing import Any

from achats_ouverts import __version__
from achats_ouverts.datafolder import workdirs
from achats_ouverts.datafolder.problem_codes.entries import OutputCode
from achats_ouverts.datafolder.problem_codes.output import (
    SORTIE_DOSSIER_COURANT,
    SORTIE_DOSSIER_DONNEES,
    SORTIE_DOSSIER_PERSONNEL,
    SORTIE_MODIFIEE,
    SORTIE_NON_PUBLIEE,
    SORTIE_PAS_UN_DOSSIER,
    SORTIE_RACINE,
    SORTIE_VERROUILLEE,
)
from achats_ouverts.errors import BuildError, UsageError
from achats_ouverts.output import urls

MANIFEST_TOOL = "achats-ouverts"
LEGACY_SIGNATURE = (*urls.HOST_FILES, urls.CHANGELOG_JSON)
"""Files that a site published by a version without manifest always holds, all together."""

LOCK_SUFFIX = ".achats-ouverts.verrou"


class OutputRefused(UsageError):
    """The output folder may not be replaced: nothing was read, nothing was written. `code` is
    the refusal's entry in the catalogue of codes."""

    def __init__(self, output: Path, code: OutputCode, message: str, fix: str) -> None:
        super().__init__(code.line(output, message, fix))
        self.code = code


def _inside(path: Path, folder: Path) -> bool:
    """Whether `path` is `folder` or lies inside it (both resolved)."""
    return path == folder or path.is_relative_to(folder)


def check_output(output: Path, data_dir: Path) -> None:
    """Raise OutputRefused unless `output` may receive (and replace) a new site."""
    target = output.resolve()
    shown = output
    fix_elsewhere = "indiquer un dossier de sortie à part, par exemple -o site"
    if target == Path(target.anchor):
        raise OutputRefused(
            shown,
            SORTIE_RACINE,
            "la racine du système ne peut pas recevoir le site",
            fix_elsewhere,
        )
    if _inside(data_dir.resolve(), target):
        raise OutputRefused(
            shown,
            SORTIE_DOSSIER_DONNEES,
            "le dossier de sortie est le dossier de données ou le contient : la publication "
            "l'effacerait",
            fix_elsewhere,
        )
    if _inside(Path.cwd().resolve(), target):
        raise OutputRefused(
            shown,
            SORTIE_DOSSIER_COURANT,
            "le dossier de sortie est le dossier courant ou l'un de ses parents : la publication "
            "remplacerait tout son contenu",
            fix_elsewhere,
        )
    home = Path.home().resolve()
    if _inside(home, target):
        raise OutputRefused(
            shown,
            SORTIE_DOSSIER_PERSONNEL,
            "le dossier de sortie est le dossier personnel ou l'un de ses parents",
            fix_elsewhere,
        )
    if not os.path.lexists(target):
        return
    if not target.is_dir():
        raise OutputRefused(
            shown,
            SORTIE_PAS_UN_DOSSIER,
            "existe et n'est pas un dossier",
            "indiquer un autre nom de dossier, ou déplacer ce fichier",
        )
    check_published(target, shown)


def top_level_entries(site: Path) -> list[str]:
    return sorted(entry.name for entry in site.iterdir())


def check_published(site: Path, shown: Path) -> None:
    """An existing folder may be replaced only when empty or when it is a site this tool
    published, unchanged at its top level."""
    entries = top_level_entries(site)
    if not entries:
        return
    manifest = read_manifest(site)
    if manifest is None:
        if all((site / name).is_file() for name in LEGACY_SIGNATURE):
            return
        raise OutputRefused(
            shown,
            SORTIE_NON_PUBLIEE,
            "ce dossier n'est pas vide et n'est pas un site publié par achats-ouverts : la "
            "publication effacerait son contenu",
            "indiquer un dossier nouveau ou vide ; pour publier à cet endroit, le vider "
            "soi-même d'abord (voir « Fiabilité » dans le README)",
        )
    added = sorted(set(entries) - set(manifest) - {urls.MANIFEST})
    if added:
        listed = ", ".join(f"« {name} »" for name in added[:5])
        more = f" et {len(added) - 5} autre(s)" if len(added) > 5 else ""
        raise OutputRefused(
            shown,
            SORTIE_MODIFIEE,
            f"le site publié contient des éléments ajoutés depuis sa publication ({listed}{more}) "
            "que la publication effacerait",
            "les déplacer hors du dossier du site (ou les supprimer), puis relancer",
        )


def read_manifest(site: Path) -> list[str] | None:
    """The top-level entries a published site's manifest lists, or None when there is none."""
    path = site / urls.MANIFEST
    try:
        if path.is_symlink() or not path.is_file() or path.stat().st_size > 1_000_000:
            return None
        found = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(found, dict) or found.get("outil") != MANIFEST_TOOL:
        return None
    entries = found.get("contenu")
    if not isinstance(entries, list) or not all(isinstance(e, str) for e in entries):
        return None
    return entries


def write_manifest(site: Path) -> None:
    """Mark a built site as published by this tool (just before its publication)."""
    manifest = {
        "outil": MANIFEST_TOOL,
        "version": __version__,
        "description": "Site publié par achats-ouverts : la prochaine construction le remplace.",
        "contenu": [name for name in top_level_entries(site) if name != urls.MANIFEST],
    }
    text = json.dumps(manifest, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
    (site / urls.MANIFEST).write_text(text, encoding="utf-8")


# --- One build at a time per output folder -------------------------------------------------------


class OutputBusy(BuildError):
    """Another build is publishing into the same output folder."""


class OutputLock:
    """An exclusive lock on an output folder, held from before the previous site is read (for the
    changelog) until the new one is published: two builds into one folder would otherwise both
    succeed and one publication would vanish from the changelog. The lock file sits next to the
    folder (`.NAME.achats-ouverts.verrou`); the kernel releases the lock if the process dies."""

    def __init__(self, output: Path) -> None:
        self.path = output.parent / f".{output.name}{LOCK_SUFFIX}"
        self.output = output
        self._fd: int | None = None

    def __enter__(self) -> OutputLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as exc:
                holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
                os.close(fd)
                who = f" (processus {holder})" if holder.isdigit() else ""
                raise OutputBusy(
                    SORTIE_VERROUILLEE.line(
                        self.output,
                        f"une autre construction publie déjà dans ce dossier{who}",
                        "attendre qu'elle se termine, puis relancer",
                    )
                ) from exc
            try:
                same = os.fstat(fd).st_ino == self.path.stat().st_ino
            except FileNotFoundError:
                same = False
            if same:  # not a lock file its previous holder removed meanwhile
                break
            os.close(fd)
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode("ascii"), 0)
        self._fd = fd
        return self

    def __exit__(self, *_exc: object) -> None:
        if self._fd is not None:
            self.path.unlink(missing_ok=True)
            os.close(self._fd)
            self._fd = None


# --- Interruptions ----------------------------------------------------------------------------


class Interrupted(KeyboardInterrupt):
    """Ctrl-C or SIGTERM arrived during the build: nothing is published."""


class InterruptWatch:
    """Remembers that Ctrl-C or SIGTERM arrived during a build, even when the exception the
    signal raises is swallowed (Python prints « Exception ignored in … » and goes on when it
    lands in a finaliser or a callback): `check()`, just before publication, raises again.

    The handlers are installed in the main thread only (elsewhere signals cannot be handled, and
    the caller's own handling applies); each one records the signal, then calls the handler it
    replaced (Ctrl-C raises KeyboardInterrupt; the command line's SIGTERM handler raises too)."""

    def __init__(self) -> None:
        self.received: int | None = None
        self._previous: dict[int, Any] = {}

    def __enter__(self) -> InterruptWatch:
        if threading.current_thread() is threading.main_thread():
            for number in (signal.SIGINT, signal.SIGTERM):
                self._previous[number] = signal.signal(number, self._handle)
        return self

    def __exit__(self, *_exc: object) -> None:
        for number, handler in self._previous.items():
            signal.signal(number, handler)
        self._previous.clear()

    def _handle(self, number: int, frame: FrameType | None) -> None:
        previous = self._previous.get(number)
        if previous == signal.SIG_IGN:
            return
        self.received = number
        if callable(previous):
            previous(number, frame)
        raise Interrupted()

    def check(self) -> None:
        """Raise Interrupted if a signal arrived (also one held back by `held_signals`)."""
        if self.received is not None or workdirs.pending_interrupt():
            raise Interrupted()
