"""The legal pages: the accessibility statement (`accessibility.html.j2`) and the legal notices
(`legal.html.j2`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from achats_ouverts.datafolder import Publisher
from achats_ouverts.output import BuildContext, render, urls
from achats_ouverts.output.site_info import SiteInfo


@dataclass(frozen=True)
class LegalPage:
    site: SiteInfo
    publisher: Publisher
    date_reference: date


def produce_legal_pages(ctx: BuildContext) -> None:
    page = LegalPage(SiteInfo.of(ctx.data.publisher), ctx.data.publisher, ctx.data.reference_date)
    ctx.page(
        urls.ACCESSIBILITY,
        "Déclaration d'accessibilité",
        render("accessibility.html.j2", page=page),
    )
    ctx.page(urls.LEGAL, "Mentions légales", render("legal.html.j2", page=page))
