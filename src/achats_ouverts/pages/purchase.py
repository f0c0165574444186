"""One page per upcoming purchase (`purchase.html.j2`, `/achats-a-venir/<id>/`): a stable address
to send to a colleague, with every field in French, the status at the reference date and its
history (announced, launched, closed, awarded, or postponed, abandoned), the contact and the
consultation, the awarded contract once known, the feeds it belongs to, and « similar past
contracts » (same CPV group, the last years, with amounts and suppliers: the best estimate a
company has of what the buyer pays). Rendered into the theme's shell after MkDocs, like contract
pages, since a national programme may hold thousands of purchases.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from achats_ouverts import cpv
from achats_ouverts.datafolder import schemas
from achats_ouverts.french import number, plural, quarter_label
from achats_ouverts.model import Data, aggregates
from achats_ouverts.output import BuildContext, artifacts, relative_url, render, urls
from achats_ouverts.output.listing import (
    ContractRow,
    ListIndex,
    contract_rows,
    to_date,
    to_float,
)
from achats_ouverts.output.programme import (
    Deadline,
    FeedChoice,
    amount_text,
    consultation_url,
    deadline,
    feed_choices,
    feeds_of_purchase,
    place_text,
    status_label,
    truthy,
    upcoming_frame,
)
from achats_ouverts.output.site_info import FeedLink, SiteInfo

SIMILAR_YEARS = 3
"""Similar past contracts are those notified since 1 January, this many years before the
reference date's year."""
SIMILAR_SHOWN = 5
"""The most recent similar contracts a page lists (all of them are in the contracts' explorer)."""
TITLE_LENGTH = 120
NOT_FILLED = "Non renseigné"


@dataclass(frozen=True)
class FieldRow:
    """A field of the purchase in French; `lien` when the value has a page."""

    titre: str
    valeur: str
    lien: str = ""


@dataclass(frozen=True)
class Step:
    """A step of the purchase's history: what, when (None: no date published), and whether it
    is done at the reference date."""

    libelle: str
    jour: date | None
    texte: str
    fait: bool


@dataclass(frozen=True)
class Similar:
    """Contracts of the same CPV group (or division) notified since `depuis`: how many, their
    median, lowest and highest amounts, the most recent ones, and the explorer filtered on
    the code."""

    code: str
    libelle: str
    niveau: str
    depuis: date
    nombre: int
    mediane: float | None
    minimum: float | None
    maximum: float | None
    lignes: tuple[ContractRow, ...]
    explorateur: str


@dataclass(frozen=True)
class PurchasePage:
    site: SiteInfo
    id: str
    objet: str
    titre: str
    etat: str
    statut_libelle: str
    en_retard: bool
    echeance: Deadline
    date_reference: date
    montant: str
    contact: str
    consultation: str
    sans_concurrence: bool
    champs: tuple[FieldRow, ...]
    etapes: tuple[Step, ...]
    marche: ContractRow | None
    similaires: Similar | None
    groupe: str
    flux: tuple[FeedLink, ...]
    calendrier: FeedLink
    liste: str
    flux_tous: str


def short_title(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= TITLE_LENGTH else text[: TITLE_LENGTH - 1].rstrip() + "…"


def similar_code(code: str) -> str:
    """The CPV group (3 digits) of a code, or its division (2) when it names none."""
    return code[:3] if len(code) >= 3 and code[2] != "0" else code[:2]


def cpv_label(data: Data, code: str) -> str:
    full = data.nomenclature.labels.get(code.ljust(8, "0"), "")
    return full or (cpv.DIVISIONS.get(code, "") if len(code) == 2 else "")


class SimilarContracts:
    """The contracts notified since `since` (up to the reference date), by CPV group and by
    division, in the default list order (latest first): computed once for every page."""

    def __init__(self, data: Data, index: ListIndex, since: date) -> None:
        frame = index.contracts
        day = frame["dateNotification"]
        recent = frame[(day >= pd.Timestamp(since)) & (day <= pd.Timestamp(data.reference_date))]
        codes = recent["codeCPV"].fillna("").astype(str)
        self.data = data
        self.index = index
        self.since = since
        self.recent = recent
        self.positions: dict[str, list[int]] = {}
        for i, (division, group) in enumerate(
            zip(codes.str.slice(0, 2), codes.str.slice(0, 3), strict=True)
        ):
            if division:
                self.positions.setdefault(division, []).append(i)
            if len(group) == 3 and group[2] != "0":
                self.positions.setdefault(group, []).append(i)
        self.cache: dict[str, Similar | None] = {}

    def of(self, code: str, page: str) -> Similar | None:
        """For a purchase's CPV code: its group, else its division when the group has none."""
        for chosen in dict.fromkeys((similar_code(code), code[:2])):
            if chosen and self.positions.get(chosen):
                if chosen not in self.cache:
                    self.cache[chosen] = self.similar(chosen, page)
                return self.cache[chosen]
        return None

    def similar(self, code: str, page: str) -> Similar:
        rows = self.positions[code]
        amounts = [a for a in self.recent["montant"].iloc[rows].tolist() if a == a]
        root = urls.to_root(page)
        return Similar(
            code=code,
            libelle=cpv_label(self.data, code),
            niveau="groupe" if len(code) == 3 else "division",
            depuis=self.since,
            nombre=len(rows),
            mediane=statistics.median(amounts) if amounts else None,
            minimum=min(amounts) if amounts else None,
            maximum=max(amounts) if amounts else None,
            lignes=contract_rows(self.index, self.recent.iloc[rows[:SIMILAR_SHOWN]], page),
            explorateur=root + urls.explorer(urls.CONTRACTS, cpv=code),
        )


def yes_no(value: Any) -> str:
    if value is None or pd.isna(value):
        return NOT_FILLED
    return "Oui" if value else "Non"


def sme_text(published: Any, badged: bool) -> str:
    """« Adapté aux PME », never for a purchase planned without publicity or competition."""
    if truthy(published) and not badged:
        return "Non : l'achat est prévu sans publicité ni mise en concurrence"
    return yes_no(published)


def steps(r: dict[str, Any], reference: date, awarded: ContractRow | None) -> tuple[Step, ...]:
    """The history of a purchase, in order; postponement and abandonment have no date in the
    data."""
    announced, planned = to_date(r["dateAnnonce"]), to_date(r["dateLancementPrevue"])
    launched, limit = to_date(r["dateLancement"]), to_date(r["dateLimiteRemiseOffres"])
    state, status = str(r["etat"]), str(r["statut"])
    found = []
    if announced:
        found.append(Step("Annoncé dans la programmation", announced, "", True))
    quarter = str(r["trimestreLancementPrevu"])
    late = " : date dépassée, pas encore lancé" if r["en_retard"] else ""
    passed = launched is not None or bool(r["en_retard"]) or bool(planned and planned <= reference)
    if planned:
        found.append(Step("Lancement prévu", planned, late, passed))
    elif quarter:
        found.append(Step("Lancement prévu", None, f" au {quarter_label(quarter)}{late}", passed))
    if launched:
        found.append(Step("Consultation lancée", launched, "", True))
    if limit:
        closed = limit < reference
        found.append(
            Step(
                "Date limite de remise des offres",
                limit,
                " : consultation close" if closed and status == "lancé" else "",
                closed,
            )
        )
    if state == aggregates.CLOSED:
        found.append(
            Step("Attribution", None, " attendue : les données n'en disent pas plus", False)
        )
    elif status == "attribué":
        day = awarded.notification if awarded else None
        text = "" if awarded else " (marché pas encore publié)"
        found.append(Step("Attribué", day, text, True))
    elif status in ("reporté", "abandonné"):
        found.append(Step(status.capitalize(), None, " (date non publiée)", True))
    return tuple(found)


def fields(r: dict[str, Any], data: Data, root: str) -> tuple[FieldRow, ...]:
    """Every field of the purchase in French, each once, in reading order (dates are in the
    history, the status and contact above)."""
    titles = {f["name"]: f["title"] for f in schemas.dataset("achats-a-venir").fields}
    code = str(r["codeCPV"])
    division = cpv.division(code)
    service_id = str(r["service_id"])
    services = dict(zip(data.services["service_id"], data.services["service_nom"], strict=True))
    dep = str(r["departement"])
    lots, duration = r["nombreLots"], r["dureeMoisPrevue"]
    label = data.nomenclature.labels.get(code[:8], "")
    if not label and division in cpv.DIVISIONS:
        label = f"division {division}, {cpv.DIVISIONS[division]}"
    rows = [
        FieldRow("Référence", str(r["id"])),
        FieldRow(
            titles["service_id"],
            services.get(service_id, service_id or NOT_FILLED),
            root + urls.service(service_id) if service_id in services else "",
        ),
        FieldRow(titles["categorie"], str(r["categorie"]) or NOT_FILLED),
        FieldRow(
            titles["codeCPV"],
            f"{code} : {label}" if code and label else (code or NOT_FILLED),
            root + urls.cpv_division(division) if division in cpv.DIVISIONS else "",
        ),
        FieldRow(
            titles["dureeMoisPrevue"],
            NOT_FILLED if pd.isna(duration) else plural(int(duration), "mois", "mois"),
        ),
        FieldRow(titles["procedurePrevue"], str(r["procedurePrevue"]) or NOT_FILLED),
        FieldRow(titles["nombreLots"], NOT_FILLED if pd.isna(lots) else number(int(lots))),
        FieldRow(
            "Lieu d'exécution",
            place_text(str(r["lieuExecution_nom"]), str(r["lieuExecution_code"]), dep)
            or NOT_FILLED,
            root + urls.departement(dep) if dep else "",
        ),
        FieldRow(
            titles["considerationsSocialesPrevues"],
            str(r["considerationsSocialesPrevues"]) or NOT_FILLED,
        ),
        FieldRow(
            titles["considerationsEnvironnementalesPrevues"],
            str(r["considerationsEnvironnementalesPrevues"]) or NOT_FILLED,
        ),
        FieldRow(titles["marcheReserve"], yes_no(r["marcheReserve"])),
        FieldRow(titles["accessiblePME"], sme_text(r["accessiblePME"], bool(r["adapte_pme"]))),
    ]
    return tuple(rows)


def feed_links(
    choices: tuple[FeedChoice, ...], r: dict[str, Any], page: str
) -> tuple[FeedLink, ...]:
    found = feeds_of_purchase(
        choices, str(r["division"]), str(r["departement"]), str(r["categorie"])
    )
    return tuple(
        FeedLink(c.titre, relative_url(page, c.chemin), relative_url(page, c.page)) for c in found
    )


PAGE_COLUMNS = (
    "id",
    "segment",
    "objet",
    "service_id",
    "categorie",
    "codeCPV",
    "division",
    "montantEstime",
    "montantEstimeMin",
    "montantEstimeMax",
    "dateLancementPrevue",
    "trimestreLancementPrevu",
    "trimestre",
    "dureeMoisPrevue",
    "procedurePrevue",
    "lieuExecution_code",
    "lieuExecution_nom",
    "departement",
    "nombreLots",
    "considerationsSocialesPrevues",
    "considerationsEnvironnementalesPrevues",
    "marcheReserve",
    "accessiblePME",
    "adapte_pme",
    "contact",
    "statut",
    "etat",
    "en_retard",
    "dateAnnonce",
    "dateLancement",
    "urlConsultation",
    "dateLimiteRemiseOffres",
    "uidMarche",
)


def purchase_pages(data: Data, index: ListIndex) -> Iterator[tuple[str, PurchasePage]]:
    """(segment, page context) of every purchase of the programme, in the default order."""
    page = urls.purchase("x")
    root = urls.to_root(page)
    site = SiteInfo.of(data.publisher)
    reference = data.reference_date
    frame = upcoming_frame(data)
    similar = SimilarContracts(data, index, date(reference.year - SIMILAR_YEARS, 1, 1))
    choices = feed_choices(data)
    contracts = index.contracts.reset_index(drop=True)
    position = {uid: i for i, uid in enumerate(contracts["uid"])}
    calendar = FeedLink(urls.CALENDAR.titre, relative_url(page, urls.CALENDAR.chemin))
    for values in zip(*(frame[name].to_list() for name in PAGE_COLUMNS), strict=True):
        r: dict[str, Any] = dict(zip(PAGE_COLUMNS, values, strict=True))
        state, late = str(r["etat"]), bool(r["en_retard"])
        where = position.get(str(r["uidMarche"]))
        awarded = (
            contract_rows(index, index.contracts.iloc[[where]], page)[0]
            if where is not None
            else None
        )
        code = str(r["codeCPV"])
        yield (
            str(r["segment"]),
            PurchasePage(
                site=site,
                id=str(r["id"]),
                objet=str(r["objet"]),
                titre=short_title(str(r["objet"])),
                etat=state,
                statut_libelle=status_label(state, late),
                en_retard=late,
                echeance=deadline(
                    state,
                    late,
                    to_date(r["dateLancementPrevue"]),
                    str(r["trimestre"]),
                    to_date(r["dateLancement"]),
                    to_date(r["dateLimiteRemiseOffres"]),
                ),
                date_reference=reference,
                montant=amount_text(
                    to_float(r["montantEstime"]),
                    to_float(r["montantEstimeMin"]),
                    to_float(r["montantEstimeMax"]),
                ),
                contact=str(r["contact"]),
                consultation=consultation_url(str(r["urlConsultation"])),
                sans_concurrence=r["procedurePrevue"] == aggregates.NO_COMPETITION,
                champs=fields(r, data, root),
                etapes=steps(r, reference, awarded),
                marche=awarded,
                similaires=similar.of(code, page) if code else None,
                groupe=similar_code(code),
                flux=feed_links(choices, r, page),
                calendrier=calendar,
                liste=root + urls.UPCOMING,
                flux_tous=root + urls.FEEDS,
            ),
        )


def purchase_description(page: PurchasePage) -> str:
    parts = [f"Achat à venir {page.id}", page.statut_libelle.lower()]
    if page.montant != "—":
        parts.append(f"montant estimé {page.montant} HT")
    return ", ".join(parts) + "."


def write_purchase_pages(ctx: BuildContext) -> None:
    """A page per purchase of the programme, rendered into the shell of its section."""
    data = ctx.data
    addresses = []
    for segment, page in purchase_pages(data, ctx.get(artifacts.LIST_INDEX)):
        addresses.append(
            ctx.direct(
                urls.purchase(segment),
                f"{page.titre} – achat {page.id}",
                render("purchase.html.j2", page=page),
                purchase_description(page),
            )
        )
    ctx.put(artifacts.PURCHASE_PAGES, tuple(addresses))
