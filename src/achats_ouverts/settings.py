"""One place for paths and settings. No other module builds paths from `__file__`."""

from __future__ import annotations

import importlib.util
import os
from dataclasses import dataclass, field
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = PACKAGE_DIR / "templates"
GEODATA_DIR = PACKAGE_DIR / "geodata"
"""Vendored geography: INSEE names of communes and regions, the map of départements (see its
README.md for origin, version and licence)."""
STATIC_DIR = PACKAGE_DIR / "static"
DEMO_CATALOGUE_DIR = PACKAGE_DIR / "tools" / "demo" / "catalogue"
"""The YAML files the demonstration data are drawn from (shipped with the package)."""
SOURCE_CHECKOUT_DIR = PACKAGE_DIR.parent.parent
"""The repository root when the package is installed from a clone (editable install)."""

THEME_PACKAGE = "material"
THEME_SCRIPTS = ("partials", "javascripts")
"""Where the theme keeps the templates of its inline scripts (the only inline scripts allowed)."""
MKDOCS_FILE = "mkdocs.yml"
SITE_SOURCE_DIR = "site_src"


@dataclass(frozen=True)
class Limits:
    """Input limits; each one exceeded is a clean error, never a crash."""

    max_bytes: int = 2_000_000_000
    max_rows: int = 5_000_000
    max_cell_chars: int = 100_000


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    output_dir: Path = Path("site")
    project_dir: Path = field(default_factory=lambda: find_project_dir(Path.cwd()))
    limits: Limits = field(default_factory=Limits)
    cpv_path: Path | None = None
    previous_site: Path | None = None
    versions_kept: int = 0
    """Dated versions of the data kept on the site (`donnees/versions/`), the latest ones; 0 keeps
    every version (`build --versions-conservees N`)."""
    contract_pages: bool = True
    """One page per contract (`/marches/<uid>/`). At national scale (a million contracts) they can
    be left out: lists then link to the contracts explorer filtered on the contract."""

    @property
    def mkdocs_file(self) -> Path:
        return self.project_dir / MKDOCS_FILE

    @property
    def site_source_dir(self) -> Path:
        return self.project_dir / SITE_SOURCE_DIR


def find_project_dir(start: Path) -> Path:
    """The folder holding `mkdocs.yml` and `site_src/`: the current folder, else the checkout."""
    for candidate in (start, *start.parents, SOURCE_CHECKOUT_DIR):
        if (candidate / MKDOCS_FILE).is_file() and (candidate / SITE_SOURCE_DIR).is_dir():
            return candidate
    return SOURCE_CHECKOUT_DIR


def source_date_epoch() -> int | None:
    """`SOURCE_DATE_EPOCH` when set to an integer (reproducible builds), else None."""
    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return int(raw) if raw.isdigit() else None


def theme_scripts_dir() -> Path:
    """The installed theme's folder of inline-script templates (found without importing it)."""
    spec = importlib.util.find_spec(THEME_PACKAGE)
    if spec is None or spec.origin is None:
        return PACKAGE_DIR / "theme-absent"
    return Path(spec.origin).parent.joinpath("templates", *THEME_SCRIPTS)
