"""Subscriptions without an account under `/flux/`: the feeds of upcoming purchases (all, per CPV
division, per département of execution, per category, and the combinations a company needs:
division × département and category × département), the feed of recently awarded contracts, the
calendar of upcoming purchases, the page that lists them (`feeds.html.j2`), and a companion page
per feed (`feed.html.j2`, `/flux/<feed>/`) that a browser shows readably, with how to subscribe.

Which feeds exist and what each holds is the output kit's (`programme.feed_choices`), shared with
the explorer that offers « S'abonner à cette recherche ». The Atom and iCalendar writers are
exports (`exports.syndication`); this module chooses what goes in them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from achats_ouverts import cpv
from achats_ouverts.datafolder import schemas
from achats_ouverts.exports.rows import row_dicts
from achats_ouverts.exports.sitemap import one_page_sitemap
from achats_ouverts.exports.syndication import (
    CalendarEvent,
    FeedEntry,
    FeedSpec,
    atom_bytes,
    calendar_bytes,
    host,
    sorted_entries,
    tag,
)
from achats_ouverts.french import euros, french_date, quarter_label
from achats_ouverts.model import Data, aggregates
from achats_ouverts.output import BuildContext, artifacts, relative_url, render, safe_url, urls
from achats_ouverts.output.listing import ListIndex, departement_name
from achats_ouverts.output.programme import (
    FeedChoice,
    departement_label,
    feed_choices,
    status_label,
)
from achats_ouverts.output.site_info import FeedLink, SubscribeView, subscribe_view

RECENT_CONTRACTS = 100
UPCOMING_IDS = "achats-a-venir"
CONTRACT_IDS = "marches"
"""Where the ids of entries are taken from (`tag:…:marches/<uid>`): ids, not addresses, they stay
the same if pages move."""
COMPANION_ENTRIES = 200
"""Entries a companion page lists at most (the feed itself holds them all)."""


# --- Upcoming purchases --------------------------------------------------------------------------


def launch_text(row: dict[str, Any]) -> str:
    if row["dateLancement"]:
        return f"consultation lancée le {french_date(row['dateLancement'])}"
    late = " (en retard)" if row["en_retard"] else ""
    if row["dateLancementPrevue"]:
        return f"lancement prévu le {french_date(row['dateLancementPrevue'])}{late}"
    if row["trimestreLancementPrevu"]:
        return f"lancement prévu au {quarter_label(row['trimestreLancementPrevu'])}{late}"
    return "date de lancement non précisée"


def amount_text(row: dict[str, Any]) -> str:
    if row["montantEstime"]:
        return f"montant estimé {euros(float(row['montantEstime']))} HT"
    if row["montantEstimeMin"] and row["montantEstimeMax"]:
        low, high = euros(float(row["montantEstimeMin"])), euros(float(row["montantEstimeMax"]))
        return f"montant estimé entre {low} et {high} HT"
    return "montant non précisé"


def upcoming_summary(row: dict[str, Any], label: str) -> str:
    """A purchase in one paragraph: its status at the reference date, dates, amount, CPV, place,
    procedure, access and contact."""
    status = status_label(row["etat"], bool(row["en_retard"])).lower()
    parts = [f"{row['categorie']}, {status}", launch_text(row), amount_text(row)]
    if row["codeCPV"]:
        parts.append(f"CPV {row['codeCPV']}" + (f" ({label})" if label else ""))
    if row["lieuExecution_nom"]:
        parts.append(f"lieu : {row['lieuExecution_nom']}")
    if row["procedurePrevue"]:
        parts.append(f"procédure envisagée : {row['procedurePrevue']}")
    if row["dateLimiteRemiseOffres"]:
        verb = "closes le" if row["etat"] == aggregates.CLOSED else "à remettre avant le"
        parts.append(f"offres {verb} {french_date(row['dateLimiteRemiseOffres'])}")
    if row["marcheReserve"] == "true":
        parts.append("marché réservé")
    if row["adapte_pme"]:
        parts.append("adapté aux PME")
    if row["contact"]:
        parts.append(f"contact : {row['contact']}")
    consultation = safe_url(row["urlConsultation"])
    if row["etat"] == "lancé" and consultation.startswith(("http://", "https://")):
        parts.append(f"dossier de consultation : {consultation}")
    return " ; ".join(parts) + ". Programmation prévisionnelle, qui n'engage pas l'acheteur."


def upcoming_table(data: Data) -> pd.DataFrame:
    """The programme's validated text, with what it means at the reference date (`etat`,
    `en_retard`, `adapte_pme`) and each purchase's page segment."""
    typed = data.upcoming
    return data.text["achats-a-venir"].assign(
        etat=typed["etat"],
        en_retard=typed["en_retard"],
        adapte_pme=typed["adapte_pme"],
        segment=[urls.path_segment(i) for i in typed["id"]],
    )


ENTRY_COLUMNS = (*schemas.dataset("achats-a-venir").field_names, "etat", "en_retard", "adapte_pme")


def upcoming_entries(data: Data, table: pd.DataFrame) -> dict[str, FeedEntry]:
    """An entry per purchase of `table` (from `upcoming_table`), by id, linked to its page."""
    publisher = data.publisher
    entries = {}
    for row in row_dicts(table, (*ENTRY_COLUMNS, "segment")):
        dates = [d for d in (row["dateAnnonce"], row["dateLancement"]) if d]
        updated = date.fromisoformat(max(dates)) if dates else data.reference_date
        entries[row["id"]] = FeedEntry(
            id=tag(publisher, f"{UPCOMING_IDS}/{row['id']}"),
            titre=row["objet"],
            lien=publisher.url_site + urls.purchase(row["segment"]),
            resume=upcoming_summary(row, data.nomenclature.label(row["codeCPV"])),
            mis_a_jour=updated,
            publie=date.fromisoformat(row["dateAnnonce"]) if row["dateAnnonce"] else None,
            categorie=row["categorie"],
        )
    return entries


def upcoming_feed_specs(
    data: Data, choices: tuple[FeedChoice, ...]
) -> list[tuple[FeedChoice, FeedSpec]]:
    """Each feed of upcoming purchases with its entries (the open purchases it selects); its
    HTML page is the explorer filtered the same way."""
    table = upcoming_table(data)
    entries = upcoming_entries(data, table[aggregates.is_open(data.upcoming)])
    nom = data.publisher.nom
    return [
        (
            choice,
            FeedSpec(
                choice.chemin,
                f"{choice.titre} – {nom}",
                choice.description,
                urls.explorer(urls.UPCOMING, **dict(choice.filtres))
                if choice.filtres
                else urls.UPCOMING,
                sorted_entries(entries[i] for i in choice.ids),
            ),
        )
        for choice in choices
    ]


# --- Awarded contracts ---------------------------------------------------------------------------


def contract_entries(data: Data, index: ListIndex, fallback: str) -> list[FeedEntry]:
    """The most recently notified contracts, as awarded (amount and suppliers at notification),
    linked to their page (to `fallback` when contracts have no page)."""
    publisher = data.publisher
    text = data.text["marches"]
    if text.empty:
        return []
    order = text.sort_values(["dateNotification", "uid"], ascending=[False, True], kind="stable")
    recent = order.head(RECENT_CONTRACTS)
    names_by_key = {
        (kind, ident): name
        for kind, ident, name in zip(
            data.text["titulaires"]["titulaire_typeIdentifiant"],
            data.text["titulaires"]["titulaire_id"],
            data.text["titulaires"]["titulaire_nom"],
            strict=True,
        )
    }
    links = data.text["marches-titulaires"]
    links = links[links["uid"].isin(recent["uid"]) & (links["titulaireInitial"] == "true")]
    suppliers: dict[str, list[str]] = {}
    for uid, kind, ident in zip(
        links["uid"], links["titulaire_typeIdentifiant"], links["titulaire_id"], strict=True
    ):
        suppliers.setdefault(uid, []).append(names_by_key.get((kind, ident), ident))
    entries = []
    for row in row_dicts(
        recent, ("uid", "objet", "montant", "dateNotification", "procedure", "codeCPV")
    ):
        link = publisher.url_site + (
            urls.contract(urls.path_segment(row["uid"])) if index.contract_pages else fallback
        )
        parts = [
            f"notifié le {french_date(row['dateNotification'])}",
            f"montant à la notification {euros(float(row['montant']))} HT",
        ]
        if suppliers.get(row["uid"]):
            parts.append("titulaire(s) : " + ", ".join(suppliers[row["uid"]]))
        if row["procedure"]:
            parts.append(f"procédure : {row['procedure']}")
        if row["codeCPV"]:
            parts.append(f"CPV {row['codeCPV']}")
        entries.append(
            FeedEntry(
                id=tag(publisher, f"{CONTRACT_IDS}/{row['uid']}"),
                titre=row["objet"],
                lien=link,
                resume=" ; ".join(parts) + ".",
                mis_a_jour=date.fromisoformat(row["dateNotification"]),
                publie=date.fromisoformat(row["dateNotification"]),
                categorie=cpv.category(row["codeCPV"]),
            )
        )
    return entries


def awarded_feed_spec(ctx: BuildContext) -> FeedSpec:
    data = ctx.data
    list_page = ctx.get(artifacts.CONTRACTS_EXPLORER)
    return FeedSpec(
        urls.AWARDED_FEED.chemin,
        f"Marchés attribués récemment – {data.publisher.nom}",
        f"Les {RECENT_CONTRACTS} marchés notifiés le plus récemment.",
        list_page,
        sorted_entries(contract_entries(data, ctx.get(artifacts.LIST_INDEX), list_page)),
    )


# --- iCalendar -----------------------------------------------------------------------------------


def calendar_events(data: Data) -> list[CalendarEvent]:
    """Planned launch dates and offer deadlines of open upcoming purchases, and the deadline of
    consultations closed since (awaiting award: an event once in a calendar stays there), as
    all-day events linked to the purchase's page.

    A launch known only by its quarter has no day to put in a calendar: it is left out.
    """
    publisher = data.publisher
    table = upcoming_table(data)
    shown = aggregates.is_open(data.upcoming) | data.upcoming["etat"].eq(aggregates.CLOSED)
    events = []
    for row in row_dicts(table[shown], (*ENTRY_COLUMNS, "segment")):
        link = publisher.url_site + urls.purchase(row["segment"])
        description = upcoming_summary(row, data.nomenclature.label(row["codeCPV"]))
        moments = []
        if row["statut"] == "prévu" and row["dateLancementPrevue"]:
            late = " (en retard)" if row["en_retard"] else ""
            moments.append(("lancement", f"Lancement prévu{late}", row["dateLancementPrevue"]))
        if row["dateLimiteRemiseOffres"]:
            closed = " (consultation close)" if row["etat"] == aggregates.CLOSED else ""
            moments.append(
                ("date-limite", f"Date limite des offres{closed}", row["dateLimiteRemiseOffres"])
            )
        for kind, label, day_text in moments:
            events.append(
                CalendarEvent(
                    uid=f"achat-{row['id']}-{kind}@{host(publisher)}",
                    jour=date.fromisoformat(day_text),
                    titre=f"{label} : {row['objet']}",
                    description=description,
                    lien=link,
                )
            )
    return events


# --- The page of every feed ----------------------------------------------------------------------


@dataclass(frozen=True)
class FeedRow:
    """A line of the feeds page: a feed (its CPV division or category, and its département),
    the open purchases it holds, its companion page and its address."""

    code: str
    libelle: str
    lieu: str
    achats: int
    page: str
    href: str


@dataclass(frozen=True)
class FeedsPage:
    site_nom: str
    abonnement: SubscribeView
    divisions: tuple[FeedRow, ...]
    departements: tuple[FeedRow, ...]
    categories: tuple[FeedRow, ...]
    divisions_departements: tuple[FeedRow, ...]
    categories_departements: tuple[FeedRow, ...]
    achats_ouverts: int


def feed_rows(choices: tuple[FeedChoice, ...], here: str) -> dict[tuple[str, ...], list[FeedRow]]:
    """The feeds by the names of their filters: `("cpv",)`, `("categorie", "departement")`…"""
    rows: dict[tuple[str, ...], list[FeedRow]] = {}
    for choice in choices:
        values = dict(choice.filtres)
        place = values.get("departement", "")
        code = values.get("cpv") or values.get("categorie") or place
        label = cpv.DIVISIONS.get(values["cpv"], "") if "cpv" in values else ""
        alone = tuple(values) == ("departement",)
        rows.setdefault(tuple(values), []).append(
            FeedRow(
                code,
                departement_name(place) if alone else label,
                departement_label(place) if place and not alone else "",
                len(choice.ids),
                relative_url(here, choice.page),
                relative_url(here, choice.chemin),
            )
        )
    return rows


def produce_feeds(ctx: BuildContext) -> None:
    """Write every feed and the calendar, and the page listing them. Feeds of upcoming
    purchases link to each purchase's page; the awarded contracts' feed to contract pages when
    contracts have them."""
    data = ctx.data
    choices = feed_choices(data)
    specs = [spec for _, spec in upcoming_feed_specs(data, choices)]
    specs.append(awarded_feed_spec(ctx))
    for spec in specs:
        ctx.file(spec.chemin, atom_bytes(spec, data.publisher, data.reference_date))
    ctx.file(
        urls.CALENDAR.chemin,
        calendar_bytes(
            f"Achats à venir – {data.publisher.nom}", data.reference_date, calendar_events(data)
        ),
    )
    # mkdocs-material reads every `<link rel="alternate">` as another language of the site and
    # fetches `sitemap.xml` next to its target: without this file, each page announcing a feed
    # would log a 404 in the browser console.
    ctx.file(urls.FEEDS_SITEMAP, one_page_sitemap(data.publisher.url_site + urls.FEEDS))
    here = urls.FEEDS
    rows = feed_rows(choices, here)
    page = FeedsPage(
        site_nom=data.publisher.nom,
        abonnement=subscribe_view(here),
        divisions=tuple(rows.get(("cpv",), ())),
        departements=tuple(rows.get(("departement",), ())),
        categories=tuple(rows.get(("categorie",), ())),
        divisions_departements=tuple(rows.get(("cpv", "departement"), ())),
        categories_departements=tuple(rows.get(("categorie", "departement"), ())),
        achats_ouverts=len(choices[0].ids),
    )
    ctx.page(
        here,
        "S'abonner",
        render("feeds.html.j2", page=page),
        feeds=(*urls.MAIN_FEEDS, urls.CALENDAR),
    )


# --- Companion pages ------------------------------------------------------------------------------


@dataclass(frozen=True)
class EntryView:
    titre: str
    href: str
    resume: str
    jour: date


@dataclass(frozen=True)
class FeedPage:
    """The companion page of a feed: what it holds, its address to copy into a feed reader,
    and how to subscribe."""

    site_nom: str
    titre: str
    description: str
    adresse: str
    href: str
    liste: str
    liste_texte: str
    entrees: tuple[EntryView, ...] | None
    total: int
    tous: str
    calendrier: FeedLink


def entry_view(entry: FeedEntry, base: str, here: str) -> EntryView:
    """An entry linked relatively when it points into the site."""
    link = relative_url(here, entry.lien.removeprefix(base)) if entry.lien.startswith(base) else ""
    return EntryView(entry.titre, link or entry.lien, entry.resume, entry.mis_a_jour)


def feed_page(
    ctx: BuildContext, spec: FeedSpec | None, feed: urls.Feed, liste: str, liste_texte: str
) -> FeedPage:
    """The companion page of `feed`; without `spec`, its entries are not listed (the page
    `liste` shows them)."""
    base = ctx.data.publisher.url_site
    here = urls.feed_page(feed.chemin)
    entries = None
    if spec is not None:
        entries = tuple(entry_view(e, base, here) for e in spec.entrees[:COMPANION_ENTRIES])
    return FeedPage(
        site_nom=ctx.data.publisher.nom,
        titre=feed.titre,
        description=spec.sous_titre if spec else "",
        adresse=base + feed.chemin,
        href=relative_url(here, feed.chemin),
        liste=relative_url(here, liste),
        liste_texte=liste_texte,
        entrees=entries,
        total=len(spec.entrees) if spec else 0,
        tous=relative_url(here, urls.FEEDS),
        calendrier=FeedLink(urls.CALENDAR.titre, relative_url(here, urls.CALENDAR.chemin)),
    )


def write_feed_pages(ctx: BuildContext) -> None:
    """A page per feed, rendered into the feeds section's shell after MkDocs: the feeds of
    upcoming purchases and of awarded contracts with their entries, the changelog's feed with a
    link to the changelog."""
    data = ctx.data
    pages = []
    for choice, spec in upcoming_feed_specs(data, feed_choices(data)):
        pages.append(
            feed_page(
                ctx,
                spec,
                urls.Feed(choice.titre, choice.chemin),
                spec.page,
                "Voir ces achats dans la liste des achats à venir",
            )
        )
    awarded = awarded_feed_spec(ctx)
    pages.append(
        feed_page(ctx, awarded, urls.AWARDED_FEED, awarded.page, "Voir tous les marchés attribués")
    )
    pages.append(
        feed_page(ctx, None, urls.CHANGES_FEED, urls.CHANGELOG, "Voir la page des nouveautés")
    )
    addresses = []
    for page in pages:
        address = urls.feed_page(page.adresse.removeprefix(data.publisher.url_site))
        description = f"Flux Atom : {page.description}" if page.description else "Flux Atom"
        ctx.direct(
            address,
            f"{page.titre} (flux)",
            render("feed.html.j2", page=page),
            description,
        )
        addresses.append(address)
    ctx.put(artifacts.FEED_PAGES, tuple(addresses))
