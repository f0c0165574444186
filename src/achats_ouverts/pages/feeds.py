"""Subscriptions without an account under `/flux/`: the feeds of upcoming purchases (all, per CPV
division, per département of execution) and of recently awarded contracts, the calendar of
upcoming purchases, and the page that lists them (`feeds.html.j2`). The Atom and iCalendar
writers are exports (`exports.syndication`); this module chooses what goes in them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

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
from achats_ouverts.output.listing import ListIndex
from achats_ouverts.output.site_info import SubscribeView, subscribe_view

RECENT_CONTRACTS = 100
UPCOMING_IDS = "achats-a-venir"
CONTRACT_IDS = "marches"
"""Where the ids of entries are taken from (`tag:…:marches/<uid>`): ids, not addresses, they stay
the same if pages move."""


# --- Upcoming purchases --------------------------------------------------------------------------


def launch_text(row: dict[str, str]) -> str:
    if row["dateLancement"]:
        return f"consultation lancée le {french_date(row['dateLancement'])}"
    if row["dateLancementPrevue"]:
        return f"lancement prévu le {french_date(row['dateLancementPrevue'])}"
    if row["trimestreLancementPrevu"]:
        return f"lancement prévu au {quarter_label(row['trimestreLancementPrevu'])}"
    return "date de lancement non précisée"


def amount_text(row: dict[str, str]) -> str:
    if row["montantEstime"]:
        return f"montant estimé {euros(float(row['montantEstime']))} HT"
    if row["montantEstimeMin"] and row["montantEstimeMax"]:
        low, high = euros(float(row["montantEstimeMin"])), euros(float(row["montantEstimeMax"]))
        return f"montant estimé entre {low} et {high} HT"
    return "montant non précisé"


def upcoming_summary(row: dict[str, str], label: str) -> str:
    parts = [f"{row['categorie']}, statut : {row['statut']}", launch_text(row), amount_text(row)]
    if row["codeCPV"]:
        parts.append(f"CPV {row['codeCPV']}" + (f" ({label})" if label else ""))
    if row["lieuExecution_nom"]:
        parts.append(f"lieu : {row['lieuExecution_nom']}")
    if row["procedurePrevue"]:
        parts.append(f"procédure envisagée : {row['procedurePrevue']}")
    if row["dateLimiteRemiseOffres"]:
        parts.append(f"offres à remettre avant le {french_date(row['dateLimiteRemiseOffres'])}")
    if row["marcheReserve"] == "true":
        parts.append("marché réservé")
    if row["accessiblePME"] == "true":
        parts.append("adapté aux PME")
    if row["contact"]:
        parts.append(f"contact : {row['contact']}")
    return " ; ".join(parts) + ". Programmation prévisionnelle, qui n'engage pas l'acheteur."


def upcoming_link(row: dict[str, str], page: str, base: str) -> str:
    consultation = safe_url(row["urlConsultation"])
    return consultation if consultation.startswith(("http://", "https://")) else base + page


def upcoming_entries(data: Data, page: str) -> dict[str, FeedEntry]:
    """Open upcoming purchases (planned or launched), by id."""
    publisher = data.publisher
    open_rows = aggregates.open_upcoming(data.text["achats-a-venir"])
    names = schemas.dataset("achats-a-venir").field_names
    entries = {}
    for row in row_dicts(open_rows, names):
        dates = [d for d in (row["dateAnnonce"], row["dateLancement"]) if d]
        updated = date.fromisoformat(max(dates)) if dates else data.reference_date
        entries[row["id"]] = FeedEntry(
            id=tag(publisher, f"{UPCOMING_IDS}/{row['id']}"),
            titre=row["objet"],
            lien=upcoming_link(row, page, publisher.url_site),
            resume=upcoming_summary(row, data.nomenclature.label(row["codeCPV"])),
            mis_a_jour=updated,
            publie=date.fromisoformat(row["dateAnnonce"]) if row["dateAnnonce"] else None,
            categorie=row["categorie"],
        )
    return entries


@dataclass(frozen=True)
class FeedRow:
    """A line of the feeds page: one feed of a CPV division or of a département."""

    code: str
    libelle: str
    achats: int
    href: str


def upcoming_feeds(data: Data, page: str) -> tuple[list[FeedSpec], list[FeedRow], list[FeedRow]]:
    """The upcoming-purchase feeds: all, one per CPV division, one per département."""
    publisher = data.publisher
    entries = upcoming_entries(data, page)
    frame = aggregates.open_upcoming(data.text["achats-a-venir"])
    division = frame["codeCPV"].str.slice(0, 2)
    departement = aggregates.execution_departement(
        frame["lieuExecution_code"], frame["lieuExecution_typeCode"]
    )
    ids = frame["id"]
    specs = [
        FeedSpec(
            urls.UPCOMING_FEED.chemin,
            f"Achats à venir – {publisher.nom}",
            "Les achats que l'acheteur prévoit de lancer ou vient de lancer.",
            page,
            sorted_entries(entries.values()),
        )
    ]
    division_rows, departement_rows = [], []
    for code in sorted(set(cpv.DIVISIONS) | set(division[division != ""])):
        chosen = [entries[i] for i in ids[division == code]]
        label = cpv.DIVISIONS.get(code, "")
        specs.append(
            FeedSpec(
                urls.division_feed(code),
                f"Achats à venir, CPV {code} {label} – {publisher.nom}".replace("  ", " "),
                f"Les achats à venir de la division CPV {code}.",
                page,
                sorted_entries(chosen),
            )
        )
        division_rows.append(FeedRow(code, label, len(chosen), urls.division_feed(code)))
    for code in sorted(set(publisher.departements) | set(departement[departement != ""])):
        chosen = [entries[i] for i in ids[departement == code]]
        specs.append(
            FeedSpec(
                urls.departement_feed(code),
                f"Achats à venir, département {code} – {publisher.nom}",
                f"Les achats à venir exécutés dans le département {code}.",
                page,
                sorted_entries(chosen),
            )
        )
        departement_rows.append(FeedRow(code, "", len(chosen), urls.departement_feed(code)))
    return specs, division_rows, departement_rows


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


# --- iCalendar -----------------------------------------------------------------------------------


def calendar_events(data: Data, page: str) -> list[CalendarEvent]:
    """Planned launch dates and offer deadlines of open upcoming purchases, as all-day events.

    A launch known only by its quarter has no day to put in a calendar: it is left out.
    """
    publisher = data.publisher
    events = []
    names = schemas.dataset("achats-a-venir").field_names
    for row in row_dicts(aggregates.open_upcoming(data.text["achats-a-venir"]), names):
        link = upcoming_link(row, page, publisher.url_site)
        description = upcoming_summary(row, data.nomenclature.label(row["codeCPV"]))
        moments = []
        if row["statut"] == "prévu" and row["dateLancementPrevue"]:
            moments.append(("lancement", "Lancement prévu", row["dateLancementPrevue"]))
        if row["dateLimiteRemiseOffres"]:
            moments.append(("date-limite", "Date limite des offres", row["dateLimiteRemiseOffres"]))
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


# --- Producer ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedsPage:
    site_nom: str
    abonnement: SubscribeView
    divisions: tuple[FeedRow, ...]
    departements: tuple[FeedRow, ...]
    achats_ouverts: int


def produce_feeds(ctx: BuildContext) -> None:
    """Write every feed and the calendar, and the page listing them. Feeds link to the explorers'
    pages, and to contract pages when contracts have them."""
    data = ctx.data
    upcoming_page = ctx.get(artifacts.UPCOMING_EXPLORER)
    list_page = ctx.get(artifacts.CONTRACTS_EXPLORER)
    specs, divisions, departements = upcoming_feeds(data, upcoming_page)
    specs.append(
        FeedSpec(
            urls.AWARDED_FEED.chemin,
            f"Marchés attribués récemment – {data.publisher.nom}",
            f"Les {RECENT_CONTRACTS} marchés notifiés le plus récemment.",
            list_page,
            sorted_entries(contract_entries(data, ctx.get(artifacts.LIST_INDEX), list_page)),
        )
    )
    for spec in specs:
        ctx.file(spec.chemin, atom_bytes(spec, data.publisher, data.reference_date))
    ctx.file(
        urls.CALENDAR.chemin,
        calendar_bytes(
            f"Achats à venir – {data.publisher.nom}",
            data.reference_date,
            calendar_events(data, upcoming_page),
        ),
    )
    # mkdocs-material reads every `<link rel="alternate">` as another language of the site and
    # fetches `sitemap.xml` next to its target: without this file, each page announcing a feed
    # would log a 404 in the browser console.
    ctx.file(urls.FEEDS_SITEMAP, one_page_sitemap(data.publisher.url_site + urls.FEEDS))
    here = urls.FEEDS
    page = FeedsPage(
        site_nom=data.publisher.nom,
        abonnement=subscribe_view(here),
        divisions=tuple(
            FeedRow(r.code, r.libelle, r.achats, relative_url(here, r.href)) for r in divisions
        ),
        departements=tuple(
            FeedRow(r.code, r.libelle, r.achats, relative_url(here, r.href)) for r in departements
        ),
        achats_ouverts=len(aggregates.open_upcoming(data.upcoming)),
    )
    ctx.page(
        here,
        "S'abonner",
        render("feeds.html.j2", page=page),
        feeds=(*urls.MAIN_FEEDS, urls.CALENDAR),
    )
