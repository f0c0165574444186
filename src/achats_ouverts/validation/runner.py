"""Validate a data folder: configuration files, then every CSV read strictly, validated by
frictionless against its Table Schema (every error counted, never cut at 1 000), and checked by the
procurement checks. The result keeps the parsed tables so that loading does not read them twice.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import frictionless

from achats_ouverts import cpv
from achats_ouverts.datafolder import (
    Dataset,
    Policy,
    Publisher,
    config,
    load_policy,
    load_publisher,
    schemas,
)
from achats_ouverts.datafolder.problem_codes.configuration import (
    AUCUN_MARCHE,
    DATAPACKAGE_DIFFERENT,
    LOGO_INVALIDE,
    NOMENCLATURE_ABSENTE,
    SCHEMA_DIFFERENT,
)
from achats_ouverts.datafolder.problem_codes.entries import Code
from achats_ouverts.datafolder.problem_codes.files import (
    BLANK_ROW,
    CONSTRAINT_ERROR,
    EN_TETE_NON_VERIFIABLE,
    EXTRA_CELL,
    FOREIGN_KEY,
    FRICTIONLESS_ERROR,
    LIGNE_VIDE_FINALE,
    MISSING_CELL,
    PRIMARY_KEY,
    TYPE_ERROR,
    UNIQUE_ERROR,
)
from achats_ouverts.datafolder.threshold_file import read_thresholds
from achats_ouverts.datafolder.thresholds import Threshold
from achats_ouverts.report import Problem, Report, Severity
from achats_ouverts.settings import Limits
from achats_ouverts.validation import plausible, rules, table_schema
from achats_ouverts.validation.reading import Table, read_table, suggest

Progress = Callable[[str], None]
Engine = Literal["compiled", "frictionless"]
"""How rows are validated against the Table Schemas: the compiled checks (`table_schema`), which
find exactly what frictionless finds and fall back to it for tables they do not handle, or
frictionless itself."""
HEADER_ERRORS = {
    "missing-label",
    "extra-label",
    "incorrect-label",
    "duplicate-label",
    "blank-label",
    "blank-header",
    "missing-header",
}
SCHEMA_CODES: dict[str, Code] = {
    code.code: code
    for code in (
        TYPE_ERROR,
        CONSTRAINT_ERROR,
        UNIQUE_ERROR,
        PRIMARY_KEY,
        FOREIGN_KEY,
        EXTRA_CELL,
        MISSING_CELL,
    )
}
"""The codes of the frictionless errors a user can meet, which keep frictionless's names; its
generic `error` is about the header (`en-tete-non-verifiable`), and a type this tool does not
expect is given under the code `error`."""
TYPE_LABELS = {
    "number": (
        "un nombre",
        "écrire un nombre avec un point décimal, sans espace ni symbole (1234.56)",
    ),
    "integer": ("un nombre entier", "écrire un nombre entier sans décimale ni espace (36)"),
    "boolean": ("une valeur logique", "écrire true ou false"),
    "date": ("une date au format AAAA-MM-JJ", "écrire la date au format AAAA-MM-JJ"),
    "year": ("une année", "écrire l'année sur 4 chiffres"),
}


@dataclass
class Validation:
    """What validating a data folder produced."""

    data_dir: Path
    report: Report
    tables: dict[str, Table] = field(default_factory=dict)
    publisher: Publisher | None = None
    policy: Policy | None = None
    nomenclature: cpv.Nomenclature = field(default_factory=cpv.empty_nomenclature)
    thresholds: dict[str, tuple[Threshold, ...]] | None = None
    """The dated thresholds of the analyses: the package's, or the folder's `seuils.csv`."""
    engine: Engine = "compiled"
    """The engine that validated the rows against the schemas."""

    @property
    def ok(self) -> bool:
        return self.report.ok


def quiet(_label: str) -> None:
    return None


def validate(
    data_dir: Path,
    limits: Limits | None = None,
    cpv_path: Path | None = None,
    progress: Progress = quiet,
    engine: Engine = "compiled",
    *,
    calculations: Collection[str],
) -> Validation:
    """Validate `data_dir`; `calculations` are the indicator calculations politique.yaml may
    name (`model.calculations.REGISTRY`, passed by the callers: this stage cannot import it)."""
    limits = limits or Limits()
    result = Validation(data_dir, Report())
    report = result.report
    progress("configuration")
    result.publisher, problems = load_publisher(data_dir)
    report.extend(problems)
    result.policy, problems = load_policy(data_dir, calculations=calculations)
    report.extend(problems)
    result.nomenclature, problems = load_nomenclature(data_dir, result.publisher, cpv_path)
    report.extend(problems)
    report.extend(check_logo(data_dir, result.publisher))
    result.thresholds, problems = read_thresholds(data_dir)
    report.extend(problems)
    report.extend(check_package_files(data_dir))
    for ds in schemas.DATASETS:
        progress(f"lecture de {ds.path}")
        table = read_table(data_dir / ds.path, ds, limits)
        result.tables[ds.name] = table
        report.extend(table.problems)
        report.extend(blank_row_problems(table))
        report.rows[ds.path] = table.rows
        if ds.name == "marches" and table.readable and table.rows == 0:
            report.extend(
                [
                    AUCUN_MARCHE.problem(
                        ds.path,
                        None,
                        None,
                        "le fichier ne contient aucun marché",
                        "vérifier l'extraction : un site sans marché n'a pas de sens",
                    )
                ]
            )
    progress("contrôles de la commande publique")
    ctx = rules.Context(result.tables, result.publisher, result.policy, result.nomenclature)
    custom = rules.run(ctx)
    custom += plausible.check(result.tables, custom)
    progress("validation des schémas (types, contraintes, clés, références)")
    result.engine, schema_problems = run_schemas(data_dir, result.tables, engine)
    report.extend(custom)
    report.extend(deduplicate(schema_problems, custom))
    return result


def load_nomenclature(
    data_dir: Path, publisher: Publisher | None, cpv_path: Path | None
) -> tuple[cpv.Nomenclature, list[Problem]]:
    path = cpv_path
    if path is None and publisher is not None and publisher.nomenclature_cpv:
        path = data_dir / publisher.nomenclature_cpv
    if path is None:
        return cpv.empty_nomenclature(), []
    if not path.is_file():
        return cpv.empty_nomenclature(), [
            NOMENCLATURE_ABSENTE.problem(
                "editeur.yaml",
                None,
                "nomenclature_cpv",
                f"la nomenclature CPV « {path} » est introuvable : seules les divisions sont "
                "vérifiées",
                "corriger le chemin ou le laisser vide",
            )
        ]
    return cpv.read_nomenclature(path), []


def check_logo(data_dir: Path, publisher: Publisher | None) -> list[Problem]:
    """The buyer's logo (`identite.logo`): a SVG or PNG file of the data folder, small enough
    to be on every page. Its content is checked with the built site (`building.safety`)."""
    if publisher is None or not publisher.identite.logo:
        return []
    name = publisher.identite.logo
    path = data_dir / name
    if path.suffix.lower() not in config.LOGO_EXTENSIONS:
        found = f"« {name} » n'est pas une image SVG ou PNG"
    elif not path.is_file() or data_dir.resolve() not in path.resolve().parents:
        found = f"le logo « {name} » est introuvable dans le dossier de données"
    elif path.stat().st_size > config.LOGO_MAX_BYTES:
        found = f"le logo « {name} » pèse {path.stat().st_size // 1024} Ko, plus de 200 Ko"
    else:
        return []
    return [
        LOGO_INVALIDE.problem(
            "editeur.yaml",
            None,
            "identite.logo",
            found,
            "placer un fichier SVG ou PNG de 200 Ko au plus dans le dossier de données et "
            "écrire son chemin relatif (par ex. logo.svg), ou retirer la ligne",
        )
    ]


def check_package_files(data_dir: Path) -> list[Problem]:
    """The data folder's datapackage.json and schemas must be those of this version of the tool."""
    problems: list[Problem] = []
    expected = {ds.schema_path: schemas.table_schema(ds) for ds in schemas.DATASETS}
    for relative, schema in expected.items():
        path = data_dir / relative
        try:
            found = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            found = None
        if found != schema:
            problems.append(
                SCHEMA_DIFFERENT.problem(
                    relative,
                    None,
                    None,
                    "le schéma est absent ou diffère de celui de l'outil, qui fait foi",
                    "lancer « achats-ouverts schemas DOSSIER » pour l'écrire",
                )
            )
    try:
        package = json.loads((data_dir / "datapackage.json").read_text(encoding="utf-8"))
        names = sorted(r.get("name", "") for r in package.get("resources", []))
    except (OSError, ValueError, AttributeError):
        names = []
    if names != sorted(ds.name for ds in schemas.DATASETS):
        problems.append(
            DATAPACKAGE_DIFFERENT.problem(
                "datapackage.json",
                None,
                None,
                "datapackage.json est absent ou ne liste pas les jeux de données attendus",
                "lancer « achats-ouverts schemas DOSSIER » pour l'écrire",
            )
        )
    return problems


def blank_row_problems(table: Table) -> list[Problem]:
    """Blank rows: ignored with a warning at the end of a file, an error in the middle."""
    problems: list[Problem] = []
    last_data = int(table.frame.index.max()) if table.frame is not None and table.rows else 1
    for row in table.blank_rows:
        if row > last_data:
            problems.append(
                LIGNE_VIDE_FINALE.problem(
                    table.file,
                    row,
                    None,
                    "ligne vide en fin de fichier : ignorée",
                    "supprimer les lignes vides finales",
                )
            )
        else:
            problems.append(
                BLANK_ROW.problem(
                    table.file,
                    row,
                    None,
                    "ligne vide au milieu des données",
                    "supprimer la ligne vide (ou compléter la ligne manquante)",
                )
            )
    return problems


# --- frictionless -------------------------------------------------------------------------------


def frictionless_package(data_dir: Path, tables: dict[str, Table]) -> frictionless.Package:
    """A Package over the readable files, with the encoding and delimiter found when reading."""
    readable = {name for name, table in tables.items() if table.readable}
    resources = []
    for ds in schemas.DATASETS:
        if ds.name not in readable:
            continue
        table = tables[ds.name]
        schema = schemas.table_schema(ds)
        schema["fieldsMatch"] = "partial"  # columns matched by name; the reader reports headers
        schema["foreignKeys"] = [
            fk for fk in schema.get("foreignKeys", []) if fk["reference"]["resource"] in readable
        ]
        if not schema["foreignKeys"]:
            del schema["foreignKeys"]
        resources.append(
            frictionless.Resource(
                {
                    "name": ds.name,
                    "path": ds.path,
                    "type": "table",
                    "scheme": "file",
                    "format": "csv",
                    "encoding": table.encoding,
                    "dialect": {"csv": {"delimiter": table.delimiter}},
                    "schema": schema,
                },
                basepath=str(data_dir),
            )
        )
    return frictionless.Package(resources=resources, basepath=str(data_dir))


def run_schemas(
    data_dir: Path, tables: dict[str, Table], engine: Engine = "compiled"
) -> tuple[Engine, list[Problem]]:
    """Every row against its Table Schema: the compiled checks when they handle every readable
    table, else frictionless. Returns the engine used and the problems."""
    readable = [table for table in tables.values() if table.readable]
    if engine == "frictionless" or not all(table_schema.handles(t) for t in readable):
        return "frictionless", run_frictionless(data_dir, tables)
    problems: list[Problem] = []
    for name, errors in table_schema.check(tables).items():
        ds = schemas.dataset(name)
        blank = set(tables[name].blank_rows)
        for err in errors:
            problem = translate(err, ds, blank)
            if problem is not None:
                problems.append(problem)
    return "compiled", problems


def run_frictionless(data_dir: Path, tables: dict[str, Table]) -> list[Problem]:
    package = frictionless_package(data_dir, tables)
    if not package.resources:
        return []
    frictionless_report = package.validate(limit_errors=0)
    problems: list[Problem] = []
    for task in frictionless_report.tasks:
        ds = schemas.dataset(task.name)
        blank = set(tables[ds.name].blank_rows)
        for err in task.errors:
            if err.type == FRICTIONLESS_ERROR.code and table_schema.handles(tables[ds.name]):
                continue  # frictionless failed on another file this one refers to
            problem = translate(err, ds, blank)
            if problem is not None:
                problems.append(problem)
    return problems


CONSTRAINT_NOTE = re.compile(r'constraint "(\w+)"')
FK_NOTE = re.compile(r'for "([^"]+)"')


def translate(err: Any, ds: Dataset, blank_rows: set[int]) -> Problem | None:
    """A frictionless error as a French problem, or None for what the reader already reports."""
    kind: str = err.type
    row: int | None = getattr(err, "row_number", None)
    if kind in HEADER_ERRORS or kind == BLANK_ROW.code:
        return None
    if row is not None and row in blank_rows:
        return None
    file = ds.path
    field_name: str | None = getattr(err, "field_name", None)
    cell = str(getattr(err, "cell", "") or "")
    note = str(getattr(err, "note", "") or "")
    if kind == TYPE_ERROR.code and field_name:
        field = ds.field(field_name)
        label, fix = TYPE_LABELS.get(field["type"], ("une valeur valide", "corriger la valeur"))
        return TYPE_ERROR.problem(file, row, field_name, f"« {cell} » n'est pas {label}", fix)
    if kind == CONSTRAINT_ERROR.code and field_name:
        match = CONSTRAINT_NOTE.search(note)
        message, fix = constraint_message(
            ds.field(field_name), match.group(1) if match else "", cell
        )
        return CONSTRAINT_ERROR.problem(file, row, field_name, message, fix)
    if kind in (UNIQUE_ERROR.code, PRIMARY_KEY.code):
        key = field_name or ", ".join(ds.primary_key)
        position = re.search(r"position (\d+)", note)
        where = f" (déjà à la ligne {position.group(1)})" if position else ""
        return SCHEMA_CODES[kind].problem(
            file,
            row,
            key,
            f"valeur déjà présente pour {key}{where}",
            "chaque ligne doit avoir un identifiant unique : supprimer le doublon ou corriger "
            "l'identifiant",
        )
    if kind == FOREIGN_KEY.code:
        match = FK_NOTE.search(note)
        fields = match.group(1) if match else ""
        reference = next(
            (
                (res, ref)
                for flds, res, ref in ds.foreign_keys
                if ", ".join(flds) == fields or fields in flds
            ),
            None,
        )
        target = f"{reference[0]}.csv ({', '.join(reference[1])})" if reference else "la table liée"
        values = re.search(r'values? "([^"]*)"', note)
        shown = values.group(1) if values else ""
        return FOREIGN_KEY.problem(
            file,
            row,
            fields or None,
            f"« {shown} » ne correspond à aucune ligne de {target}",
            "corriger la valeur ou ajouter la ligne manquante dans la table liée",
        )
    if kind == FRICTIONLESS_ERROR.code:
        return EN_TETE_NON_VERIFIABLE.problem(
            file,
            None,
            None,
            "les lignes ne peuvent pas être vérifiées avec cet en-tête (colonnes en double, "
            "sans nom ou dans le désordre)",
            "corriger d'abord les problèmes de l'en-tête signalés ligne 1, puis valider à nouveau",
        )
    if kind == EXTRA_CELL.code:
        return EXTRA_CELL.problem(
            file,
            row,
            None,
            "la ligne a plus de cellules que l'en-tête",
            "vérifier les séparateurs et les guillemets de la ligne",
        )
    if kind == MISSING_CELL.code:
        return MISSING_CELL.problem(
            file,
            row,
            field_name,
            "la ligne a moins de cellules que l'en-tête",
            "compléter la ligne ou vérifier les séparateurs",
        )
    known = SCHEMA_CODES.get(kind)
    if known is not None:
        return known.problem(file, row, field_name, note or kind, "corriger la valeur")
    message = f"{kind} : {note}" if note else kind  # a type this tool does not expect
    return FRICTIONLESS_ERROR.problem(file, row, field_name, message, "corriger la valeur")


def constraint_message(field: dict[str, Any], constraint: str, cell: str) -> tuple[str, str]:
    constraints = field.get("constraints", {})
    example = field.get("example", "")
    if constraint == "required":
        return (
            "valeur obligatoire manquante",
            f"renseigner « {field['title']} » (ex. « {example} »)",
        )
    if constraint == "enum":
        allowed = [str(a) for a in constraints.get("enum", [])]
        guess = suggest(cell, allowed)
        hint = f"vouliez-vous dire « {guess} » ? " if guess else ""
        listed = " ; ".join(f"« {a} »" for a in allowed)
        return f"« {cell} » n'est pas une valeur autorisée", f"{hint}valeurs possibles : {listed}"
    if constraint == "pattern":
        return (
            f"« {cell} » n'a pas le format attendu",
            f"{field.get('description', '')} Exemple : « {example} ».",
        )
    if constraint in ("minimum", "maximum"):
        bound = constraints.get(constraint)
        word = "inférieur au minimum" if constraint == "minimum" else "supérieur au maximum"
        return f"« {cell} » est {word} autorisé ({bound})", f"{field.get('description', '')}"
    if constraint == "maxLength":
        limit = constraints.get("maxLength")
        return f"le texte dépasse {limit} caractères", f"raccourcir le texte à {limit} caractères"
    return f"« {cell} » ne respecte pas la contrainte {constraint}", "corriger la valeur"


def deduplicate(schema_problems: Iterable[Problem], custom: Iterable[Problem]) -> list[Problem]:
    """Drop frictionless problems on cells that a more precise check already reported."""
    precise = {(p.file, p.row, p.field) for p in custom if p.severity is Severity.ERROR}
    return [p for p in schema_problems if (p.file, p.row, p.field) not in precise]
