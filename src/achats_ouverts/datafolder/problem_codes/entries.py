"""What an entry of the catalogue holds: a validation `Code` (severity, stages, where, meaning,
fix), which makes the problems with that code; an `ImportCode` of the import report; an
`OutputCode`, a refusal of `build` about its output folder, which writes the refusal's line."""

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


@dataclass(frozen=True)
class OutputCode:
    """A refusal of `build` about its output folder, printed on one line before any work: the
    output folder it is about, its exit status, what it means, the fix."""

    code: str
    exit_status: int
    """The command's exit status: 2 for an output folder that may not be replaced (a usage
    error), 1 for one another build is publishing into."""
    where: str
    """The output folder refused, in plain French."""
    meaning: str
    fix: str

    def line(self, output: object, message: str, fix: str) -> str:
        """The refusal's line: `« sortie » [code] message — correction`."""
        return f"« {output} » [{self.code}] {message} — {fix}"
