"""Writing an import into a data folder, atomically.

Everything is written into a staging folder next to the target (same file system). A new data
folder is then published by renaming the staging folder into place: the folder appears complete or
not at all. In an existing data folder only the contract tables (and the import report) are
replaced, each by a rename, with Ctrl-C held back during the few renames; configuration, services,
upcoming purchases and declared indicators are kept. Until the renames, a crash or Ctrl-C leaves the
previous folder exactly as it was.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from achats_ouverts.datafolder import POLICY_FILE, PUBLISHER_FILE, schemas, writing
from achats_ouverts.datafolder.workdirs import WorkDir, held_signals, remove_stale
from achats_ouverts.importing.records import SupplierInfo

CONTRACT_TABLES = ("marches", "marches-titulaires", "modifications", "titulaires")
OTHER_TABLES = ("services", "achats-a-venir", "indicateurs-declares")
REPORT_FILE = "import-rapport.json"
PLACEHOLDER_URL = "https://achats.example.fr/"
PLACEHOLDER_EMAIL = "contact@example.fr"

REGIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "01": ("Guadeloupe", ("971",)),
    "02": ("Martinique", ("972",)),
    "03": ("Guyane", ("973",)),
    "04": ("La Réunion", ("974",)),
    "06": ("Mayotte", ("976",)),
    "11": ("Île-de-France", ("75", "77", "78", "91", "92", "93", "94", "95")),
    "24": ("Centre-Val de Loire", ("18", "28", "36", "37", "41", "45")),
    "27": ("Bourgogne-Franche-Comté", ("21", "25", "39", "58", "70", "71", "89", "90")),
    "28": ("Normandie", ("14", "27", "50", "61", "76")),
    "32": ("Hauts-de-France", ("02", "59", "60", "62", "80")),
    "44": ("Grand Est", ("08", "10", "51", "52", "54", "55", "57", "67", "68", "88")),
    "52": ("Pays de la Loire", ("44", "49", "53", "72", "85")),
    "53": ("Bretagne", ("22", "29", "35", "56")),
    "75": (
        "Nouvelle-Aquitaine",
        ("16", "17", "19", "23", "24", "33", "40", "47", "64", "79", "86", "87"),
    ),
    "76": (
        "Occitanie",
        ("09", "11", "12", "30", "31", "32", "34", "46", "48", "65", "66", "81", "82"),
    ),
    "84": (
        "Auvergne-Rhône-Alpes",
        ("01", "03", "07", "15", "26", "38", "42", "43", "63", "69", "73", "74"),
    ),
    "93": ("Provence-Alpes-Côte d'Azur", ("04", "05", "06", "13", "83", "84")),
    "94": ("Corse", ("2A", "2B")),
}
REGION_OF_DEPARTMENT = {dep: code for code, (_, deps) in REGIONS.items() for dep in deps}


def is_data_folder(path: Path) -> bool:
    return (path / PUBLISHER_FILE).is_file() or (path / POLICY_FILE).is_file()


class TableWriter:
    """A canonical CSV written row by row into the staging folder."""

    def __init__(self, path: Path, header: Sequence[str]) -> None:
        self.path = path
        self.handle: TextIO = path.open("w", encoding="utf-8", newline="")
        self.writer = csv.writer(self.handle, lineterminator="\n")
        self.writer.writerow(header)
        self.rows = 0

    def write(self, row: Sequence[str]) -> None:
        self.writer.writerow(row)
        self.rows += 1

    def close(self) -> None:
        if not self.handle.closed:
            self.handle.flush()
            os.fsync(self.handle.fileno())
            self.handle.close()


class Staging:
    """The staging folder of one import, next to the target data folder."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.existing = data_dir.is_dir()
        data_dir.parent.mkdir(parents=True, exist_ok=True)
        prefix = f".{data_dir.name}.import-"
        remove_stale(data_dir.parent, prefix)  # left by an import that was killed
        self.workdir = WorkDir(data_dir.parent, prefix)
        self.path = self.workdir.path
        self.work = self.path / ".travail"
        self.tables: dict[str, TableWriter] = {}
        try:
            self.work.mkdir()
            for name in CONTRACT_TABLES:
                if name != "titulaires":
                    ds = schemas.dataset(name)
                    self.tables[name] = TableWriter(self.path / ds.path, ds.field_names)
        except BaseException:
            self.discard()
            raise

    def close_tables(self) -> None:
        for table in self.tables.values():
            table.close()

    def discard(self) -> None:
        self.close_tables()
        self.workdir.remove()

    def commit(self) -> None:
        """Publish the staged files: rename the folder (new) or each file (existing folder)."""
        self.close_tables()
        shutil.rmtree(self.work, ignore_errors=True)
        self.workdir.unmark()
        self.set_permissions()
        if not self.existing:
            self.path.rename(self.data_dir)
            return
        staged = [p for p in sorted(self.path.rglob("*")) if p.is_file()]
        with held_signals():
            for source in staged:
                target = self.data_dir / source.relative_to(self.path)
                target.parent.mkdir(parents=True, exist_ok=True)
                source.replace(target)
        shutil.rmtree(self.path, ignore_errors=True)

    def set_permissions(self) -> None:
        """Temporary files are private (0600, 0700); published ones follow the umask."""
        umask = os.umask(0)
        os.umask(umask)
        for path in [self.path, *self.path.rglob("*")]:
            path.chmod((0o777 if path.is_dir() else 0o666) & ~umask)


# --- Supplier reference ------------------------------------------------------------------------


def read_existing_suppliers(path: Path) -> list[SupplierInfo] | None:
    """The rows of an existing titulaires.csv, or None when it cannot be read as expected."""
    if not path.is_file():
        return []
    fields = schemas.dataset("titulaires").field_names
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            if reader.fieldnames is None or not set(fields[:3]) <= set(reader.fieldnames):
                return None
            return [SupplierInfo(*((row.get(f) or "") for f in fields)) for row in reader]
    except (OSError, UnicodeDecodeError, csv.Error):
        return None


def write_suppliers(
    staging: Staging, imported: dict[tuple[str, str], SupplierInfo], existing: list[SupplierInfo]
) -> int:
    rows: dict[tuple[str, str], SupplierInfo] = {}
    for info in existing:
        rows[info.key] = info
    for key in sorted(imported):
        info = imported[key]
        rows[key] = rows[key].merged(info) if key in rows else info
    table = TableWriter(
        staging.path / schemas.dataset("titulaires").path,
        schemas.dataset("titulaires").field_names,
    )
    try:
        for info in rows.values():
            table.write(info.row())
    finally:
        table.close()
    return table.rows


# --- Configuration of a new folder -------------------------------------------------------------


def yaml_text(value: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def publisher_yaml(
    siret: str, nom: str, region: str, departements: Sequence[str], guessed: str
) -> str:
    region_name = REGIONS[region][0] if region in REGIONS else "à compléter"
    deps = ", ".join(yaml_text(d) for d in departements)
    return "\n".join(
        [
            "# Identité de l'éditeur du site, écrite par « achats-ouverts import » d'après les",
            "# données importées. À vérifier et compléter avant publication : nom, région,",
            "# départements, adresse du site, contact, hébergeur, accessibilité.",
            f"nom: {yaml_text(nom)}",
            f"siret: {yaml_text(siret)}",
            f"# Région et départements : {guessed}.",
            "region:",
            f"  code: {yaml_text(region)}",
            f"  nom: {yaml_text(region_name)}",
            "# Départements de la région : servent au calcul de la part des entreprises « de la"
            " région ».",
            f"departements: [{deps}]",
            "# Adresse publique du site, terminée par « / » : à remplacer.",
            f"url_site: {PLACEHOLDER_URL}",
            "contact:",
            f"  email: {PLACEHOLDER_EMAIL}",
            '  adresse: ""',
            'directeur_publication: ""',
            'hebergeur: ""',
            "demo: false",
            'nomenclature_cpv: ""',
            'ocid_prefixe: ""',
            "# true si l'acheteur publie exprès ses marchés sous le seuil de publication des DECP",
            "# (une seule information de validation au lieu d'un avertissement par marché).",
            "marches_sous_seuil_publies: false",
            "accessibilite:",
            "  etat: non conforme",
            '  taux: ""',
            '  date_audit: ""',
            f"  contact: {PLACEHOLDER_EMAIL}",
            "  non_conformites:",
            "    - \"Le site n'a pas encore fait l'objet d'un audit d'accessibilité.\"",
            "",
        ]
    )


INDICATORS = (
    (
        "completude-champs",
        "Complétude des données essentielles",
        "%",
        "hausse",
        "completude_champs",
        "Part des champs clés renseignés sur l'ensemble des marchés.",
    ),
    (
        "delai-publication-median",
        "Délai médian de publication des données",
        "jours",
        "baisse",
        "delai_publication_median",
        "Médiane du nombre de jours entre la notification d'un marché et la publication de ses "
        "données essentielles.",
    ),
    (
        "part-environnement-nombre",
        "Part des marchés comportant une considération environnementale",
        "%",
        "hausse",
        "part_environnement_nombre",
        "Nombre de marchés avec une clause ou un critère environnemental, divisé par le nombre de "
        "marchés où le champ est renseigné.",
    ),
    (
        "part-sociale-nombre",
        "Part des marchés comportant une considération sociale",
        "%",
        "hausse",
        "part_sociale_nombre",
        "Nombre de marchés avec une clause sociale, un critère social ou réservés, divisé par le "
        "nombre de marchés où le champ est renseigné.",
    ),
)


def policy_yaml(first_year: int, last_year: int) -> str:
    lines = [
        "# Politique d'achat minimale, écrite par « achats-ouverts import ». Remplacer les axes,",
        "# les actions et les cibles par ceux de la politique d'achat adoptée (voir le README).",
        'titre: "Politique d\'achat (à compléter)"',
        "periode:",
        f"  debut: {first_year}",
        f"  fin: {last_year}",
        'adoption: ""',
        "introduction: >-",
        "  Cette page présentera la politique d'achat de l'acheteur. En attendant, elle suit",
        "  quelques indicateurs calculés à partir des marchés publiés.",
        "axes:",
        "  - id: axe-1",
        "    numero: 1",
        '    titre: "Des achats transparents et responsables"',
        "    resume: >-",
        "      Publier des données complètes et à jour, et suivre la place des considérations",
        "      sociales et environnementales dans les marchés.",
        "    actions:",
        "      - id: action-1-1",
        '        numero: "1.1"',
        "        titre: publier des données complètes dans les délais",
        "        resume: >-",
        "          Renseigner tous les champs des données essentielles et les publier dans",
        "          les deux mois qui suivent la notification.",
        "        indicateurs: [completude-champs, delai-publication-median]",
        "      - id: action-1-2",
        '        numero: "1.2"',
        "        titre: intégrer des considérations sociales et environnementales",
        "        resume: >-",
        "          Prévoir des clauses ou des critères sociaux et environnementaux dans les",
        "          marchés.",
        "        indicateurs: [part-environnement-nombre, part-sociale-nombre]",
        "indicateurs:",
    ]
    for ident, title, unit, direction, calcul, method in INDICATORS:
        lines += [
            f"  - id: {ident}",
            f"    titre: {yaml_text(title)}",
            f"    unite: {yaml_text(unit)}",
            f"    sens: {direction}",
            "    type: calculé",
            f"    calcul: {calcul}",
            "    cibles: {}",
            f"    methode: {yaml_text(method)}",
        ]
    return "\n".join(lines) + "\n"


def write_skeleton(staging: Staging, publisher: str, policy: str) -> None:
    """The files a new data folder needs besides the contract tables; in an existing folder, only
    those that are missing."""
    target = staging.data_dir
    for name in OTHER_TABLES:
        ds = schemas.dataset(name)
        if not (target / ds.path).exists():
            writing.write_csv(staging.path / ds.path, ds.field_names, [])
    if not (target / PUBLISHER_FILE).exists():
        writing.write_text_atomic(staging.path / PUBLISHER_FILE, publisher)
    if not (target / POLICY_FILE).exists():
        writing.write_text_atomic(staging.path / POLICY_FILE, policy)
    for ds in schemas.DATASETS:
        if not (target / ds.schema_path).exists():
            writing.write_text_atomic(
                staging.path / ds.schema_path, writing.json_text(schemas.table_schema(ds))
            )
    if not (target / "datapackage.json").exists():
        writing.write_data_package(
            staging.path,
            "achats-publics",
            "Achats publics",
            "Marchés attribués, achats à venir et indicateurs de la politique d'achat.",
        )


def write_report(staging: Staging, header: dict[str, Any], notes_path: Path) -> None:
    """import-rapport.json: the summary, then every note, copied line by line from the notes
    file so that memory does not hold them all."""
    path = staging.path / REPORT_FILE
    with path.open("w", encoding="utf-8") as out:
        opening = json.dumps(header, ensure_ascii=False, indent=2)
        out.write(opening[:-2] + ',\n  "problemes": [')
        first = True
        with notes_path.open(encoding="utf-8") as notes:
            for line in notes:
                out.write(("\n    " if first else ",\n    ") + line.rstrip("\n"))
                first = False
        out.write("\n  ]\n}\n" if not first else "]\n}\n")
        out.flush()
        os.fsync(out.fileno())
