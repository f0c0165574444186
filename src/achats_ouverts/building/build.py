"""Build the site: validate, load, generate pages into a build folder, run MkDocs into a staging
folder, write detail pages and files, check, then publish by an atomic swap.

The output folder is never written to directly: if anything fails, it keeps the previous site byte
for byte and the staging area is removed.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import html
import logging
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from pathlib import Path
from time import perf_counter, process_time
from typing import Any

import yaml

from achats_ouverts.building import guard, hosting, postchecks
from achats_ouverts.datafolder import Publisher, workdirs
from achats_ouverts.errors import BuildError, DataError
from achats_ouverts.exports.sitemap import listed_urls
from achats_ouverts.model import Data, load
from achats_ouverts.model.calculations import REGISTRY
from achats_ouverts.output import (
    DETAIL_START,
    BuildContext,
    artifacts,
    plan,
    read_shell,
    shell_markdown,
    urls,
)
from achats_ouverts.output.site_info import theme_css
from achats_ouverts.pages import producers
from achats_ouverts.report import Report
from achats_ouverts.settings import Settings, theme_scripts_dir
from achats_ouverts.validation import Progress, quiet, validate

STAGING_PREFIX = ".achats-ouverts-"


@dataclass
class BuildResult:
    output_dir: Path
    report: Report
    pages: int = 0
    files: int = 0
    timings: dict[str, float] = field(default_factory=dict)
    """Seconds per stage, in build order: `validate`, `load`, `docs:<producer label>`, `mkdocs`,
    `site:<producer label>`, `merge`, `postchecks`, `hosting`, `publish` (what
    `scripts/bench.py` reports)."""


class Stopwatch:
    """Seconds per stage of a build, recorded in order: wall-clock time in `timings`, CPU time of
    this process in `cpu` (which other processes on the machine do not inflate). Measuring never
    changes what the build does."""

    def __init__(self) -> None:
        self.timings: dict[str, float] = {}
        self.cpu: dict[str, float] = {}

    @contextlib.contextmanager
    def stage(self, name: str) -> Iterator[None]:
        started, cpu = perf_counter(), process_time()
        try:
            yield
        finally:
            self.timings[name] = self.timings.get(name, 0.0) + perf_counter() - started
            self.cpu[name] = self.cpu.get(name, 0.0) + process_time() - cpu


# --- MkDocs -------------------------------------------------------------------------------------


def mkdocs_config(settings: Settings, data: Data, docs_dir: Path, site_dir: Path) -> dict[str, Any]:
    """The project's mkdocs.yml with paths and the publisher's identity filled in (escaped)."""
    try:
        config: dict[str, Any] = yaml.safe_load(settings.mkdocs_file.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise BuildError(
            f"{settings.mkdocs_file} : configuration MkDocs illisible ({exc})"
        ) from exc
    publisher = data.publisher
    config["docs_dir"] = str(docs_dir)
    config["site_dir"] = str(site_dir)
    config["site_name"] = html.escape(f"Achats publics – {publisher.nom}", quote=True)
    config["site_url"] = publisher.url_site
    config["site_description"] = html.escape(
        f"Marchés, achats à venir et politique d'achat de {publisher.nom} en données ouvertes",
        quote=True,
    )
    config.pop("copyright", None)
    theme = config.setdefault("theme", {})
    if "custom_dir" in theme:
        theme["custom_dir"] = str(settings.project_dir / theme["custom_dir"])
    theme["palette"] = {"primary": "custom", "accent": "custom"}
    theme["logo"] = logo_address(publisher)
    config["extra_css"] = [*config.get("extra_css", []), urls.THEME_CSS]
    extra = config.setdefault("extra", {})
    extra["ao"] = {
        "demo": publisher.demo,
        "editeur": publisher.nom,
        "accessibilite": publisher.accessibilite.etat,
        "apercu": urls.preview(urls.HOME),
        "adresses": {
            "accessibilite": urls.ACCESSIBILITY,
            "mentions_legales": urls.LEGAL,
            "donnees": urls.DATA,
            "recherche": urls.SEARCH,
            "recherche_index": urls.SEARCH_INDEX,
        },
    }
    return config


def logo_address(publisher: Publisher) -> str:
    """Where the site's logo is: the buyer's (`identite.logo`), else the tool's."""
    logo = publisher.identite.logo
    return urls.publisher_logo(Path(logo).suffix.lower()) if logo else urls.DEFAULT_LOGO


def write_identity(docs_dir: Path, data_dir: Path, publisher: Publisher) -> None:
    """The theme's colours and the buyer's logo, from `editeur.yaml`, among the sources MkDocs
    publishes (validation checked both)."""
    css = docs_dir / urls.THEME_CSS
    css.parent.mkdir(parents=True, exist_ok=True)
    css.write_text(theme_css(publisher.identite), encoding="utf-8")
    if publisher.identite.logo:
        shutil.copyfile(data_dir / publisher.identite.logo, docs_dir / logo_address(publisher))


def theme_script_dirs(config: dict[str, Any]) -> tuple[Path, ...]:
    """Templates whose inline scripts count as the theme's own: the theme's and the overrides'."""
    custom = config.get("theme", {}).get("custom_dir")
    return (theme_scripts_dir(), Path(custom)) if custom else (theme_scripts_dir(),)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def run_mkdocs(config_file: Path) -> None:
    """Build with MkDocs in-process, strict: any warning fails the build."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    logger = logging.getLogger("mkdocs")
    collector = _Collect()
    previous = logger.level
    logger.addHandler(collector)
    logger.setLevel(logging.WARNING)
    try:
        config = load_config(str(config_file))
        mkdocs_build(config)
    except MkDocsException as exc:
        details = "; ".join(collector.messages[:10])
        raise BuildError(f"MkDocs a échoué : {exc} {details}".strip()) from exc
    finally:
        logger.removeHandler(collector)
        logger.setLevel(previous)


@contextlib.contextmanager
def source_date(data: Data) -> Iterator[None]:
    """Set SOURCE_DATE_EPOCH from the data while MkDocs runs, unless the caller set it."""
    if "SOURCE_DATE_EPOCH" in os.environ:
        yield
        return
    moment = datetime.combine(data.reference_date, time(0, 0), tzinfo=UTC)
    os.environ["SOURCE_DATE_EPOCH"] = str(int(moment.timestamp()))
    try:
        yield
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]


# --- Staging and publication --------------------------------------------------------------------


def copy_site_sources(source: Path, docs_dir: Path) -> None:
    """Hand-written pages and assets; theme overrides stay out (they are the theme's custom_dir)."""
    shutil.copytree(
        source,
        docs_dir,
        symlinks=False,
        ignore=shutil.ignore_patterns("overrides"),
        dirs_exist_ok=True,
    )


def merge_tree(source: Path, target: Path) -> int:
    """Move every file of `source` into `target`, refusing to overwrite a page MkDocs built."""
    count = 0
    for path in sorted(source.rglob("*")):
        if path.is_dir():
            continue
        destination = target / path.relative_to(source)
        if destination.exists():
            raise BuildError(
                f"deux producteurs écrivent le même fichier : {destination.relative_to(target)}"
            )
        destination.parent.mkdir(parents=True, exist_ok=True)
        path.replace(destination)
        count += 1
    return count


RENAME_EXCHANGE = 2
AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two directories (Linux renameat2); False where unsupported."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result: int = renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE)
    return result == 0


def publish(staged: Path, output: Path, ready: Callable[[], None] = lambda: None) -> None:
    """Replace `output` by `staged` in one atomic step, then delete the old site. Ctrl-C and
    SIGTERM are held back during the swap; `ready()`, called first with them held back, may still
    refuse (raise) to publish."""
    old = output.with_name(f"{STAGING_PREFIX}ancien-{output.name}")
    with workdirs.held_signals():
        ready()
        if not output.exists():
            staged.rename(output)
            return
        if not output.is_dir():
            raise BuildError(f"{output} existe et n'est pas un dossier : publication refusée")
        if _exchange(staged, output):
            old = staged
        else:
            shutil.rmtree(old, ignore_errors=True)
            output.rename(old)
            staged.rename(output)
    shutil.rmtree(old)


# --- The build ----------------------------------------------------------------------------------


def remove_shells(site_dir: Path) -> None:
    """Shell pages are templates, not pages (MkDocs' pages leave them out too)."""
    for section in urls.SHELL_SECTIONS:
        shutil.rmtree(site_dir / urls.shell(section), ignore_errors=True)


def take_mkdocs_pages(site_dir: Path, base: str) -> tuple[str, ...]:
    """The address of every page MkDocs built, from its sitemap, shells excepted; MkDocs'
    sitemap files are removed (the sitemap producer writes the site's)."""
    sitemap = site_dir / urls.SITEMAP
    found = listed_urls(sitemap.read_text(encoding="utf-8")) if sitemap.is_file() else []
    sitemap.unlink(missing_ok=True)
    (site_dir / urls.SITEMAP_GZ).unlink(missing_ok=True)
    return tuple(
        url.removeprefix(base)
        for url in found
        if url.startswith(base) and f"/{urls.SHELL_DIR}/" not in url
    )


def build(
    settings: Settings,
    progress: Progress = quiet,
    extra_checks: tuple[postchecks.Check, ...] = (),
    stopwatch: Stopwatch | None = None,
) -> BuildResult:
    """Validate and build `settings.data_dir` into `settings.output_dir`, atomically.

    `stopwatch`, when given, receives the time of each stage as it ends (also on failure); the
    result carries the same timings.
    """
    guard.check_output(settings.output_dir, settings.data_dir)
    output = settings.output_dir.resolve()
    with guard.OutputLock(output), guard.InterruptWatch() as interrupts:
        clock = stopwatch or Stopwatch()
        return _build(settings, output, progress, extra_checks, clock, interrupts)


def _build(
    settings: Settings,
    output: Path,
    progress: Progress,
    extra_checks: tuple[postchecks.Check, ...],
    clock: Stopwatch,
    interrupts: guard.InterruptWatch,
) -> BuildResult:
    with clock.stage("validate"):
        validation = validate(
            settings.data_dir,
            settings.limits,
            settings.cpv_path,
            progress,
            calculations=REGISTRY,
        )
    if not validation.ok:
        raise DataError(validation.report)
    with clock.stage("load"):
        data = load(validation)
    output.parent.mkdir(parents=True, exist_ok=True)
    workdirs.remove_stale(output.parent, STAGING_PREFIX)  # left by a build that was killed
    staging = workdirs.WorkDir(output.parent, STAGING_PREFIX)
    work = staging.path
    try:
        docs_dir, files_dir, site_dir = work / "docs", work / "fichiers", work / "site"
        files_dir.mkdir()
        previous = settings.previous_site or (output if output.is_dir() else None)
        ctx = BuildContext(
            data,
            docs_dir,
            files_dir,
            site_dir,
            contract_pages=settings.contract_pages,
            versions_kept=settings.versions_kept,
        )
        ctx.put(artifacts.DATA, data)
        ctx.put(artifacts.REPORT, validation.report)
        ctx.put(artifacts.PREVIOUS_SITE, previous)
        progress("pages")
        with clock.stage("docs:sources"):
            copy_site_sources(settings.site_source_dir, docs_dir)
            write_identity(docs_dir, settings.data_dir, data.publisher)
            for section in urls.SHELL_SECTIONS:
                shell = docs_dir / urls.index_page(urls.shell(section))
                shell.parent.mkdir(parents=True, exist_ok=True)
                shell.write_text(shell_markdown(), encoding="utf-8")
        for producer in producers.PLAN.docs:
            with clock.stage(f"docs:{producer.label}"):
                plan.run(producer, ctx)
        progress("MkDocs")
        with clock.stage("mkdocs"):
            config_file = work / "mkdocs.yml"
            config = mkdocs_config(settings, data, docs_dir, site_dir)
            config_file.write_text(
                yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8"
            )
            with source_date(data):
                run_mkdocs(config_file)
            shells = {section: read_shell(site_dir, section) for section in urls.SHELL_SECTIONS}
            ctx.put(artifacts.SHELLS, shells)
            remove_shells(site_dir)
            ctx.put(artifacts.MKDOCS_PAGES, take_mkdocs_pages(site_dir, data.publisher.url_site))
        progress("pages détaillées")
        for producer in producers.PLAN.site:
            with clock.stage(f"site:{producer.label}"):
                plan.run(producer, ctx)
        with clock.stage("merge"):
            files = merge_tree(files_dir, site_dir)
        progress("vérifications")
        with clock.stage("postchecks"):
            expected = {name: len(frame) for name, frame in data.text.items()}
            frames = tuple(
                postchecks.Frame(
                    section.removesuffix("/"), DETAIL_START, shell.head_pattern(), shell.tail
                )
                for section, shell in sorted(shells.items())
            )
            scan = postchecks.SafetyScan(
                postchecks.theme_script_patterns(theme_script_dirs(config)), frames=frames
            )
            findings = postchecks.run(site_dir, expected, extra_checks, scan, frames)
        if findings:
            shown = "\n".join(f.line() for f in findings[:50])
            more = f"\n… et {len(findings) - 50} autres" if len(findings) > 50 else ""
            raise BuildError(
                f"le site construit échoue à {len(findings)} vérification(s), rien n'est publié :"
                f"\n{shown}{more}"
            )
        with clock.stage("hosting"):
            hosting.write_host_files(site_dir, scan.inline_scripts, scan.style_attributes)
        progress("publication")
        with clock.stage("publish"):
            guard.write_manifest(site_dir)
            publish(site_dir, output, ready=interrupts.check)
            pages = sum(1 for _ in output.rglob("*.html"))
        return BuildResult(
            output, validation.report, pages=pages, files=files, timings=dict(clock.timings)
        )
    finally:
        with clock.stage("cleanup"):
            staging.remove()
