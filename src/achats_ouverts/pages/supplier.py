"""The suppliers: their entry page (`supplier_index.html.j2`, `/titulaires/`) with those that
received the most, and one page per supplier holding a contract (`supplier.html.j2`,
`/titulaires/<id>/`) with its figures by year and its latest contracts, rendered straight into the
theme's shell after MkDocs.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import pandas as pd
from markupsafe import Markup

from achats_ouverts.french import number
from achats_ouverts.model import Data, aggregates
from achats_ouverts.model.indicators import running_year
from achats_ouverts.output import BuildContext, artifacts, charts, relative_url, render, urls
from achats_ouverts.output.listing import (
    ContractRow,
    ListIndex,
    RowMaker,
    SupplierKey,
    SupplierTotal,
    supplier_view,
    top_suppliers,
)
from achats_ouverts.output.site_info import WIDE, Citation, SiteInfo

SUPPLIER_CONTRACTS = 100
"""Contracts listed on a supplier page before pointing to the explorer."""
TOP_SUPPLIERS_INDEX = 100
"""Suppliers listed on the entry page."""


@dataclass(frozen=True)
class SupplierProfileRow:
    annee: str
    marches: int
    montant: float
    part_titulaire: float
    part_environnement: float | None
    part_sociale: float | None


@dataclass(frozen=True)
class SupplierPage:
    site: SiteInfo
    nom: str
    type_identifiant: str
    identifiant: str
    categorie: str
    lieu: str
    annuaire: str
    reference: bool
    marches: int
    montant: float
    annees: tuple[SupplierProfileRow, ...]
    graphique: Markup | None
    phrase: str
    contrats: tuple[ContractRow, ...]
    explorateur: str
    citation: Citation


def supplier_links_frame(data: Data, index: ListIndex) -> pd.DataFrame:
    """One row per (contract, supplier) in the default contract order, with the supplier's
    equal share of the amount and the contract's year and considerations."""
    frame = index.contracts
    position = pd.Series(range(len(frame)), index=frame["uid"].to_numpy())
    cs = data.contract_suppliers
    order = position.reindex(cs["uid"]).to_numpy()
    links = pd.DataFrame(
        {
            "uid": cs["uid"].to_numpy(),
            "kind": cs["titulaire_typeIdentifiant"].to_numpy(),
            "ident": cs["titulaire_id"].to_numpy(),
            "position": order,
        }
    ).dropna(subset=["position"])
    links["position"] = links["position"].astype("int64")
    count = links.groupby("uid")["uid"].transform("size").to_numpy()
    picked = frame.iloc[links["position"].to_numpy()]
    env = aggregates.has_environmental_consideration(picked)
    soc = aggregates.has_social_consideration(picked)
    amount = picked["montant"].fillna(0.0).to_numpy()
    links = links.assign(
        annee=picked["annee"].to_numpy(),
        montant=amount,
        part=amount / count,
        env_connus=env.notna().to_numpy(dtype=int),
        env_oui=env.fillna(False).to_numpy(dtype=int),
        soc_connus=soc.notna().to_numpy(dtype=int),
        soc_oui=soc.fillna(False).to_numpy(dtype=int),
    )
    return links.sort_values(["kind", "ident", "position"], kind="stable")


def supplier_pages(
    data: Data, index: ListIndex, share: tuple[int, int] = (0, 1)
) -> Iterator[tuple[str, SupplierPage]]:
    """(slug, page context) of every supplier holding a contract; with `share` (k, n), only the
    suppliers whose rank is k modulo n."""
    root = urls.to_root(urls.supplier("x"))
    site = SiteInfo.of(data.publisher)
    links = supplier_links_frame(data, index)
    yearly = (
        links.dropna(subset=["annee"])
        .groupby(["kind", "ident", "annee"], sort=True)
        .agg(
            marches=("uid", "size"),
            montant=("montant", "sum"),
            part=("part", "sum"),
            env_connus=("env_connus", "sum"),
            env_oui=("env_oui", "sum"),
            soc_connus=("soc_connus", "sum"),
            soc_oui=("soc_oui", "sum"),
        )
        .reset_index()
    )
    by_supplier: dict[SupplierKey, list[SupplierProfileRow]] = {}
    for kind, ident, year, count, amount, part, env_n, env_y, soc_n, soc_y in zip(
        *(yearly[c].to_list() for c in yearly.columns), strict=True
    ):
        by_supplier.setdefault((kind, ident), []).append(
            SupplierProfileRow(
                str(int(year)),
                int(count),
                float(amount),
                float(part),
                aggregates.ratio(float(env_y), float(env_n)),
                aggregates.ratio(float(soc_y), float(soc_n)),
            )
        )
    positions = links["position"].to_list()
    kinds = links["kind"].to_list()
    idents = links["ident"].to_list()
    amounts = links["montant"].to_list()
    maker = RowMaker(index, index.contracts, root)
    running = running_year(data.reference_date)
    start = 0
    total = len(links)
    rank = -1
    while start < total:
        end = start
        key = (kinds[start], idents[start])
        while end < total and kinds[end] == key[0] and idents[end] == key[1]:
            end += 1
        rank += 1
        if rank % share[1] != share[0]:
            start = end
            continue
        info = index.suppliers[key]
        years = by_supplier.get(key, [])
        if len(years) > 1:
            years = [*years, total_supplier_row(years)]
        view = supplier_view(index, key, root)
        by_year = tuple(
            charts.YearAmount(r.annee, r.marches, r.montant) for r in years if r.annee != "Total"
        )
        chart, sentence = (
            charts.yearly_chart("graphique-annees", info.nom, by_year, running)
            if len(by_year) > 1
            else (None, "")
        )
        yield (
            info.slug,
            SupplierPage(
                site=site,
                nom=info.nom,
                type_identifiant=info.kind,
                identifiant=info.identifier,
                categorie=info.categorie,
                lieu=view.lieu,
                annuaire=view.annuaire,
                reference=info.known,
                marches=end - start,
                montant=float(sum(amounts[start:end])),
                annees=tuple(years),
                graphique=chart,
                phrase=sentence,
                contrats=tuple(
                    maker.row(p) for p in positions[start : min(end, start + SUPPLIER_CONTRACTS)]
                ),
                explorateur=root + urls.explorer(urls.CONTRACTS, titulaire=info.identifier),
                citation=Citation(
                    f"Marchés attribués à {info.nom}",
                    site.nom,
                    data.reference_date,
                    site.url_site + urls.supplier(info.slug),
                ),
            ),
        )
        start = end


def total_supplier_row(rows: list[SupplierProfileRow]) -> SupplierProfileRow:
    def share(pairs: Iterable[tuple[float | None, int]]) -> float | None:
        known = [(p, n) for p, n in pairs if p is not None]
        weight = sum(n for _, n in known)
        return None if weight == 0 else sum(p * n for p, n in known) / weight

    return SupplierProfileRow(
        "Total",
        sum(r.marches for r in rows),
        sum(r.montant for r in rows),
        sum(r.part_titulaire for r in rows),
        share((r.part_environnement, r.marches) for r in rows),
        share((r.part_sociale, r.marches) for r in rows),
    )


def write_supplier_pages(ctx: BuildContext, share: tuple[int, int] = (0, 1)) -> list[str]:
    """One page per supplier holding at least one contract (or the `share` of them), rendered
    into the shell of their section. Returns their addresses."""
    return [
        ctx.direct(
            urls.supplier(slug),
            page.nom,
            render("supplier.html.j2", page=page),
            f"{page.nom} : {number(page.marches)} marché(s) de {ctx.data.publisher.nom}.",
        )
        for slug, page in supplier_pages(ctx.data, ctx.get(artifacts.LIST_INDEX), share)
    ]


@dataclass(frozen=True)
class SupplierIndexPage:
    site: SiteInfo
    titulaires: int
    premiers: tuple[SupplierTotal, ...]
    explorateur: str


def supplier_index(data: Data, index: ListIndex) -> SupplierIndexPage:
    """The suppliers' entry page: how many there are and those that received the most."""
    everything = pd.Series("", index=index.contracts.index, dtype=object)
    top = top_suppliers(
        data, index, everything, urls.to_root(urls.SUPPLIERS), limit=TOP_SUPPLIERS_INDEX
    )
    keys = data.contract_suppliers[["titulaire_typeIdentifiant", "titulaire_id"]]
    return SupplierIndexPage(
        SiteInfo.of(data.publisher),
        len(keys.drop_duplicates()),
        top.get("", ()),
        relative_url(urls.SUPPLIERS, urls.CONTRACTS),
    )


def produce_supplier_index(ctx: BuildContext) -> None:
    """The suppliers' entry page (a MkDocs page outside the navigation)."""
    page = supplier_index(ctx.data, ctx.get(artifacts.LIST_INDEX))
    ctx.page(
        urls.SUPPLIERS,
        "Entreprises titulaires",
        render("supplier_index.html.j2", page=page),
        hide=WIDE,
    )
