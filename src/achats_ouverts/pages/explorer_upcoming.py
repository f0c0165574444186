"""The explorer of upcoming purchases (`explorer_upcoming.html.j2`, `/achats-a-venir/`): the
buyer's programme, soonest planned launch first, open purchases on the first page, and how the
programme was carried out so far.

Like the contracts' explorer, a static first page that `site_src/assets/explorateur.js` enhances,
with its data as compact JSON shards (`output.explorer_data`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from achats_ouverts import cpv
from achats_ouverts import vocabulary as v
from achats_ouverts.french import euros, quarter_code, quarter_label, quarter_start
from achats_ouverts.geography import place_label
from achats_ouverts.model import Data, aggregates
from achats_ouverts.output import BuildContext, artifacts, relative_url, render, safe_url, urls
from achats_ouverts.output.explorer_data import (
    PAGE_SIZE,
    SHARD_ROWS,
    UNKNOWN,
    Option,
    Shard,
    chunks,
    compact_json,
    flag,
    indexer,
    isos,
    shard_manifest,
)
from achats_ouverts.output.listing import (
    ListIndex,
    departement_name,
    floats_of,
    to_date,
    to_float,
)
from achats_ouverts.output.site_info import WIDE, SiteInfo, SubscribeView, subscribe_view

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
    root = urls.to_root(page)
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
        "lieuExecution_typeCode",
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
        place = str(r["lieuExecution_nom"])
        if dep and place and place != dep:
            place = f"{place} ({dep})"
        place = place or place_label(str(r["lieuExecution_code"]), str(r["lieuExecution_typeCode"]))
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
    """The upcoming explorer's data, in the default order, in chunks; a purchase's contract as
    the part of its link after the contracts' section (see `liens` in the configuration)."""
    contracts = relative_url(urls.UPCOMING, urls.CONTRACTS)
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
        "marche": [r.marche.removeprefix(contracts) for r in rows],
        "contact": [r.contact for r in rows],
    }
    return [
        Shard(
            urls.upcoming_shard(number),
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


def upcoming_explorer(data: Data, index: ListIndex) -> tuple[UpcomingExplorerPage, list[Shard]]:
    page = urls.UPCOMING
    frame = upcoming_frame(data)
    slugs = dict(zip(index.contracts["uid"], index.contracts["slug"], strict=True))
    rows = upcoming_rows(data, frame, slugs, page, index.contract_link)
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
        "liens": {"marche": relative_url(page, urls.CONTRACTS)},
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
            script=relative_url(page, urls.EXPLORER_SCRIPT),
            donnees=relative_url(page, urls.DATA),
            aide_cpv=relative_url(page, urls.CPV),
            abonnement=subscribe_view(page),
        ),
        shards,
    )


def produce_upcoming_explorer(ctx: BuildContext) -> None:
    """The explorer's page and its data shards; publishes the page's address."""
    page, shards = upcoming_explorer(ctx.data, ctx.get(artifacts.LIST_INDEX))
    for shard in shards:
        ctx.file(urls.UPCOMING + shard.chemin, compact_json(shard.contenu))
    ctx.page(
        urls.UPCOMING,
        "Achats à venir",
        render("explorer_upcoming.html.j2", page=page),
        hide=WIDE,
        feeds=(urls.UPCOMING_FEED, urls.CALENDAR),
    )
    ctx.put(artifacts.UPCOMING_EXPLORER, urls.UPCOMING)
