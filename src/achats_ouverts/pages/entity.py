"""Pages per buying service, CPV division and département (`entity.html.j2`: `/services/<id>/`,
`/cpv/<division>/`, `/departements/<code>/`) and the index of each of these sections: the
services' and the départements' (`entity_index.html.j2`), and for CPV codes the helper that finds
a field of purchase (`cpv.html.j2`). A few hundred MkDocs pages outside the navigation, whose
titles are in the search index and whose tables are not.

Each entity page shows totals, counts and shares by year (regional and SME shares by
`aggregates`' equal-split rule), its main suppliers, its latest contracts and its upcoming
purchases.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import pandas as pd
from markupsafe import Markup

from achats_ouverts import cpv
from achats_ouverts.french import euros, plural
from achats_ouverts.model import Data, aggregates
from achats_ouverts.model.indicators import running_year
from achats_ouverts.output import BuildContext, artifacts, charts, relative_url, render, urls
from achats_ouverts.output.listing import (
    ContractRow,
    Link,
    ListIndex,
    SupplierTotal,
    contract_rows,
    departement_name,
    top_suppliers,
)
from achats_ouverts.output.site_info import WIDE, SiteInfo

RECENT_CONTRACTS = 100
"""Contracts listed on an entity page; the explorer, filtered, lists all of them."""
TOP_SUPPLIERS = 10


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


def yearly_chart(
    subject: str, rows: tuple[ProfileRow, ...], running: str | None
) -> tuple[Markup | None, str]:
    """The chart of amounts and counts by year, from two years on, and its sentence; the
    `running` year is marked « (en cours) »."""
    years = tuple(
        charts.YearAmount(r.annee, r.marches, r.montant) for r in rows if r.annee != "Total"
    )
    if len(years) < 2:
        return None, ""
    return charts.yearly_chart("graphique-annees", subject, years, running)


# --- Entity pages: buying service, CPV division, département --------------------------------------


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
    graphique: Markup | None
    phrase: str
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
    """What to page: its code (page segment), title, description and the explorers' filter
    (URL parameters) that lists its contracts and purchases."""

    code: str
    titre: str
    description: str
    filtre: dict[str, str]


ENTITY_NOTES = {
    urls.SERVICES: "",
    urls.CPV: (
        "Un marché est classé dans la division de son code CPV principal, même s'il couvre "
        "plusieurs domaines."
    ),
    urls.DEPARTEMENTS: (
        "Un marché est classé dans le département de son lieu d'exécution principal. Ceux qui "
        "s'exécutent dans toute la région, ou dont le code de lieu ne désigne pas un seul "
        "département, ne figurent sur aucune page de département."
    ),
}
INDEX_TITLES = {
    urls.SERVICES: "Tous les services acheteurs",
    urls.CPV: "Codes CPV : tous les domaines d'achat",
    urls.DEPARTEMENTS: "Tous les départements",
}


def entity_keys(index: ListIndex, section: str) -> pd.Series:
    """The entity each contract belongs to, for one kind of entity ('' for none)."""
    frame = index.contracts
    if section == urls.SERVICES:
        return frame["acheteur_service_id"].astype(object)
    if section == urls.CPV:
        return frame["cpv_division"].fillna("").astype(object)
    return frame["departement"].astype(object)


def upcoming_keys(data: Data, section: str) -> pd.Series:
    """The entity each upcoming purchase belongs to."""
    up = data.upcoming
    if section == urls.SERVICES:
        return up["service_id"].astype(object)
    if section == urls.CPV:
        return up["codeCPV"].str.slice(0, 2).astype(object)
    return aggregates.execution_departement(up["lieuExecution_code"], up["lieuExecution_typeCode"])


def open_upcoming_counts(data: Data, section: str) -> dict[str, int]:
    keys = upcoming_keys(data, section)
    open_keys = keys[aggregates.is_open(data.upcoming)]
    return {str(k): int(n) for k, n in open_keys.value_counts().items() if k}


def entity_pages(
    data: Data,
    index: ListIndex,
    section: str,
    entities: Iterable[Entity],
    groups: dict[str, tuple[GroupRow, ...]] | None = None,
) -> Iterator[EntityPage]:
    """The page context of each entity of one kind (`section`)."""
    root = urls.to_root(urls.entity(section, "x"))
    site = SiteInfo.of(data.publisher)
    keys = entity_keys(index, section)
    weights = aggregates.supplier_weights(
        data.contract_suppliers,
        data.suppliers,
        data.publisher.departements,
        data.publisher.region_code,
    )
    profile = aggregates.contract_profile(
        index.contracts.assign(entite=keys.to_numpy()), weights, by="entite"
    )
    profiles = {str(code): g.drop(columns=["entite"]) for code, g in profile.groupby("entite")}
    positions: dict[str, list[int]] = {}
    for i, code in enumerate(keys):
        positions.setdefault(code, []).append(i)
    amounts = index.contracts["montant"].fillna(0.0).to_numpy()
    tops = top_suppliers(data, index, keys, root, TOP_SUPPLIERS)
    upcoming = open_upcoming_counts(data, section)
    running = running_year(data.reference_date)
    for entity in entities:
        rows = positions.get(entity.code, [])
        years = profiles.get(entity.code)
        annees = profile_rows(years) if years is not None else ()
        chart, sentence = yearly_chart(entity.titre, annees, running)
        yield EntityPage(
            site=site,
            section=section,
            code=entity.code,
            titre=entity.titre,
            description=entity.description,
            note=ENTITY_NOTES[section],
            annees=annees,
            graphique=chart,
            phrase=sentence,
            marches=len(rows),
            montant=float(amounts[rows].sum()) if rows else 0.0,
            titulaires=tops.get(entity.code, ()),
            contrats=contract_rows(
                index, index.contracts.iloc[rows[:RECENT_CONTRACTS]], urls.entity(section, "x")
            ),
            explorateur=root + urls.explorer(urls.CONTRACTS, **entity.filtre),
            achats_a_venir=upcoming.get(entity.code, 0),
            explorateur_achats=root + urls.explorer(urls.UPCOMING, **entity.filtre),
            groupes=(groups or {}).get(entity.code, ()),
            index=Link(INDEX_TITLES[section], root + section),
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
        rows.append(
            GroupRow(
                code,
                cpv_label(data, code),
                marches,
                achats,
                root + urls.explorer(urls.CONTRACTS, cpv=code),
                root + urls.explorer(urls.UPCOMING, cpv=code),
                root + urls.cpv_division(code) if code in pages else "",
            )
        )
    return tuple(rows)


def service_entities(data: Data) -> tuple[Entity, ...]:
    services = data.services.sort_values("service_id")
    return tuple(
        Entity(sid, nom, desc, {"service": sid})
        for sid, nom, desc in zip(
            services["service_id"],
            services["service_nom"],
            services["service_description"],
            strict=True,
        )
    )


def division_entities(data: Data, index: ListIndex) -> tuple[Entity, ...]:
    """Divisions with at least one contract or upcoming purchase."""
    found = set(entity_keys(index, urls.CPV)) | set(upcoming_keys(data, urls.CPV))
    codes = sorted(c for c in found if c and c.isdigit() and len(c) == 2)
    return tuple(
        Entity(
            code,
            f"CPV {code} – {cpv_label(data, code) or 'division ' + code}",
            "",
            {"cpv": code},
        )
        for code in codes
    )


def departement_entities(data: Data, index: ListIndex) -> tuple[Entity, ...]:
    """The publisher's départements and any other where a contract or purchase is executed."""
    found = set(entity_keys(index, urls.DEPARTEMENTS)) | set(upcoming_keys(data, urls.DEPARTEMENTS))
    codes = sorted(c for c in found | set(data.publisher.departements) if c)
    return tuple(
        Entity(code, f"{departement_name(code)} ({code})", "", {"departement": code})
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
        urls.SERVICES: (
            "Les directions qui passent les marchés, avec le nombre et le montant de leurs "
            "marchés attribués et de leurs achats à venir."
        ),
        urls.DEPARTEMENTS: (
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
            IndexRow(
                p.titre,
                relative_url(section, urls.entity(section, p.code)),
                p.marches,
                p.montant,
                p.achats_a_venir,
            )
            for p in pages
        ),
        total - counted,
    )


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


def cpv_helper(data: Data, index: ListIndex) -> CpvHelperPage:
    page = urls.CPV
    pages = {e.code for e in division_entities(data, index)}
    rows = cpv_rows(data, urls.to_root(page), pages)
    divisions = [r for r in rows if len(r.code) == 2]
    return CpvHelperPage(
        site=SiteInfo.of(data.publisher),
        nomenclature=bool(data.nomenclature.labels),
        divisions=tuple(
            DivisionView(d, tuple(g for g in rows if len(g.code) == 3 and g.code[:2] == d.code))
            for d in divisions
        ),
        achats=relative_url(page, urls.UPCOMING),
        marches=relative_url(page, urls.CONTRACTS),
    )


def produce_entity_pages(ctx: BuildContext) -> None:
    """Pages per buying service, CPV division and département (MkDocs pages outside the
    navigation, their tables left out of the search index), and the index page of each section:
    the services', the départements' and the CPV helper."""
    data = ctx.data
    index = ctx.get(artifacts.LIST_INDEX)
    site = SiteInfo.of(data.publisher)
    divisions = division_entities(data, index)
    pages_cpv = {e.code for e in divisions}
    all_groups = cpv_rows(data, urls.to_root(urls.cpv_division("x")), pages_cpv)
    groups = {
        code: tuple(g for g in all_groups if len(g.code) == 3 and g.code.startswith(code))
        for code in pages_cpv
    }
    for section, entities in (
        (urls.SERVICES, service_entities(data)),
        (urls.CPV, divisions),
        (urls.DEPARTEMENTS, departement_entities(data, index)),
    ):
        pages = list(entity_pages(data, index, section, entities, groups))
        for page in pages:
            ctx.page(
                urls.entity(section, page.code),
                page.titre,
                render("entity.html.j2", page=page),
                hide=WIDE,
                description=(
                    f"{page.titre} : {plural(page.marches, 'marché')} "
                    f"{'attribués' if page.marches > 1 else 'attribué'} pour "
                    f"{euros(page.montant)} HT, {plural(page.achats_a_venir, 'achat')} à venir. "
                    f"{page.phrase}"
                ).strip(),
            )
        if section != urls.CPV:
            entry = index_page(section, pages, site, len(index.contracts))
            ctx.page(section, entry.titre, render("entity_index.html.j2", page=entry), hide=WIDE)
    helper = cpv_helper(data, index)
    ctx.page(
        urls.CPV,
        "Codes CPV : trouver son domaine d'achat",
        render("cpv.html.j2", page=helper),
        hide=WIDE,
    )
