"""A pytest plugin that records the code of every problem and import note the test session makes.

Every validation problem (`report.Problem`) and every note of the import report
(`importing.records.Note`) made while the tests run is recorded with its severity, and every
refusal of the output folder (`OutputCode.line`) with its code; the test `LAST`, moved to the end
of the session, proves that each one is in the catalogue. Problems made in a subprocess (the
command line run as a program) are not recorded.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import pytest

from achats_ouverts.datafolder.problem_codes import OutputCode
from achats_ouverts.importing.records import Note
from achats_ouverts.report import Problem

LAST = "test_every_code_the_test_session_met_is_catalogued"
PROBLEMS: set[tuple[str, str]] = set()
"""(code, severity name) of every problem made."""
NOTES: set[tuple[str, str]] = set()
"""(code, gravité) of every import note made."""
REFUSALS: set[str] = set()
"""The code of every refusal of the output folder written."""


def _recording(cls: Any, record: Callable[[Any], None]) -> None:
    original = cls.__init__

    @functools.wraps(original)
    def init(self: Any, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        record(self)

    cls.__init__ = init


def pytest_configure(config: pytest.Config) -> None:
    _recording(Problem, lambda p: PROBLEMS.add((p.code, p.severity.name)))
    _recording(Note, lambda n: NOTES.add((n.code, n.severity)))
    line = OutputCode.line

    @functools.wraps(line)
    def recorded_line(self: OutputCode, *args: Any, **kwargs: Any) -> str:
        REFUSALS.add(self.code)
        return line(self, *args, **kwargs)

    OutputCode.line = recorded_line  # type: ignore[method-assign]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The check of the recorded codes runs after every other test."""
    last = [item for item in items if item.name == LAST]
    items[:] = [item for item in items if item.name != LAST] + last


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """How many declared codes the session met: all of them when the whole suite runs."""
    from achats_ouverts.datafolder.problem_codes import CODES, IMPORT_CODES, OUTPUT_CODES

    for label, declared, met in (
        ("validation", [entry.code for entry in CODES], {code for code, _ in PROBLEMS}),
        ("import", [item.code for item in IMPORT_CODES], {code for code, _ in NOTES}),
        ("sortie", [entry.code for entry in OUTPUT_CODES], REFUSALS),
    ):
        missing = [code for code in declared if code not in met]
        line = f"codes {label} rencontrés : {len(declared) - len(missing)} / {len(declared)}"
        if 0 < len(missing) <= 10:  # a partial run misses most: list only a few
            line += f" (sans : {', '.join(missing)})"
        terminalreporter.write_line(line)
