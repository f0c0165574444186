"""The fictitious world the generator draws from, read from the catalogue files and checked.

The catalogue is data, not code: the YAML files of `catalogue/` (shipped with the package) list
the places (real INSEE codes), the lycées, the buying services, the suppliers' trades, the families
of purchases with their object texts and real CPV codes, the words of company names, and the
declared indicators. `load_world` reads each file into the frozen dataclasses below (types and
required keys checked by `typed_yaml`), then checks what ties the files together: every reference
names something that exists, every placeholder of an object text can be filled. The first problem
raises `CatalogueError` with the file, the line and the entry.
"""

from __future__ import annotations

import functools
import re
import string
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from achats_ouverts import vocabulary as v
from achats_ouverts.settings import DEMO_CATALOGUE_DIR
from achats_ouverts.tools.demo.draws import cumulative
from achats_ouverts.tools.demo.typed_yaml import Where, read

CPV_PATTERN = re.compile(r"^[0-9]{8}-[0-9]$")
SCOPES = ("lycee", "commune", "departement", "region")
"""Where an operation takes place; a commune code of the region is a fixed site."""
PLACEHOLDERS: dict[str, frozenset[str]] = {
    "lycee": frozenset({"lycee"}),
    "commune": frozenset({"ville", "de_ville"}),
    "departement": frozenset({"departement"}),
}
"""The placeholders a scope fills, besides those every template may use."""
ANY_SCOPE = frozenset({"annee", "n", "num", "lot", "corps"})
FOREIGN = "BE"
"""The pseudo-region of suppliers from another EU country (identified by a Belgian VAT number)."""
FAMILIES_NAMED_IN_RULES = (
    "travaux-lycees",
    "grands-travaux",
    "maitrise-oeuvre",
    "services-numeriques",
)
"""Families the generator's rules refer to by key (procedures, prices, competitions)."""


# --- Places -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Commune:
    code: str
    nom: str
    weight: int
    region: str = ""
    """Given for communes outside the buyer's region; filled in for the region's own."""
    pole: bool = False
    """A main town: sectors, employment areas and regional sites are drawn among them."""

    @property
    def departement(self) -> str:
        return self.code[:2]


@dataclass(frozen=True)
class Place:
    """A place of execution: code, type of code, and a display name."""

    code: str
    type_code: str
    nom: str


@dataclass(frozen=True)
class Departement:
    code: str
    nom: str
    phrase: str
    """The name with its preposition and article, as in « des lycées de la Somme »."""
    weight: int


@dataclass(frozen=True)
class Region:
    code: str
    nom: str


@dataclass(frozen=True)
class Places:
    """`places.yaml`."""

    region: Region
    communes: tuple[Commune, ...]
    departements: tuple[Departement, ...]
    other_communes: tuple[Commune, ...]


@dataclass(frozen=True)
class Lycee:
    nom: str
    commune: str


@dataclass(frozen=True)
class Lycees:
    """`lycees.yaml`."""

    lycees: tuple[Lycee, ...]


# --- Buying services ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Service:
    id: str
    short: str
    """Three letters in the identifiers of planned purchases (`2026-lyc-012`)."""
    nom: str
    description: str


@dataclass(frozen=True)
class Services:
    """`services.yaml`."""

    services: tuple[Service, ...]


# --- Trades: the suppliers' side ----------------------------------------------------------------


@dataclass(frozen=True)
class Trade:
    """A kind of company: the words of its names, where it is, how big it is."""

    words: tuple[str, ...]
    hdf: float
    """Share of these companies located in the region."""
    categories: tuple[int, int, int, int] = (25, 45, 20, 10)
    """Weights of TPE, PME, ETI and GE."""
    density: float = 1.0
    """How many distinct companies per contract, relative to the others."""
    eu: float = 0.012
    """Share of companies from another EU country (identified by a VAT number)."""


@dataclass(frozen=True)
class Trades:
    """`trades.yaml`."""

    trades: dict[str, Trade]


# --- What the buyer buys ------------------------------------------------------------------------


@dataclass(frozen=True)
class Lot:
    label: str
    cpv: str
    trade: str
    factor: float
    """Cost of the lot relative to the family's median amount."""


@dataclass(frozen=True)
class Template:
    """An object text with placeholders, the CPV codes it may carry and where it takes place.

    Scopes: `lycee` ({lycee}), `commune` ({ville}, {de_ville}), `departement` ({departement}),
    `region`, or a commune code for a fixed site. `{lot}` and `{corps}` take a lot of the
    family's list, `{n}` a plain lot number, `{num}` a line number and `{annee}` the year.
    """

    text: str
    cpvs: tuple[str, ...]
    """The first is the operation's code when the template is split into lots."""
    scope: str = "region"
    trade: str = ""
    service: str = ""
    weight: float = 1.0
    skip: int = 0
    """Lots of the family's list that this operation does not have (a new building has no
    asbestos removal); the others are numbered from 1."""

    @property
    def allotted(self) -> bool:
        return "{corps}" in self.text


@dataclass(frozen=True)
class Family:
    """A kind of purchase: who buys it, how much it costs, how it is bought."""

    key: str
    service: str
    trade: str
    weight: float
    median: float
    sigma: float
    templates: tuple[Template, ...]
    durations: tuple[int, ...]
    accord_cadre: float = 0.3
    subsequents: float = 0.0
    """Share of its framework agreements run by marchés subséquents, not bons de commande."""
    formes: tuple[float, float, float] = (0.3, 0.5, 0.2)
    """Weights of Unitaire, Forfaitaire and Mixte outside framework agreements."""
    origin: bool = False
    social: float = 1.0
    reserve: float = 0.0
    environment: float = 0.0
    """Added to the year's share of contracts with an environmental consideration."""
    groupement: float = 0.05
    sous_traitance: float = 0.12
    innovant: float = 0.02
    lots: tuple[Lot, ...] = ()

    @property
    def works(self) -> bool:
        return self.key in ("travaux-lycees", "grands-travaux")


@dataclass(frozen=True)
class Families:
    """`families.yaml`: named lists of lots, shared by families through YAML anchors."""

    lots: dict[str, tuple[Lot, ...]]
    families: tuple[Family, ...]


# --- Company names and declared indicators ------------------------------------------------------


@dataclass(frozen=True)
class Names:
    """`names.yaml`."""

    surnames: tuple[str, ...]
    region_places: dict[str, tuple[tuple[str, str], ...]]
    """Per region code: a place name bare and with its article (« Hainaut », « du Hainaut »)."""
    legal_forms: dict[str, tuple[str, ...]]
    """Per company category (and for foreign companies): forms drawn after the name; an empty
    form is a name alone, « Groupe » goes before the name."""


@dataclass(frozen=True)
class DeclaredValue:
    year: int
    value: str
    """As published, in the machine format of the CSV (34.2, 3050000.00)."""
    comment: str = ""


@dataclass(frozen=True)
class DeclaredIndicator:
    indicator: str
    source: str
    values: tuple[DeclaredValue, ...]


@dataclass(frozen=True)
class Declared:
    """`declared_indicators.yaml`."""

    indicators: tuple[DeclaredIndicator, ...]


# --- The world ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class World:
    """Everything the catalogue describes, with the lookups and cumulative weights drawn from."""

    places: Places
    lycees: tuple[Lycee, ...]
    services: tuple[Service, ...]
    trades: dict[str, Trade]
    families: tuple[Family, ...]
    names: Names
    declared: tuple[DeclaredIndicator, ...]

    @cached_property
    def region_place(self) -> Place:
        return Place(self.places.region.code, "Code région", self.places.region.nom)

    @cached_property
    def poles(self) -> tuple[Commune, ...]:
        return tuple(commune for commune in self.places.communes if commune.pole)

    @cached_property
    def communes_by_code(self) -> dict[str, Commune]:
        return {commune.code: commune for commune in self.places.communes}

    @cached_property
    def services_by_id(self) -> dict[str, Service]:
        return {service.id: service for service in self.services}

    @cached_property
    def commune_cum(self) -> tuple[float, ...]:
        return cumulative(commune.weight for commune in self.places.communes)

    @cached_property
    def other_commune_cum(self) -> tuple[float, ...]:
        return cumulative(commune.weight for commune in self.places.other_communes)

    @cached_property
    def pole_cum(self) -> tuple[float, ...]:
        return cumulative(commune.weight for commune in self.poles)

    @cached_property
    def departement_cum(self) -> tuple[float, ...]:
        return cumulative(departement.weight for departement in self.places.departements)

    @cached_property
    def family_cum(self) -> tuple[float, ...]:
        return cumulative(family.weight for family in self.families)

    @cached_property
    def template_cums(self) -> dict[str, tuple[float, ...]]:
        return {
            family.key: cumulative(t.weight for t in family.templates) for family in self.families
        }


FILES = {
    "places": "places.yaml",
    "lycees": "lycees.yaml",
    "services": "services.yaml",
    "trades": "trades.yaml",
    "families": "families.yaml",
    "names": "names.yaml",
    "declared": "declared_indicators.yaml",
}


def load_world(directory: Path = DEMO_CATALOGUE_DIR) -> World:
    """Read and check the catalogue in `directory`; raises `CatalogueError`."""
    path = {name: directory / file for name, file in FILES.items()}
    places = read(path["places"], Places)
    region = places.region.code
    for i, commune in enumerate(places.communes):
        if commune.region:
            Where(path["places"], ("communes", i, "region")).fail(
                f"« region » à retirer : les communes de cette liste sont dans la région {region}"
            )
    places = Places(
        places.region,
        tuple(Commune(c.code, c.nom, c.weight, region, c.pole) for c in places.communes),
        places.departements,
        places.other_communes,
    )
    world = World(
        places,
        read(path["lycees"], Lycees).lycees,
        read(path["services"], Services).services,
        read(path["trades"], Trades).trades,
        read(path["families"], Families).families,
        read(path["names"], Names),
        read(path["declared"], Declared).indicators,
    )
    check_places(world, path["places"], path["lycees"])
    check_services(world, path["services"])
    check_families(world, path["families"])
    check_names(world, path["names"])
    return world


@functools.cache
def default_world() -> World:
    """The catalogue shipped with the package, read once per process."""
    return load_world()


# --- Checks across the files --------------------------------------------------------------------


def check_unique(values: Iterable[str], where: Where, what: str) -> None:
    seen: set[str] = set()
    for i, value in enumerate(values):
        if value in seen:
            where.child(i).fail(f"{what} « {value} » en double")
        seen.add(value)


def check_places(world: World, places_file: Path, lycees_file: Path) -> None:
    places = world.places
    for key, communes in (("communes", places.communes), ("other_communes", places.other_communes)):
        check_unique((c.code for c in communes), Where(places_file, (key,)), "commune")
    if not world.poles:
        Where(places_file, ("communes",)).fail("aucune commune « pole: true »")
    for i, commune in enumerate(places.other_communes):
        if not commune.region or commune.region == places.region.code:
            Where(places_file, ("other_communes", i, "region")).fail(
                "le code de la région d'une commune hors de la région est attendu"
            )
    for i, lycee in enumerate(world.lycees):
        if lycee.commune not in world.communes_by_code:
            Where(lycees_file, ("lycees", i, "commune")).fail(
                f"commune « {lycee.commune} » absente des communes de la région (places.yaml)"
            )


def check_services(world: World, services_file: Path) -> None:
    where = Where(services_file, ("services",))
    check_unique((service.id for service in world.services), where, "service")
    check_unique((service.short for service in world.services), where, "abréviation")


def check_families(world: World, families_file: Path) -> None:
    root = Where(families_file, ("families",))
    check_unique((family.key for family in world.families), root, "famille")
    keys = {family.key for family in world.families}
    for key in FAMILIES_NAMED_IN_RULES:
        if key not in keys:
            root.fail(f"famille « {key} » absente : les règles du générateur la nomment")
    for i, family in enumerate(world.families):
        at = root.child(i).named(family.key)
        check_reference(family.service, world.services_by_id, at.child("service"), "service")
        check_reference(family.trade, world.trades, at.child("trade"), "métier")
        for k, lot in enumerate(family.lots):
            check_reference(lot.trade, world.trades, at.child("lots").child(k), "métier")
            check_cpv(lot.cpv, at.child("lots").child(k).child("cpv"))
        for j, template in enumerate(family.templates):
            check_template(world, family, template, at.child("templates").child(j))


def check_template(world: World, family: Family, template: Template, where: Where) -> None:
    if not template.cpvs:
        where.child("cpvs").fail("au moins un code CPV attendu")
    for k, code in enumerate(template.cpvs):
        check_cpv(code, where.child("cpvs").child(k))
    if template.trade:
        check_reference(template.trade, world.trades, where.child("trade"), "métier")
    if template.service:
        check_reference(template.service, world.services_by_id, where.child("service"), "service")
    if template.scope not in SCOPES and template.scope not in world.communes_by_code:
        where.child("scope").fail(
            f"« {template.scope} » : {', '.join(SCOPES)} ou le code d'une commune de la région"
        )
    allowed = ANY_SCOPE | PLACEHOLDERS.get(template.scope, frozenset())
    used = {name for _, name, _, _ in string.Formatter().parse(template.text) if name is not None}
    for name in sorted(used - allowed):
        possible = ", ".join(f"{{{key}}}" for key in sorted(allowed))
        where.child("text").fail(
            f"« {{{name}}} » ne peut pas être rempli avec « scope: {template.scope} » : {possible}"
        )
    if template.allotted and not family.lots:
        where.child("text").fail("« {corps} » demande une liste de lots (« lots: ») à la famille")
    if template.allotted and not 0 <= template.skip < len(family.lots):
        where.child("skip").fail(f"entre 0 et {len(family.lots) - 1} attendu")


def check_reference(value: str, known: Iterable[str], where: Where, what: str) -> None:
    names = sorted(known)
    if value not in names:
        where.fail(f"{what} « {value} » inconnu : {', '.join(names)}")


def check_cpv(code: str, where: Where) -> None:
    if not CPV_PATTERN.match(code):
        where.fail(f"« {code} » : un code CPV avec son chiffre de contrôle attendu (45000000-7)")


def check_names(world: World, names_file: Path) -> None:
    names = world.names
    regions = {c.region for c in world.places.communes + world.places.other_communes}
    for region in sorted(regions | {FOREIGN}):
        if not names.region_places.get(region):
            Where(names_file, ("region_places",)).fail(f"aucun nom de lieu pour la région {region}")
    for category in (*v.CATEGORIES_ENTREPRISE, FOREIGN):
        if not names.legal_forms.get(category):
            Where(names_file, ("legal_forms",)).fail(f"aucune forme juridique pour {category}")
    if not names.surnames:
        Where(names_file, ("surnames",)).fail("au moins un nom de famille attendu")
