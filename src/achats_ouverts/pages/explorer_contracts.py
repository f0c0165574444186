"""The explorer of awarded contracts (`explorer_contracts.html.j2`, `/marches/`).

The page is a MkDocs page whose first page of results is a static HTML table (enough without
JavaScript); `site_src/assets/explorateur.js` then adds filters, sorting, paging and the filter
state in the URL. Its data is written as compact JSON shards (`output.explorer_data`), one or more
per year of notification, listed in the page's configuration: a filtered view loads only the
shards it needs, and the first view loads none.

Amounts: the filters and the sort by amount read the amount at notification; each row also
carries the current amount and its change when a modification changed it, so that the explorer
can sort by increase, keep the modified contracts, and give both totals of what it lists.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from achats_ouverts import cpv
from achats_ouverts import vocabulary as v
from achats_ouverts.french import euros
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
    flag,
    indexer,
    isos,
    shard_manifest,
)
from achats_ouverts.output.listing import (
    ContractRow,
    ListIndex,
    contract_rows,
    departement_name,
    floats_of,
)
from achats_ouverts.output.site_info import WIDE, SiteInfo, SubscribeView, subscribe_view

MARK = "AO-SEGMENT"
"""Where a contract's page segment goes in the link the explorer script completes."""


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
    modifie: tuple[Option, ...] = (
        Option("oui", "Modifiés (au moins une modification)"),
        Option("montant", "Dont le montant a changé"),
        Option("non", "Jamais modifiés"),
    )
    tris: tuple[Option, ...] = (
        Option("montant-desc", "Montant à la notification, du plus élevé au plus faible"),
        Option("montant-asc", "Montant à la notification, du plus faible au plus élevé"),
        Option("hausse-desc", "Hausse du montant depuis la notification, de la plus forte"),
        Option("date-asc", "Date de notification, de la plus ancienne à la plus récente"),
    )


def contract_links(index: ListIndex) -> dict[str, str]:
    """How the explorer script links a row to its contract: prefix + page segment + suffix (the
    contract's page, or the explorer filtered on it when contracts have no page)."""
    prefix, _, suffix = index.contract_link(urls.to_root(urls.CONTRACTS), MARK).partition(MARK)
    return {"marche": prefix, "marcheSuffixe": suffix}


def contract_lists(data: Data, index: ListIndex) -> ContractLists:
    frame = index.contracts
    years = sorted({int(y) for y in frame["annee"].dropna()}, reverse=True)
    divisions = sorted({d for d in frame["cpv_division"].fillna("") if d})
    deps = sorted({d for d in frame["departement"] if d})
    return ContractLists(
        tuple(years),
        tuple(Option(d, f"{d} – {cpv.DIVISIONS.get(d, 'division ' + d)}") for d in divisions),
        v.PROCEDURES,
        v.NATURES,
        tuple(Option(k, name) for k, name in sorted(index.services.items())),
        tuple(Option(d, f"{departement_name(d)} ({d})") for d in deps),
    )


def contract_shards(index: ListIndex, lists: ContractLists) -> list[Shard]:
    """The contracts explorer's data, in the default order (latest first), by year, in chunks."""
    frame = index.contracts
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
        "actuel": [
            None if now == then else now
            for then, now in zip(
                floats_of(frame["montant"]), floats_of(frame["montantActuel"]), strict=True
            )
        ],
        "hausse": floats_of(frame["hausse"]),
        "modifications": [int(n) for n in frame["modifications"]],
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
            shards.append(contract_shard(index, columns, years[start], number, lo, hi))
        start = end
    return shards


def contract_shard(
    index: ListIndex,
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
        for key in index.suppliers_of.get(uid, ()):
            if key not in names:
                names[key] = len(names)
            row.append(names[key])
        holders.append(row)
    noms = []
    for key in names:
        info = index.suppliers[key]
        noms.append([info.nom, info.identifier, info.slug])
    content = {name: values[lo:hi] for name, values in columns.items() if name != "uid"}
    content["titulaires"] = holders
    content["noms"] = noms
    label = "sans-date" if year is None else str(year)
    return Shard(urls.contract_shard(label, number), year, hi - lo, content)


def totals_text(at_notification: float, current: float) -> str:
    """The totals of a list of contracts, as the explorer script also writes them
    (`explorateur.js`, `totalsText`)."""
    return (
        f"Montant total à la notification : {euros(at_notification)} HT ; "
        f"montant actuel : {euros(current)} HT."
    )


@dataclass(frozen=True)
class ContractsExplorerPage:
    site: SiteInfo
    total: int
    montants: str
    """Both totals of all the contracts (`totals_text`)."""
    lignes: tuple[ContractRow, ...]
    listes: ContractLists
    config: dict[str, Any]
    script: str
    donnees: str
    index_services: str
    index_cpv: str
    index_departements: str
    abonnement: SubscribeView


def contracts_explorer(data: Data, index: ListIndex) -> tuple[ContractsExplorerPage, list[Shard]]:
    page = urls.CONTRACTS
    lists = contract_lists(data, index)
    shards = contract_shards(index, lists)
    config = {
        "type": "marches",
        "total": len(index.contracts),
        "parPage": PAGE_SIZE,
        "morceaux": shard_manifest(shards),
        "listes": {
            "procedure": list(lists.procedures),
            "nature": list(lists.natures),
            "service": [[o.value, o.label] for o in lists.services],
            "departement": [[o.value, o.label] for o in lists.departements],
        },
        "liens": {
            **contract_links(index),
            "titulaire": relative_url(page, urls.SUPPLIERS),
        },
    }
    return (
        ContractsExplorerPage(
            site=SiteInfo.of(data.publisher),
            total=len(index.contracts),
            montants=totals_text(
                float(index.contracts["montant"].sum()),
                float(index.contracts["montantActuel"].sum()),
            ),
            lignes=contract_rows(index, index.contracts.iloc[:PAGE_SIZE], page),
            listes=lists,
            config=config,
            script=relative_url(page, urls.EXPLORER_SCRIPT),
            donnees=relative_url(page, urls.DATA),
            index_services=relative_url(page, urls.SERVICES),
            index_cpv=relative_url(page, urls.CPV),
            index_departements=relative_url(page, urls.DEPARTEMENTS),
            abonnement=subscribe_view(page),
        ),
        shards,
    )


def produce_contracts_explorer(ctx: BuildContext) -> None:
    """The explorer's page and its data shards; publishes the page's address."""
    page, shards = contracts_explorer(ctx.data, ctx.get(artifacts.LIST_INDEX))
    for shard in shards:
        ctx.file(urls.CONTRACTS + shard.chemin, compact_json(shard.contenu))
    ctx.page(
        urls.CONTRACTS,
        "Marchés attribués",
        render("explorer_contracts.html.j2", page=page),
        hide=WIDE,
        feeds=(urls.AWARDED_FEED,),
    )
    ctx.put(artifacts.CONTRACTS_EXPLORER, urls.CONTRACTS)
