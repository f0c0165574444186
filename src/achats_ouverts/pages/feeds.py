"""Subscriptions without an account: Atom feeds (feedgen) and an iCalendar file (icalendar) under
`/flux/`, and the page that lists them.

Feeds: upcoming purchases (all, per CPV division, per département of execution) and recently
awarded contracts. Every id is a stable `tag:` URI, every date comes from the data (never the
clock), and entries are sorted, so two builds of the same data give the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlsplit

from feedgen.feed import FeedGenerator
from icalendar import Calendar, Event, vText

from achats_ouverts import cpv
from achats_ouverts.datafolder import Publisher, schemas
from achats_ouverts.exports import row_dicts
from achats_ouverts.french import euros, french_date, quarter_label
from achats_ouverts.model import Data, aggregates
from achats_ouverts.output import (
    AWARDED_FEED,
    CALENDAR,
    FEEDS_PAGE,
    MAIN_FEEDS,
    SHELL_DIR,
    UPCOMING_FEED,
    BuildContext,
    path_segment,
    relative_url,
    render,
    safe_url,
)
from achats_ouverts.pages.base import SubscribeView, subscribe_view

TAG_DATE = "2026"
"""The date part of every `tag:` id: fixed once and for all, so that ids never change."""
RECENT_CONTRACTS = 100
LICENCE = "Licence Ouverte / Open Licence version 2.0 (Etalab)"


def host(publisher: Publisher) -> str:
    return urlsplit(publisher.url_site).hostname or "localhost"


def tag(publisher: Publisher, path: str) -> str:
    """A stable Atom id, e.g. `tag:achats.example.fr,2026:achats-a-venir/2027-lyc-004`."""
    return f"tag:{host(publisher)},{TAG_DATE}:{path}"


def moment(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


@dataclass(frozen=True)
class FeedEntry:
    id: str
    titre: str
    lien: str
    resume: str
    mis_a_jour: date
    publie: date | None = None
    categorie: str = ""


@dataclass(frozen=True)
class FeedSpec:
    chemin: str
    titre: str
    sous_titre: str
    page: str
    entrees: tuple[FeedEntry, ...]


def atom_bytes(spec: FeedSpec, publisher: Publisher, reference: date) -> bytes:
    """An Atom 1.0 feed; `updated` is the latest entry date (the reference date when empty)."""
    base = publisher.url_site
    feed = FeedGenerator()
    feed.id(tag(publisher, spec.chemin))
    feed.title(spec.titre)
    feed.subtitle(spec.sous_titre)
    feed.author({"name": publisher.nom, "email": publisher.email, "uri": base})
    feed.link(href=base + spec.chemin, rel="self", type="application/atom+xml")
    feed.link(href=base + spec.page, rel="alternate", type="text/html")
    feed.language("fr")
    feed.rights(LICENCE)
    feed.generator("Achats ouverts")
    latest = max((e.mis_a_jour for e in spec.entrees), default=reference)
    feed.updated(moment(latest))
    for item in spec.entrees:
        entry = feed.add_entry(order="append")
        entry.id(item.id)
        entry.title(item.titre)
        entry.link(href=item.lien, rel="alternate", type="text/html")
        entry.summary(item.resume)
        entry.updated(moment(item.mis_a_jour))
        if item.publie:
            entry.published(moment(item.publie))
        if item.categorie:
            entry.category(term=item.categorie)
    result: bytes = feed.atom_str(pretty=True)
    return result


def sorted_entries(entries: Iterable[FeedEntry]) -> tuple[FeedEntry, ...]:
    """Most recent first; ties broken by id."""
    items = sorted(entries, key=lambda e: e.id)
    return tuple(sorted(items, key=lambda e: e.mis_a_jour, reverse=True))


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
            id=tag(publisher, f"achats-a-venir/{row['id']}"),
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


def division_path(code: str) -> str:
    return f"flux/achats-a-venir-cpv-{code}.xml"


def departement_path(code: str) -> str:
    return f"flux/achats-a-venir-departement-{code}.xml"


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
            UPCOMING_FEED.chemin,
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
                division_path(code),
                f"Achats à venir, CPV {code} {label} – {publisher.nom}".replace("  ", " "),
                f"Les achats à venir de la division CPV {code}.",
                page,
                sorted_entries(chosen),
            )
        )
        division_rows.append(FeedRow(code, label, len(chosen), division_path(code)))
    for code in sorted(set(publisher.departements) | set(departement[departement != ""])):
        chosen = [entries[i] for i in ids[departement == code]]
        specs.append(
            FeedSpec(
                departement_path(code),
                f"Achats à venir, département {code} – {publisher.nom}",
                f"Les achats à venir exécutés dans le département {code}.",
                page,
                sorted_entries(chosen),
            )
        )
        departement_rows.append(FeedRow(code, "", len(chosen), departement_path(code)))
    return specs, division_rows, departement_rows


# --- Awarded contracts ---------------------------------------------------------------------------


def contract_entries(data: Data, contract_page: str | None, fallback: str) -> list[FeedEntry]:
    """The most recently notified contracts, with their suppliers' names."""
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
    links = links[links["uid"].isin(recent["uid"])]
    suppliers: dict[str, list[str]] = {}
    for uid, kind, ident in zip(
        links["uid"], links["titulaire_typeIdentifiant"], links["titulaire_id"], strict=True
    ):
        suppliers.setdefault(uid, []).append(names_by_key.get((kind, ident), ident))
    entries = []
    for row in row_dicts(
        recent, ("uid", "objet", "montant", "dateNotification", "procedure", "codeCPV")
    ):
        link = (
            f"{publisher.url_site}{contract_page}{path_segment(row['uid'])}/"
            if contract_page
            else publisher.url_site + fallback
        )
        parts = [
            f"notifié le {french_date(row['dateNotification'])}",
            f"montant {euros(float(row['montant']))} HT",
        ]
        if suppliers.get(row["uid"]):
            parts.append("titulaire(s) : " + ", ".join(suppliers[row["uid"]]))
        if row["procedure"]:
            parts.append(f"procédure : {row['procedure']}")
        if row["codeCPV"]:
            parts.append(f"CPV {row['codeCPV']}")
        entries.append(
            FeedEntry(
                id=tag(publisher, f"marches/{row['uid']}"),
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


def calendar_bytes(data: Data, page: str) -> bytes:
    """Planned launch dates and offer deadlines of open upcoming purchases, as all-day events.

    A launch known only by its quarter has no day to put in a calendar: it is left out.
    """
    publisher = data.publisher
    stamp = moment(data.reference_date)
    calendar = Calendar()
    calendar.add("prodid", "-//Achats ouverts//Achats à venir//FR")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    # An X- property is written raw unless typed: as text, a newline in the name is escaped.
    calendar.add("x-wr-calname", vText(f"Achats à venir – {publisher.nom}"))
    events: list[tuple[str, str, Event]] = []
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
            day = date.fromisoformat(day_text)
            event = Event()
            uid = f"achat-{row['id']}-{kind}@{host(publisher)}"
            event.add("uid", uid)
            event.add("dtstamp", stamp)
            event.add("dtstart", day)
            event.add("dtend", day + timedelta(days=1))
            event.add("summary", f"{label} : {row['objet']}")
            event.add("description", description)
            event.add("url", link)
            event.add("transp", "TRANSPARENT")
            events.append((day_text, uid, event))
    for _day, _uid, event in sorted(events, key=lambda e: (e[0], e[1])):
        calendar.add_component(event)
    result: bytes = calendar.to_ical()
    return result


# --- Producer ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedsPage:
    site_nom: str
    abonnement: SubscribeView
    divisions: tuple[FeedRow, ...]
    departements: tuple[FeedRow, ...]
    achats_ouverts: int


def feeds_sitemap(base: str) -> bytes:
    """`flux/sitemap.xml`, listing the feeds page.

    mkdocs-material reads every `<link rel="alternate">` as another language of the site and
    fetches `sitemap.xml` next to its target: without this file, each page announcing a feed
    would log a 404 in the browser console.
    """
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"<url><loc>{base}{FEEDS_PAGE}</loc></url>\n</urlset>\n"
    ).encode()


def section_page(ctx: BuildContext, section: str) -> bool:
    """Whether a page of that section was generated (so that a feed may link to it)."""
    return (ctx.docs_dir / section / "index.md").is_file()


def produce_feeds(ctx: BuildContext) -> None:
    """Write every feed and the calendar, and the page listing them. Runs after the list pages."""
    data = ctx.data
    upcoming_page = (
        "achats-a-venir/" if section_page(ctx, "achats-a-venir") else "donnees/achats-a-venir/"
    )
    specs, divisions, departements = upcoming_feeds(data, upcoming_page)
    contract_page = (
        "marches/"
        if ctx.contract_pages and (ctx.docs_dir / "marches" / SHELL_DIR / "index.md").is_file()
        else None
    )
    list_page = "marches/" if section_page(ctx, "marches") else "donnees/marches/"
    specs.append(
        FeedSpec(
            AWARDED_FEED.chemin,
            f"Marchés attribués récemment – {data.publisher.nom}",
            f"Les {RECENT_CONTRACTS} marchés notifiés le plus récemment.",
            list_page,
            sorted_entries(contract_entries(data, contract_page, list_page)),
        )
    )
    for spec in specs:
        ctx.file(spec.chemin, atom_bytes(spec, data.publisher, data.reference_date))
    ctx.file(CALENDAR.chemin, calendar_bytes(data, upcoming_page))
    ctx.file(f"{FEEDS_PAGE}sitemap.xml", feeds_sitemap(data.publisher.url_site))
    here = FEEDS_PAGE
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
        f"{FEEDS_PAGE}index.md",
        "S'abonner",
        render("feeds.html.j2", page=page),
        feeds=(*MAIN_FEEDS, CALENDAR),
    )
