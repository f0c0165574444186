"""The explorer of upcoming purchases (`explorer_upcoming.html.j2`, `/achats-a-venir/`): the
buyer's programme, what a company can act on first (open consultations by offer deadline, then
the coming launches; past items last), time filters (the next 3, 6 or 12 months, a date range),
« S'abonner à cette recherche » when the filters match a published feed, and how the programme
was carried out so far.

Like the contracts' explorer, a static first page that `site_src/assets/explorateur.js` enhances,
with its data as compact JSON shards (`output.explorer_data`). Each purchase links to its page
(`pages.purchase`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from achats_ouverts import cpv
from achats_ouverts import vocabulary as v
from achats_ouverts.french import french_date, number, quarter_label
from achats_ouverts.model import Data, aggregates
from achats_ouverts.output import BuildContext, artifacts, relative_url, render, urls
from achats_ouverts.output.explorer_data import (
    PAGE_SIZE,
    SHARD_ROWS,
    UNKNOWN,
    Option,
    Shard,
    chunks,
    compact_json,
    indexer,
    isos,
    shard_manifest,
)
from achats_ouverts.output.listing import ListIndex, departement_name, floats_of
from achats_ouverts.output.programme import (
    STATUS_LABELS,
    FeedChoice,
    UpcomingRow,
    feed_choices,
    planned_key,
    upcoming_frame,
    upcoming_rows,
)
from achats_ouverts.output.site_info import WIDE, SiteInfo, SubscribeView, subscribe_view

AMOUNT_BANDS: tuple[tuple[str, str, float, float | None], ...] = (
    ("moins-100k", "Moins de 100 000 €", 0, 100_000),
    ("100k-500k", "De 100 000 à 500 000 €", 100_000, 500_000),
    ("500k-2m", "De 500 000 € à 2 millions d'euros", 500_000, 2_000_000),
    ("plus-2m", "Plus de 2 millions d'euros", 2_000_000, None),
)
"""Bands of the upcoming purchases' amount filter: [low, high) in euros HT. An estimate given as a
range belongs to every band it overlaps."""
PERIODS = (3, 6, 12)
"""The « next months » a company can choose: from the data's reference date."""
DEFAULT_SORT = "Par échéance : consultations en cours, puis lancements à venir"


def months_later(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it has no such day)."""
    moment: pd.Timestamp = pd.Timestamp(day) + pd.DateOffset(months=months)
    return moment.date()


@dataclass(frozen=True)
class Period:
    """A time filter: the purchases a company can act on between `debut` and `fin`."""

    code: str
    libelle: str
    debut: date
    fin: date


def periods(reference: date) -> tuple[Period, ...]:
    """« Dans les 3 prochains mois (jusqu'au 1er février 2027) »…, from the reference date."""
    return tuple(
        Period(
            f"{n}-mois",
            f"Dans les {n} prochains mois (jusqu'au {french_date(months_later(reference, n))})",
            reference,
            months_later(reference, n),
        )
        for n in PERIODS
    )


@dataclass(frozen=True)
class UpcomingLists:
    categories: tuple[str, ...]
    divisions: tuple[Option, ...]
    trimestres: tuple[Option, ...]
    periodes: tuple[Period, ...]
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
        Option("limite", "Date limite de remise des offres, la plus proche d'abord"),
        Option("date-asc", "Lancement prévu, du plus proche au plus lointain"),
        Option("date-desc", "Lancement prévu, du plus lointain au plus proche"),
        Option("montant-desc", "Montant estimé, du plus élevé au plus faible"),
        Option("montant-asc", "Montant estimé, du plus faible au plus élevé"),
    )

    @property
    def choix_periodes(self) -> tuple[Option, ...]:
        return tuple(Option(p.code, p.libelle) for p in self.periodes)


def upcoming_lists(data: Data, frame: pd.DataFrame) -> UpcomingLists:
    """The options of the filters. Quarters are those of the purchases the list shows by
    default (open ones): choosing one never gives an empty list."""
    open_rows = frame[aggregates.is_open(frame)]
    divisions = sorted({c[:2] for c in frame["codeCPV"] if c})
    quarters = sorted({q for q in open_rows["trimestre"] if q})
    deps = sorted({d for d in frame["departement"] if d})
    services = data.services.sort_values("service_id")
    return UpcomingLists(
        v.CATEGORIES_ACHAT,
        tuple(Option(d, f"{d} – {cpv.DIVISIONS.get(d, 'division ' + d)}") for d in divisions),
        tuple(Option(q, quarter_label(q)) for q in quarters),
        periods(data.reference_date),
        tuple(Option(d, f"{departement_name(d)} ({d})") for d in deps),
        v.PROCEDURES,
        tuple(Option(s, STATUS_LABELS[s]) for s in aggregates.STATES),
        (
            Option("tous", "Tous, quel que soit l'avancement"),
            *(Option(s, STATUS_LABELS[s]) for s in aggregates.STATES),
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
    """The upcoming explorer's data, in the default order, in chunks; a purchase's page and its
    contract as the part of their link after the explorer's and the contracts' sections (see
    `liens` in the configuration)."""
    contracts = relative_url(urls.UPCOMING, urls.CONTRACTS)
    categories = indexer(lists.categories)
    services = indexer([o.value for o in lists.services])
    procedures = indexer(lists.procedures)
    deps = indexer([o.value for o in lists.departements])
    statuses = indexer([o.value for o in lists.statuts])
    columns: dict[str, list[Any]] = {
        "id": frame["id"].tolist(),
        "lien": frame["segment"].tolist(),
        "objet": frame["objet"].tolist(),
        "service": [services.get(s, UNKNOWN) for s in frame["service_id"]],
        "categorie": [categories.get(c, UNKNOWN) for c in frame["categorie"]],
        "cpv": [c[:8] for c in frame["codeCPV"]],
        "prevue": isos(frame["dateLancementPrevue"]),
        "trimestre": frame["trimestre"].tolist(),
        "planifie": [
            planned_key(r.prevue, q) for r, q in zip(rows, frame["trimestre"], strict=True)
        ],
        "montant": floats_of(frame["montantEstime"]),
        "min": floats_of(frame["montantEstimeMin"]),
        "max": floats_of(frame["montantEstimeMax"]),
        "montantTri": floats_of(frame["montant_tri"]),
        "procedure": [procedures.get(p, UNKNOWN) for p in frame["procedurePrevue"]],
        "lieu": [r.lieu for r in rows],
        "departement": [deps.get(d, UNKNOWN) for d in frame["departement"]],
        "reserve": [int(r.reserve) for r in rows],
        "pme": [int(r.pme) for r in rows],
        "statut": [statuses.get(s, UNKNOWN) for s in frame["etat"]],
        "retard": [int(r.en_retard) for r in rows],
        "annonce": isos(frame["dateAnnonce"]),
        "lancement": isos(frame["dateLancement"]),
        "limite": isos(frame["dateLimiteRemiseOffres"]),
        "debut": isos(frame["debut"]),
        "fin": isos(frame["fin"]),
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
class SearchFeed:
    """The feed of a search (the explorer's filters): its companion page and address."""

    titre: str
    page: str
    href: str


def search_feeds(choices: Sequence[FeedChoice], page: str) -> list[dict[str, Any]]:
    """Every feed of upcoming purchases as the script matches it against the filters."""
    return [
        {
            "filtres": dict(c.filtres),
            "titre": c.titre,
            "page": relative_url(page, c.page),
            "href": relative_url(page, c.chemin),
        }
        for c in choices
    ]


@dataclass(frozen=True)
class UpcomingExplorerPage:
    site: SiteInfo
    total: int
    en_cours: int
    compte: str
    lignes: tuple[UpcomingRow, ...]
    listes: UpcomingLists
    tri_par_defaut: str
    suivi: FollowUp
    config: dict[str, Any]
    script: str
    donnees: str
    aide_cpv: str
    flux_recherche: SearchFeed
    abonnement: SubscribeView


def static_count(open_count: int, shown: int) -> str:
    """What the page says it shows before the script runs (or without it)."""
    many = "s" if open_count > 1 else ""
    text = f"{number(open_count)} achat{many} prévu{many} ou en consultation, par échéance"
    if shown < open_count:
        text += f" ; les {number(shown)} premiers sont affichés"
    return text + "."


def upcoming_explorer(data: Data, index: ListIndex) -> tuple[UpcomingExplorerPage, list[Shard]]:
    page = urls.UPCOMING
    frame = upcoming_frame(data)
    slugs = dict(zip(index.contracts["uid"], index.contracts["slug"], strict=True))
    rows = upcoming_rows(data, frame, slugs, page, index.contract_link)
    lists = upcoming_lists(data, frame)
    shards = upcoming_shards(frame, rows, lists)
    open_rows = tuple(r for r in rows if r.statut in aggregates.OPEN_STATUSES)
    choices = feed_choices(data)
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
            "periode": [
                [p.code, p.libelle, p.debut.isoformat(), p.fin.isoformat()] for p in lists.periodes
            ],
            "statutsEnCours": list(aggregates.OPEN_STATUSES),
            "cpv": {o.value: cpv.DIVISIONS.get(o.value, "") for o in lists.divisions},
        },
        "liens": {
            "achat": urls.to_root(page) + urls.UPCOMING,
            "marche": relative_url(page, urls.CONTRACTS),
        },
        "flux": search_feeds(choices, page),
        "fluxTous": relative_url(page, urls.FEEDS),
    }
    everything = choices[0]
    shown = open_rows[:PAGE_SIZE]
    return (
        UpcomingExplorerPage(
            site=SiteInfo.of(data.publisher),
            total=len(rows),
            en_cours=len(open_rows),
            compte=static_count(len(open_rows), len(shown)),
            lignes=shown,
            listes=lists,
            tri_par_defaut=DEFAULT_SORT,
            suivi=follow_up(data),
            config=config,
            script=relative_url(page, urls.EXPLORER_SCRIPT),
            donnees=relative_url(page, urls.DATA),
            aide_cpv=relative_url(page, urls.CPV),
            flux_recherche=SearchFeed(
                everything.titre,
                relative_url(page, everything.page),
                relative_url(page, everything.chemin),
            ),
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
