"""What every page shares: the publisher as pages name it, the theme's colours from its identity,
the « S'abonner » block and the wide layout of pages made of tables."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from achats_ouverts import colours
from achats_ouverts.datafolder import Identity, Publisher
from achats_ouverts.output import urls
from achats_ouverts.output.rendering import relative_url

WIDE = ("navigation", "toc")
"""Pages made of wide tables hide the theme's side columns (both are empty on them anyway)."""


@dataclass(frozen=True)
class SiteInfo:
    """What every page may show about the publisher."""

    nom: str
    demo: bool
    email: str
    url_site: str

    @staticmethod
    def of(publisher: Publisher) -> SiteInfo:
        return SiteInfo(publisher.nom, publisher.demo, publisher.email, publisher.url_site)


def theme_css(identity: Identity) -> str:
    """The stylesheet that gives mkdocs-material its colours (`palette: custom`, as its
    documentation recommends), from the buyer's identity: the header and links in the main
    colour, hovered links in the accent. Both are `#rrggbb` at 4.5:1 against white (checked when
    `editeur.yaml` is read), so nothing else reaches this text."""
    main, accent = identity.principale, identity.accent
    return (
        "/* Couleurs de l'éditeur (editeur.yaml, identite), écrites à chaque construction. */\n"
        "[data-md-color-primary=custom] {\n"
        f"  --md-primary-fg-color: {main};\n"
        f"  --md-primary-fg-color--light: {colours.mix(main, colours.WHITE, 0.15)};\n"
        f"  --md-primary-fg-color--dark: {colours.mix(main, colours.BLACK, 0.15)};\n"
        "  --md-primary-bg-color: #ffffff;\n"
        "  --md-primary-bg-color--light: #ffffffb3;\n"
        f"  --md-typeset-a-color: {main};\n"
        "}\n"
        "[data-md-color-accent=custom] {\n"
        f"  --md-accent-fg-color: {accent};\n"
        f"  --md-accent-fg-color--transparent: {accent}1a;\n"
        "  --md-accent-bg-color: #ffffff;\n"
        "  --md-accent-bg-color--light: #ffffffb3;\n"
        "}\n"
    )


@dataclass(frozen=True)
class FeedLink:
    """A feed: `href` is the feed itself (what a feed reader or a calendar reads), `page` its
    companion page, readable in a browser ('' for the calendar)."""

    titre: str
    href: str
    page: str = ""


@dataclass(frozen=True)
class SubscribeView:
    """The « S'abonner » block (`_abonnement.html.j2`): the main feeds (each with its companion
    page), the calendar and the page listing every feed, linked relatively from the page that
    shows it."""

    flux: tuple[FeedLink, ...]
    calendrier: FeedLink
    page: str


def subscribe_view(from_page: str) -> SubscribeView:
    return SubscribeView(
        tuple(
            FeedLink(
                feed.titre,
                relative_url(from_page, feed.chemin),
                relative_url(from_page, urls.feed_page(feed.chemin)),
            )
            for feed in urls.MAIN_FEEDS
        ),
        FeedLink(urls.CALENDAR.titre, relative_url(from_page, urls.CALENDAR.chemin)),
        relative_url(from_page, urls.FEEDS),
    )


LICENCE = "Licence Ouverte / Open Licence 2.0"
LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"


@dataclass(frozen=True)
class Citation:
    """The « Citer » block of a page (`_citer.html.j2`): what, by whom, the date of the data, a
    stable address and the licence."""

    titre: str
    editeur: str
    date_donnees: date
    adresse: str
    """Absolute: a citation leaves the site."""
    licence: str = LICENCE
