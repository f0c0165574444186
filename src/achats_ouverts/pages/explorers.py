"""The two explorers, `/marches/` (awarded contracts) and `/achats-a-venir/` (upcoming purchases),
and the CPV helper `/cpv/`.

Each explorer page is a MkDocs page whose first page of results is a static HTML table (enough
without JavaScript); `site_src/assets/explorateur.js` then adds filters, sorting, paging and the
filter state in the URL. Its data is written as compact JSON shards, one or more per year of
notification (`SHARD_ROWS` rows at most), listed in the page's configuration: a filtered view loads
only the shards it needs, and the first view loads none.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from achats_ouverts import cpv
from achats_ouverts import vocabulary as v
from achats_ouverts.french import euros, quarter_code, quarter_label, quarter_start
from achats_ouverts.model import Data, aggregates
from achats_ouverts.output import (
    AWARDED_FEED,
    CALENDAR,
    UPCOMING_FEED,
    BuildContext,
    render,
    safe_url,
)
from achats_ouverts.pages.base import SiteInfo, SubscribeView, subscribe_view
from achats_ouverts.pages.details import (
    CONTRACTS_SECTION,
    CPV_SECTION,
    DEPARTEMENTS_SECTION,
    SERVICES_SECTION,
    SUPPLIERS_SECTION,
    UPCOMING_SECTION,
    WIDE,
    ContractRow,
    Directory,
    build_directory,
    contract_rows,
    dates_of,
    departement_name,
    floats_of,
    to_date,
    to_float,
)
from achats_ouverts.pages.entities import GroupRow, cpv_rows, division_entities

PAGE_SIZE = 50
SHARD_ROWS = 5000
DATA_DIR = "_donnees"
SCRIPT = "assets/explorateur.js"
UNKNOWN = -1

STATUS_LABELS = {
    "prévu": "Prévu",
    "lancé": "Consultation lancée",
    "attribué": "Attribué",
    "reporté": "Reporté",
    "abandonné": "Abandonné",
}
AMOUNT_BANDS: tuple[tuple[str, str, float, float | None], ...] = (
    ("moins-100k", "Moins de 100 000 €", 0, 100_000),
    ("100k-500k", "De 100 000 à 500 000 €", 100_000, 500_000),
    ("500k-2m", "De 500 000 € à 2 millions d'euros", 500_000, 2_000_000),
    ("plus-2m", "Plus de 2 millions d'euros", 2_000_000, None),
)
"""Bands of the upcoming purchases' amount filter: [low, high) in euros HT. An estimate given as a
range belongs to every band it overlaps."""


def compact_json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode(
        "utf-8"
    )


def isos(series: pd.Series) -> list[str]:
    """A datetime column as ISO dates, '' where missing."""
    return [day.isoformat() if day else "" for day in dates_of(series)]


def flag(value: Any) -> int | None:
    return None if value is None or pd.isna(value) else int(bool(value))


def indexer(values: Sequence[str]) -> dict[str, int]:
    return {value: i for i, value in enumerate(values)}


@dataclass(frozen=True)
class Option:
    value: str
    label: str


@dataclass(frozen=True)
class Shard:
    """One file of explorer data: its path (relative to the explorer page), the year its rows
    were notified or planned in (None: several), and its content, column by column."""

    chemin: str
    annee: int | None
    lignes: int
    contenu: dict[str, Any]


def shard_manifest(shards: Sequence[Shard]) -> list[dict[str, Any]]:
    return [{"chemin": s.chemin, "annee": s.annee, "lignes": s.lignes} for s in shards]


def chunks(total: int, size: int) -> Iterator[tuple[int, int]]:
    for start in range(0, total, size):
        yield start, min(start + size, total)


# --- Awarded contracts --------------------------------------------------------------------------


@dataclass(frozen=True)
class ContractLists:
    """The values the contracts explorer filters on, in the order of its select boxes."""

    annees: tuple[int, ...]
    divisions: tuple[Option, ...]
    procedures: tuple[str, ...]
    natures: tuple[str, ...]
    services: tuple[Option, ...]
    departements: tuple[Option, ...]
    sociale: tuple[Option, ...] = (
        Option("oui", "Avec une considération sociale"),
        Option("non", "Sans considération sociale"),
        Option("inconnue", "Non renseignée"),
    )
    environnementale: tuple[Option, ...] = (
        Option("oui", "Avec une considération environnementale"),
        Option("non", "Sans considération environnementale"),
        Option("inconnue", "Non renseignée"),
    )
    tris: tuple[Option, ...] = (
        Option("montant-desc", "Montant, du plus élevé au plus faible"),
        Option("montant-asc", "Montant, du plus faible au plus élevé"),
        Option("date-asc", "Date de notification, de la plus ancienne à la plus récente"),
    )


def contract_links(directory: Directory) -> dict[str, str]:
    """How the explorer script links a row to its contract: prefix + page segment + suffix (the
    contract's page, or the explorer filtered on it when contracts have no page)."""
    if directory.contract_pages:
        return {"marche": f"../{CONTRACTS_SECTION}/", "marcheSuffixe": "/"}
    return {"marche": f"../{CONTRACTS_SECTION}/?recherche=", "marcheSuffixe": ""}


def contract_lists(data: Data, directory: Directory) -> ContractLists:
    frame = directory.contracts
    years = sorted({int(y) for y in frame["annee"].dropna()}, reverse=True)
    divisions = sorted({d for d in frame["cpv_division"].fillna("") if d})
    deps = sorted({d for d in frame["departement"] if d})
    return ContractLists(
        tuple(years),
        tuple(Option(d, f"{d} – {cpv.DIVISIONS.get(d, 'division ' + d)}") for d in divisions),
        v.PROCEDURES,
        v.NATURES,
        tuple(Option(k, name) for k, name in sorted(directory.services.items())),
        tuple(Option(d, f"{departement_name(d)} ({d})") for d in deps),
    )


def contract_shards(directory: Directory, lists: ContractLists) -> list[Shard]:
    """The contracts explorer's data, in the default order (latest first), by year, in chunks."""
    frame = directory.contracts
    procedures = indexer(lists.procedures)
    natures = indexer(lists.natures)
    services = indexer([o.value for o in lists.services])
    deps = indexer([o.value for o in lists.departements])
    env = aggregates.has_environmental_consideration(frame).tolist()
    soc = aggregates.has_social_consideration(frame).tolist()
    columns = {
        "uid": frame["uid"].tolist(),
        "lien": frame["slug"].tolist(),
        "objet": frame["objet"].tolist(),
        "date": isos(frame["dateNotification"]),
        "montant": floats_of(frame["montant"]),
        "cpv": [c[:8] for c in frame["codeCPV"]],
        "procedure": [procedures.get(p, UNKNOWN) for p in frame["procedure"]],
        "nature": [natures.get(n, UNKNOWN) for n in frame["nature"]],
        "service": [services.get(s, UNKNOWN) for s in frame["acheteur_service_id"]],
        "departement": [deps.get(d, UNKNOWN) for d in frame["departement"]],
        "sociale": [flag(x) for x in soc],
        "environnementale": [flag(x) for x in env],
    }
    years = [None if pd.isna(y) else int(y) for y in frame["annee"]]
    shards: list[Shard] = []
    start = 0
    while start < len(years):
        end = start
        while end < len(years) and years[end] == years[start]:
            end += 1
        for number, (a, b) in enumerate(chunks(end - start, SHARD_ROWS), start=1):
            lo, hi = start + a, start + b
            shards.append(contract_shard(directory, columns, years[start], number, lo, hi))
        start = end
    return shards


def contract_shard(
    directory: Directory,
    columns: dict[str, list[Any]],
    year: int | None,
    number: int,
    lo: int,
    hi: int,
) -> Shard:
    """Rows lo..hi; suppliers as indices into the shard's own list `noms` ([name, id, page])."""
    names: dict[tuple[str, str], int] = {}
    holders: list[list[int]] = []
    for uid in columns["uid"][lo:hi]:
        row = []
        for key in directory.suppliers_of.get(uid, ()):
            if key not in names:
                names[key] = len(names)
            row.append(names[key])
        holders.append(row)
    noms = []
    for key in names:
        info = directory.suppliers[key]
        noms.append([info.nom, info.identifier, info.slug])
    content = {name: values[lo:hi] for name, values in columns.items() if name != "uid"}
    content["titulaires"] = holders
    content["noms"] = noms
    label = "sans-date" if year is None else str(year)
    return Shard(f"{DATA_DIR}/marches-{label}-{number}.json", year, hi - lo, content)


@dataclass(frozen=True)
class ContractsExplorerPage:
    site: SiteInfo
    total: int
    lignes: tuple[ContractRow, ...]
    listes: ContractLists
    config: dict[str, Any]
    script: str
    donnees: str
    index_services: str
    index_cpv: str
    index_departements: str
    abonnement: SubscribeView


def contracts_explorer(
    data: Data, directory: Directory
) -> tuple[ContractsExplorerPage, list[Shard]]:
    page = f"{CONTRACTS_SECTION}/"
    lists = contract_lists(data, directory)
    shards = contract_shards(directory, lists)
    config = {
        "type": "marches",
        "total": len(directory.contracts),
        "parPage": PAGE_SIZE,
        "morceaux": shard_manifest(shards),
        "listes": {
            "procedure": list(lists.procedures),
            "nature": list(lists.natures),
            "service": [[o.value, o.label] for o in lists.services],
            "departement": [[o.value, o.label] for o in lists.departements],
        },
        "liens": {
            **contract_links(directory),
            "titulaire": f"../{SUPPLIERS_SECTION}/",
        },
    }
    return (
        ContractsExplorerPage(
            site=SiteInfo.of(data.publisher),
            total=len(directory.contracts),
            lignes=contract_rows(directory, directory.contracts.iloc[:PAGE_SIZE], page),
            listes=lists,
            config=config,
            script=f"../{SCRIPT}",
            donnees="../donnees/",
            index_services=f"../{SERVICES_SECTION}/",
            index_cpv=f"../{CPV_SECTION}/",
            index_departements=f"../{DEPARTEMENTS_SECTION}/",
            abonnement=subscribe_view(page),
        ),
        shards,
    )


def write_contracts_explorer(ctx: BuildContext, directory: Directory) -> None:
    page, shards = contracts_explorer(ctx.data, directory)
    for shard in shards:
        ctx.file(f"{CONTRACTS_SECTION}/{shard.chemin}", compact_json(shard.contenu))
    ctx.page(
        f"{CONTRACTS_SECTION}/index.md",
        "Marchés attribués",
        render("explorer_contracts.html.j2", page=page),
        hide=WIDE,
        feeds=(AWARDED_FEED,),
    )


# --- Upcoming purchases -------------------------------------------------------------------------


def upcoming_frame(data: Data) -> pd.DataFrame:
    """The programme in the explorer's default order: soonest planned launch first, then id;
    with the planned quarter (`trimestre`), sort key (`tri`), execution département and a
    representative amount (`montant_tri`: the estimate, or the middle of its range)."""
    up = data.upcoming
    quarters = []
    keys = []
    for day, quarter in zip(up["dateLancementPrevue"], up["trimestreLancementPrevu"], strict=True):
        planned = to_date(day)
        q = quarter_code(planned) if planned else quarter
        quarters.append(q)
        keys.append(planned.isoformat() if planned else (quarter_start(q) if q else "9999"))
    low = up["montantEstimeMin"].fillna(up["montantEstime"])
    high = up["montantEstimeMax"].fillna(up["montantEstime"])
    middle = up["montantEstime"].fillna((low.fillna(high) + high.fillna(low)) / 2)
    frame = up.assign(
        trimestre=quarters,
        tri=keys,
        departement=aggregates.execution_departement(
            up["lieuExecution_code"], up["lieuExecution_typeCode"]
        ),
        montant_bas=low,
        montant_haut=high,
        montant_tri=middle,
    )
    return frame.sort_values(["tri", "id"], kind="stable")


@dataclass(frozen=True)
class UpcomingRow:
    """A purchase of the programme as the explorer lists it."""

    id: str
    objet: str
    service: str
    categorie: str
    cpv: str
    cpv_libelle: str
    prevue: date | None
    trimestre: str
    montant: str
    lieu: str
    procedure: str
    reserve: bool
    pme: bool
    statut: str
    statut_libelle: str
    annonce: date | None
    lancement: date | None
    limite: date | None
    consultation: str
    marche: str
    contact: str


def amount_text(estimate: float | None, low: float | None, high: float | None) -> str:
    """`850 000 €`, `500 000 à 1 000 000 €`, `jusqu'à 1 000 000 €` or `—`."""
    if estimate is not None:
        return euros(estimate)
    if low is not None and high is not None:
        return f"{euros(low)[:-2]} à {euros(high)}"
    if high is not None:
        return f"jusqu'à {euros(high)}"
    if low is not None:
        return f"à partir de {euros(low)}"
    return "—"


def consultation_url(value: str) -> str:
    url = safe_url(value)
    return url if url.startswith(("http://", "https://")) else ""


def upcoming_rows(
    data: Data,
    frame: pd.DataFrame,
    slugs: dict[str, str],
    page: str,
    contract_link: Callable[[str, str], str],
) -> tuple[UpcomingRow, ...]:
    root = "../" * page.count("/")
    services = dict(zip(data.services["service_id"], data.services["service_nom"], strict=True))
    names = [
        "id",
        "objet",
        "service_id",
        "categorie",
        "codeCPV",
        "dateLancementPrevue",
        "trimestre",
        "montantEstime",
        "montantEstimeMin",
        "montantEstimeMax",
        "lieuExecution_nom",
        "lieuExecution_code",
        "departement",
        "procedurePrevue",
        "marcheReserve",
        "accessiblePME",
        "statut",
        "dateAnnonce",
        "dateLancement",
        "dateLimiteRemiseOffres",
        "urlConsultation",
        "uidMarche",
        "contact",
    ]
    rows = []
    for values in zip(*(frame[name].to_list() for name in names), strict=True):
        r: dict[str, Any] = dict(zip(names, values, strict=True))
        code = str(r["codeCPV"])[:8]
        dep = str(r["departement"])
        place = str(r["lieuExecution_nom"] or r["lieuExecution_code"])
        if dep and place != dep:
            place = f"{place} ({dep})" if place else departement_name(dep)
        contract = slugs.get(str(r["uidMarche"]), "")
        status = str(r["statut"])
        rows.append(
            UpcomingRow(
                id=str(r["id"]),
                objet=str(r["objet"]),
                service=services.get(str(r["service_id"]), ""),
                categorie=str(r["categorie"]),
                cpv=code,
                cpv_libelle=cpv.DIVISIONS.get(code[:2], ""),
                prevue=to_date(r["dateLancementPrevue"]),
                trimestre=quarter_label(str(r["trimestre"])),
                montant=amount_text(
                    to_float(r["montantEstime"]),
                    to_float(r["montantEstimeMin"]),
                    to_float(r["montantEstimeMax"]),
                ),
                lieu=place,
                procedure=str(r["procedurePrevue"]),
                reserve=flag(r["marcheReserve"]) == 1,
                pme=flag(r["accessiblePME"]) == 1,
                statut=status,
                statut_libelle=STATUS_LABELS.get(status, status),
                annonce=to_date(r["dateAnnonce"]),
                lancement=to_date(r["dateLancement"]),
                limite=to_date(r["dateLimiteRemiseOffres"]),
                consultation=consultation_url(str(r["urlConsultation"])),
                marche=contract_link(root, contract) if contract else "",
                contact=str(r["contact"]),
            )
        )
    return tuple(rows)


@dataclass(frozen=True)
class UpcomingLists:
    categories: tuple[str, ...]
    divisions: tuple[Option, ...]
    trimestres: tuple[Option, ...]
    departements: tuple[Option, ...]
    procedures: tuple[str, ...]
    statuts: tuple[Option, ...]
    filtre_statuts: tuple[Option, ...]
    services: tuple[Option, ...]
    montants: tuple[Option, ...]
    acces: tuple[Option, ...] = (
        Option("reserve", "Marchés réservés (insertion, handicap, ESS)"),
        Option("pme", "Achats adaptés aux PME"),
    )
    tris: tuple[Option, ...] = (
        Option("date-desc", "Lancement prévu, du plus lointain au plus proche"),
        Option("montant-desc", "Montant estimé, du plus élevé au plus faible"),
        Option("montant-asc", "Montant estimé, du plus faible au plus élevé"),
    )


def upcoming_lists(data: Data, frame: pd.DataFrame) -> UpcomingLists:
    divisions = sorted({c[:2] for c in frame["codeCPV"] if c})
    quarters = sorted({q for q in frame["trimestre"] if q})
    deps = sorted({d for d in frame["departement"] if d})
    services = data.services.sort_values("service_id")
    return UpcomingLists(
        v.CATEGORIES_ACHAT,
        tuple(Option(d, f"{d} – {cpv.DIVISIONS.get(d, 'division ' + d)}") for d in divisions),
        tuple(Option(q, quarter_label(q)) for q in quarters),
        tuple(Option(d, f"{departement_name(d)} ({d})") for d in deps),
        v.PROCEDURES,
        tuple(Option(s, STATUS_LABELS[s]) for s in v.STATUTS_ACHAT),
        (
            Option("tous", "Tous, quel que soit l'avancement"),
            *(Option(s, STATUS_LABELS[s]) for s in v.STATUTS_ACHAT),
        ),
        tuple(
            Option(k, n)
            for k, n in zip(services["service_id"], services["service_nom"], strict=True)
        ),
        tuple(Option(code, label) for code, label, _, _ in AMOUNT_BANDS),
    )


def upcoming_shards(
    frame: pd.DataFrame, rows: Sequence[UpcomingRow], lists: UpcomingLists
) -> list[Shard]:
    """The upcoming explorer's data, in the default order, in chunks."""
    categories = indexer(lists.categories)
    services = indexer([o.value for o in lists.services])
    procedures = indexer(lists.procedures)
    deps = indexer([o.value for o in lists.departements])
    statuses = indexer([o.value for o in lists.statuts])
    columns: dict[str, list[Any]] = {
        "id": frame["id"].tolist(),
        "objet": frame["objet"].tolist(),
        "service": [services.get(s, UNKNOWN) for s in frame["service_id"]],
        "categorie": [categories.get(c, UNKNOWN) for c in frame["categorie"]],
        "cpv": [c[:8] for c in frame["codeCPV"]],
        "prevue": isos(frame["dateLancementPrevue"]),
        "trimestre": frame["trimestre"].tolist(),
        "tri": frame["tri"].tolist(),
        "montant": floats_of(frame["montantEstime"]),
        "min": floats_of(frame["montantEstimeMin"]),
        "max": floats_of(frame["montantEstimeMax"]),
        "montantTri": floats_of(frame["montant_tri"]),
        "procedure": [procedures.get(p, UNKNOWN) for p in frame["procedurePrevue"]],
        "lieu": [r.lieu for r in rows],
        "departement": [deps.get(d, UNKNOWN) for d in frame["departement"]],
        "reserve": [int(r.reserve) for r in rows],
        "pme": [int(r.pme) for r in rows],
        "statut": [statuses.get(s, UNKNOWN) for s in frame["statut"]],
        "annonce": isos(frame["dateAnnonce"]),
        "lancement": isos(frame["dateLancement"]),
        "limite": isos(frame["dateLimiteRemiseOffres"]),
        "consultation": [r.consultation for r in rows],
        "marche": [r.marche.removeprefix(f"../{CONTRACTS_SECTION}/") for r in rows],
        "contact": [r.contact for r in rows],
    }
    return [
        Shard(
            f"{DATA_DIR}/achats-{number}.json",
            None,
            hi - lo,
            {name: values[lo:hi] for name, values in columns.items()},
        )
        for number, (lo, hi) in enumerate(chunks(len(rows), SHARD_ROWS), start=1)
    ]


@dataclass(frozen=True)
class FollowUp:
    """How the programme was carried out, for purchases whose launch was due."""

    date_reference: date
    attendus: int
    lances: int
    lances_a_temps: int
    attribues: int
    attribues_a_temps: int
    en_retard: int
    reportes: int
    abandonnes: int


def follow_up(data: Data) -> FollowUp:
    reference = pd.Timestamp(data.reference_date)
    f = aggregates.launch_follow_up(data.upcoming, reference)
    due = f[f["attendu"]]
    return FollowUp(
        data.reference_date,
        len(due),
        int(due["lance"].sum()),
        int(due["lance_a_temps"].sum()),
        int(due["attribue"].sum()),
        int(due["attribue_a_temps"].sum()),
        int(due["en_retard"].sum()),
        int(due["reporte"].sum()),
        int(due["abandonne"].sum()),
    )


@dataclass(frozen=True)
class UpcomingExplorerPage:
    site: SiteInfo
    total: int
    en_cours: int
    lignes: tuple[UpcomingRow, ...]
    listes: UpcomingLists
    suivi: FollowUp
    config: dict[str, Any]
    script: str
    donnees: str
    aide_cpv: str
    abonnement: SubscribeView


def upcoming_explorer(data: Data, directory: Directory) -> tuple[UpcomingExplorerPage, list[Shard]]:
    page = f"{UPCOMING_SECTION}/"
    frame = upcoming_frame(data)
    slugs = dict(zip(directory.contracts["uid"], directory.contracts["slug"], strict=True))
    rows = upcoming_rows(data, frame, slugs, page, directory.contract_link)
    lists = upcoming_lists(data, frame)
    shards = upcoming_shards(frame, rows, lists)
    open_rows = tuple(r for r in rows if r.statut in aggregates.OPEN_STATUSES)
    config = {
        "type": "achats",
        "total": len(rows),
        "enCours": len(open_rows),
        "parPage": PAGE_SIZE,
        "morceaux": shard_manifest(shards),
        "listes": {
            "categorie": list(lists.categories),
            "service": [[o.value, o.label] for o in lists.services],
            "procedure": list(lists.procedures),
            "departement": [[o.value, o.label] for o in lists.departements],
            "statut": [[o.value, o.label] for o in lists.statuts],
            "montant": [[code, label, low, high] for code, label, low, high in AMOUNT_BANDS],
            "statutsEnCours": list(aggregates.OPEN_STATUSES),
            "cpv": {o.value: cpv.DIVISIONS.get(o.value, "") for o in lists.divisions},
        },
        "liens": {"marche": f"../{CONTRACTS_SECTION}/"},
    }
    return (
        UpcomingExplorerPage(
            site=SiteInfo.of(data.publisher),
            total=len(rows),
            en_cours=len(open_rows),
            lignes=open_rows[:PAGE_SIZE],
            listes=lists,
            suivi=follow_up(data),
            config=config,
            script=f"../{SCRIPT}",
            donnees="../donnees/",
            aide_cpv=f"../{CPV_SECTION}/",
            abonnement=subscribe_view(page),
        ),
        shards,
    )


def write_upcoming_explorer(ctx: BuildContext, directory: Directory) -> None:
    page, shards = upcoming_explorer(ctx.data, directory)
    for shard in shards:
        ctx.file(f"{UPCOMING_SECTION}/{shard.chemin}", compact_json(shard.contenu))
    ctx.page(
        f"{UPCOMING_SECTION}/index.md",
        "Achats à venir",
        render("explorer_upcoming.html.j2", page=page),
        hide=WIDE,
        feeds=(UPCOMING_FEED, CALENDAR),
    )


# --- CPV helper ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DivisionView:
    division: GroupRow
    groupes: tuple[GroupRow, ...]


@dataclass(frozen=True)
class CpvHelperPage:
    site: SiteInfo
    nomenclature: bool
    divisions: tuple[DivisionView, ...]
    achats: str
    marches: str


def cpv_helper(data: Data, directory: Directory) -> CpvHelperPage:
    page = f"{CPV_SECTION}/"
    pages = {e.code for e in division_entities(data, directory)}
    rows = cpv_rows(data, "../" * page.count("/"), pages)
    divisions = [r for r in rows if len(r.code) == 2]
    return CpvHelperPage(
        site=SiteInfo.of(data.publisher),
        nomenclature=bool(data.nomenclature.labels),
        divisions=tuple(
            DivisionView(d, tuple(g for g in rows if len(g.code) == 3 and g.code[:2] == d.code))
            for d in divisions
        ),
        achats=f"../{UPCOMING_SECTION}/",
        marches=f"../{CONTRACTS_SECTION}/",
    )


def write_cpv_helper(ctx: BuildContext, directory: Directory) -> None:
    page = cpv_helper(ctx.data, directory)
    ctx.page(
        f"{CPV_SECTION}/index.md",
        "Codes CPV : trouver son domaine d'achat",
        render("cpv.html.j2", page=page),
        hide=WIDE,
    )


def produce_explorers(ctx: BuildContext) -> None:
    """Both explorers (pages and data shards) and the CPV helper."""
    directory = build_directory(ctx.data, ctx.contract_pages)
    write_upcoming_explorer(ctx, directory)
    write_contracts_explorer(ctx, directory)
    write_cpv_helper(ctx, directory)
