"""The whole catalogue, and the README's tables of codes written from it."""

from __future__ import annotations

from achats_ouverts.datafolder.problem_codes.checks import CHECK_CODES
from achats_ouverts.datafolder.problem_codes.configuration import CONFIGURATION_CODES
from achats_ouverts.datafolder.problem_codes.entries import Code
from achats_ouverts.datafolder.problem_codes.files import FILE_CODES
from achats_ouverts.datafolder.problem_codes.import_report import IMPORT_CODES
from achats_ouverts.datafolder.problem_codes.output import OUTPUT_CODES

CODES: tuple[Code, ...] = CONFIGURATION_CODES + FILE_CODES + CHECK_CODES
"""Every validation code, in the README's order."""


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def validation_table() -> str:
    """The Markdown table of every validation code, for the README."""
    lines = [
        "| Code | Gravité | Étape | Où | Signification | Correction |",
        "|---|---|---|---|---|---|",
    ]
    for entry in CODES:
        stages = ", ".join(stage.value for stage in entry.stages)
        cells = (f"`{entry.code}`", entry.severity.label, stages, entry.where, entry.meaning)
        lines.append("| " + " | ".join(_cell(c) for c in (*cells, entry.fix)) + " |")
    return "\n".join(lines) + "\n"


def import_table() -> str:
    """The Markdown table of every code of `import-rapport.json`, for the README."""
    lines = ["| Code | Gravité | Signification |", "|---|---|---|"]
    for entry in IMPORT_CODES:
        kinds = ", ".join(f"`{kind}`" for kind in entry.kinds)
        lines.append(f"| `{entry.code}` | {kinds} | {_cell(entry.meaning)} |")
    return "\n".join(lines) + "\n"


def output_table() -> str:
    """The Markdown table of `build`'s refusals about its output folder, for the README."""
    lines = [
        "| Dossier de sortie | Code | Code de sortie | Signification | Correction |",
        "|---|---|---|---|---|",
    ]
    for entry in OUTPUT_CODES:
        cells = (entry.where, f"`{entry.code}`", str(entry.exit_status), entry.meaning, entry.fix)
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return "\n".join(lines) + "\n"


README_TABLES = (
    ("codes-sortie", output_table),
    ("codes-validation", validation_table),
    ("codes-import", import_table),
)
"""The README's generated tables: each between `<!-- NAME:debut -->` and `<!-- NAME:fin -->`."""


def fill_readme(text: str) -> str:
    """The README's text with its tables of codes written from the catalogue."""
    for name, table in README_TABLES:
        start, end = f"<!-- {name}:debut -->\n", f"<!-- {name}:fin -->"
        before, found_start, rest = text.partition(start)
        _, found_end, after = rest.partition(end)
        if not (found_start and found_end):
            raise ValueError(f"README : les marqueurs « {start.strip()} » et « {end} » manquent")
        text = before + start + table() + end + after
    return text
