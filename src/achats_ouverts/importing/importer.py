"""Orchestration of an import: detect each file's format, read its records as a stream, normalise
them, drop exact duplicates, disambiguate shared identifiers, write the canonical tables into a
staging folder, then publish them atomically with a summary and a machine-readable report.

Memory: one record at a time, plus, per imported contract, 32 to 64 bytes of keys (`keys`: to find
exact duplicates and shared identifiers), plus the supplier reference (one entry per distinct named
supplier) and per-buyer counters.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from achats_ouverts import __version__
from achats_ouverts.datafolder import PUBLISHER_FILE, load_located_yaml
from achats_ouverts.errors import UsageError
from achats_ouverts.importing import decp2019, decp2022, folder, inhouse, tabular
from achats_ouverts.importing import normalise as n
from achats_ouverts.importing.conversion import build_contract
from achats_ouverts.importing.keys import KeyTable, key_of
from achats_ouverts.importing.records import (
    CONCESSION,
    OTHER_BUYER,
    REJECTION,
    Contract,
    Event,
    Note,
    Notes,
    Position,
    RawContract,
    Rejected,
    Skipped,
    SupplierInfo,
    Unreadable,
)
from achats_ouverts.importing.sources import (
    DECP_2019_JSON,
    DECP_2022_JSON,
    DECP_2022_XML,
    FORMATS,
    IN_HOUSE,
    TABULAR,
    detect_format,
)

Progress = Callable[[str], None]
PROGRESS_EVERY = 5_000


def _quiet(_label: str) -> None:
    return None


@dataclass(frozen=True)
class ImportOptions:
    acheteur: str | None = None
    """Keep only this buyer's contracts (SIRET)."""
    file_format: str | None = None
    """Force the format of every file (one of FORMATS); detected when None."""
    mapping: Path | None = None
    """Mapping file for in-house exports."""


@dataclass
class Summary:
    """What an import read, kept, set aside and wrote. Counts of records are in source records:
    JSON or XML items, or rows of a flat file."""

    files: list[tuple[str, str]] = field(default_factory=list)
    read: int = 0
    kept: int = 0
    imported: int = 0
    rejected: Counter[str] = field(default_factory=Counter)
    rejected_records: int = 0
    duplicates: int = 0
    shared_id: int = 0
    modifications: int = 0
    concessions: int = 0
    other_buyers: int = 0
    corrections: Counter[str] = field(default_factory=Counter)
    set_aside: Counter[str] = field(default_factory=Counter)
    suppliers: int = 0
    named_suppliers: int = 0
    flat: bool = False
    remarks: list[str] = field(default_factory=list)
    """What the import could not know, said once for the whole import."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "enregistrements_lus": self.read,
            "enregistrements_repris": self.kept,
            "marches_importes": self.imported,
            "rejets": self.rejected_records,
            "rejets_par_motif": dict(sorted(self.rejected.items())),
            "doublons_exacts": self.duplicates,
            "identifiants_partages": self.shared_id,
            "modifications_appliquees": self.modifications,
            "concessions_ignorees": self.concessions,
            "autres_acheteurs": self.other_buyers,
            "corrections_par_motif": dict(sorted(self.corrections.items())),
            "valeurs_ecartees_par_motif": dict(sorted(self.set_aside.items())),
            "titulaires_references": self.named_suppliers,
            "remarques": list(self.remarks),
        }


@dataclass
class ImportResult:
    data_dir: Path
    summary: Summary
    created: bool
    written: bool
    publisher_siret: str = ""
    warnings: list[str] = field(default_factory=list)

    @property
    def report_path(self) -> Path:
        return self.data_dir / folder.REPORT_FILE


@dataclass
class _Buyer:
    contracts: int = 0
    name: str = ""
    region: Counter[str] = field(default_factory=Counter)
    departments: Counter[str] = field(default_factory=Counter)


class _State:
    """Everything an import accumulates between records."""

    def __init__(self, staging: folder.Staging, progress: Progress) -> None:
        self.staging = staging
        self.progress = progress
        self.summary = Summary()
        self.seen = KeyTable()
        self.suppliers: dict[tuple[str, str], SupplierInfo] = {}
        self.buyers: dict[str, _Buyer] = {}
        self.years: list[int] = []
        self.notes_path = staging.work / "notes.jsonl"
        self.notes = self.notes_path.open("w", encoding="utf-8")

    def note(self, note: Note) -> None:
        self.notes.write(json.dumps(note.as_dict(), ensure_ascii=False) + "\n")

    def reject(
        self, position: Position, code: str, message: str, field_name: str | None, rows: int
    ) -> None:
        self.summary.rejected[code] += rows
        self.summary.rejected_records += rows
        self.note(Note(position, field_name, code, REJECTION, message))

    def assign_uid(self, contract: Contract, position: Position) -> str | None:
        """The contract's uid, or None for an exact duplicate of an earlier contract."""
        digest = int.from_bytes(contract.digest()[:8], "big") or 1
        base = contract.base_uid
        key = key_of(base)
        found = self.seen.get(key)
        if found is None:
            self.seen[key] = digest
            return base
        rank = 1
        uid = base
        while found is not None:
            if found == digest:
                return None
            rank += 1
            uid = f"{base}-{rank}"
            key = key_of(uid)
            found = self.seen.get(key)
        self.seen[key] = digest
        self.summary.shared_id += 1
        self.note(
            Note(
                position,
                "uid",
                "identifiant-partage",
                "information",
                f"même acheteur et même identifiant « {contract.values['id']} » qu'un marché "
                f"précédent, contenu différent (souvent un autre lot) : conservé sous l'uid "
                f"« {uid} »",
            )
        )
        return uid

    def add(self, raw: RawContract, acheteur: str | None) -> None:
        notes = Notes(raw.position)
        try:
            contract = build_contract(raw, notes)
        except Rejected as exc:
            self.reject(raw.position, exc.code, exc.message, exc.field, raw.rows)
            return
        if acheteur is not None and contract.acheteur_id != acheteur:
            self.summary.other_buyers += raw.rows
            return
        uid = self.assign_uid(contract, raw.position)
        if uid is None:
            self.summary.duplicates += raw.rows
            self.note(
                Note(
                    raw.position,
                    None,
                    "doublon-exact",
                    "information",
                    "copie exacte d'un marché déjà lu : écartée",
                )
            )
            return
        for note in notes.items:
            self.note(note)
            counter = (
                self.summary.corrections
                if note.severity == "correction"
                else self.summary.set_aside
            )
            counter[note.code] += 1
        tables = self.staging.tables
        tables["marches"].write(contract.contract_row(uid))
        for row in contract.supplier_rows(uid):
            tables["marches-titulaires"].write(row)
        for row in contract.modification_rows(uid):
            tables["modifications"].write(row)
        self.summary.imported += 1
        self.summary.kept += raw.rows
        self.summary.modifications += len(contract.modifications)
        for info in contract.known_suppliers:
            if info.nom:
                known = self.suppliers.get(info.key)
                self.suppliers[info.key] = known.merged(info) if known else info
        self.track_buyer(contract)

    def track_buyer(self, contract: Contract) -> None:
        buyer = self.buyers.setdefault(contract.acheteur_id, _Buyer())
        buyer.contracts += 1
        if contract.acheteur_nom and not buyer.name:
            buyer.name = contract.acheteur_nom
        if contract.acheteur_region_code:
            buyer.region[contract.acheteur_region_code] += 1
        if contract.acheteur_departement_code:
            buyer.departments[contract.acheteur_departement_code] += 1
        place = contract.values.get("lieuExecution_code", "")
        kind = contract.values.get("lieuExecution_typeCode", "")
        if kind == "Code région" and place in folder.REGIONS:
            buyer.region[place] += 1
        elif kind in ("Code commune", "Code postal", "Code département") and len(place) >= 2:
            dep = place[:3] if place.startswith("97") else place[:2]
            if kind == "Code postal" and dep == "20":
                dep = ""
            if dep in folder.REGION_OF_DEPARTMENT:
                buyer.departments[dep] += 1
        self.years.append(int(contract.values["dateNotification"][:4]))
        if len(self.years) > 2:
            self.years[:] = [min(self.years), max(self.years)]

    def consume(self, events: Iterator[Event], file: str, acheteur: str | None) -> None:
        for count, event in enumerate(events, start=1):
            if count % PROGRESS_EVERY == 0:
                self.progress(f"{file} : {count} enregistrements")
            if isinstance(event, RawContract):
                self.summary.read += event.rows
                self.add(event, acheteur)
            elif isinstance(event, Skipped):
                self.summary.read += event.rows
                if event.reason == CONCESSION:
                    self.summary.concessions += event.rows
                elif event.reason == OTHER_BUYER:
                    self.summary.other_buyers += event.rows
                else:
                    self.summary.duplicates += event.rows
                    self.note(
                        Note(
                            event.position,
                            None,
                            "doublon-exact",
                            "information",
                            "ligne identique à une ligne déjà lue : écartée",
                        )
                    )
            else:
                assert isinstance(event, Unreadable)
                self.summary.read += event.rows
                self.reject(event.position, event.code, event.message, None, event.rows)

    def close(self) -> None:
        self.notes.close()


def _events(
    path: Path,
    file: str,
    file_format: str,
    options: ImportOptions,
    workdir: Path,
    mapping: inhouse.Mapping | None,
) -> Iterator[Event]:
    if file_format == DECP_2022_JSON:
        return decp2022.read_json(path, file)
    if file_format == DECP_2022_XML:
        return decp2022.read_xml(path, file)
    if file_format == DECP_2019_JSON:
        return decp2019.read_json(path, file)
    if file_format == TABULAR:
        return tabular.read_tabular(path, file, workdir, options.acheteur)
    if mapping is None:
        raise UsageError(
            f"{file} : format non reconnu comme DECP ; pour un export interne, indiquer un "
            "fichier de correspondance avec --mapping (voir exemples/)"
        )
    return inhouse.read_in_house(path, file, mapping, workdir, options.acheteur)


def check_options(sources: Sequence[Path], options: ImportOptions) -> list[tuple[Path, str]]:
    """Each source with its format; raises UsageError on a missing file or a bad option."""
    if not sources:
        raise UsageError("aucun fichier à importer")
    if options.acheteur is not None:
        try:
            found = n.siret(options.acheteur)
        except n.Unusable as exc:
            raise UsageError(f"--acheteur : {exc}") from exc
        if found.value != options.acheteur:
            raise UsageError(f"--acheteur : écrire le SIRET sans espace : « {found.value} »")
    if options.file_format is not None and options.file_format not in FORMATS:
        raise UsageError(f"--format : « {options.file_format} » inconnu ({', '.join(FORMATS)})")
    if options.mapping is not None and not options.mapping.is_file():
        raise UsageError(f"fichier de correspondance introuvable : {options.mapping}")
    found_formats = []
    for path in sources:
        if not path.is_file():
            raise UsageError(f"fichier introuvable : {path}")
        file_format = options.file_format
        if file_format is None:
            file_format = IN_HOUSE if options.mapping is not None else detect_format(path)
        found_formats.append((path, file_format))
    return found_formats


def _publisher(state: _State, acheteur: str | None) -> tuple[str, str]:
    """(SIRET, editeur.yaml text) for the buyer with the most contracts (or --acheteur)."""
    buyers = state.buyers
    siret = acheteur or min(buyers, key=lambda s: (-buyers[s].contracts, s))
    buyer = buyers[siret]
    name = buyer.name or f"Acheteur public (SIRET {siret})"
    region = buyer.region.most_common(1)[0][0] if buyer.region else ""
    guessed = "déduits des données (à vérifier)"
    if not region and buyer.departments:
        region = folder.REGION_OF_DEPARTMENT.get(buyer.departments.most_common(1)[0][0], "")
        guessed = "déduits des lieux d'exécution des marchés (à vérifier)"
    if region in folder.REGIONS:
        departments = list(folder.REGIONS[region][1])
        departments = [d for d in departments if len(d) == 2 or d.startswith("97")]
    else:
        region, departments, guessed = "00", [], "inconnus : à compléter"
    return siret, folder.publisher_yaml(siret, name, region, departments, guessed)


def import_files(
    sources: Sequence[Path],
    data_dir: Path,
    options: ImportOptions | None = None,
    progress: Progress = _quiet,
) -> ImportResult:
    """Import DECP files or in-house exports into `data_dir`. Inputs are only read."""
    options = options or ImportOptions()
    plan = check_options(sources, options)
    if data_dir.exists() and not data_dir.is_dir():
        raise UsageError(f"« {data_dir} » existe et n'est pas un dossier")
    created = not folder.is_data_folder(data_dir)
    staging = folder.Staging(data_dir)
    try:
        state = _State(staging, progress)
    except BaseException:
        staging.discard()
        raise
    try:
        mapping = inhouse.load_mapping(options.mapping) if options.mapping is not None else None
        for path, file_format in plan:
            if file_format == IN_HOUSE and mapping is not None:
                state.summary.remarks.extend(
                    f"{path.name} : {remark}"
                    for remark in inhouse.unknown_current_values(mapping)
                    if f"{path.name} : {remark}" not in state.summary.remarks
                )
            state.summary.files.append((path.name, file_format))
            state.summary.flat = state.summary.flat or file_format in (TABULAR, IN_HOUSE)
            progress(f"lecture de {path.name}")
            state.consume(
                _events(path, path.name, file_format, options, staging.work, mapping),
                path.name,
                options.acheteur,
            )
        state.close()
        result = ImportResult(data_dir, state.summary, created, written=False)
        if state.summary.imported == 0:
            staging.discard()
            return result
        progress("écriture du dossier de données")
        existing = [] if created else folder.read_existing_suppliers(data_dir / "titulaires.csv")
        if existing is None:
            result.warnings.append(
                "titulaires.csv existant illisible ou sans les colonnes attendues : il est "
                "conservé tel quel, sans les noms d'entreprises importés"
            )
        else:
            state.summary.named_suppliers = folder.write_suppliers(
                staging, state.suppliers, existing
            )
        siret, publisher = _publisher(state, options.acheteur)
        result.publisher_siret = siret
        years = state.years or [0]
        folder.write_skeleton(staging, publisher, folder.policy_yaml(min(years), max(years)))
        if not created:
            result.warnings.extend(_publisher_mismatch(data_dir, state))
            result.warnings.extend(_broken_links(data_dir, state.seen))
        header = {
            "outil": f"achats-ouverts {__version__}",
            "fichiers": [{"fichier": f, "format": fmt} for f, fmt in state.summary.files],
            "resume": state.summary.as_dict(),
        }
        folder.write_report(staging, header, state.notes_path)
        staging.commit()
        result.written = True
        return result
    except BaseException:
        state.close()
        staging.discard()
        raise


def _broken_links(data_dir: Path, uids: KeyTable) -> list[str]:
    """Upcoming purchases of an existing folder that point to a contract no longer there."""
    path = data_dir / "achats-a-venir.csv"
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            linked = [row.get("uidMarche") or "" for row in csv.DictReader(handle)]
    except (OSError, UnicodeDecodeError, csv.Error):
        return []
    missing = sorted({uid for uid in linked if uid and key_of(uid) not in uids})
    if not missing:
        return []
    return [
        f"achats-a-venir.csv : {len(missing)} achat(s) renvoient (uidMarche) à un marché absent "
        f"des données importées, par exemple « {missing[0]} » : corriger uidMarche"
    ]


def _publisher_mismatch(data_dir: Path, state: _State) -> list[str]:
    doc, _ = load_located_yaml(data_dir / PUBLISHER_FILE, PUBLISHER_FILE)
    data = doc.data if doc is not None else None
    siret = str(data.get("siret", "")) if isinstance(data, dict) else ""
    others = sorted(s for s in state.buyers if s != siret)
    if siret and others:
        return [
            f"{len(others)} acheteur(s) importé(s) autre(s) que celui d'{PUBLISHER_FILE} "
            f"({siret}), par exemple {others[0]} : utiliser --acheteur {siret} pour ne garder "
            "que ses marchés"
        ]
    return []


# --- Summary text -------------------------------------------------------------------------------


def summary_text(result: ImportResult) -> str:
    s = result.summary
    lines = [
        f"Fichiers : {', '.join(f'{name} ({fmt})' for name, fmt in s.files)}",
        f"  {'Enregistrements lus':<44}{s.read:>10}",
        f"  {'Marchés importés':<44}{s.imported:>10}",
    ]
    if s.flat:
        lines.append(f"  {'  reconstitués à partir de (lignes)':<44}{s.kept:>10}")
    lines += [
        f"  {'Rejetés':<44}{s.rejected_records:>10}",
        *(f"  {'  ' + code:<44}{count:>10}" for code, count in sorted(s.rejected.items())),
        f"  {'Doublons exacts écartés':<44}{s.duplicates:>10}",
        f"  {'Conservés malgré un identifiant partagé':<44}{s.shared_id:>10}",
        f"  {'Modifications appliquées':<44}{s.modifications:>10}",
        f"  {'Contrats de concession ignorés':<44}{s.concessions:>10}",
        f"  {'Autres acheteurs écartés (--acheteur)':<44}{s.other_buyers:>10}",
        f"  {'Corrections (avertissements)':<44}{sum(s.corrections.values()):>10}",
        *(f"  {'  ' + code:<44}{count:>10}" for code, count in sorted(s.corrections.items())),
        f"  {'Valeurs écartées':<44}{sum(s.set_aside.values()):>10}",
        *(f"  {'  ' + code:<44}{count:>10}" for code, count in sorted(s.set_aside.items())),
        f"  {'Entreprises nommées (titulaires.csv)':<44}{s.named_suppliers:>10}",
    ]
    if s.flat:
        lines.append(
            "  (dans un fichier CSV, un enregistrement est une ligne : rejets, doublons et autres "
            "acheteurs y sont comptés en lignes)"
        )
    if result.written:
        where = "nouveau dossier de données" if result.created else "tables des marchés remplacées"
        lines.append(f"Écrit dans {result.data_dir} ({where}).")
        lines.append(
            "Rapport détaillé (position de chaque correction et de chaque rejet) : "
            f"{result.report_path}"
        )
    lines.extend(f"Remarque : {remark}" for remark in s.remarks)
    lines.extend(f"Attention : {warning}" for warning in result.warnings)
    return "\n".join(lines) + "\n"
