"""The programme of upcoming purchases as every page, feed and the calendar present it.

The model says what each purchase is at the reference date (`aggregates.programme_columns`:
derived status, lateness, SME badge, the period a company can act in, the default order); this
kit says it in French, once: the status in words (`status_label`), the next date that matters
(`Deadline`), a purchase as lists show it (`UpcomingRow`), and the feeds a company can subscribe
to (`feed_choices`), which the explorer offers for a search and the feeds page publishes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from achats_ouverts import cpv
from achats_ouverts import vocabulary as v
from achats_ouverts.french import euros, fold, quarter_code, quarter_label, quarter_start
from achats_ouverts.model import Data, aggregates
from achats_ouverts.output import urls
from achats_ouverts.output.listing import departement_name, to_date, to_float
from achats_ouverts.output.rendering import safe_url

STATUS_LABELS = {
    "prévu": "Prévu",
    "lancé": "Consultation en cours",
    aggregates.CLOSED: "Consultation close, attribution attendue",
    "attribué": "Attribué",
    "reporté": "Reporté",
    "abandonné": "Abandonné",
}
"""The derived statuses (`aggregates.STATES`) in words."""
LATE_LABEL = "Prévu, lancement en retard"


def status_label(state: str, late: bool) -> str:
    """`Consultation en cours`, `Prévu, lancement en retard`…"""
    return LATE_LABEL if state == "prévu" and late else STATUS_LABELS.get(state, state)


# --- The next date that matters ------------------------------------------------------------------


@dataclass(frozen=True)
class Deadline:
    """The next date a company can act on, as a phrase around a day: « Offres jusqu'au » + day,
    « Lancement prévu au 1er trimestre 2027 » (no day), with « (en retard) » after a planned
    launch already past. `explorateur.js` (deadlineCell) writes the same."""

    avant: str
    jour: date | None
    apres: str


def deadline(
    state: str,
    late: bool,
    planned: date | None,
    quarter: str,
    launched: date | None,
    limit: date | None,
) -> Deadline:
    """What to show in the « Échéance » column of a purchase."""
    if state == "lancé":
        if limit:
            return Deadline("Offres jusqu'au", limit, "")
        return Deadline("Consultation ouverte depuis le", launched, "")
    if state == aggregates.CLOSED:
        return Deadline("Offres closes le", limit, "")
    if state != "prévu" and launched:
        return Deadline("Lancé le", launched, "")
    suffix = " (en retard)" if state == "prévu" and late else ""
    if planned:
        return Deadline("Lancement prévu le", planned, suffix)
    if quarter:
        return Deadline(f"Lancement prévu au {quarter_label(quarter)}", None, suffix)
    return Deadline("Date de lancement non précisée", None, "")


# --- A purchase as lists show it -----------------------------------------------------------------


def upcoming_frame(data: Data) -> pd.DataFrame:
    """The programme in the default order (`rang`, `echeance`, then id: what a company can act on
    first, past items last), with the planned quarter (`trimestre`), execution département, a
    representative amount (`montant_tri`: the estimate, or the middle of its range) and the
    purchase's page segment (`segment`)."""
    up = data.upcoming
    quarters = []
    for day, quarter in zip(up["dateLancementPrevue"], up["trimestreLancementPrevu"], strict=True):
        planned = to_date(day)
        quarters.append(quarter_code(planned) if planned else quarter)
    low = up["montantEstimeMin"].fillna(up["montantEstime"])
    high = up["montantEstimeMax"].fillna(up["montantEstime"])
    middle = up["montantEstime"].fillna((low.fillna(high) + high.fillna(low)) / 2)
    frame = up.assign(
        trimestre=quarters,
        departement=aggregates.execution_departement(
            up["lieuExecution_code"], up["lieuExecution_typeCode"]
        ),
        division=up["codeCPV"].str.slice(0, 2),
        montant_bas=low,
        montant_haut=high,
        montant_tri=middle,
        segment=[urls.path_segment(i) for i in up["id"]],
    )
    return frame.sort_values(["rang", "echeance", "id"], kind="stable", na_position="last")


def planned_key(planned: date | None, quarter: str) -> str:
    """A planned launch as a sortable ISO date: the day, else the quarter's first day."""
    if planned:
        return planned.isoformat()
    return quarter_start(quarter) if quarter else ""


@dataclass(frozen=True)
class UpcomingRow:
    """A purchase of the programme as lists show it; `lien` is its page, relative to the list."""

    id: str
    lien: str
    objet: str
    service: str
    categorie: str
    cpv: str
    cpv_libelle: str
    prevue: date | None
    trimestre: str
    montant: str
    lieu: str
    procedure: str
    reserve: bool
    pme: bool
    statut: str
    statut_libelle: str
    en_retard: bool
    echeance: Deadline
    annonce: date | None
    lancement: date | None
    limite: date | None
    consultation: str
    marche: str
    contact: str


def amount_text(estimate: float | None, low: float | None, high: float | None) -> str:
    """`850 000 €`, `500 000 à 1 000 000 €`, `jusqu'à 1 000 000 €` or `—`."""
    if estimate is not None:
        return euros(estimate)
    if low is not None and high is not None:
        return f"{euros(low)[:-2]} à {euros(high)}"
    if high is not None:
        return f"jusqu'à {euros(high)}"
    if low is not None:
        return f"à partir de {euros(low)}"
    return "—"


def truthy(value: Any) -> bool:
    """A nullable boolean cell: True only when it says so."""
    return False if value is None or pd.isna(value) else bool(value)


def consultation_url(value: str) -> str:
    url = safe_url(value)
    return url if url.startswith(("http://", "https://")) else ""


def place_text(name: str, code: str, dep: str) -> str:
    place = name or code
    if dep and place != dep:
        return f"{place} ({dep})" if place else departement_name(dep)
    return place


ROW_COLUMNS = (
    "id",
    "segment",
    "objet",
    "service_id",
    "categorie",
    "codeCPV",
    "dateLancementPrevue",
    "trimestre",
    "montantEstime",
    "montantEstimeMin",
    "montantEstimeMax",
    "lieuExecution_nom",
    "lieuExecution_code",
    "departement",
    "procedurePrevue",
    "marcheReserve",
    "adapte_pme",
    "etat",
    "en_retard",
    "dateAnnonce",
    "dateLancement",
    "dateLimiteRemiseOffres",
    "urlConsultation",
    "uidMarche",
    "contact",
)


def upcoming_rows(
    data: Data,
    frame: pd.DataFrame,
    slugs: dict[str, str],
    page: str,
    contract_link: Callable[[str, str], str],
) -> tuple[UpcomingRow, ...]:
    """The rows of `frame` (from `upcoming_frame`) for a list on the page at `page`."""
    root = urls.to_root(page)
    services = dict(zip(data.services["service_id"], data.services["service_nom"], strict=True))
    rows = []
    for values in zip(*(frame[name].to_list() for name in ROW_COLUMNS), strict=True):
        r: dict[str, Any] = dict(zip(ROW_COLUMNS, values, strict=True))
        code = str(r["codeCPV"])[:8]
        contract = slugs.get(str(r["uidMarche"]), "")
        state, late = str(r["etat"]), bool(r["en_retard"])
        planned, launched = to_date(r["dateLancementPrevue"]), to_date(r["dateLancement"])
        limit = to_date(r["dateLimiteRemiseOffres"])
        rows.append(
            UpcomingRow(
                id=str(r["id"]),
                lien=root + urls.purchase(str(r["segment"])),
                objet=str(r["objet"]),
                service=services.get(str(r["service_id"]), ""),
                categorie=str(r["categorie"]),
                cpv=code,
                cpv_libelle=cpv.DIVISIONS.get(code[:2], ""),
                prevue=planned,
                trimestre=quarter_label(str(r["trimestre"])),
                montant=amount_text(
                    to_float(r["montantEstime"]),
                    to_float(r["montantEstimeMin"]),
                    to_float(r["montantEstimeMax"]),
                ),
                lieu=place_text(
                    str(r["lieuExecution_nom"]), str(r["lieuExecution_code"]), str(r["departement"])
                ),
                procedure=str(r["procedurePrevue"]),
                reserve=truthy(r["marcheReserve"]),
                pme=bool(r["adapte_pme"]),
                statut=state,
                statut_libelle=status_label(state, late),
                en_retard=late,
                echeance=deadline(state, late, planned, str(r["trimestre"]), launched, limit),
                annonce=to_date(r["dateAnnonce"]),
                lancement=launched,
                limite=limit,
                consultation=consultation_url(str(r["urlConsultation"])),
                marche=contract_link(root, contract) if contract else "",
                contact=str(r["contact"]),
            )
        )
    return tuple(rows)


# --- The feeds a company can subscribe to --------------------------------------------------------


@dataclass(frozen=True)
class FeedChoice:
    """A feed of upcoming purchases: the explorer's filters it matches (URL parameters, in the
    explorer's order), its address, its title, and the open purchases it holds (ids, in the
    programme's default order)."""

    filtres: tuple[tuple[str, str], ...]
    chemin: str
    titre: str
    description: str
    ids: tuple[str, ...]

    @property
    def page(self) -> str:
        """Its companion page, readable in a browser."""
        return urls.feed_page(self.chemin)


def category_slug(category: str) -> str:
    """`Travaux` -> `travaux`, as feed addresses write a category."""
    return fold(category)


def departement_label(code: str) -> str:
    return f"{departement_name(code)} ({code})"


def feed_choices(data: Data) -> tuple[FeedChoice, ...]:
    """Every feed of upcoming purchases, in a fixed order: all of them; one per CPV division
    (the 45 divisions, and any other an open purchase has); one per département of execution
    (the publisher's, and any other an open purchase has); one per category; then the
    combinations a company needs, CPV division × département and category × département, for
    each pair the programme has a purchase in (whatever its status, so that an address, once
    published, stays published while the programme keeps the line).

    A feed holds the open purchases (`aggregates.is_open`) it selects, exactly what the
    explorer lists for the same filters."""
    frame = upcoming_frame(data)
    open_rows = frame[aggregates.is_open(frame)]
    division, dep, category = (
        open_rows["division"],
        open_rows["departement"],
        open_rows["categorie"],
    )
    ids = open_rows["id"]

    def chosen(mask: pd.Series) -> tuple[str, ...]:
        return tuple(ids[mask])

    choices = [
        FeedChoice(
            (),
            urls.UPCOMING_FEED.chemin,
            "Achats à venir",
            "Les achats que l'acheteur prévoit de lancer ou dont la consultation est en cours.",
            tuple(ids),
        )
    ]
    for code in sorted(set(cpv.DIVISIONS) | set(division[division != ""])):
        label = cpv.DIVISIONS.get(code, "")
        choices.append(
            FeedChoice(
                (("cpv", code),),
                urls.division_feed(code),
                f"Achats à venir, CPV {code} {label}".strip(),
                f"Les achats à venir de la division CPV {code}.",
                chosen(division == code),
            )
        )
    for code in sorted(set(data.publisher.departements) | set(dep[dep != ""])):
        choices.append(
            FeedChoice(
                (("departement", code),),
                urls.departement_feed(code),
                f"Achats à venir, {departement_label(code)}",
                f"Les achats à venir exécutés dans le département {departement_label(code)}.",
                chosen(dep == code),
            )
        )
    for name in v.CATEGORIES_ACHAT:
        choices.append(
            FeedChoice(
                (("categorie", name),),
                urls.category_feed(category_slug(name)),
                f"Achats à venir : {name.lower()}",
                f"Les achats à venir de la catégorie « {name} ».",
                chosen(category == name),
            )
        )
    everything = frame[frame["departement"] != ""]
    pairs = sorted(set(zip(everything["division"], everything["departement"], strict=True)))
    for code, place in pairs:
        if not code:
            continue
        label = cpv.DIVISIONS.get(code, "")
        choices.append(
            FeedChoice(
                (("cpv", code), ("departement", place)),
                urls.division_departement_feed(code, place),
                f"Achats à venir, CPV {code} {label}, {departement_label(place)}".replace(
                    "  ", " "
                ),
                f"Les achats à venir de la division CPV {code} exécutés dans le département "
                f"{departement_label(place)}.",
                chosen((division == code) & (dep == place)),
            )
        )
    order = {name: i for i, name in enumerate(v.CATEGORIES_ACHAT)}
    kinds = sorted(
        set(zip(everything["categorie"], everything["departement"], strict=True)),
        key=lambda pair: (pair[1], order.get(pair[0], len(order)), pair[0]),
    )
    for name, place in kinds:
        if name not in order:
            continue
        choices.append(
            FeedChoice(
                (("categorie", name), ("departement", place)),
                urls.category_departement_feed(category_slug(name), place),
                f"Achats à venir : {name.lower()}, {departement_label(place)}",
                f"Les achats à venir de la catégorie « {name} » exécutés dans le département "
                f"{departement_label(place)}.",
                chosen((category == name) & (dep == place)),
            )
        )
    return tuple(choices)


def feeds_of_purchase(
    choices: tuple[FeedChoice, ...], division: str, departement: str, category: str
) -> tuple[FeedChoice, ...]:
    """The feeds a purchase with these traits belongs to (or would, once open), the most
    precise first; the feed of every purchase left out."""
    traits = {"cpv": division, "departement": departement, "categorie": category}
    found = [
        c for c in choices if c.filtres and all(traits.get(k) == value for k, value in c.filtres)
    ]
    return tuple(sorted(found, key=lambda c: -len(c.filtres)))
