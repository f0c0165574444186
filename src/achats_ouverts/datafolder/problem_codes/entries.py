"""What an entry of the catalogue holds: a validation `Code` (severity, stages, where, meaning,
fix), which makes the problems with that code, and an `ImportCode` of the import report."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from achats_ouverts.report import Problem, Severity


class Stage(Enum):
    """Which part of the validation emits a code."""

    CONFIGURATION = "configuration"
    FOLDER = "dossier"
    READING = "lecture"
    SCHEMA = "schéma"
    CHECKS = "contrôles"


@dataclass(frozen=True)
class Code:
    """A validation problem code: its severity, where it can be met, what it means, the fix."""

    code: str
    severity: Severity
    stages: tuple[Stage, ...]
    where: str
    """The files and fields where the problem can be met, in plain French."""
    meaning: str
    fix: str
    """How to fix it in general (each problem also carries a fix for its own value)."""

    def problem(
        self, file: str, row: int | None, field: str | None, message: str, fix: str = ""
    ) -> Problem:
        """A problem with this code at `file:row`, `field`."""
        return Problem(file, row, field, self.code, message, fix, self.severity)


REJECTED, SET_ASIDE, CORRECTED, INFORMATION = "rejet", "rejet-partiel", "correction", "information"
"""The `gravite` of a note in `import-rapport.json`."""


@dataclass(frozen=True)
class ImportCode:
    """A code of `import-rapport.json`: what happened to a record or a value, and why."""

    code: str
    kinds: tuple[str, ...]
    """Its `gravite` in the report: the record rejected, a value set aside, a value corrected,
    or information."""
    meaning: str
