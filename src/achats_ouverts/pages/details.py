"""Detail pages: one page per contract (`/marches/<uid>/`) and per supplier (`/titulaires/<id>/`),
rendered directly into the theme's shells after MkDocs: there may be hundreds of thousands.

`Directory` holds, computed once per stage, what every list of contracts needs (default order,
address of each page, suppliers' names); page contexts hold plain values only.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple
from urllib.parse import urlencode

import pandas as pd

from achats_ouverts import cpv
from achats_ouverts import vocabulary as v
from achats_ouverts.datafolder import schemas
from achats_ouverts.french import euros, french_date, number, percent
from achats_ouverts.model import Data, aggregates
from achats_ouverts.output import BuildContext, in_other_process, path_segment, render
from achats_ouverts.pages.base import SiteInfo

CONTRACTS_SECTION = "marches"
SUPPLIERS_SECTION = "titulaires"
SERVICES_SECTION = "services"
CPV_SECTION = "cpv"
DEPARTEMENTS_SECTION = "departements"
UPCOMING_SECTION = "achats-a-venir"
ANNUAIRE_URL = "https://annuaire-entreprises.data.gouv.fr/etablissement/"
DICTIONARY_PAGE = "donnees/marches/"
"""The data dictionary of marches.csv (a stable address published by the downloads)."""
PAGE_CHUNK = 5_000
"""Contracts whose page contexts are prepared together (small enough that two processes get an
even share of the chunks)."""
SUPPLIER_CONTRACTS = 100
"""Contracts listed on a supplier page before pointing to the explorer."""
TITLE_LENGTH = 150
NOT_FILLED = "Non renseigné"
WIDE = ("navigation", "toc")
"""Pages made of wide tables hide the theme's side columns (both are empty on them anyway)."""

SupplierKey = tuple[str, str]


def supplier_slug(kind: str, identifier: str) -> str:
    """The page segment of a supplier: its SIRET, or `TYPE-identifiant` for other identifiers."""
    return path_segment(identifier if kind == "SIRET" else f"{kind}-{identifier}")


def query(**params: str) -> str:
    """A query string for an explorer's filters, e.g. `service=lycees`."""
    return urlencode(params)


def root_prefix(page: str) -> str:
    """The relative path from `page` (e.g. `marches/x/`) to the site root (`../../`)."""
    return "../" * page.count("/")


def departement_name(code: str) -> str:
    return v.DEPARTEMENTS.get(code, f"Département {code}")


def short_title(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= TITLE_LENGTH else text[: TITLE_LENGTH - 1].rstrip() + "…"


def to_date(value: Any) -> date | None:
    return None if pd.isna(value) else pd.Timestamp(value).date()


def to_float(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


# --- The directory shared by every list ---------------------------------------------------------


@dataclass(frozen=True)
class SupplierInfo:
    kind: str
    identifier: str
    nom: str
    slug: str
    categorie: str
    commune: str
    departement: str
    region: str
    known: bool


@dataclass(frozen=True)
class Directory:
    """Contracts in the default list order (latest notification first, then uid), with the page
    segment `slug` and execution `departement` of each; suppliers by key; each contract's
    suppliers; services' names."""

    contracts: pd.DataFrame
    suppliers: dict[SupplierKey, SupplierInfo]
    suppliers_of: dict[str, tuple[SupplierKey, ...]]
    services: dict[str, str]
    contract_pages: bool = True
    """Whether each contract has a page; else links go to the explorer filtered on it."""

    def contract_link(self, root: str, slug: str) -> str:
        """The address of a contract, from a page whose path to the site root is `root`."""
        if self.contract_pages:
            return f"{root}{CONTRACTS_SECTION}/{slug}/"
        return f"{root}{CONTRACTS_SECTION}/?{query(recherche=slug)}"


def default_order(frame: pd.DataFrame) -> pd.DataFrame:
    """Latest notification first, ties (and missing dates, last) by uid."""
    return frame.sort_values(
        ["dateNotification", "uid"], ascending=[False, True], na_position="last", kind="stable"
    )


def build_directory(data: Data, contract_pages: bool = True) -> Directory:
    frame = default_order(data.contracts)
    frame = frame.assign(
        slug=[path_segment(uid) for uid in frame["uid"]],
        departement=aggregates.execution_departement(
            frame["lieuExecution_code"], frame["lieuExecution_typeCode"]
        ),
    )
    suppliers: dict[SupplierKey, SupplierInfo] = {}
    ref = data.suppliers
    for kind, ident, nom, cat, commune, dep, reg in zip(
        ref["titulaire_typeIdentifiant"],
        ref["titulaire_id"],
        ref["titulaire_nom"],
        ref["titulaire_categorie"],
        ref["titulaire_commune_nom"],
        ref["titulaire_departement_code"],
        ref["titulaire_region_code"],
        strict=True,
    ):
        suppliers[(kind, ident)] = SupplierInfo(
            kind, ident, nom, supplier_slug(kind, ident), cat, commune, dep, reg, True
        )
    links: dict[str, list[SupplierKey]] = {}
    cs = data.contract_suppliers
    for uid, kind, ident in zip(
        cs["uid"], cs["titulaire_typeIdentifiant"], cs["titulaire_id"], strict=True
    ):
        key = (kind, ident)
        links.setdefault(uid, []).append(key)
        if key not in suppliers:
            suppliers[key] = SupplierInfo(
                kind, ident, ident, supplier_slug(kind, ident), "", "", "", "", False
            )
    services = dict(zip(data.services["service_id"], data.services["service_nom"], strict=True))
    return Directory(
        frame,
        suppliers,
        {k: tuple(keys) for k, keys in links.items()},
        services,
        contract_pages,
    )


@dataclass(frozen=True)
class Link:
    text: str
    href: str


@dataclass(frozen=True)
class ContractRow:
    """A contract in a list: notification date, object (link to its page), suppliers, service,
    current amount."""

    notification: date | None
    objet: str
    href: str
    titulaires: tuple[Link, ...]
    service: str
    montant: float | None


def dates_of(series: pd.Series) -> list[date | None]:
    """A datetime column as dates, None where missing."""
    return [None if pd.isna(d) else d for d in series.dt.date.to_list()]


def floats_of(series: pd.Series) -> list[float | None]:
    return [None if x != x else float(x) for x in series.to_list()]


class RowMaker:
    """Makes the list row of any contract of `frame` on demand, links starting with `root` (the
    path from the page to the site root). Holds only references to the frame's values, so that a
    million contracts do not become a million row objects at once."""

    def __init__(self, directory: Directory, frame: pd.DataFrame, root: str) -> None:
        self.directory = directory
        self.root = root
        self.uids = frame["uid"].to_list()
        self.slugs = frame["slug"].to_list()
        self.objets = frame["objet"].to_list()
        self.dates = dates_of(frame["dateNotification"])
        self.services = frame["acheteur_service_id"].to_list()
        self.amounts = floats_of(frame["montant"])
        self.links: dict[SupplierKey, Link] = {}

    def supplier_link(self, key: SupplierKey) -> Link:
        found = self.links.get(key)
        if found is None:
            info = self.directory.suppliers[key]
            found = Link(info.nom, f"{self.root}{SUPPLIERS_SECTION}/{info.slug}/")
            if len(self.links) < 100_000:
                self.links[key] = found
        return found

    def row(self, i: int) -> ContractRow:
        return ContractRow(
            self.dates[i],
            self.objets[i],
            self.directory.contract_link(self.root, self.slugs[i]),
            tuple(
                self.supplier_link(key) for key in self.directory.suppliers_of.get(self.uids[i], ())
            ),
            self.directory.services.get(self.services[i], ""),
            self.amounts[i],
        )


def list_rows(directory: Directory, frame: pd.DataFrame, root: str) -> list[ContractRow]:
    """List rows for `frame` (rows of `directory.contracts`), links starting with `root`."""
    maker = RowMaker(directory, frame, root)
    return [maker.row(i) for i in range(len(frame))]


def contract_rows(directory: Directory, frame: pd.DataFrame, page: str) -> tuple[ContractRow, ...]:
    """List rows for `frame` (a slice of `directory.contracts`), with links relative to `page`."""
    return tuple(list_rows(directory, frame, root_prefix(page)))


# --- Contract pages -----------------------------------------------------------------------------


SHOWN_ABOVE = frozenset(
    {
        "objet",
        "montant",
        "dateNotification",
        "dureeMois",
        "acheteur_service_id",
        "codeCPV",
        "lieuExecution_code",
        "lieuExecution_typeCode",
    }
)
"""Fields a contract page shows in its title and summary, so not again in its list of the other
fields: each published value appears once on the page."""


class FieldRow(NamedTuple):
    titre: str
    valeur: str


@dataclass(frozen=True)
class SupplierView:
    nom: str
    href: str
    type_identifiant: str
    identifiant: str
    categorie: str
    lieu: str
    annuaire: str


@dataclass(frozen=True)
class ModificationView:
    numero: int
    notification: date | None
    publication: date | None
    montant: float | None
    duree: int | None
    titulaires: tuple[Link, ...]


@dataclass(frozen=True)
class ContractPage:
    site: SiteInfo
    uid: str
    objet: str
    titre: str
    montant: float | None
    notification: date | None
    duree: int | None
    service: Link | None
    cpv_code: str
    cpv_libelle: str
    cpv: Link | None
    lieu: str
    departement: Link | None
    titulaires: tuple[SupplierView, ...]
    modifications: tuple[ModificationView, ...]
    champs: tuple[FieldRow, ...]
    achat_prevu: Link | None
    dictionnaire: str


def format_field(kind: str, name: str, raw: str) -> str:
    """A validated CSV cell shown in French."""
    if raw == "":
        return NOT_FILLED
    if kind == "date":
        return french_date(raw)
    if kind == "boolean":
        return "Oui" if raw == "true" else "Non"
    if kind == "integer":
        return number(int(raw))
    if kind == "number":
        if name in ("montant",):
            return euros(float(raw), cents=True)
        return percent(float(raw) * 100, 0 if float(raw) * 100 == round(float(raw) * 100) else 1)
    return raw


def formatted_column(kind: str, name: str, raw: list[str], done: dict[str, str]) -> list[str]:
    """`format_field` over a column, each distinct value formatted once (`done` keeps them
    between calls, up to 100 000)."""
    out = []
    for value in raw:
        text = done.get(value)
        if text is None:
            text = format_field(kind, name, value)
            if len(done) < 100_000:
                done[value] = text
        out.append(text)
    return out


def supplier_view(directory: Directory, key: SupplierKey, root: str) -> SupplierView:
    info = directory.suppliers[key]
    place = info.commune
    if info.departement:
        name = departement_name(info.departement)
        if name == info.commune:
            place = f"{name} ({info.departement})"
        else:
            place = ", ".join(p for p in (info.commune, f"{name} ({info.departement})") if p)
    return SupplierView(
        info.nom,
        f"{root}{SUPPLIERS_SECTION}/{info.slug}/",
        info.kind,
        info.identifier,
        info.categorie,
        place,
        f"{ANNUAIRE_URL}{info.identifier}" if info.kind == "SIRET" else "",
    )


def parse_supplier_list(value: str) -> tuple[SupplierKey, ...]:
    """`SIRET:123, TVA:BE45` (modifications.csv) as keys."""
    keys = []
    for item in value.split(v.MULTI_SEPARATOR):
        kind, _, ident = item.strip().partition(":")
        if ident:
            keys.append((kind, ident))
    return tuple(keys)


def modification_views(
    data: Data, directory: Directory, root: str
) -> dict[str, tuple[ModificationView, ...]]:
    mods = data.modifications.sort_values(["uid", "modification_id"], kind="stable")
    result: dict[str, list[ModificationView]] = {}
    for uid, num, day, pub, amount, duration, holders in zip(
        mods["uid"],
        mods["modification_id"],
        mods["dateNotificationModification"],
        mods["datePublicationDonneesModification"],
        mods["montant"],
        mods["dureeMois"],
        mods["titulaires"],
        strict=True,
    ):
        links = []
        for key in parse_supplier_list(holders):
            info = directory.suppliers.get(key)
            if info is None:
                links.append(Link(f"{key[0]} {key[1]}", ""))
            else:
                links.append(Link(info.nom, f"{root}{SUPPLIERS_SECTION}/{info.slug}/"))
        result.setdefault(uid, []).append(
            ModificationView(
                int(num),
                to_date(day),
                to_date(pub),
                to_float(amount),
                None if pd.isna(duration) else int(duration),
                tuple(links),
            )
        )
    return {uid: tuple(views) for uid, views in result.items()}


def upcoming_by_contract(data: Data) -> dict[str, str]:
    """The programme line each awarded contract came from (uid -> purchase id)."""
    up = data.upcoming
    chosen = up[up["uidMarche"] != ""]
    return dict(zip(chosen["uidMarche"], chosen["id"], strict=True))


def contract_pages(
    data: Data, directory: Directory, share: tuple[int, int] = (0, 1)
) -> Iterator[tuple[str, ContractPage]]:
    """(slug, page context) of every contract, in the default order, prepared `PAGE_CHUNK`
    contracts at a time so that memory does not grow with the number of contracts.

    `share` (k, n): only the chunks whose number is k modulo n, so that n processes can share
    the work."""
    root = root_prefix(f"{CONTRACTS_SECTION}/x/")
    site = SiteInfo.of(data.publisher)
    ds = schemas.dataset("marches")
    kinds: list[tuple[str, str, str]] = [
        (f["name"], f["type"], f["title"]) for f in ds.fields if f["name"] not in SHOWN_ABOVE
    ]
    titles = [title for _, _, title in kinds]
    caches: list[dict[str, str]] = [{} for _ in kinds]
    text = data.text["marches"]
    mods = modification_views(data, directory, root)
    planned = upcoming_by_contract(data)
    services = {
        sid: Link(nom, f"{root}{SERVICES_SECTION}/{sid}/")
        for sid, nom in directory.services.items()
    }
    divisions = {
        code: Link(f"Division {code} : {label}", f"{root}{CPV_SECTION}/{code}/")
        for code, label in cpv.DIVISIONS.items()
    }
    deps: dict[str, Link] = {}
    views: dict[SupplierKey, SupplierView] = {}
    for lo in range(0, len(directory.contracts), PAGE_CHUNK):
        if (lo // PAGE_CHUNK) % share[1] != share[0]:
            continue
        frame = directory.contracts.iloc[lo : lo + PAGE_CHUNK]
        part = text.loc[frame.index]
        columns = [
            formatted_column(kind, name, part[name].to_list(), caches[j])
            for j, (name, kind, _) in enumerate(kinds)
        ]
        for i, (
            uid,
            slug,
            objet,
            amount,
            day,
            duration,
            service,
            code,
            dep,
            place,
            kind,
        ) in enumerate(
            zip(
                frame["uid"].to_list(),
                frame["slug"].to_list(),
                frame["objet"].to_list(),
                floats_of(frame["montant"]),
                dates_of(frame["dateNotification"]),
                frame["dureeMois"].to_list(),
                frame["acheteur_service_id"].to_list(),
                frame["codeCPV"].to_list(),
                frame["departement"].to_list(),
                frame["lieuExecution_code"].to_list(),
                frame["lieuExecution_typeCode"].to_list(),
                strict=True,
            )
        ):
            if dep and dep not in deps:
                deps[dep] = Link(departement_name(dep), f"{root}{DEPARTEMENTS_SECTION}/{dep}/")
            holders = []
            for key in directory.suppliers_of.get(uid, ()):
                view = views.get(key)
                if view is None:
                    view = supplier_view(directory, key, root)
                    if len(views) < 100_000:
                        views[key] = view
                holders.append(view)
            purchase = planned.get(uid)
            yield (
                slug,
                ContractPage(
                    site=site,
                    uid=uid,
                    objet=objet,
                    titre=short_title(objet),
                    montant=amount,
                    notification=day,
                    duree=None if pd.isna(duration) else int(duration),
                    service=services.get(service),
                    cpv_code=code,
                    cpv_libelle=data.nomenclature.labels.get(code[:8], ""),
                    cpv=divisions.get(cpv.division(code)),
                    lieu=f"{place} ({kind})" if place else "",
                    departement=deps.get(dep),
                    titulaires=tuple(holders),
                    modifications=mods.get(uid, ()),
                    champs=tuple(
                        FieldRow(title, column[i])
                        for title, column in zip(titles, columns, strict=True)
                    ),
                    dictionnaire=f"{root}{DICTIONARY_PAGE}",
                    achat_prevu=(
                        Link(
                            purchase,
                            f"{root}{UPCOMING_SECTION}/?{query(recherche=purchase, statut='tous')}",
                        )
                        if purchase
                        else None
                    ),
                ),
            )


def contract_description(page: ContractPage) -> str:
    parts = [f"Marché {page.uid}"]
    if page.notification:
        parts.append(f"notifié le {french_date(page.notification)}")
    if page.montant is not None:
        parts.append(f"montant {euros(page.montant)} HT")
    if page.titulaires:
        others = len(page.titulaires) - 1
        more = f" et {others} cotitulaire{'s' if others > 1 else ''}" if others else ""
        parts.append(f"titulaire : {page.titulaires[0].nom}{more}")
    return ", ".join(parts) + "."


def contract_title(page: ContractPage) -> str:
    """The page title: the object, and the contract's identifier, since two contracts often
    share an object (a unique title per page, RGAA 8.6)."""
    return f"{page.titre} – marché {page.uid}"


def write_contract_pages(
    ctx: BuildContext, directory: Directory, share: tuple[int, int] = (0, 1)
) -> None:
    """One page per contract (or the `share` of them), rendered into the `marches` shell."""
    for slug, page in contract_pages(ctx.data, directory, share):
        ctx.direct(
            CONTRACTS_SECTION,
            slug,
            contract_title(page),
            render("contract.html.j2", page=page),
            contract_description(page),
        )


# --- Supplier pages -----------------------------------------------------------------------------


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
    contrats: tuple[ContractRow, ...]
    explorateur: str


def supplier_links_frame(data: Data, directory: Directory) -> pd.DataFrame:
    """One row per (contract, supplier) in the default contract order, with the supplier's
    equal share of the amount and the contract's year and considerations."""
    frame = directory.contracts
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
    data: Data, directory: Directory, share: tuple[int, int] = (0, 1)
) -> Iterator[tuple[str, SupplierPage]]:
    """(slug, page context) of every supplier holding a contract; with `share` (k, n), only the
    suppliers whose rank is k modulo n."""
    page = f"{SUPPLIERS_SECTION}/x/"
    root = root_prefix(page)
    site = SiteInfo.of(data.publisher)
    links = supplier_links_frame(data, directory)
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
    maker = RowMaker(directory, directory.contracts, root)
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
        info = directory.suppliers[key]
        years = by_supplier.get(key, [])
        if len(years) > 1:
            years = [*years, total_supplier_row(years)]
        view = supplier_view(directory, key, root)
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
                contrats=tuple(
                    maker.row(p) for p in positions[start : min(end, start + SUPPLIER_CONTRACTS)]
                ),
                explorateur=f"{root}{CONTRACTS_SECTION}/?{query(titulaire=info.identifier)}",
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


def write_supplier_pages(
    ctx: BuildContext, directory: Directory, share: tuple[int, int] = (0, 1)
) -> None:
    """One page per supplier holding at least one contract (or the `share` of them), rendered
    into the `titulaires` shell."""
    for slug, page in supplier_pages(ctx.data, directory, share):
        ctx.direct(
            SUPPLIERS_SECTION,
            slug,
            page.nom,
            render("supplier.html.j2", page=page),
            f"{page.nom} : {number(page.marches)} marché(s) de {ctx.data.publisher.nom}.",
        )


def produce_detail_pages(ctx: BuildContext) -> None:
    """Every contract's and supplier's page (after MkDocs, into the shells)."""
    directory = build_directory(ctx.data, ctx.contract_pages)

    def write_share(share: tuple[int, int]) -> None:
        if ctx.contract_pages:
            write_contract_pages(ctx, directory, share)
        write_supplier_pages(ctx, directory, share)

    def other_share() -> list[str]:
        """Every other chunk of contracts and every other supplier (in a second process): the
        paths of the pages it wrote."""
        mine, ctx.direct_pages = ctx.direct_pages, []
        try:
            write_share((1, 2))
            return ctx.direct_pages
        finally:
            ctx.direct_pages = mine

    other = in_other_process(other_share)
    try:
        write_share((0, 2))
    except BaseException:
        other.cancel()
        raise
    ctx.direct_pages.extend(other.result())
