"""Subscriptions without an account: Atom feeds (feedgen) and an iCalendar file (icalendar).

Writers take plain entries and addresses: every id is a stable `tag:` URI, every date comes from
the data (never the clock), and entries are sorted, so two builds of the same data give the same
bytes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlsplit

from feedgen.feed import FeedGenerator
from icalendar import Calendar, Event, vText

from achats_ouverts.datafolder import Publisher

TAG_DATE = "2026"
"""The date part of every `tag:` id: fixed once and for all, so that ids never change."""
LICENCE = "Licence Ouverte / Open Licence version 2.0 (Etalab)"


def host(publisher: Publisher) -> str:
    return urlsplit(publisher.url_site).hostname or "localhost"


def tag(publisher: Publisher, path: str) -> str:
    """A stable Atom id, e.g. `tag:achats.example.fr,2026:achats-a-venir/2027-lyc-004`."""
    return f"tag:{host(publisher)},{TAG_DATE}:{path}"


def moment(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


# --- Atom ----------------------------------------------------------------------------------------


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
    """A feed: its address, title, subtitle, the page it is the feed of, and its entries."""

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


# --- iCalendar -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarEvent:
    """An all-day event."""

    uid: str
    jour: date
    titre: str
    description: str
    lien: str


def calendar_bytes(name: str, stamp: date, events: Sequence[CalendarEvent]) -> bytes:
    """An iCalendar file of all-day events, sorted by day then uid; `stamp` dates them all."""
    calendar = Calendar()
    calendar.add("prodid", "-//Achats ouverts//Achats à venir//FR")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    # An X- property is written raw unless typed: as text, a newline in the name is escaped.
    calendar.add("x-wr-calname", vText(name))
    for item in sorted(events, key=lambda e: (e.jour.isoformat(), e.uid)):
        event = Event()
        event.add("uid", item.uid)
        event.add("dtstamp", moment(stamp))
        event.add("dtstart", item.jour)
        event.add("dtend", item.jour + timedelta(days=1))
        event.add("summary", item.titre)
        event.add("description", item.description)
        event.add("url", item.lien)
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    result: bytes = calendar.to_ical()
    return result
