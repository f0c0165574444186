"""The project's exception hierarchy. Only the CLI prints them or turns them into exit codes."""

from __future__ import annotations

from achats_ouverts.report import Report


class AchatsOuvertsError(Exception):
    """Base class: a user-facing problem, reported in one line without a traceback."""

    exit_code = 1


class UsageError(AchatsOuvertsError):
    """Bad command-line usage: missing folder, unknown option value."""

    exit_code = 2


class DataError(AchatsOuvertsError):
    """The data failed validation; the report lists every problem."""

    def __init__(self, report: Report) -> None:
        super().__init__(report.summary())
        self.report = report


class BuildError(AchatsOuvertsError):
    """The site could not be built or failed a post-build check; nothing was published."""
