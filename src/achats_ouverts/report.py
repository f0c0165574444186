"""Problems found in the data and the report that lists them.

A problem names file, row, field, a stable code, what is wrong and how to fix it; problems are
made through the entries of the catalogue of codes (`datafolder.problem_codes`). The report keeps
up to `MAX_DETAILED_PER_CODE` problems in detail per severity and code and counts them all.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any


class Severity(IntEnum):
    """Ordered so that errors sort first."""

    ERROR = 0
    WARNING = 1
    NOTICE = 2

    @property
    def label(self) -> str:
        return ("erreur", "avertissement", "information")[self.value]


@dataclass(frozen=True)
class Problem:
    file: str
    row: int | None
    field: str | None
    code: str
    message: str
    fix: str = ""
    severity: Severity = Severity.ERROR

    @property
    def location(self) -> str:
        return self.file if self.row is None else f"{self.file}:{self.row}"

    def line(self) -> str:
        """One line: `fichier:ligne champ [code] message — correction`."""
        parts = [self.location]
        if self.field:
            parts.append(self.field)
        parts.append(f"[{self.code}]")
        parts.append(self.message)
        text = " ".join(parts)
        return f"{text} — {self.fix}" if self.fix else text

    def sort_key(self) -> tuple[int, str, int, str, str]:
        return (self.severity.value, self.file, self.row or 0, self.field or "", self.code)

    def as_dict(self) -> dict[str, Any]:
        return {
            "fichier": self.file,
            "ligne": self.row,
            "champ": self.field,
            "code": self.code,
            "gravite": self.severity.label,
            "message": self.message,
            "correction": self.fix,
        }


MAX_DETAILED_PER_CODE = 20_000
"""Problems kept in detail per severity and code; past it they are only counted. A file full of
errors then costs bounded memory, and the counts stay complete."""


@dataclass
class Report:
    """The problems found, in a stable order, with complete counts: each code keeps at most
    `detail_limit` problems in detail, the others are counted in `omitted`."""

    problems: list[Problem] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)
    detail_limit: int = MAX_DETAILED_PER_CODE
    omitted: Counter[tuple[Severity, str]] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        self._kept: Counter[tuple[Severity, str]] = Counter(
            (p.severity, p.code) for p in self.problems
        )

    def extend(self, problems: Iterable[Problem]) -> None:
        for problem in problems:
            key = (problem.severity, problem.code)
            if self._kept[key] < self.detail_limit:
                self._kept[key] += 1
                self.problems.append(problem)
            else:
                self.omitted[key] += 1

    def sorted(self) -> list[Problem]:
        return sorted(self.problems, key=Problem.sort_key)

    def count(self, severity: Severity) -> int:
        detailed = sum(1 for problem in self.problems if problem.severity is severity)
        return detailed + sum(n for (sev, _), n in self.omitted.items() if sev is severity)

    @property
    def errors(self) -> int:
        return self.count(Severity.ERROR)

    @property
    def warnings(self) -> int:
        return self.count(Severity.WARNING)

    @property
    def ok(self) -> bool:
        return self.errors == 0

    def counts_by_code(self) -> list[tuple[str, str, int]]:
        counter = Counter((p.severity, p.code) for p in self.problems) + self.omitted
        return [(sev.label, code, n) for (sev, code), n in sorted(counter.items())]

    def projection(self) -> list[tuple[str, int | None, str | None, str]]:
        """Compact (file, row, field, code) tuples, for tests."""
        return [(p.file, p.row, p.field, p.code) for p in self.sorted()]

    def as_dict(self) -> dict[str, Any]:
        found = {
            "valide": self.ok,
            "lignes": dict(sorted(self.rows.items())),
            "erreurs": self.errors,
            "avertissements": self.warnings,
            "informations": self.count(Severity.NOTICE),
            "par_code": [
                {"gravite": sev, "code": code, "nombre": n}
                for sev, code, n in self.counts_by_code()
            ],
            "problemes": [p.as_dict() for p in self.sorted()],
        }
        if self.omitted:
            found["problemes_non_detailles"] = sum(self.omitted.values())
        return found

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), ensure_ascii=False, indent=2, allow_nan=False) + "\n"

    def to_text(self, limit: int | None = None) -> str:
        """Problems one per line (errors first), shortened to `limit` lines, then full counts."""
        problems = self.sorted()
        shown = problems if not limit else problems[:limit]
        lines = [p.line() for p in shown]
        hidden = len(problems) - len(shown)
        if hidden:
            lines.append(
                f"… {hidden} autres problèmes non affichés "
                "(tous figurent dans le rapport --format json ; --limite 0 les affiche tous)."
            )
        if self.omitted:
            lines.append(
                f"… {sum(self.omitted.values())} autres problèmes comptés mais non détaillés "
                f"(au-delà de {self.detail_limit} par code)."
            )
        lines.append(self.summary())
        for sev, code, n in self.counts_by_code():
            lines.append(f"  {n:>7} {sev} [{code}]")
        return "\n".join(lines) + "\n"

    def summary(self) -> str:
        rows = sum(self.rows.values())
        return (
            f"{self.errors} erreur(s), {self.warnings} avertissement(s), "
            f"{self.count(Severity.NOTICE)} information(s) sur {rows} ligne(s) "
            f"dans {len(self.rows)} fichier(s)."
        )
