"""Pages per buying service, CPV division and département (`/services/<id>/`, `/cpv/<division>/`,
`/departements/<code>/`), their index pages and the suppliers' entry page: a few hundred MkDocs
pages outside the navigation, whose titles are in the search index and whose tables are not.

Each shows totals, counts and shares by year (regional and SME shares by `aggregates`' equal-split
rule), its main suppliers, its latest contracts and its upcoming purchases.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import pandas as pd

from achats_ouverts import cpv
from achats_ouverts.model import Data, aggregates
from achats_ouverts.output import BuildContext, render
from achats_ouverts.pages.base import SiteInfo
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
    Link,
    build_directory,
    contract_rows,
    departement_name,
    query,
    root_prefix,
)

RECENT_CONTRACTS = 100
"""Contracts listed on an entity page; the explorer, filtered, lists all of them."""
TOP_SUPPLIERS = 10
TOP_SUPPLIERS_INDEX = 100


# --- Yearly profiles (entity and supplier pages) --------------------------------------------------


@dataclass(frozen=True)
class ProfileRow:
    """One year (or the total) of an entity: counts, amounts and shares in percent."""

    annee: str
    marches: int
    montant: float
    part_environnement: float | None
    part_sociale: float | None
    part_region: float | None
    part_pme: float | None


def profile_rows(groups: pd.DataFrame) -> tuple[ProfileRow, ...]:
    """Rows of `aggregates.contract_profile` for one entity, one per year then the total."""

    def row(label: str, g: pd.Series) -> ProfileRow:
        return ProfileRow(
            label,
            int(g["marches"]),
            float(g["montant"]),
            aggregates.ratio(float(g["env_oui"]), float(g["env_connus"])),
            aggregates.ratio(float(g["soc_oui"]), float(g["soc_connus"])),
            aggregates.ratio(float(g["montant_region"]), float(g["montant_localise"])),
            aggregates.ratio(float(g["montant_pme"]), float(g["montant_categorise"])),
        )

    rows = [row(str(int(g["annee"])), g) for _, g in groups.iterrows()]
    if len(rows) > 1:
        numeric = groups.drop(columns=[c for c in groups.columns if c == "annee"])
        rows.append(row("Total", numeric.sum(numeric_only=True)))
    return tuple(rows)


# --- Entity pages: buying service, CPV division, département --------------------------------------


@dataclass(frozen=True)
class SupplierTotal:
    nom: str
    href: str
    marches: int
    montant: float


@dataclass(frozen=True)
class GroupRow:
    """A CPV division or group with its label and counts, linked to the filtered explorers."""

    code: str
    libelle: str
    marches: int
    achats: int
    href_marches: str
    href_achats: str
    href_page: str


@dataclass(frozen=True)
class EntityPage:
    site: SiteInfo
    section: str
    code: str
    titre: str
    description: str
    note: str
    annees: tuple[ProfileRow, ...]
    marches: int
    montant: float
    titulaires: tuple[SupplierTotal, ...]
    contrats: tuple[ContractRow, ...]
    explorateur: str
    achats_a_venir: int
    explorateur_achats: str
    groupes: tuple[GroupRow, ...]
    index: Link


@dataclass(frozen=True)
class Entity:
    """What to page: its code (page segment), title, description and explorer filter."""

    code: str
    titre: str
    description: str
    filtre: str


ENTITY_NOTES = {
    SERVICES_SECTION: "",
    CPV_SECTION: (
        "Un marché est classé dans la division de son code CPV principal, même s'il couvre "
        "plusieurs domaines."
    ),
    DEPARTEMENTS_SECTION: (
        "Un marché est classé dans le département de son lieu d'exécution principal. Ceux qui "
        "s'exécutent dans toute la région, ou dont le code de lieu ne désigne pas un seul "
        "département, ne figurent sur aucune page de département."
    ),
}
INDEX_TITLES = {
    SERVICES_SECTION: "Tous les services acheteurs",
    CPV_SECTION: "Codes CPV : tous les domaines d'achat",
    DEPARTEMENTS_SECTION: "Tous les départements",
}


def entity_keys(directory: Directory, section: str) -> pd.Series:
    """The entity each contract belongs to, for one kind of entity ('' for none)."""
    frame = directory.contracts
    if section == SERVICES_SECTION:
        return frame["acheteur_service_id"].astype(object)
    if section == CPV_SECTION:
        return frame["cpv_division"].fillna("").astype(object)
    return frame["departement"].astype(object)


def upcoming_keys(data: Data, section: str) -> pd.Series:
    """The entity each upcoming purchase belongs to."""
    up = data.upcoming
    if section == SERVICES_SECTION:
        return up["service_id"].astype(object)
    if section == CPV_SECTION:
        return up["codeCPV"].str.slice(0, 2).astype(object)
    return aggregates.execution_departement(up["lieuExecution_code"], up["lieuExecution_typeCode"])


def open_upcoming_counts(data: Data, section: str) -> dict[str, int]:
    keys = upcoming_keys(data, section)
    open_keys = keys[data.upcoming["statut"].isin(aggregates.OPEN_STATUSES)]
    return {str(k): int(n) for k, n in open_keys.value_counts().items() if k}


def top_suppliers(
    data: Data, directory: Directory, keys: pd.Series, root: str, limit: int = TOP_SUPPLIERS
) -> dict[str, tuple[SupplierTotal, ...]]:
    """Per entity, the suppliers with the largest equal share of its contracts' amounts."""
    contracts_frame = pd.DataFrame(
        {
            "uid": directory.contracts["uid"].to_numpy(),
            "entite": keys.to_numpy(),
            "montant": directory.contracts["montant"].fillna(0.0).to_numpy(),
        }
    )
    links = data.contract_suppliers.merge(contracts_frame, on="uid")
    links["part"] = links["montant"] / links.groupby("uid")["uid"].transform("size")
    totals = (
        links.groupby(["entite", "titulaire_typeIdentifiant", "titulaire_id"], sort=True)
        .agg(marches=("uid", "size"), montant=("part", "sum"))
        .reset_index()
        .sort_values(
            ["entite", "montant", "titulaire_typeIdentifiant", "titulaire_id"],
            ascending=[True, False, True, True],
            kind="stable",
        )
    )
    result: dict[str, list[SupplierTotal]] = {}
    for entity, kind, ident, count, amount in zip(
        totals["entite"],
        totals["titulaire_typeIdentifiant"],
        totals["titulaire_id"],
        totals["marches"],
        totals["montant"],
        strict=True,
    ):
        chosen = result.setdefault(entity, [])
        if len(chosen) < limit:
            info = directory.suppliers[(kind, ident)]
            chosen.append(
                SupplierTotal(
                    info.nom, f"{root}{SUPPLIERS_SECTION}/{info.slug}/", int(count), float(amount)
                )
            )
    return {k: tuple(rows) for k, rows in result.items()}


def entity_pages(
    data: Data,
    directory: Directory,
    section: str,
    entities: Iterable[Entity],
    groups: dict[str, tuple[GroupRow, ...]] | None = None,
) -> Iterator[EntityPage]:
    """The page context of each entity of one kind (`section`)."""
    root = root_prefix(f"{section}/x/")
    site = SiteInfo.of(data.publisher)
    keys = entity_keys(directory, section)
    weights = aggregates.supplier_weights(
        data.contract_suppliers,
        data.suppliers,
        data.publisher.departements,
        data.publisher.region_code,
    )
    profile = aggregates.contract_profile(
        directory.contracts.assign(entite=keys.to_numpy()), weights, by="entite"
    )
    profiles = {str(code): g.drop(columns=["entite"]) for code, g in profile.groupby("entite")}
    positions: dict[str, list[int]] = {}
    for i, code in enumerate(keys):
        positions.setdefault(code, []).append(i)
    amounts = directory.contracts["montant"].fillna(0.0).to_numpy()
    tops = top_suppliers(data, directory, keys, root)
    upcoming = open_upcoming_counts(data, section)
    for entity in entities:
        rows = positions.get(entity.code, [])
        years = profiles.get(entity.code)
        yield EntityPage(
            site=site,
            section=section,
            code=entity.code,
            titre=entity.titre,
            description=entity.description,
            note=ENTITY_NOTES[section],
            annees=profile_rows(years) if years is not None else (),
            marches=len(rows),
            montant=float(amounts[rows].sum()) if rows else 0.0,
            titulaires=tops.get(entity.code, ()),
            contrats=contract_rows(
                directory, directory.contracts.iloc[rows[:RECENT_CONTRACTS]], f"{section}/x/"
            ),
            explorateur=f"{root}{CONTRACTS_SECTION}/?{entity.filtre}",
            achats_a_venir=upcoming.get(entity.code, 0),
            explorateur_achats=f"{root}{UPCOMING_SECTION}/?{entity.filtre}",
            groupes=(groups or {}).get(entity.code, ()),
            index=Link(INDEX_TITLES[section], f"{root}{section}/"),
        )


def cpv_label(data: Data, code: str) -> str:
    """French label of a CPV division (2 digits) or group (3 digits): from the configured
    nomenclature, else (divisions only) from the labels the tool carries; '' if unknown."""
    full = data.nomenclature.labels.get(code.ljust(8, "0"), "")
    return full or (cpv.DIVISIONS.get(code, "") if len(code) == 2 else "")


def cpv_rows(data: Data, root: str, pages: set[str]) -> tuple[GroupRow, ...]:
    """Every division and group to show: the 45 divisions, the groups of the configured
    nomenclature, and any other division or group found in the data, with their counts of
    contracts and of upcoming purchases still open (planned or launched)."""
    counts = aggregates.cpv_counts(
        data.contracts["codeCPV"], aggregates.open_upcoming(data.upcoming)["codeCPV"]
    )
    by_code = {
        code: (int(m), int(a))
        for code, m, a in zip(counts["code"], counts["marches"], counts["achats"], strict=True)
    }
    codes = set(cpv.DIVISIONS) | set(by_code)
    for full in data.nomenclature.labels:
        if full[3:] == "00000" and full[2] != "0":
            codes.add(full[:3])
        elif full[2:] == "000000":
            codes.add(full[:2])
    rows = []
    for code in sorted(codes):
        marches, achats = by_code.get(code, (0, 0))
        filtre = query(cpv=code)
        rows.append(
            GroupRow(
                code,
                cpv_label(data, code),
                marches,
                achats,
                f"{root}{CONTRACTS_SECTION}/?{filtre}",
                f"{root}{UPCOMING_SECTION}/?{filtre}",
                f"{root}{CPV_SECTION}/{code}/" if code in pages else "",
            )
        )
    return tuple(rows)


def service_entities(data: Data) -> tuple[Entity, ...]:
    services = data.services.sort_values("service_id")
    return tuple(
        Entity(sid, nom, desc, query(service=sid))
        for sid, nom, desc in zip(
            services["service_id"],
            services["service_nom"],
            services["service_description"],
            strict=True,
        )
    )


def division_entities(data: Data, directory: Directory) -> tuple[Entity, ...]:
    """Divisions with at least one contract or upcoming purchase."""
    found = set(entity_keys(directory, CPV_SECTION)) | set(upcoming_keys(data, CPV_SECTION))
    codes = sorted(c for c in found if c and c.isdigit() and len(c) == 2)
    return tuple(
        Entity(
            code,
            f"CPV {code} – {cpv_label(data, code) or 'division ' + code}",
            "",
            query(cpv=code),
        )
        for code in codes
    )


def departement_entities(data: Data, directory: Directory) -> tuple[Entity, ...]:
    """The publisher's départements and any other where a contract or purchase is executed."""
    found = set(entity_keys(directory, DEPARTEMENTS_SECTION)) | set(
        upcoming_keys(data, DEPARTEMENTS_SECTION)
    )
    codes = sorted(c for c in found | set(data.publisher.departements) if c)
    return tuple(
        Entity(code, f"{departement_name(code)} ({code})", "", query(departement=code))
        for code in codes
    )


@dataclass(frozen=True)
class IndexRow:
    titre: str
    href: str
    marches: int
    montant: float
    achats: int


@dataclass(frozen=True)
class EntityIndexPage:
    site: SiteInfo
    section: str
    titre: str
    introduction: str
    lignes: tuple[IndexRow, ...]
    hors_entite: int


def index_page(
    section: str, pages: list[EntityPage], site: SiteInfo, total: int
) -> EntityIndexPage:
    introductions = {
        SERVICES_SECTION: (
            "Les directions qui passent les marchés, avec le nombre et le montant de leurs "
            "marchés attribués et de leurs achats à venir."
        ),
        DEPARTEMENTS_SECTION: (
            "Les marchés et les achats à venir selon le département de leur lieu d'exécution "
            "principal."
        ),
    }
    counted = sum(p.marches for p in pages)
    return EntityIndexPage(
        site,
        section,
        INDEX_TITLES[section],
        introductions[section],
        tuple(
            IndexRow(p.titre, f"{p.code}/", p.marches, p.montant, p.achats_a_venir) for p in pages
        ),
        total - counted,
    )


def produce_entity_pages(ctx: BuildContext) -> None:
    """Pages per buying service, CPV division and département (MkDocs pages outside the
    navigation, their tables left out of the search index), and the services' and départements'
    index pages. The CPV index is the explorers' CPV helper."""
    data = ctx.data
    directory = build_directory(data, ctx.contract_pages)
    site = SiteInfo.of(data.publisher)
    divisions = division_entities(data, directory)
    pages_cpv = {e.code for e in divisions}
    all_groups = cpv_rows(data, root_prefix(f"{CPV_SECTION}/x/"), pages_cpv)
    groups = {
        code: tuple(g for g in all_groups if len(g.code) == 3 and g.code.startswith(code))
        for code in pages_cpv
    }
    for section, entities in (
        (SERVICES_SECTION, service_entities(data)),
        (CPV_SECTION, divisions),
        (DEPARTEMENTS_SECTION, departement_entities(data, directory)),
    ):
        pages = list(entity_pages(data, directory, section, entities, groups))
        for page in pages:
            ctx.page(
                f"{section}/{page.code}/index.md",
                page.titre,
                render("entity.html.j2", page=page),
                hide=WIDE,
            )
        if section != CPV_SECTION:
            index = index_page(section, pages, site, len(directory.contracts))
            ctx.page(
                f"{section}/index.md",
                index.titre,
                render("entity_index.html.j2", page=index),
                hide=WIDE,
            )
    suppliers = supplier_index(data, directory)
    ctx.page(
        f"{SUPPLIERS_SECTION}/index.md",
        "Entreprises titulaires",
        render("supplier_index.html.j2", page=suppliers),
        hide=WIDE,
    )


@dataclass(frozen=True)
class SupplierIndexPage:
    site: SiteInfo
    titulaires: int
    premiers: tuple[SupplierTotal, ...]
    explorateur: str


def supplier_index(data: Data, directory: Directory) -> SupplierIndexPage:
    """The suppliers' entry page: how many there are and those that received the most."""
    everything = pd.Series("", index=directory.contracts.index, dtype=object)
    top = top_suppliers(data, directory, everything, "../", limit=TOP_SUPPLIERS_INDEX)
    keys = data.contract_suppliers[["titulaire_typeIdentifiant", "titulaire_id"]]
    return SupplierIndexPage(
        SiteInfo.of(data.publisher),
        len(keys.drop_duplicates()),
        top.get("", ()),
        f"../{CONTRACTS_SECTION}/",
    )
