"""One page per contract (`contract.html.j2`, `/marches/<uid>/`): its summary (amount and duration
at notification, and the current ones when a modification changed them), suppliers (current ones,
and those at notification when a modification replaced them), modifications and every other
published field, rendered straight into the theme's shell after MkDocs, since there may be
hundreds of thousands of them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

import pandas as pd

from achats_ouverts import cpv
from achats_ouverts import vocabulary as v
from achats_ouverts.datafolder import schemas
from achats_ouverts.french import euros, french_date, number, percent
from achats_ouverts.geography import place_label
from achats_ouverts.model import Data
from achats_ouverts.output import BuildContext, artifacts, render, urls
from achats_ouverts.output.listing import (
    CACHED_LINKS,
    Link,
    ListIndex,
    SupplierKey,
    SupplierView,
    dates_of,
    departement_name,
    floats_of,
    supplier_view,
    to_date,
    to_float,
)
from achats_ouverts.output.site_info import Citation, SiteInfo

PAGE_CHUNK = 5_000
"""Contracts whose page contexts are prepared together (small enough that two processes get an
even share of the chunks)."""
TITLE_LENGTH = 150
NOT_FILLED = "Non renseigné"


def short_title(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= TITLE_LENGTH else text[: TITLE_LENGTH - 1].rstrip() + "…"


SHOWN_ABOVE = frozenset(
    {
        "objet",
        "montant",
        "montantActuel",
        "dateNotification",
        "dureeMois",
        "dureeMoisActuelle",
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
    """At notification."""
    montant_actuel: float | None
    """After the modifications; None when they did not change the amount."""
    hausse: float | None
    """The change of the amount since notification, in percent."""
    notification: date | None
    duree: int | None
    """At notification."""
    duree_actuelle: int | None
    """After the modifications; None when they did not change the duration."""
    service: Link | None
    cpv_code: str
    cpv_libelle: str
    cpv: Link | None
    lieu: str
    departement: Link | None
    titulaires: tuple[SupplierView, ...]
    """The current suppliers."""
    titulaires_notification: tuple[SupplierView, ...]
    """The suppliers at notification, when a modification replaced them (else empty)."""
    modifications: tuple[ModificationView, ...]
    champs: tuple[FieldRow, ...]
    achat_prevu: Link | None
    dictionnaire: str
    citation: Citation


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
        if name in ("montant", "montantActuel"):
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


def parse_supplier_list(value: str) -> tuple[SupplierKey, ...]:
    """`SIRET:123, TVA:BE45` (modifications.csv) as keys."""
    keys = []
    for item in value.split(v.MULTI_SEPARATOR):
        kind, _, ident = item.strip().partition(":")
        if ident:
            keys.append((kind, ident))
    return tuple(keys)


def modification_views(
    data: Data, index: ListIndex, root: str
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
            info = index.suppliers.get(key)
            if info is None:
                links.append(Link(f"{key[0]} {key[1]}", ""))
            elif key not in index.holders:  # no page: it holds no contract now
                links.append(Link(info.nom, ""))
            else:
                links.append(Link(info.nom, root + urls.supplier(info.slug)))
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
    data: Data, index: ListIndex, share: tuple[int, int] = (0, 1)
) -> Iterator[tuple[str, ContractPage]]:
    """(slug, page context) of every contract, in the default order, prepared `PAGE_CHUNK`
    contracts at a time so that memory does not grow with the number of contracts.

    `share` (k, n): only the chunks whose number is k modulo n, so that n processes can share
    the work."""
    root = urls.to_root(urls.contract("x"))
    site = SiteInfo.of(data.publisher)
    ds = schemas.dataset("marches")
    kinds: list[tuple[str, str, str]] = [
        (f["name"], f["type"], f["title"]) for f in ds.fields if f["name"] not in SHOWN_ABOVE
    ]
    titles = [title for _, _, title in kinds]
    caches: list[dict[str, str]] = [{} for _ in kinds]
    text = data.text["marches"]
    mods = modification_views(data, index, root)
    planned = upcoming_by_contract(data)
    services = {sid: Link(nom, root + urls.service(sid)) for sid, nom in index.services.items()}
    divisions = {
        code: Link(f"Division {code} : {label}", root + urls.cpv_division(code))
        for code, label in cpv.DIVISIONS.items()
    }
    deps: dict[str, Link] = {}
    places: dict[tuple[str, str], str] = {}
    views: dict[SupplierKey, SupplierView] = {}

    def view_of(key: SupplierKey) -> SupplierView:
        view = views.get(key)
        if view is None:
            view = supplier_view(index, key, root)
            if len(views) < CACHED_LINKS:
                views[key] = view
        return view

    for lo in range(0, len(index.contracts), PAGE_CHUNK):
        if (lo // PAGE_CHUNK) % share[1] != share[0]:
            continue
        frame = index.contracts.iloc[lo : lo + PAGE_CHUNK]
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
            current_amount,
            change,
            day,
            duration,
            current_duration,
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
                floats_of(frame["montantActuel"]),
                floats_of(frame["hausse"]),
                dates_of(frame["dateNotification"]),
                frame["dureeMois"].to_list(),
                frame["dureeMoisActuelle"].to_list(),
                frame["acheteur_service_id"].to_list(),
                frame["codeCPV"].to_list(),
                frame["departement"].to_list(),
                frame["lieuExecution_code"].to_list(),
                frame["lieuExecution_typeCode"].to_list(),
                strict=True,
            )
        ):
            if dep and dep not in deps:
                deps[dep] = Link(departement_name(dep), root + urls.departement(dep))
            holders = tuple(view_of(key) for key in index.suppliers_of.get(uid, ()))
            first = tuple(view_of(key) for key in index.initial_suppliers_of.get(uid, ()))
            duree = None if pd.isna(duration) else int(duration)
            duree_actuelle = None if pd.isna(current_duration) else int(current_duration)
            purchase = planned.get(uid)
            yield (
                slug,
                ContractPage(
                    site=site,
                    uid=uid,
                    objet=objet,
                    titre=short_title(objet),
                    montant=amount,
                    montant_actuel=current_amount if current_amount != amount else None,
                    hausse=change,
                    notification=day,
                    duree=duree,
                    duree_actuelle=duree_actuelle if duree_actuelle != duree else None,
                    service=services.get(service),
                    cpv_code=code,
                    cpv_libelle=data.nomenclature.labels.get(code[:8], ""),
                    cpv=divisions.get(cpv.division(code)),
                    lieu=places.get((place, kind))
                    or places.setdefault((place, kind), place_label(place, kind)),
                    departement=deps.get(dep),
                    titulaires=holders,
                    titulaires_notification=first,
                    modifications=mods.get(uid, ()),
                    champs=tuple(
                        FieldRow(title, column[i])
                        for title, column in zip(titles, columns, strict=True)
                    ),
                    dictionnaire=root + urls.dictionary("marches"),
                    citation=Citation(
                        f"Marché {uid}",
                        site.nom,
                        data.reference_date,
                        site.url_site + urls.contract(slug),
                    ),
                    achat_prevu=(
                        Link(
                            purchase,
                            root + urls.purchase(urls.path_segment(purchase)),
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
        parts.append(f"montant à la notification {euros(page.montant)} HT")
    if page.montant_actuel is not None:
        parts.append(f"montant actuel {euros(page.montant_actuel)} HT")
    if page.titulaires:
        others = len(page.titulaires) - 1
        more = f" et {others} cotitulaire{'s' if others > 1 else ''}" if others else ""
        parts.append(f"titulaire : {page.titulaires[0].nom}{more}")
    return ", ".join(parts) + "."


def contract_title(page: ContractPage) -> str:
    """The page title: the object, and the contract's identifier, since two contracts often
    share an object (a unique title per page, RGAA 8.6)."""
    return f"{page.titre} – marché {page.uid}"


def write_contract_pages(ctx: BuildContext, share: tuple[int, int] = (0, 1)) -> list[str]:
    """One page per contract (or the `share` of them, none when contracts have no page),
    rendered into the shell of their section. Returns their addresses."""
    index = ctx.get(artifacts.LIST_INDEX)
    if not index.contract_pages:
        return []
    return [
        ctx.direct(
            urls.contract(slug),
            contract_title(page),
            render("contract.html.j2", page=page),
            contract_description(page),
        )
        for slug, page in contract_pages(ctx.data, index, share)
    ]
