"""The images of link previews (`output.previews`): one for the home page, one for each generated
section of the navigation and one for each indicator, under `apercus/`. A link to any of these
pages shared on a social network or in a messaging app shows the site, the page's title and its
key figures; the other pages show the home page's image (`overrides/main.html`).

Half of the images are drawn in a second process (the machine has two cores).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from achats_ouverts.datafolder import schemas
from achats_ouverts.french import euros, french_date, number, percent, plural
from achats_ouverts.model import IndicatorResult, aggregates
from achats_ouverts.output import BuildContext, artifacts, in_other_process, urls
from achats_ouverts.output.indicator_views import (
    chart_points,
    display,
    situation,
    year_label,
)
from achats_ouverts.output.previews import Preview, preview_png


def footer(ctx: BuildContext) -> str:
    data = ctx.data
    text = f"{urlsplit(data.publisher.url_site).netloc} · données au "
    text += french_date(data.reference_date)
    return text + (" · démonstration : données fictives" if data.publisher.demo else "")


def section_previews(ctx: BuildContext, results: tuple[IndicatorResult, ...]) -> dict[str, Preview]:
    """The preview of each section of `urls.PREVIEWED_SECTIONS`: its title and key figures."""
    data = ctx.data
    site = f"Achats publics – {data.publisher.nom}"
    contracts = data.contracts
    year = aggregates.latest_year(contracts)
    latest = contracts[contracts["annee"] == year] if year else contracts.iloc[0:0]
    when = f"en {year}" + (
        f" (au {french_date(data.reference_date)})" if year == data.reference_date.year else ""
    )
    years = sorted(int(y) for y in contracts["annee"].dropna().unique())
    span = f"de {years[0]} à {years[-1]}" if len(years) > 1 else (f"en {years[0]}" if years else "")
    judged = [r.status.bilan if r.status.en_cours else r.status for r in results]
    met = sum(1 for s in judged if s is not None and s.atteinte)
    with_target = sum(1 for s in judged if s is not None and s.atteinte is not None)
    filled = aggregates.key_fields_filled(contracts, data.contract_suppliers)
    latest_filled = filled[contracts["annee"] == year] if year else filled.iloc[0:0]
    completeness = float(latest_filled.to_numpy().mean() * 100) if len(latest_filled) else None
    policy = data.policy
    actions = sum(len(axis.actions) for axis in policy.axes)
    rows = sum(len(frame) for frame in data.text.values())
    figures: dict[str, tuple[str, tuple[tuple[str, str], ...]]] = {
        urls.HOME: (
            "Les achats publics en données ouvertes",
            (
                (euros(float(aggregates.awarded_amount(latest).sum())), f"HT attribués {when}"),
                (number(len(latest)), f"marchés notifiés {when}"),
            ),
        ),
        urls.UPCOMING: (
            "Achats à venir",
            (
                (
                    number(len(aggregates.open_upcoming(data.upcoming))),
                    "achats annoncés ou en consultation",
                ),
            ),
        ),
        urls.CONTRACTS: (
            "Marchés attribués",
            (
                (number(len(contracts)), f"marchés publiés {span}"),
                (
                    euros(float(aggregates.awarded_amount(contracts).fillna(0.0).sum())),
                    "HT au total",
                ),
            ),
        ),
        urls.POLICY: (
            policy.titre or "Politique d'achat",
            (
                (f"{plural(len(policy.axes), 'axe')} · {plural(actions, 'action')}", ""),
                (number(len(policy.indicateurs)), "indicateurs suivis chaque année"),
            ),
        ),
        urls.INDICATORS: (
            "Indicateurs de la politique d'achat",
            (
                (f"{number(met)} sur {number(with_target)}", "atteignent leur cible"),
                ("", "sur leur dernière année complète"),
            ),
        ),
        urls.DATA: (
            "Données ouvertes",
            (
                (plural(len(schemas.DATASETS), "jeu", "jeux"), "de données, sous Licence Ouverte"),
                (number(rows), "lignes : CSV, JSON, Parquet, XLSX, DECP, OCDS"),
            ),
        ),
        urls.QUALITY: (
            "Qualité des données",
            ((percent(completeness, 0), f"des champs clés renseignés {when}"),),
        ),
        urls.CHANGELOG: (
            "Nouveautés des données",
            ((french_date(data.reference_date), "date des données publiées"),),
        ),
        urls.FEEDS: (
            "S'abonner sans compte",
            (("Atom · iCalendar", "achats à venir, marchés attribués, nouveautés"),),
        ),
    }
    return {
        address: Preview(site, title, tuple(f for f in shown if f[0] or f[1]), footer(ctx))
        for address, (title, shown) in figures.items()
    }


def indicator_preview(ctx: BuildContext, result: IndicatorResult) -> Preview:
    st = result.status
    site = f"Achats publics – {ctx.data.publisher.nom}"
    if st.valeur is None or st.valeur.valeur is None:
        first = ("—", "pas encore de valeur mesurée")
    else:
        running = f", au {french_date(result.date_reference)}" if st.en_cours else ""
        first = (display(st.valeur.valeur, result.unite), f"en {year_label(st.valeur)}{running}")
    words, _ = situation(result)
    if st.en_cours:
        bilan = st.bilan
        words = "année en cours, sans verdict avant sa fin"
        if bilan is not None and bilan.valeur is not None and bilan.atteinte is not None:
            later = bilan.cible_annee != bilan.valeur.annee
            verdict = (
                ("déjà " if later else "") + "atteinte"
                if bilan.atteinte
                else ("pas encore atteinte" if later else "non atteinte")
            )
            words = f"{bilan.valeur.annee}, dernière année complète : cible {verdict}"
    second = (
        (f"{display(st.cible, result.unite)} en {st.cible_annee}", f"cible · {words}")
        if st.cible is not None
        else ("", words)
    )
    return Preview(site, result.titre, (first, second), footer(ctx), chart_points(result))


def draw(previews: list[tuple[str, Preview]], colour: str) -> list[bytes]:
    return [preview_png(preview, colour) for _, preview in previews]


def produce_previews(ctx: BuildContext) -> None:
    """Every preview image, half of them drawn in a second process."""
    results = ctx.get(artifacts.INDICATORS)
    colour = ctx.data.publisher.identite.principale
    wanted = list(section_previews(ctx, results).items()) + [
        (urls.indicator(r.id), indicator_preview(ctx, r)) for r in results
    ]
    half = len(wanted) // 2
    other = in_other_process(lambda: draw(wanted[half:], colour))
    try:
        drawn = draw(wanted[:half], colour)
        drawn += other.result()
    finally:
        other.cancel()
    for (address, _), png in zip(wanted, drawn, strict=True):
        ctx.file(urls.preview(address), png)
