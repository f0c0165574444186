"""Demonstration data: a seeded, deterministic and entirely FICTITIOUS purchasing history of the
Région Hauts-de-France (2022 to the reference date), written as a complete data folder.

Companies, SIRETs, amounts, objects and dates are invented. Only public reference codes are real:
the buyer's SIRET, INSEE commune, département and région codes, and CPV 2008 codes with their
check digit. The output depends only on the seed, the number of contracts and the reference date:
one `random.Random(seed)` makes every draw in a fixed order, and no set or dict order is ever
iterated unsorted, so two runs give byte-identical files on any machine.

Stage: a producer of data folders; it uses only `contracts`, `vocabulary`, `cpv` and `datafolder`.
"""

from __future__ import annotations

import bisect
import math
import random
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TypeVar

from achats_ouverts import cpv as cpv_codes
from achats_ouverts import vocabulary as v
from achats_ouverts.datafolder import schemas as c
from achats_ouverts.datafolder import writing
from achats_ouverts.french import quarter_code
from achats_ouverts.identifiers import luhn_digit

Row = tuple[str, ...]
T = TypeVar("T")

BUYER_SIRET = "20005374200017"
REGION_CODE = "32"
REGION_NAME = "Hauts-de-France"
FIRST_YEAR = 2022
DEFAULT_SEED = 2022
DEFAULT_CONTRACTS = 2700
"""About 560 contracts a full year, worth about 230 M€ together."""
DEFAULT_REFERENCE_DATE = date(2026, 11, 1)
EXAMPLE_CONTRACTS = 2000
"""Size of the small generation the example files of the schemas are taken from."""

SEUIL_TRAVAUX = 5_538_000
SEUIL_FOURNITURES_SERVICES = 221_000
"""European thresholds of 2024 (€ HT): works; supplies and services of local authorities."""

AMOUNT_SCALE = 1.45
MAX_AMOUNT = 60_000_000.0
STREAM_ROWS = 200_000
"""Tables longer than this are written row by row instead of through one in-memory text."""

PACKAGE_NAME = "achats-ouverts-demonstration"
PACKAGE_TITLE = "Achats de la Région Hauts-de-France – données de démonstration FICTIVES"
PACKAGE_DESCRIPTION = (
    "Jeu de données de DÉMONSTRATION, entièrement FICTIF, produit par un générateur aléatoire "
    "déterministe (graine {seed}) pour montrer le fonctionnement du site : les marchés, les "
    "montants, les objets, les entreprises et leurs numéros SIRET sont inventés et ne décrivent "
    "aucun achat réel de la Région Hauts-de-France. Seuls les codes publics de référence (SIRET "
    "de l'acheteur, codes INSEE des communes, départements et régions, codes CPV) sont réels. "
    "Ne pas réutiliser ces chiffres comme des faits."
)

# --- Geography ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Commune:
    code: str
    nom: str
    weight: int
    region: str = REGION_CODE

    @property
    def departement(self) -> str:
        return self.code[:2]


@dataclass(frozen=True)
class Place:
    """A place of execution: code, type of code, and a display name."""

    code: str
    type_code: str
    nom: str


HDF_COMMUNES: tuple[Commune, ...] = (
    Commune("59350", "Lille", 12),
    Commune("80021", "Amiens", 7),
    Commune("59512", "Roubaix", 4),
    Commune("59599", "Tourcoing", 4),
    Commune("59183", "Dunkerque", 5),
    Commune("62193", "Calais", 4),
    Commune("62160", "Boulogne-sur-Mer", 3),
    Commune("62041", "Arras", 5),
    Commune("62498", "Lens", 3),
    Commune("60057", "Beauvais", 5),
    Commune("60159", "Compiègne", 4),
    Commune("60175", "Creil", 3),
    Commune("02691", "Saint-Quentin", 4),
    Commune("02722", "Soissons", 3),
    Commune("02408", "Laon", 3),
    Commune("59606", "Valenciennes", 4),
    Commune("59178", "Douai", 3),
    Commune("59122", "Cambrai", 2),
    Commune("80001", "Abbeville", 3),
    Commune("59392", "Maubeuge", 2),
    Commune("59017", "Armentières", 2),
    Commune("59009", "Villeneuve-d'Ascq", 4),
    Commune("59172", "Denain", 1),
    Commune("59295", "Hazebrouck", 1),
    Commune("59328", "Lambersart", 1),
    Commune("59271", "Grande-Synthe", 1),
    Commune("59279", "Halluin", 1),
    Commune("59360", "Loos", 1),
    Commune("59343", "Lesquin", 2),
    Commune("62510", "Liévin", 2),
    Commune("62119", "Béthune", 3),
    Commune("62765", "Saint-Omer", 2),
    Commune("62108", "Berck", 1),
    Commune("62427", "Hénin-Beaumont", 2),
    Commune("62178", "Bruay-la-Buissière", 1),
    Commune("62215", "Carvin", 1),
)
POLES: tuple[Commune, ...] = HDF_COMMUNES[:20]
"""The main towns, used for sectors, employment areas and regional sites."""
COMMUNES_BY_CODE: dict[str, Commune] = {commune.code: commune for commune in HDF_COMMUNES}

OTHER_COMMUNES: tuple[Commune, ...] = (
    Commune("75056", "Paris", 8, "11"),
    Commune("92050", "Nanterre", 2, "11"),
    Commune("92012", "Boulogne-Billancourt", 2, "11"),
    Commune("93066", "Saint-Denis", 2, "11"),
    Commune("93048", "Montreuil", 1, "11"),
    Commune("51454", "Reims", 2, "44"),
    Commune("67482", "Strasbourg", 2, "44"),
    Commune("76540", "Rouen", 2, "28"),
    Commune("76351", "Le Havre", 1, "28"),
    Commune("14118", "Caen", 1, "28"),
    Commune("69123", "Lyon", 3, "84"),
    Commune("44109", "Nantes", 2, "52"),
    Commune("33063", "Bordeaux", 2, "75"),
    Commune("35238", "Rennes", 2, "53"),
)


@dataclass(frozen=True)
class Departement:
    code: str
    nom: str
    phrase: str
    """The name with its preposition and article, as in « des lycées de la Somme »."""


DEPARTEMENTS: tuple[Departement, ...] = (
    Departement("02", "Aisne", "de l'Aisne"),
    Departement("59", "Nord", "du Nord"),
    Departement("60", "Oise", "de l'Oise"),
    Departement("62", "Pas-de-Calais", "du Pas-de-Calais"),
    Departement("80", "Somme", "de la Somme"),
)
DEPARTEMENT_WEIGHTS = (2, 5, 2, 4, 2)
REGION_PLACE = Place(REGION_CODE, "Code région", REGION_NAME)


@dataclass(frozen=True)
class Lycee:
    nom: str
    commune: str


LYCEES: tuple[Lycee, ...] = (
    Lycee("lycée Gustave Eiffel", "59017"),
    Lycee("lycée Jean Bart", "59183"),
    Lycee("lycée Faidherbe", "59350"),
    Lycee("lycée Baggio", "59350"),
    Lycee("lycée Condorcet", "02691"),
    Lycee("lycée Pierre de La Ramée", "02691"),
    Lycee("lycée Louis Thuillier", "80021"),
    Lycee("lycée Madeleine Michelis", "80021"),
    Lycee("lycée Gambetta-Carnot", "62041"),
    Lycee("lycée Robespierre", "62041"),
    Lycee("lycée Félix Faure", "60057"),
    Lycee("lycée Paul Langevin", "60057"),
    Lycee("lycée Pierre d'Ailly", "60159"),
    Lycee("lycée Mireille Grenet", "60159"),
    Lycee("lycée Jules Uhry", "60175"),
    Lycee("lycée Gérard de Nerval", "02722"),
    Lycee("lycée Paul Claudel", "02408"),
    Lycee("lycée Henri Wallon", "59606"),
    Lycee("lycée du Hainaut", "59606"),
    Lycee("lycée Albert Châtelet", "59178"),
    Lycee("lycée Fénelon", "59122"),
    Lycee("lycée Boucher de Perthes", "80001"),
    Lycee("lycée Pierre Forest", "59392"),
    Lycee("lycée Mariette", "62160"),
    Lycee("lycée Sophie Berthelot", "62193"),
    Lycee("lycée Auguste Béhal", "62498"),
    Lycee("lycée Jean Rostand", "59512"),
    Lycee("lycée Colbert", "59599"),
    Lycee("lycée Alexandre Ribot", "62765"),
    Lycee("lycée Louis Blaringhem", "62119"),
    Lycee("lycée Henri Darras", "62510"),
    Lycee("lycée Raymond Queneau", "59009"),
)

# --- Buying services ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Service:
    id: str
    short: str
    nom: str
    description: str


SERVICES: tuple[Service, ...] = (
    Service(
        "lycees",
        "lyc",
        "Direction des lycées",
        "Construction, rénovation et équipement des lycées publics, restauration scolaire, "
        "mobilier et matériel pédagogique.",
    ),
    Service(
        "transports-mobilites",
        "tra",
        "Direction des transports et des mobilités",
        "Transport scolaire et interurbain, services de substitution aux trains régionaux, "
        "matériel roulant et pôles d'échanges.",
    ),
    Service(
        "numerique",
        "num",
        "Direction du numérique et des systèmes d'information",
        "Matériel informatique des agents et des lycées, logiciels, hébergement, réseaux et "
        "télécommunications.",
    ),
    Service(
        "immobilier-patrimoine",
        "imm",
        "Direction de l'immobilier et du patrimoine",
        "Bâtiments de la Région : grandes opérations de travaux, maîtrise d'œuvre et maintenance "
        "technique.",
    ),
    Service(
        "formation-apprentissage",
        "for",
        "Direction de la formation professionnelle et de l'apprentissage",
        "Formations qualifiantes pour les demandeurs d'emploi, parcours vers l'emploi, "
        "orientation et promotion de l'apprentissage.",
    ),
    Service(
        "environnement-energie",
        "env",
        "Direction de l'environnement et de la transition énergétique",
        "Études environnementales, biodiversité, énergies renouvelables et accompagnement de la "
        "démarche rev3.",
    ),
    Service(
        "moyens-generaux",
        "mog",
        "Direction des moyens généraux et des achats",
        "Fonctionnement des sites de la Région : nettoyage, énergie, véhicules, assurances, "
        "impression et conseil.",
    ),
)
SERVICES_BY_ID: dict[str, Service] = {service.id: service for service in SERVICES}

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


WORKS_SIZES = (30, 50, 15, 5)
TRADES: dict[str, Trade] = {
    "desamiantage": Trade(("Désamiantage", "Dépollution", "Curage et Désamiantage"), 0.85),
    "gros-oeuvre": Trade(("Bâtiment", "Maçonnerie", "Construction", "BTP"), 0.9, WORKS_SIZES),
    "couverture": Trade(("Couverture", "Toitures", "Charpente et Couverture"), 0.9, WORKS_SIZES),
    "menuiserie": Trade(("Menuiseries", "Menuiserie Aluminium", "Fermetures"), 0.88, WORKS_SIZES),
    "platrerie": Trade(("Plâtrerie", "Isolation", "Plâtrerie et Isolation"), 0.9, WORKS_SIZES),
    "finitions": Trade(("Peinture", "Revêtements", "Décoration et Peinture"), 0.92, WORKS_SIZES),
    "electricite": Trade(("Électricité", "Électricité Générale", "Elec Services"), 0.88),
    "cvc": Trade(("Chauffage", "Thermique", "Génie Climatique", "Plomberie Chauffage"), 0.85),
    "facades": Trade(("Façades", "Ravalement", "Isolation Extérieure"), 0.88, WORKS_SIZES),
    "vrd": Trade(("Travaux Publics", "Terrassement", "VRD"), 0.88, (15, 50, 25, 10)),
    "entreprise-generale": Trade(
        ("Construction", "Bâtiment", "Entreprise Générale"), 0.8, (5, 40, 35, 20), 0.8
    ),
    "maintenance": Trade(("Maintenance", "Multitechnique", "Services Techniques"), 0.75),
    "ascenseurs": Trade(("Ascenseurs", "Élévation"), 0.5, (5, 30, 35, 30), 0.4),
    "securite-incendie": Trade(("Sécurité Incendie", "Protection Incendie"), 0.7, density=0.6),
    "transport": Trade(("Transports", "Autocars", "Voyages"), 0.93, (15, 50, 25, 10), 0.9),
    "informatique": Trade(("Informatique", "Bureautique", "Systèmes"), 0.7, (15, 45, 25, 15)),
    "logiciels": Trade(("Logiciels", "Software", "Solutions"), 0.45, (20, 45, 20, 15), 0.8),
    "services-numeriques": Trade(("Numérique", "Digital", "Services Numériques", "Cloud"), 0.7),
    "alimentation": Trade(("Distribution Alimentaire", "Épicerie Fine", "Alimentation"), 0.8),
    "bio": Trade(("Bio", "Produits Biologiques", "Terroir Bio"), 0.85, (35, 50, 12, 3)),
    "viandes": Trade(("Viandes", "Boucherie", "Salaisons"), 0.85, (30, 50, 15, 5)),
    "primeurs": Trade(("Primeurs", "Maraîchers", "Fruits et Légumes"), 0.9, (35, 50, 12, 3)),
    "laitier": Trade(("Laiterie", "Fromagerie", "Produits Laitiers"), 0.85, (25, 50, 18, 7)),
    "boulangerie": Trade(("Boulangerie", "Panification", "Fournil"), 0.95, (50, 45, 5, 0)),
    "mobilier": Trade(("Mobilier", "Agencement", "Équipement Scolaire"), 0.72),
    "cuisines": Trade(("Équipement de Cuisine", "Froid et Cuisine"), 0.65, density=0.6),
    "hygiene": Trade(("Hygiène", "Hygiène et Propreté"), 0.7, density=0.6),
    "pedagogie": Trade(("Matériel Pédagogique", "Didactique"), 0.45, density=0.7),
    "nettoyage": Trade(("Nettoyage", "Propreté", "Services de Propreté"), 0.88, density=0.8),
    "dechets": Trade(("Recyclage", "Environnement", "Valorisation"), 0.85, (10, 40, 30, 20), 0.5),
    "conseil": Trade(("Conseil", "Consultants", "Stratégie", "Partenaires"), 0.65, (35, 45, 15, 5)),
    "communication": Trade(
        ("Communication", "Événements", "Agence Créative"), 0.7, (35, 50, 12, 3)
    ),
    "architecte": Trade(
        ("Architectes", "Atelier d'Architecture", "Ingénierie", "Bureau d'Études"),
        0.88,
        (45, 45, 8, 2),
        1.2,
    ),
    "formation": Trade(("Formation", "Compétences", "Institut", "Académie"), 0.9, (25, 55, 15, 5)),
    "vehicules": Trade(
        ("Automobiles", "Véhicules Industriels", "Cars et Bus"), 0.5, (5, 35, 35, 25)
    ),
    "garage": Trade(("Garage", "Auto Services", "Poids Lourds Services"), 0.92, (40, 45, 10, 5)),
    "energie": Trade(
        ("Énergie", "Énergies", "Gaz et Électricité", "Carburants"), 0.3, (0, 10, 30, 60), 0.3
    ),
    "environnement": Trade(("Environnement", "Écologie", "Biodiversité"), 0.75, (30, 50, 15, 5)),
    "espaces-verts": Trade(("Paysages", "Espaces Verts", "Jardins"), 0.92, (40, 45, 12, 3)),
    "vetements": Trade(("Vêtements Professionnels", "Textiles", "Protection"), 0.6, density=0.6),
    "telecom": Trade(("Télécom", "Réseaux", "Fibre"), 0.3, (0, 15, 35, 50), 0.4),
    "assurance": Trade(
        ("Assurances", "Mutuelle d'Assurances", "Courtage"), 0.3, (0, 15, 35, 50), 0.5
    ),
    "imprimerie": Trade(("Imprimerie", "Impressions", "Arts Graphiques"), 0.88, (40, 45, 12, 3)),
    "restauration": Trade(
        ("Restauration", "Cuisine Collective", "Traiteur"), 0.7, (20, 40, 25, 15)
    ),
}

# --- What the Région buys -----------------------------------------------------------------------


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

    Scopes: `lycee` ({lycee}), `commune` ({ville}), `departement` ({departement}), `region`, or a
    commune code for a fixed site. `{lot}` and `{corps}` take a lot of the family's list, `{n}` a
    plain lot number, `{num}` a line number and `{annee}` the year.
    """

    text: str
    cpvs: tuple[str, ...]
    scope: str
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


CORPS: tuple[Lot, ...] = (
    Lot("désamiantage – curage", "45262660-5", "desamiantage", 0.6),
    Lot("gros œuvre – maçonnerie", "45262522-6", "gros-oeuvre", 1.8),
    Lot("charpente – couverture – étanchéité", "45261000-4", "couverture", 1.0),
    Lot("menuiseries extérieures", "45421000-4", "menuiserie", 1.1),
    Lot("plâtrerie – isolation – faux plafonds", "45410000-4", "platrerie", 0.7),
    Lot("menuiseries intérieures", "45421141-4", "menuiserie", 0.6),
    Lot("revêtements de sols", "45432100-5", "finitions", 0.55),
    Lot("peinture – revêtements muraux", "45442100-8", "finitions", 0.5),
    Lot("électricité courants forts et faibles", "45311000-0", "electricite", 1.0),
    Lot("chauffage – ventilation – plomberie", "45331000-6", "cvc", 1.3),
    Lot("façades – isolation par l'extérieur", "45443000-4", "facades", 0.8),
    Lot("voirie et réseaux divers", "45233140-2", "vrd", 0.6),
)
"""The lots of a building operation, in the usual order of a French works consultation."""

LYC = "lycees"
TRA = "transports-mobilites"
NUM = "numerique"
IMM = "immobilier-patrimoine"
FOR = "formation-apprentissage"
ENV = "environnement-energie"
MOG = "moyens-generaux"


def tpl(
    text: str,
    cpvs: str = "",
    scope: str = "region",
    trade: str = "",
    service: str = "",
    weight: float = 1.0,
    skip: int = 0,
) -> Template:
    """A template; `cpvs` lists codes separated by spaces (empty for lots of a family)."""
    return Template(text, tuple(cpvs.split()), scope, trade, service, weight, skip)


# The catalogue reads as a table; the formatter would put every argument on its own line.
# fmt: off
FAMILIES: tuple[Family, ...] = (
    Family(
        "travaux-lycees", LYC, "entreprise-generale", weight=0.15, median=270_000, sigma=0.75,
        durations=(4, 6, 8, 10, 12, 14, 18, 24), accord_cadre=0.04, formes=(0.05, 0.8, 0.15),
        social=1.5, environment=0.04, groupement=0.05, sous_traitance=0.35, innovant=0.01,
        lots=CORPS,
        templates=(
            tpl("Rénovation énergétique du {lycee} – lot {lot} : {corps}", "45453000-7", "lycee",
                weight=3),
            tpl("Restructuration de la demi-pension du {lycee} – lot {lot} : {corps}",
                "45262700-8", "lycee", weight=2),
            tpl("Mise en accessibilité du {lycee} – lot {lot} : {corps}", "45453000-7", "lycee"),
            tpl("Réhabilitation de l'internat du {lycee} – lot {lot} : {corps}", "45453000-7",
                "lycee"),
            tpl("Extension des ateliers du {lycee} – lot {lot} : {corps}", "45214220-8", "lycee",
                skip=1),
            tpl("Réfection de la toiture du {lycee}", "45261210-9", "lycee", "couverture"),
            tpl("Remplacement des menuiseries extérieures du {lycee}", "45421100-5", "lycee",
                "menuiserie"),
            tpl("Remplacement de la chaufferie du {lycee}", "45331110-0", "lycee", "cvc"),
            tpl("Mise en conformité du système de sécurité incendie du {lycee}", "45312100-8",
                "lycee", "electricite"),
            tpl("Rénovation des sanitaires du {lycee}", "45330000-9", "lycee", "cvc"),
            tpl("Isolation thermique par l'extérieur du {lycee}", "45321000-3", "lycee",
                "facades"),
            tpl("Travaux de désamiantage du {lycee}", "45262660-5", "lycee", "desamiantage"),
            tpl("Réfection de la cour et des voiries du {lycee}", "45233140-2", "lycee", "vrd"),
            tpl("Remise en état des laboratoires de sciences du {lycee}",
                "45453100-8 45214220-8", "lycee"),
        ),
    ),
    Family(
        "grands-travaux", LYC, "entreprise-generale", weight=0.02, median=1_900_000, sigma=0.35,
        durations=(18, 24, 30, 36), accord_cadre=0.0, formes=(0.05, 0.85, 0.1), social=1.6,
        environment=0.06, groupement=0.15, sous_traitance=0.6, innovant=0.03, lots=CORPS,
        templates=(
            tpl("Construction du nouveau lycée {de_ville} – lot {lot} : {corps}", "45214220-8",
                "commune", weight=2, skip=1),
            tpl("Restructuration lourde du {lycee} – lot {lot} : {corps}", "45262700-8", "lycee",
                weight=2),
            tpl("Reconstruction du {lycee} en marché global de performance", "45214220-8",
                "lycee", weight=0.5),
            tpl("Réhabilitation du siège de la Région à Lille – lot {lot} : {corps}", "45453000-7",
                "59350", service=IMM, weight=0.5),
            tpl("Aménagement du pôle d'échanges multimodal de la gare {de_ville}", "45213000-3",
                "commune", "vrd", TRA, 0.5),
            tpl("Construction d'un centre de maintenance des trains régionaux à {ville} – "
                "lot {lot} : {corps}", "45213000-3", "commune", service=TRA, weight=0.5, skip=1),
            tpl("Mise en accessibilité des quais des gares régionales {departement}",
                "45234100-7", "departement", "vrd", TRA, 0.5),
        ),
    ),
    Family(
        "maintenance-batiments", IMM, "maintenance", weight=0.065, median=140_000, sigma=0.8,
        durations=(12, 24, 36, 48), accord_cadre=0.5, subsequents=0.1, formes=(0.25, 0.35, 0.4),
        reserve=0.02, sous_traitance=0.2, innovant=0.01,
        templates=(
            tpl("Maintenance des installations de chauffage, ventilation et climatisation des "
                "lycées {departement}", "50720000-8 50712000-9", "departement", "cvc", LYC, 2),
            tpl("Entretien et dépannage des ascenseurs des lycées {departement}", "50750000-7",
                "departement", "ascenseurs", LYC),
            tpl("Vérification et maintenance des systèmes de sécurité incendie des lycées "
                "{departement}", "50413200-5", "departement", "securite-incendie", LYC),
            tpl("Maintenance des installations électriques des sites régionaux", "50711000-2",
                trade="electricite"),
            tpl("Maintenance multitechnique du siège de la Région à Lille", "50710000-5",
                "59350"),
            tpl("Maintenance des chambres froides et des équipements de cuisine des lycées "
                "{departement}", "50730000-1", "departement", "cuisines", LYC),
        ),
    ),
    Family(
        "transport-scolaire", TRA, "transport", weight=0.105, median=360_000, sigma=0.7,
        durations=(36, 48, 60, 72, 84), accord_cadre=0.2, formes=(0.5, 0.3, 0.2), social=1.2,
        groupement=0.06, sous_traitance=0.25, innovant=0.01,
        templates=(
            tpl("Transport scolaire des élèves du secteur {de_ville} – lot {n}",
                "60112000-6 60130000-8", "commune", weight=4),
            tpl("Exploitation de la ligne interurbaine régulière n° {num} au départ {de_ville}",
                "60112000-6", "commune", weight=2),
            tpl("Transport adapté des élèves en situation de handicap {departement} – lot {n}",
                "60130000-8", "departement"),
            tpl("Location d'autocars avec chauffeur pour les sorties pédagogiques des lycées "
                "{departement}", "60172000-4", "departement"),
            tpl("Services d'autocars de substitution aux trains régionaux au départ {de_ville}",
                "60112000-6 60140000-1", "commune"),
        ),
    ),
    Family(
        "informatique", NUM, "informatique", weight=0.05, median=140_000, sigma=0.9,
        durations=(12, 24, 36, 48), accord_cadre=0.6, subsequents=0.35, formes=(0.7, 0.2, 0.1),
        social=0.6, groupement=0.03, sous_traitance=0.1, innovant=0.04,
        templates=(
            tpl("Fourniture d'ordinateurs portables pour les élèves de seconde des lycées",
                "30213100-6", service=LYC, weight=2),
            tpl("Fourniture de tablettes numériques pour les lycées professionnels", "30213200-7",
                service=LYC),
            tpl("Acquisition de postes de travail et d'écrans pour les agents de la Région",
                "30213300-8 30231300-0"),
            tpl("Fourniture d'imprimantes et de copieurs multifonctions pour les sites régionaux",
                "30232110-8"),
            tpl("Fourniture de matériel informatique et de périphériques pour les lycées "
                "{departement}", "30200000-1 30236000-2", "departement", service=LYC),
            tpl("Équipement des salles de classe en écrans numériques interactifs – lot {n}",
                "30236000-2", service=LYC),
        ),
    ),
    Family(
        "logiciels", NUM, "logiciels", weight=0.035, median=110_000, sigma=0.8,
        durations=(12, 24, 36, 48), accord_cadre=0.35, subsequents=0.2, formes=(0.4, 0.4, 0.2),
        social=0.4, groupement=0.02, sous_traitance=0.1, innovant=0.08,
        templates=(
            tpl("Acquisition et maintenance d'un logiciel de gestion des aides régionales",
                "48000000-8"),
            tpl("Licences et support d'une solution de sauvegarde des données", "48780000-9"),
            tpl("Logiciels pédagogiques pour les sections industrielles des lycées professionnels",
                "48190000-6", service=LYC),
            tpl("Solution antivirus et de protection des postes de travail", "48760000-3"),
            tpl("Acquisition de serveurs et de baies de stockage du centre de données régional",
                "48820000-2", trade="informatique"),
            tpl("Progiciel de gestion des inscriptions aux transports scolaires", "48600000-4",
                service=TRA),
        ),
    ),
    Family(
        "services-numeriques", NUM, "services-numeriques", weight=0.055, median=170_000,
        sigma=0.9, durations=(12, 24, 36, 48), accord_cadre=0.45, subsequents=0.4,
        formes=(0.4, 0.35, 0.25), social=0.5, groupement=0.08, sous_traitance=0.25, innovant=0.06,
        templates=(
            tpl("Tierce maintenance applicative du système d'information des transports",
                "72250000-2"),
            tpl("Maintenance du parc informatique des lycées {departement}", "72611000-6",
                "departement", service=LYC, weight=2),
            tpl("Hébergement et infogérance des applications régionales", "72514000-1"),
            tpl("Développement du portail des aides régionales", "72230000-6"),
            tpl("Assistance aux utilisateurs du poste de travail des agents régionaux",
                "72253000-3"),
            tpl("Audit de sécurité des systèmes d'information de la Région", "72800000-8"),
            tpl("Refonte du site internet de la Région", "72413000-8"),
            tpl("Déploiement du réseau sans fil des lycées {departement} – lot {n}", "72700000-7",
                "departement", service=LYC),
        ),
    ),
    Family(
        "denrees", LYC, "alimentation", weight=0.085, median=100_000, sigma=0.7,
        durations=(12, 24, 36, 48), accord_cadre=0.75, formes=(0.9, 0.05, 0.05), origin=True,
        social=0.8, reserve=0.02, groupement=0.02, sous_traitance=0.05, innovant=0.01,
        templates=(
            tpl("Fourniture de denrées alimentaires biologiques pour la restauration des lycées "
                "{departement}", "15000000-8", "departement", "bio", weight=2),
            tpl("Fourniture de viandes fraîches pour la restauration des lycées {departement} – "
                "lot {n}", "15110000-2", "departement", "viandes", weight=2),
            tpl("Fourniture de fruits et légumes frais de saison pour les lycées {departement}",
                "15300000-1", "departement", "primeurs", weight=2),
            tpl("Fourniture de produits laitiers et de fromages pour les lycées {departement}",
                "15500000-3 15540000-5", "departement", "laitier"),
            tpl("Fourniture de pain et de viennoiseries pour les lycées du bassin {de_ville}",
                "15811100-7", "commune", "boulangerie"),
            tpl("Fourniture de produits d'épicerie pour la restauration des lycées {departement}",
                "15800000-6", "departement"),
            tpl("Fourniture de conserves et de surgelés pour les lycées {departement}",
                "15330000-0 15131000-5", "departement"),
        ),
    ),
    Family(
        "mobilier", LYC, "mobilier", weight=0.045, median=100_000, sigma=0.7,
        durations=(12, 24, 36, 48), accord_cadre=0.55, subsequents=0.1, formes=(0.75, 0.15, 0.1),
        social=0.8, reserve=0.08, groupement=0.02, sous_traitance=0.08,
        templates=(
            tpl("Fourniture de mobilier scolaire pour les lycées – lot {n}", "39160000-1",
                weight=2),
            tpl("Fourniture de mobilier de bureau pour les sites de la Région", "39130000-2",
                service=MOG),
            tpl("Équipement des cuisines et des selfs des lycées {departement}",
                "39221000-7 39310000-8", "departement", "cuisines"),
            tpl("Fourniture de produits d'entretien écolabellisés pour les lycées", "39830000-9",
                trade="hygiene"),
            tpl("Fourniture de matériel pédagogique pour les filières industrielles des lycées",
                "39162100-6", trade="pedagogie"),
            tpl("Fourniture de chaises et de tables pour les internats des lycées",
                "39112000-0 39121000-6"),
        ),
    ),
    Family(
        "nettoyage", MOG, "nettoyage", weight=0.045, median=140_000, sigma=0.8,
        durations=(12, 24, 36, 48), accord_cadre=0.25, formes=(0.2, 0.6, 0.2), social=1.6,
        reserve=0.25, groupement=0.03, sous_traitance=0.15,
        templates=(
            tpl("Nettoyage des locaux du siège de la Région à Lille", "90911200-8", "59350"),
            tpl("Nettoyage des locaux de la maison de Région {de_ville}", "90919200-4",
                "commune"),
            tpl("Nettoyage des vitres des sites régionaux {departement}", "90911000-6",
                "departement"),
            tpl("Collecte et valorisation des déchets des lycées {departement}",
                "90511000-2 90513000-6", "departement", "dechets", LYC),
            tpl("Dératisation et désinsectisation des lycées {departement}", "90922000-6",
                "departement", "hygiene", LYC),
        ),
    ),
    Family(
        "conseil", MOG, "conseil", weight=0.045, median=85_000, sigma=0.7,
        durations=(6, 12, 18, 24, 36), accord_cadre=0.3, subsequents=0.5,
        formes=(0.3, 0.55, 0.15), social=0.6, groupement=0.12, sous_traitance=0.1, innovant=0.03,
        templates=(
            tpl("Accompagnement de la mise en œuvre de la politique d'achat responsable",
                "79411000-8"),
            tpl("Assistance à maîtrise d'ouvrage pour le programme de rénovation des lycées",
                "79421000-1", service=LYC),
            tpl("Organisation du salon régional de l'orientation et des métiers {annee}",
                "79952000-2", "59350", "communication", FOR),
            tpl("Campagne de communication sur l'apprentissage", "79341400-0",
                trade="communication", service=FOR),
            tpl("Évaluation des politiques régionales de formation et d'emploi", "79311000-7",
                service=FOR),
            tpl("Conseil juridique en droit de la commande publique", "79111000-5"),
            tpl("Audit des comptes des délégations de service public de transport", "79212000-3",
                service=TRA),
            tpl("Formation des encadrants de la Région au management", "79632000-3"),
        ),
    ),
    Family(
        "maitrise-oeuvre", IMM, "architecte", weight=0.06, median=120_000, sigma=0.85,
        durations=(24, 36, 48, 60), accord_cadre=0.12, subsequents=0.6, formes=(0.05, 0.85, 0.1),
        social=0.5, environment=0.03, groupement=0.45, sous_traitance=0.15,
        templates=(
            tpl("Maîtrise d'œuvre pour la rénovation énergétique du {lycee}", "71221000-3",
                "lycee", service=LYC, weight=2),
            tpl("Maîtrise d'œuvre pour la restructuration de la demi-pension du {lycee}",
                "71221000-3", "lycee", service=LYC),
            tpl("Maîtrise d'œuvre pour la construction du nouveau lycée {de_ville}", "71200000-0",
                "commune", service=LYC),
            tpl("Maîtrise d'œuvre pour la réhabilitation de la maison de Région {de_ville}",
                "71240000-2", "commune"),
            tpl("Études de conception et estimation des coûts de rénovation des lycées "
                "{departement}", "71242000-6", "departement", service=LYC),
            tpl("Direction des travaux de mise en accessibilité des lycées {departement}",
                "71247000-1", "departement", service=LYC),
            tpl("Maîtrise d'œuvre pour l'aménagement du pôle d'échanges de la gare {de_ville}",
                "71250000-5", "commune", service=TRA),
        ),
    ),
    Family(
        "formation", FOR, "formation", weight=0.095, median=220_000, sigma=0.8,
        durations=(12, 18, 24, 36), accord_cadre=0.4, subsequents=0.3, formes=(0.6, 0.3, 0.1),
        social=2.0, reserve=0.03, environment=-0.06, groupement=0.15, sous_traitance=0.15,
        innovant=0.03,
        templates=(
            tpl("Formations qualifiantes aux métiers du bâtiment – lot {n} : bassin {de_ville}",
                "80530000-8", "commune", weight=2),
            tpl("Formations aux métiers du numérique pour les demandeurs d'emploi – lot {n} : "
                "bassin {de_ville}", "80533000-9", "commune"),
            tpl("Parcours de remise à niveau et de savoirs de base – lot {n} : bassin {de_ville}",
                "80400000-8", "commune", weight=2),
            tpl("Formations aux métiers de l'industrie et de la maintenance – bassin {de_ville}",
                "80531200-7", "commune"),
            tpl("Formations aux métiers du sanitaire et du social {departement}", "80500000-9",
                "departement"),
            tpl("Formations linguistiques à visée professionnelle {departement}", "80510000-2",
                "departement"),
            tpl("Formations à la sécurité pour les métiers de la logistique – bassin {de_ville}",
                "80550000-4", "commune"),
        ),
    ),
    Family(
        "vehicules", MOG, "vehicules", weight=0.025, median=230_000, sigma=0.8,
        durations=(12, 24, 36, 48), accord_cadre=0.45, subsequents=0.3, formes=(0.8, 0.15, 0.05),
        origin=True, social=0.4, groupement=0.02, sous_traitance=0.05, innovant=0.04,
        templates=(
            tpl("Acquisition de véhicules électriques pour le parc automobile de la Région",
                "34144900-7"),
            tpl("Acquisition d'autocars à faibles émissions pour le réseau interurbain régional",
                "34121000-1", service=TRA),
            tpl("Acquisition d'autobus électriques pour les lignes régulières", "34144910-0",
                service=TRA),
            tpl("Fourniture de véhicules utilitaires pour les équipes techniques des lycées",
                "34136000-9", service=LYC),
            tpl("Acquisition de camions pour la logistique des sites régionaux", "34130000-7"),
        ),
    ),
    Family(
        "entretien-vehicules", MOG, "garage", weight=0.015, median=90_000, sigma=0.6,
        durations=(12, 24, 36, 48), accord_cadre=0.6, formes=(0.85, 0.05, 0.1), social=0.8,
        reserve=0.05, groupement=0.02,
        templates=(
            tpl("Entretien et réparation des véhicules du parc régional {departement}",
                "50112000-3", "departement"),
            tpl("Entretien et réparation des autocars du réseau interurbain", "50110000-9",
                service=TRA),
        ),
    ),
    Family(
        "energie", MOG, "energie", weight=0.03, median=520_000, sigma=0.75,
        durations=(12, 24, 36, 48), accord_cadre=0.75, subsequents=0.5, formes=(0.9, 0.05, 0.05),
        social=0.2, environment=0.03, groupement=0.02, sous_traitance=0.02,
        templates=(
            tpl("Fourniture d'électricité d'origine renouvelable pour les lycées et les sites "
                "régionaux – lot {n}", "09310000-5", weight=2),
            tpl("Fourniture et acheminement de gaz naturel pour les lycées", "09123000-7"),
            tpl("Fourniture de carburants pour les véhicules de la Région",
                "09134200-9 09132000-3"),
            tpl("Fourniture de fioul domestique pour les lycées {departement}", "09135100-5",
                "departement"),
            tpl("Fourniture et pose de panneaux solaires sur les toitures des lycées "
                "{departement}", "09331000-8", "departement", service=ENV),
        ),
    ),
    Family(
        "environnement", ENV, "environnement", weight=0.03, median=90_000, sigma=0.7,
        durations=(6, 12, 18, 24, 36), accord_cadre=0.25, subsequents=0.4,
        formes=(0.3, 0.55, 0.15), social=0.8, reserve=0.15, groupement=0.12, innovant=0.06,
        templates=(
            tpl("Inventaire de la biodiversité des sites régionaux {departement}", "90700000-4",
                "departement"),
            tpl("Étude de faisabilité d'une filière hydrogène pour les transports régionaux",
                "73200000-4", trade="conseil"),
            tpl("Entretien des espaces verts des lycées {departement}", "77310000-6",
                "departement", "espaces-verts", LYC, 2),
            tpl("Élagage et entretien des arbres des lycées {departement}", "77340000-5",
                "departement", "espaces-verts", LYC),
            tpl("Accompagnement des lycées dans la démarche rev3 de transition énergétique",
                "90713000-8"),
            tpl("Suivi de la qualité de l'air intérieur dans les lycées {departement}",
                "90711500-9", "departement"),
        ),
    ),
    Family(
        "vetements", LYC, "vetements", weight=0.012, median=75_000, sigma=0.5,
        durations=(24, 36, 48), accord_cadre=0.8, formes=(0.95, 0.05, 0.0), origin=True,
        social=0.8, reserve=0.15, groupement=0.02, sous_traitance=0.05,
        templates=(
            tpl("Fourniture de vêtements de travail pour les agents des lycées", "18110000-3"),
            tpl("Fourniture de chaussures de sécurité et d'équipements de protection "
                "individuelle pour les agents des lycées", "18830000-6 18143000-3"),
            tpl("Fourniture de tenues professionnelles pour les sections hôtellerie-restauration "
                "des lycées", "18100000-0"),
        ),
    ),
    Family(
        "telecom", NUM, "telecom", weight=0.014, median=180_000, sigma=0.8,
        durations=(24, 36, 48), accord_cadre=0.6, subsequents=0.3, formes=(0.6, 0.2, 0.2),
        social=0.3, environment=-0.08, groupement=0.02, sous_traitance=0.1,
        templates=(
            tpl("Services de téléphonie mobile des agents régionaux", "64212000-5"),
            tpl("Accès internet à très haut débit des lycées – lot {n}", "64210000-1",
                service=LYC),
            tpl("Téléphonie fixe et transmission de données des sites régionaux", "64210000-1"),
        ),
    ),
    Family(
        "assurances", MOG, "assurance", weight=0.01, median=220_000, sigma=0.7,
        durations=(36, 48, 60), accord_cadre=0.0, formes=(0.1, 0.85, 0.05), social=0.2,
        environment=-0.15, groupement=0.04, sous_traitance=0.02, innovant=0.0,
        templates=(
            tpl("Assurance dommages aux biens du patrimoine régional", "66515200-5"),
            tpl("Assurance responsabilité civile générale de la Région", "66516000-0"),
            tpl("Assurance de la flotte automobile de la Région", "66514110-0"),
        ),
    ),
    Family(
        "imprimes", MOG, "imprimerie", weight=0.012, median=65_000, sigma=0.5,
        durations=(12, 24, 36, 48), accord_cadre=0.75, formes=(0.9, 0.05, 0.05), reserve=0.3,
        groupement=0.02, sous_traitance=0.05,
        templates=(
            tpl("Impression des guides d'orientation des lycéens", "22100000-1", service=FOR),
            tpl("Impression et façonnage des publications institutionnelles de la Région",
                "22120000-7"),
            tpl("Impression des supports de communication des événements régionaux",
                "22462000-6"),
        ),
    ),
    Family(
        "restauration-collective", LYC, "restauration", weight=0.01, median=190_000, sigma=0.6,
        durations=(12, 24, 36, 48), accord_cadre=0.2, formes=(0.8, 0.1, 0.1), social=1.2,
        groupement=0.03, sous_traitance=0.1,
        templates=(
            tpl("Restauration collective du {lycee}", "55524000-9", "lycee"),
            tpl("Livraison de repas pour les internats du bassin {de_ville}", "55521200-0",
                "commune"),
            tpl("Restauration des stagiaires de la formation professionnelle {departement}",
                "55320000-9", "departement", service=FOR),
        ),
    ),
)
# fmt: on

# --- Company names ------------------------------------------------------------------------------

SURNAMES = (
    "Carpentier", "Delattre", "Lefebvre", "Vasseur", "Delcourt", "Wattel", "Declercq",
    "Vandenbussche", "Duhamel", "Caron", "Leroy", "Lemaire", "Dufour", "Deprez", "Delmotte",
    "Ducrocq", "Pruvost", "Bultel", "Delannoy", "Flament", "Bocquet", "Lesage", "Tison",
    "Hennebert", "Devos", "Vanhove", "Wallart", "Lefranc", "Desmarets", "Cuvelier", "Lagache",
    "Morel", "Duval", "Lecomte", "Fontaine", "Boulanger", "Mercier", "Gervais", "Hamel", "Dumont",
    "Poulain", "Brasseur", "Leclercq", "Roussel", "Masquelier", "Verbeke", "Hochart", "Bouchez",
    "Deneuville", "Coppin", "Maillard", "Dewitte", "Lannoy", "Vermeersch", "Catteau", "Merlin",
)  # fmt: skip

REGION_PLACES: dict[str, tuple[tuple[str, str], ...]] = {
    "32": (
        ("Hainaut", "du Hainaut"), ("Artois", "de l'Artois"), ("Flandre", "de Flandre"),
        ("Opale", "de la Côte d'Opale"), ("Cambrésis", "du Cambrésis"),
        ("Boulonnais", "du Boulonnais"), ("Audomarois", "de l'Audomarois"),
        ("Avesnois", "de l'Avesnois"), ("Thiérache", "de Thiérache"),
        ("Vermandois", "du Vermandois"), ("Soissonnais", "du Soissonnais"),
        ("Laonnois", "du Laonnois"), ("Beauvaisis", "du Beauvaisis"), ("Valois", "du Valois"),
        ("Santerre", "du Santerre"), ("Vimeu", "du Vimeu"), ("Ponthieu", "du Ponthieu"),
        ("Pévèle", "de la Pévèle"), ("Ternois", "du Ternois"), ("Calaisis", "du Calaisis"),
        ("Douaisis", "du Douaisis"), ("Ostrevent", "de l'Ostrevent"), ("Sambre", "de la Sambre"),
        ("Escaut", "de l'Escaut"), ("Lys", "de la Lys"), ("Somme", "de la Somme"),
        ("Authie", "de l'Authie"), ("Canche", "de la Canche"), ("Scarpe", "de la Scarpe"),
        ("Noyonnais", "du Noyonnais"), ("Amiénois", "de l'Amiénois"),
        ("Marquenterre", "du Marquenterre"), ("Montreuillois", "du Montreuillois"),
        ("Mélantois", "du Mélantois"), ("Houtland", "du Houtland"), ("Bray", "du pays de Bray"),
    ),
    "11": (("Seine", "de la Seine"), ("Francilienne", "d'Île-de-France"),
           ("Parisis", "du Parisis")),
    "44": (("Champagne", "de Champagne"), ("Rhin", "du Rhin"), ("Ardenne", "de l'Ardenne")),
    "28": (("Normandie", "de Normandie"), ("Caux", "du pays de Caux"), ("Bessin", "du Bessin")),
    "84": (("Rhône", "du Rhône"), ("Lyonnais", "du Lyonnais"), ("Dauphiné", "du Dauphiné")),
    "52": (("Loire", "de la Loire"), ("Atlantique", "de l'Atlantique"),
           ("Estuaire", "de l'Estuaire")),
    "75": (("Gironde", "de la Gironde"), ("Aquitaine", "d'Aquitaine"),
           ("Garonne", "de la Garonne")),
    "53": (("Armor", "d'Armor"), ("Bretagne", "de Bretagne"), ("Vilaine", "de la Vilaine")),
    "BE": (("Tournaisis", "du Tournaisis"), ("Wallonie", "de Wallonie"),
           ("Borinage", "du Borinage")),
}  # fmt: skip

LEGAL_FORMS: dict[str, tuple[str, ...]] = {
    "TPE": ("", "", " SARL", " EURL"),
    "PME": ("", " SAS", " SARL", " SAS"),
    "ETI": (" SAS", " SA", " Groupe", ""),
    "GE": (" SA", " Groupe", " France", ""),
    "BE": (" SRL", " SA", " BV"),
}

# --- Small helpers ------------------------------------------------------------------------------


def cumulative(weights: Iterable[float]) -> tuple[float, ...]:
    total = 0.0
    result: list[float] = []
    for weight in weights:
        total += weight
        result.append(total)
    return tuple(result)


def pick(rng: random.Random, items: Sequence[T], cum: Sequence[float]) -> T:
    """A weighted draw with precomputed cumulative weights."""
    return items[bisect.bisect_right(cum, rng.random() * cum[-1], 0, len(cum) - 1)]


def format_amount(value: float) -> str:
    return f"{value:.2f}"


def format_ratio(value: float) -> str:
    """A share between 0 and 1 with at most two decimals: 0.1, 0.05, 1, 0."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text or "0"


def format_bool(value: bool) -> str:
    return "true" if value else "false"


def join(values: Iterable[str], order: Sequence[str]) -> str:
    """Multi-valued cell in the vocabulary's order."""
    chosen = set(values)
    return v.MULTI_SEPARATOR.join(value for value in order if value in chosen)


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - every month has 28 days


def new_siret(rng: random.Random, used: set[str]) -> str:
    """A fictitious SIRET: a Luhn-valid SIREN (never La Poste's) and a NIC completing the Luhn."""
    while True:
        body = str(rng.randint(3, 9)) + f"{rng.randrange(10_000_000):07d}"
        siren = body + luhn_digit(body)
        if siren != v.LA_POSTE_SIREN and siren not in used:
            used.add(siren)
            break
    nic = f"{rng.choice((1, 1, 1, 2, 2, 3, 4, 5, 6, 8)):04d}"
    return siren + nic + luhn_digit(siren + nic)


def new_belgian_vat(rng: random.Random, used: set[str]) -> str:
    """A fictitious Belgian VAT number (enterprise number with its modulo 97 check)."""
    while True:
        base = f"0{rng.randint(2_000_000, 9_999_999)}"
        number = f"{base}{97 - int(base) % 97:02d}"
        if number not in used:
            used.add(number)
            return "BE" + number


# --- Suppliers ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Supplier:
    type_id: str
    id: str
    nom: str
    categorie: str
    commune_code: str
    commune_nom: str
    departement: str
    region: str

    @property
    def big(self) -> bool:
        return self.categorie in ("ETI", "GE")

    @property
    def reference(self) -> str:
        return f"{self.type_id}:{self.id}"

    def row(self) -> Row:
        return (
            self.type_id,
            self.id,
            self.nom,
            self.categorie,
            self.commune_code,
            self.commune_nom,
            self.departement,
            self.region,
        )


CATEGORIES = ("TPE", "PME", "ETI", "GE")
HDF_COMMUNE_CUM = cumulative(commune.weight for commune in HDF_COMMUNES)
OTHER_COMMUNE_CUM = cumulative(commune.weight for commune in OTHER_COMMUNES)


def trade_shares() -> dict[str, float]:
    """Expected share of contracts going to each trade, weighted by the trade's density."""
    shares: dict[str, float] = {}
    for family in FAMILIES:
        total = sum(template.weight for template in family.templates)
        for template in family.templates:
            part = family.weight * template.weight / total
            if template.allotted:
                for lot in family.lots:
                    shares[lot.trade] = shares.get(lot.trade, 0.0) + part / len(family.lots)
            else:
                trade = template.trade or family.trade
                shares[trade] = shares.get(trade, 0.0) + part
    return {trade: share * TRADES[trade].density for trade, share in sorted(shares.items())}


def company_name(rng: random.Random, trade: Trade, categorie: str, region: str) -> str:
    word = rng.choice(trade.words)
    surname = rng.choice(SURNAMES)
    bare, phrase = rng.choice(REGION_PLACES[region])
    pattern = rng.randrange(6)
    if pattern == 0:
        name = f"{word} {surname}"
    elif pattern == 1:
        name = f"{word} {phrase}"
    elif pattern == 2:
        name = f"{word} {surname} & Fils" if categorie in ("TPE", "PME") else f"{surname} {word}"
    elif pattern == 3:
        name = f"{word} {surname} Frères" if categorie in ("TPE", "PME") else f"{word} {bare}"
    elif pattern == 4:
        name = f"{surname} {word}"
    else:
        name = f"{word} {bare}"
    forms = LEGAL_FORMS["BE" if region == "BE" else categorie]
    form = rng.choice(forms)
    if form == " Groupe":
        return f"Groupe {name}"
    return name + form


@dataclass
class SupplierPool:
    """Fictitious companies by trade, drawn so that a few of them win many contracts."""

    by_trade: dict[str, tuple[Supplier, ...]]
    big_by_trade: dict[str, tuple[Supplier, ...]]
    used: dict[str, Supplier] = field(default_factory=dict)

    def pick(
        self, rng: random.Random, trade: str, big: bool = False, exclude: Sequence[Supplier] = ()
    ) -> Supplier:
        candidates = self.big_by_trade[trade] if big and self.big_by_trade[trade] else ()
        if not candidates:
            candidates = self.by_trade[trade]
        for _ in range(8):
            supplier = candidates[int(len(candidates) * rng.random() ** 1.7)]
            if supplier not in exclude:
                break
        else:
            others = [s for s in self.by_trade[trade] if s not in exclude]
            if not others:
                raise ValueError(f"no other company of trade {trade!r}")
            supplier = others[0]
        self.used[supplier.reference] = supplier
        return supplier

    def used_rows(self) -> list[Row]:
        return [self.used[key].row() for key in sorted(self.used)]


def build_pool(rng: random.Random, contracts: int) -> SupplierPool:
    shares = trade_shares()
    total_share = sum(shares.values())
    size = max(len(shares) * 3, round(contracts * 0.3))
    sirets: set[str] = set()
    vats: set[str] = set()
    names: set[str] = set()
    by_trade: dict[str, tuple[Supplier, ...]] = {}
    big_by_trade: dict[str, tuple[Supplier, ...]] = {}
    for trade_key, share in shares.items():
        trade = TRADES[trade_key]
        count = max(3, round(size * share / total_share))
        suppliers: list[Supplier] = []
        for _ in range(count):
            categorie = rng.choices(CATEGORIES, weights=trade.categories)[0]
            draw = rng.random()
            if draw < trade.eu:
                region = "BE"
                ident, type_id, commune = new_belgian_vat(rng, vats), "TVA", None
            else:
                ident, type_id = new_siret(rng, sirets), "SIRET"
                if draw < trade.eu + trade.hdf * (1 - trade.eu):
                    commune = pick(rng, HDF_COMMUNES, HDF_COMMUNE_CUM)
                else:
                    commune = pick(rng, OTHER_COMMUNES, OTHER_COMMUNE_CUM)
                region = commune.region
            for _ in range(12):
                name = company_name(rng, trade, categorie, region)
                if name not in names:
                    break
            names.add(name)
            if commune is None:
                supplier = Supplier(type_id, ident, name, "", "", "", "", "")
            else:
                supplier = Supplier(
                    type_id,
                    ident,
                    name,
                    categorie,
                    commune.code,
                    commune.nom,
                    commune.departement,
                    commune.region,
                )
            suppliers.append(supplier)
        by_trade[trade_key] = tuple(suppliers)
        big_by_trade[trade_key] = tuple(s for s in suppliers if s.big)
    return SupplierPool(by_trade, big_by_trade)


# --- Subjects: what is bought, where ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Subject:
    objet: str
    operation: str
    """The object without its lot, for a planned purchase covering every lot."""
    cpv: str
    operation_cpv: str
    """The CPV code of the whole operation (the lot's own code is `cpv`)."""
    service: str
    trade: str
    place: Place
    lot: int
    allotted: bool
    factor: float
    """Cost relative to the family's median (a lot of gros œuvre costs more than painting)."""


FAMILY_CUM = cumulative(family.weight for family in FAMILIES)
TEMPLATE_CUMS: dict[str, tuple[float, ...]] = {
    family.key: cumulative(t.weight for t in family.templates) for family in FAMILIES
}
POLE_CUM = cumulative(commune.weight for commune in POLES)
DEPARTEMENT_CUM = cumulative(DEPARTEMENT_WEIGHTS)
LOT_SEPARATOR = " – lot"


def commune_place(commune: Commune) -> Place:
    return Place(commune.code, "Code commune", commune.nom)


def make_subject(rng: random.Random, family: Family, year: int, texts: dict[str, str]) -> Subject:
    template = pick(rng, family.templates, TEMPLATE_CUMS[family.key])
    values: dict[str, str] = {"annee": str(year)}
    if template.scope == "lycee":
        lycee = rng.choice(LYCEES)
        commune = COMMUNES_BY_CODE[lycee.commune]
        values["lycee"] = f"{lycee.nom} à {commune.nom}"
        place = commune_place(commune)
    elif template.scope == "commune":
        commune = pick(rng, POLES, POLE_CUM)
        values["ville"] = commune.nom
        values["de_ville"] = ("d'" if commune.nom[0] in "AEIOUÉ" else "de ") + commune.nom
        place = commune_place(commune)
    elif template.scope == "departement":
        departement = pick(rng, DEPARTEMENTS, DEPARTEMENT_CUM)
        values["departement"] = departement.phrase
        place = Place(departement.code, "Code département", departement.nom)
    elif template.scope == "region":
        place = REGION_PLACE
    else:
        place = commune_place(COMMUNES_BY_CODE[template.scope])
    lot = 0
    factor = 1.0
    if template.allotted:
        index = rng.randrange(template.skip, len(family.lots))
        chosen = family.lots[index]
        lot = index - template.skip + 1
        values["lot"] = str(lot)
        values["corps"] = chosen.label
        code, trade, factor = chosen.cpv, chosen.trade, chosen.factor
    else:
        code = rng.choice(template.cpvs)
        trade = template.trade or family.trade
    if "{n}" in template.text:
        lot = rng.randint(1, 6)
        values["n"] = str(lot)
    if "{num}" in template.text:
        values["num"] = str(rng.randint(100, 699))
    objet = template.text.format(**values)
    operation = template.text.split(LOT_SEPARATOR)[0].format(**values)
    return Subject(
        texts.setdefault(objet, objet),
        texts.setdefault(operation, operation),
        code,
        template.cpvs[0] if template.allotted else code,
        template.service or family.service,
        trade,
        place,
        lot,
        LOT_SEPARATOR in template.text,
        factor,
    )


# --- Rules shared by contracts and planned purchases --------------------------------------------


def ccag_for(code: str) -> str:
    division = code[:2]
    if division == "45":
        return "Travaux"
    if code.startswith("712"):
        return "Maitrise d'œuvre"
    if division in ("30", "48", "72"):
        return "Techniques de l'information et de la communication"
    if division in ("73", "79"):
        return "Prestations intellectuelles"
    return "Fournitures courantes et services"


def draw_amount(rng: random.Random, median: float, sigma: float) -> float:
    """A log-normal amount of at least the DECP threshold (€ HT)."""
    for _ in range(50):
        value = median * AMOUNT_SCALE * math.exp(rng.gauss(0.0, sigma))
        if value >= v.SEUIL_DECP_EUROS:
            return min(value, MAX_AMOUNT)
    return float(v.SEUIL_DECP_EUROS)


def round_to(value: float, step: float) -> float:
    return max(float(v.SEUIL_DECP_EUROS), round(value / step) * step)


def draw_procedure(rng: random.Random, family: Family, subject: Subject, amount: float) -> str:
    """A procedure consistent with the 2024 thresholds.

    The lots of a large operation follow the operation's total, so they are formal even when
    one lot alone is below the works threshold.
    """
    threshold = SEUIL_TRAVAUX if family.works else SEUIL_FOURNITURES_SERVICES
    formal = amount >= threshold or (family.key == "grands-travaux" and subject.allotted)
    draw = rng.random()
    if formal:
        if draw < 0.76:
            return "Appel d'offres ouvert"
        if draw < 0.87:
            return "Appel d'offres restreint"
        if draw < 0.92:
            return "Procédure avec négociation"
        if draw < 0.95 or family.key not in ("grands-travaux", "services-numeriques"):
            return "Marché passé sans publicité ni mise en concurrence préalable"
        return "Dialogue compétitif"
    if draw < 0.88:
        return "Procédure adaptée"
    if draw < 0.93:
        return "Appel d'offres ouvert"
    if draw < 0.97:
        return "Marché passé sans publicité ni mise en concurrence préalable"
    return "Procédure avec négociation"


ENVIRONMENT_BY_YEAR = {2022: 0.65, 2023: 0.75, 2024: 0.85, 2025: 0.92, 2026: 0.96}
SOCIAL_BY_YEAR = {2022: 0.26, 2023: 0.28, 2024: 0.3, 2025: 0.32, 2026: 0.34}
ADVANCE_BY_YEAR = {2022: 0.44, 2023: 0.48, 2024: 0.52, 2025: 0.55, 2026: 0.58}
SINGLE_OFFER_BY_YEAR = {2022: 0.13, 2023: 0.125, 2024: 0.12, 2025: 0.11, 2026: 0.105}
MISSING_BY_YEAR = {2022: 1.6, 2023: 1.3, 2024: 1.0, 2025: 0.7, 2026: 0.5}
"""How often optional fields are left empty, relative to 2024 (completeness improves)."""
YEAR_ACTIVITY = {2022: 0.96, 2023: 1.0, 2024: 1.03, 2025: 1.01}


def by_year(table: Mapping[int, float], year: int) -> float:
    if year in table:
        return table[year]
    return table[min(table)] if year < min(table) else table[max(table)]


def draw_environment(rng: random.Random, share: float) -> str:
    if rng.random() >= min(0.995, max(0.0, share)):
        return v.PAS_DE_CONSIDERATION_ENVIRONNEMENTALE
    draw = rng.random()
    if draw < 0.5:
        return "Clause environnementale"
    if draw < 0.7:
        return "Critère environnemental"
    return join(
        ("Clause environnementale", "Critère environnemental"), v.CONSIDERATIONS_ENVIRONNEMENTALES
    )


def draw_social(rng: random.Random, share: float, reserve: float) -> str:
    if rng.random() < reserve:
        return "Marché réservé"
    if rng.random() >= min(0.9, share):
        return v.PAS_DE_CONSIDERATION_SOCIALE
    draw = rng.random()
    if draw < 0.7:
        return "Clause sociale"
    if draw < 0.85:
        return "Critère social"
    return join(("Clause sociale", "Critère social"), v.CONSIDERATIONS_SOCIALES)


# --- Contracts ----------------------------------------------------------------------------------

HOLIDAYS = ((1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25))
MONTH_WEIGHTS = (0.8, 0.9, 1.0, 1.0, 0.9, 1.15, 1.25, 0.45, 1.0, 1.05, 1.05, 1.45)
OFFERS = tuple(range(2, 13))
OFFER_CUM = cumulative((17, 18, 15, 11, 8, 5, 4, 2, 1.5, 1, 0.5))
INT_TEXT = tuple(str(i) for i in range(400))
SUBSEQUENT_SHARE = 0.08
MODIFIED_SHARE = 0.105
"""Share of contracts drawn for modifications (a few, notified late, get none)."""
LINK_SHARE = 0.034
"""Share of recent contracts that an « attribué » upcoming purchase points to."""
AVANCE_RATES = (0.05, 0.15, 0.2, 0.3)


def int_text(value: int) -> str:
    return INT_TEXT[value] if 0 <= value < len(INT_TEXT) else str(value)


def largest_remainder(total: int, weights: Sequence[float]) -> list[int]:
    """Integer counts summing to `total`, proportional to `weights` (ties go to the first)."""
    quotas = [total * weight / sum(weights) for weight in weights]
    counts = [math.floor(quota) for quota in quotas]
    order = sorted(range(len(weights)), key=lambda i: (counts[i] - quotas[i], i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def family_sequence(rng: random.Random, count: int) -> list[Family]:
    """The families of a year's contracts: exact shares, in random order."""
    counts = largest_remainder(count, [family.weight for family in FAMILIES])
    sequence = [family for family, n in zip(FAMILIES, counts, strict=True) for _ in range(n)]
    rng.shuffle(sequence)
    return sequence


@dataclass(frozen=True)
class YearPlan:
    year: int
    count: int
    last_day: date


def plan_years(total: int, reference_date: date) -> list[YearPlan]:
    """Share `total` contracts between years by activity and days (largest remainder)."""
    if reference_date.year < FIRST_YEAR:
        raise ValueError(f"reference_date must be in {FIRST_YEAR} or later")
    last = reference_date - timedelta(days=5)
    years = list(range(FIRST_YEAR, last.year + 1))
    weights: list[float] = []
    ends: list[date] = []
    for year in years:
        end = min(date(year, 12, 31), last)
        ends.append(end)
        days = (end - date(year, 1, 1)).days + 1
        weights.append(by_year(YEAR_ACTIVITY, year) * days / 365)
    counts = largest_remainder(total, weights)
    return [
        YearPlan(year, count, end) for year, count, end in zip(years, counts, ends, strict=True)
    ]


def working_days(year: int, last_day: date) -> tuple[list[date], tuple[float, ...]]:
    days: list[date] = []
    weights: list[float] = []
    day = date(year, 1, 1)
    while day <= last_day:
        if day.weekday() < 5 and (day.month, day.day) not in HOLIDAYS:
            days.append(day)
            weights.append(MONTH_WEIGHTS[day.month - 1])
        day += timedelta(days=1)
    return days, cumulative(weights)


@dataclass(frozen=True, slots=True)
class Modification:
    id: int
    date_notification: date
    date_publication: date
    montant: float | None
    duree: int | None
    titulaires: tuple[Supplier, ...] | None


@dataclass(slots=True)
class Framework:
    """A framework agreement run by marchés subséquents, which later contracts may refer to."""

    id: str
    subject: Subject
    procedure: str
    amount: float
    end: date
    suppliers: tuple[Supplier, ...]
    issued: int = 0


@dataclass(slots=True)
class Contract:
    uid: str
    id: str
    family: Family
    subject: Subject
    objet: str
    nature: str
    techniques: str
    modalites: str
    id_accord_cadre: str
    innovant: bool
    offres: int
    avance: bool
    taux_avance: str
    groupement: str
    sous_traitance: bool
    procedure: str
    duree: int
    notification: date
    publication: date
    montant: float
    types_prix: str
    forme_prix: str
    origine_ue: str
    origine_france: str
    social: str
    environment: str
    titulaires: tuple[Supplier, ...]
    modifications: tuple[Modification, ...]
    missing: frozenset[str]

    @property
    def current_amount(self) -> float:
        for modification in reversed(self.modifications):
            if modification.montant is not None:
                return modification.montant
        return self.montant

    @property
    def current_duration(self) -> int:
        for modification in reversed(self.modifications):
            if modification.duree is not None:
                return modification.duree
        return self.duree

    @property
    def current_suppliers(self) -> tuple[Supplier, ...]:
        for modification in reversed(self.modifications):
            if modification.titulaires is not None:
                return modification.titulaires
        return self.titulaires


@dataclass
class Generator:
    """Draws the contracts one after the other; everything random goes through `rng`."""

    rng: random.Random
    reference_date: date
    pool: SupplierPool
    id_width: int
    texts: dict[str, str] = field(default_factory=dict)
    dates: dict[date, str] = field(default_factory=dict)
    frameworks: dict[str, deque[Framework]] = field(default_factory=dict)
    links: list[Contract] = field(default_factory=list)
    link_credit: float = 0.0

    def iso(self, day: date) -> str:
        text = self.dates.get(day)
        if text is None:
            text = self.dates[day] = day.isoformat()
        return text

    def contracts(self, plans: Sequence[YearPlan]) -> Iterator[Contract]:
        link_from = date(self.reference_date.year - 1, 9, 1)
        link_to = self.reference_date - timedelta(days=20)
        for plan in plans:
            days, cum = working_days(plan.year, plan.last_day)
            notified = sorted(self.rng.choices(days, cum_weights=cum, k=plan.count))
            families = family_sequence(self.rng, plan.count)
            for seq, (day, family) in enumerate(zip(notified, families, strict=True), start=1):
                contract = self.contract(family, plan.year, seq, day)
                if (
                    link_from <= day <= link_to
                    and not contract.id_accord_cadre
                    and "codeCPV" not in contract.missing
                ):
                    # Every 1/LINK_SHARE-th eligible contract, from a random starting point.
                    self.link_credit += LINK_SHARE
                    if self.link_credit >= 1:
                        self.link_credit -= 1
                        self.links.append(contract)
                yield contract

    def contract(self, family: Family, year: int, seq: int, notification: date) -> Contract:
        rng = self.rng
        ident = f"{year}{seq:0{self.id_width}d}"
        parent = self.parent(family, notification)
        nature = "Marché"
        if parent is not None:
            parent.issued += 1
            subject = parent.subject
            objet = self.text(f"{parent.subject.objet} – marché subséquent n° {parent.issued}")
            drawn = draw_amount(rng, family.median * 0.45, family.sigma)
            # A marché subséquent stays within its framework agreement's maximum.
            amount = round(max(v.SEUIL_DECP_EUROS, min(drawn, parent.amount * 0.8)), 2)
            procedure = parent.procedure
            techniques, modalites = "Sans objet", "Sans objet"
            framework = False
        else:
            subject = make_subject(rng, family, year, self.texts)
            objet = subject.objet
            framework = rng.random() < family.accord_cadre
            amount = draw_amount(rng, family.median * subject.factor, family.sigma)
            amount = round_to(amount, 10_000) if framework else round(amount, 2)
            procedure = draw_procedure(rng, family, subject, amount)
            techniques, modalites = "Sans objet", "Sans objet"
            if framework:
                techniques = "Accord-cadre"
                subsequent = rng.random() < family.subsequents
                modalites = "Marchés subséquents" if subsequent else "Bons de commande"
            elif (
                family.key == "maitrise-oeuvre"
                and amount >= SEUIL_FOURNITURES_SERVICES
                and rng.random() < 0.5
            ):
                techniques = "Concours"
                procedure = "Marché passé sans publicité ni mise en concurrence préalable"
            elif family.works or family.key == "maitrise-oeuvre":
                modalites = "Tranches" if rng.random() < 0.12 else "Sans objet"
            if family.key == "grands-travaux" and rng.random() < 0.05:
                nature = "Marché de partenariat"
        durations = family.durations
        if framework:
            durations = tuple(d for d in durations if d <= 48) or durations
        duree = rng.choice(durations)
        if parent is not None:
            duree = min(duree, 24)
        offres = self.offers(year, procedure)
        avance = rng.random() < by_year(ADVANCE_BY_YEAR, year)
        taux = ""
        if avance:
            draw = rng.random()
            taux = (
                "0.1"
                if draw < 0.75
                else "0"
                if draw < 0.83
                else format_ratio(rng.choice(AVANCE_RATES))
            )
        types_prix, forme_prix = self.prices(family, framework, modalites, duree)
        origine_ue = origine_france = ""
        if family.origin and rng.random() < 0.9:
            ue = round(rng.uniform(0.55, 1.0), 2)
            origine_ue = format_ratio(ue)
            origine_france = format_ratio(round(ue * rng.uniform(0.35, 0.95), 2))
        environment = draw_environment(rng, by_year(ENVIRONMENT_BY_YEAR, year) + family.environment)
        social = draw_social(rng, by_year(SOCIAL_BY_YEAR, year) * family.social, family.reserve)
        if parent is not None:
            # A marché subséquent goes to one of the framework agreement's holders.
            suppliers: tuple[Supplier, ...] = (rng.choice(parent.suppliers),)
        else:
            suppliers = self.suppliers(subject.trade, amount, family)
        if modalites == "Marchés subséquents":
            end = add_months(notification, duree)
            self.frameworks.setdefault(family.key, deque(maxlen=40)).append(
                Framework(ident, subject, procedure, amount, end, suppliers)
            )
        grouping = "Pas de groupement"
        if len(suppliers) > 1:
            solidaire = rng.random() < (0.25 if family.key == "maitrise-oeuvre" else 0.4)
            grouping = "Solidaire" if solidaire else "Conjoint"
        publication = self.publication(notification)
        modifications = self.modifications(notification, amount, duree, suppliers, subject.trade)
        missing = self.missing(year)
        return Contract(
            uid=BUYER_SIRET + ident,
            id=ident,
            family=family,
            subject=subject,
            objet=objet,
            nature=nature,
            techniques=techniques,
            modalites=modalites,
            id_accord_cadre=parent.id if parent is not None else "",
            innovant=rng.random() < family.innovant,
            offres=offres,
            avance=avance,
            taux_avance=taux,
            groupement=grouping,
            sous_traitance=rng.random() < family.sous_traitance,
            procedure=procedure,
            duree=duree,
            notification=notification,
            publication=publication,
            montant=amount,
            types_prix=types_prix,
            forme_prix=forme_prix,
            origine_ue=origine_ue,
            origine_france=origine_france,
            social=social,
            environment=environment,
            titulaires=suppliers,
            modifications=modifications,
            missing=missing,
        )

    def text(self, value: str) -> str:
        return self.texts.setdefault(value, value)

    def parent(self, family: Family, notification: date) -> Framework | None:
        """A running framework agreement of the same family, for a marché subséquent."""
        frameworks = self.frameworks.get(family.key)
        if not frameworks or self.rng.random() >= SUBSEQUENT_SHARE:
            return None
        framework = frameworks[self.rng.randrange(len(frameworks))]
        return framework if notification <= framework.end else None

    def offers(self, year: int, procedure: str) -> int:
        rng = self.rng
        if procedure == "Marché passé sans publicité ni mise en concurrence préalable":
            return 1 if rng.random() < 0.85 else 2
        if procedure == "Procédure avec négociation":
            return rng.randint(1, 4)
        if rng.random() < by_year(SINGLE_OFFER_BY_YEAR, year):
            return 1
        return pick(rng, OFFERS, OFFER_CUM)

    def prices(
        self, family: Family, framework: bool, modalites: str, duree: int
    ) -> tuple[str, str]:
        rng = self.rng
        draw = rng.random()
        if duree <= 12 and not framework:
            types = ["Définitif ferme" if draw < 0.55 else "Définitif actualisable"]
        else:
            types = [
                "Définitif révisable"
                if draw < 0.85
                else "Définitif actualisable"
                if draw < 0.95
                else "Définitif ferme"
            ]
        if family.key == "maitrise-oeuvre" and rng.random() < 0.35:
            types.append("Provisoire")
        if framework and modalites == "Bons de commande":
            forme = "Unitaire" if rng.random() < 0.85 else "Mixte"
        else:
            forme = rng.choices(v.FORMES_PRIX, weights=family.formes)[0]
        return join(types, v.TYPES_PRIX), forme

    def suppliers(self, trade: str, amount: float, family: Family) -> tuple[Supplier, ...]:
        rng = self.rng
        big = amount >= 1_500_000 and rng.random() < 0.65
        first = self.pool.pick(rng, trade, big)
        if rng.random() >= family.groupement:
            return (first,)
        size = rng.choices((2, 3, 4), weights=(70, 22, 8))[0]
        size = min(size, len(self.pool.by_trade[trade]))
        chosen = [first]
        for _ in range(size - 1):
            chosen.append(self.pool.pick(rng, trade, exclude=chosen))
        return tuple(chosen)

    def publication(self, notification: date) -> date:
        rng = self.rng
        draw = rng.random()
        if draw < 0.03:
            delay = rng.randint(62, 150)
        elif draw < 0.10:
            delay = rng.randint(51, 58)
        else:
            delay = 5 + int(45 * rng.random() ** 1.5)
        latest = (self.reference_date - notification).days
        if delay > latest:
            delay = rng.randint(min(5, latest), latest)
        return notification + timedelta(days=delay)

    def modifications(
        self,
        notification: date,
        amount: float,
        duree: int,
        suppliers: tuple[Supplier, ...],
        trade: str,
    ) -> tuple[Modification, ...]:
        rng = self.rng
        if rng.random() >= MODIFIED_SHARE:
            return ()
        count = rng.choices((1, 2, 3), weights=(70, 22, 8))[0]
        start = notification + timedelta(days=45)
        end = min(add_months(notification, duree), self.reference_date - timedelta(days=10))
        span = (end - start).days
        if span < count:
            return ()
        days = sorted(start + timedelta(days=rng.randrange(span + 1)) for _ in range(count))
        result: list[Modification] = []
        current_amount, current_duree, current = amount, duree, suppliers
        for number, day in enumerate(days, start=1):
            new_amount: float | None = None
            new_duree: int | None = None
            new_suppliers: tuple[Supplier, ...] | None = None
            if rng.random() < 0.35:
                current_duree = current_duree + rng.choice((1, 2, 3, 4, 6, 6, 12))
                new_duree = current_duree
            if rng.random() < 0.03 and len(self.pool.by_trade[trade]) > len(current):
                replacement = self.pool.pick(rng, trade, exclude=current)
                current = (replacement, *current[1:])
                new_suppliers = current
            if (new_duree is None and new_suppliers is None) or rng.random() < 0.75:
                current_amount = round(current_amount * rng.uniform(1.02, 1.2), 2)
                new_amount = current_amount
            latest = (self.reference_date - day).days
            published = day + timedelta(days=min(rng.randint(3, 40), latest))
            result.append(
                Modification(number, day, published, new_amount, new_duree, new_suppliers)
            )
        return tuple(result)

    def missing(self, year: int) -> frozenset[str]:
        """Optional fields left empty, as real data sometimes are."""
        rng = self.rng
        factor = by_year(MISSING_BY_YEAR, year)
        if rng.random() >= 0.03 * factor:
            return frozenset()
        return frozenset(
            rng.choices(
                ("codeCPV", "lieuExecution", "formePrix", "nature", "dureeMois", "procedure"),
                weights=(40, 25, 15, 8, 7, 5),
            )
        )


# --- Rows ---------------------------------------------------------------------------------------

MARCHES = c.dataset("marches")
MODIFICATIONS = c.dataset("modifications")
ACHATS = c.dataset("achats-a-venir")


FIELD_NAMES: dict[str, tuple[str, ...]] = {ds.name: ds.field_names for ds in c.DATASETS}
"""Computed once: `Dataset.field_names` rebuilds its tuple on every call."""


def ordered(dataset: c.Dataset, values: Mapping[str, str]) -> Row:
    return tuple(values[name] for name in FIELD_NAMES[dataset.name])


def marche_row(contract: Contract, iso: Callable[[date], str]) -> Row:
    missing = contract.missing
    subject = contract.subject
    code = subject.cpv
    ccag = ccag_for(code)
    place = subject.place
    return ordered(
        MARCHES,
        {
            "uid": contract.uid,
            "id": contract.id,
            "acheteur_id": BUYER_SIRET,
            "acheteur_service_id": subject.service,
            "nature": "" if "nature" in missing else contract.nature,
            "objet": contract.objet,
            "codeCPV": "" if "codeCPV" in missing else code,
            "techniques": contract.techniques,
            "modalitesExecution": contract.modalites,
            "idAccordCadre": contract.id_accord_cadre,
            "marcheInnovant": format_bool(contract.innovant),
            "ccag": ccag,
            "offresRecues": int_text(contract.offres),
            "attributionAvance": format_bool(contract.avance),
            "tauxAvance": contract.taux_avance,
            "typeGroupementOperateurs": contract.groupement,
            "sousTraitanceDeclaree": format_bool(contract.sous_traitance),
            "procedure": "" if "procedure" in missing else contract.procedure,
            "lieuExecution_code": "" if "lieuExecution" in missing else place.code,
            "lieuExecution_typeCode": "" if "lieuExecution" in missing else place.type_code,
            "dureeMois": "" if "dureeMois" in missing else int_text(contract.current_duration),
            "dateNotification": iso(contract.notification),
            "datePublicationDonnees": iso(contract.publication),
            "montant": format_amount(contract.current_amount),
            "typesPrix": contract.types_prix,
            "formePrix": "" if "formePrix" in missing else contract.forme_prix,
            "origineUE": contract.origine_ue,
            "origineFrance": contract.origine_france,
            "considerationsSociales": contract.social,
            "considerationsEnvironnementales": contract.environment,
        },
    )


def marche_titulaire_rows(contract: Contract) -> list[Row]:
    return [(contract.uid, s.type_id, s.id) for s in contract.current_suppliers]


def modification_rows(contract: Contract, iso: Callable[[date], str]) -> list[Row]:
    rows: list[Row] = []
    for modification in contract.modifications:
        suppliers = modification.titulaires
        rows.append(
            ordered(
                MODIFICATIONS,
                {
                    "uid": contract.uid,
                    "modification_id": int_text(modification.id),
                    "dateNotificationModification": iso(modification.date_notification),
                    "datePublicationDonneesModification": iso(modification.date_publication),
                    "montant": ""
                    if modification.montant is None
                    else format_amount(modification.montant),
                    "dureeMois": "" if modification.duree is None else int_text(modification.duree),
                    "titulaires": ""
                    if suppliers is None
                    else v.MULTI_SEPARATOR.join(s.reference for s in suppliers),
                },
            )
        )
    return rows


def service_rows() -> list[Row]:
    return [(service.id, service.nom, service.description) for service in SERVICES]


# --- Declared indicators ------------------------------------------------------------------------

DECLARED: tuple[tuple[str, str, tuple[tuple[int, str, str], ...]], ...] = (
    (
        "delai-paiement",
        "Logiciel financier de la Région, mandats payés dans l'année",
        (
            (2022, "34.2", "Délai global de paiement moyen, pondéré par le nombre de factures."),
            (2023, "31.6", ""),
            (
                2024,
                "29.1",
                "Passage sous l'objectif de 30 jours grâce à la facturation électronique.",
            ),
            (2025, "27.4", ""),
        ),
    ),
    (
        "part-egalim",
        "Direction des lycées, suivi des achats des cuisines",
        (
            (2022, "38.4", ""),
            (2023, "43.9", ""),
            (2024, "49.2", "Dont 21,3 % de produits issus de l'agriculture biologique."),
            (2025, "54.7", "Dont 24,8 % de produits issus de l'agriculture biologique."),
        ),
    ),
    (
        "heures-insertion",
        "Facilitateurs des clauses sociales, bilan annuel",
        (
            (2022, "110250", ""),
            (2023, "131800", ""),
            (
                2024,
                "152400",
                "Chantiers de rénovation des lycées pour près de la moitié des heures.",
            ),
            (2025, "174900", ""),
        ),
    ),
    (
        "economies-achats",
        "Direction des achats, calcul des gains achats",
        (
            (2022, "3050000.00", "Gains calculés par rapport au coût de référence historique."),
            (2023, "4120000.00", ""),
            (2024, "5380000.00", ""),
            (2025, "6470000.00", "Dont 1,9 M€ sur la fourniture d'énergie."),
        ),
    ),
    (
        "taux-dematerialisation",
        "Profil d'acheteur, statistiques annuelles",
        (
            (2022, "82.0", ""),
            (2023, "88.5", "Généralisation de la signature électronique des marchés."),
            (2024, "93.1", ""),
            (2025, "96.8", ""),
        ),
    ),
)


def indicator_rows() -> list[Row]:
    return [
        (indicator, str(year), value, source, comment)
        for indicator, source, values in DECLARED
        for year, value, comment in values
    ]


# --- Upcoming purchases -------------------------------------------------------------------------

PLANNED_PER_CONTRACT = {"prévu": 92 / 2700, "lancé": 20 / 2700, "reporté": 9 / 2700}
ABANDONED_PER_CONTRACT = 6 / 2700


@dataclass
class Purchase:
    """One line of the purchasing programme, before it gets its identifier."""

    year: int
    key: date
    values: dict[str, str]


def planned_amount(
    rng: random.Random, family: Family, values: dict[str, str], factor: float
) -> float:
    amount = draw_amount(rng, family.median * factor, family.sigma)
    if rng.random() < 0.6:
        values["montantEstime"] = format_amount(round_to(amount, 5_000))
    else:
        low = round_to(amount * 0.8, 10_000)
        values["montantEstimeMin"] = format_amount(low)
        values["montantEstimeMax"] = format_amount(round_to(low * rng.uniform(1.4, 2.2), 10_000))
    return amount


def planned_considerations(rng: random.Random, family: Family, values: dict[str, str]) -> None:
    values["considerationsEnvironnementalesPrevues"] = draw_environment(rng, 0.97)
    social = draw_social(rng, 0.38 * family.social, family.reserve * 1.3)
    values["considerationsSocialesPrevues"] = social
    values["marcheReserve"] = format_bool("Marché réservé" in social)


def planned_launch(rng: random.Random, day: date, values: dict[str, str], iso: str) -> None:
    if rng.random() < 0.55:
        values["dateLancementPrevue"] = iso
    else:
        values["trimestreLancementPrevu"] = quarter_code(day)


def purchase_base(
    rng: random.Random, gen: Generator, family: Family, year: int, statut: str
) -> dict[str, str]:
    subject = make_subject(rng, family, year, gen.texts)
    lots = 1
    if subject.allotted:
        lots = rng.randint(4, 11) if family.lots else rng.randint(2, 6)
    values = {name: "" for name in ACHATS.field_names}
    values.update(
        {
            "objet": subject.operation,
            "codeCPV": subject.operation_cpv,
            "categorie": cpv_codes.category(subject.operation_cpv),
            "service_id": subject.service,
            "dureeMoisPrevue": int_text(rng.choice(family.durations)),
            "lieuExecution_code": subject.place.code,
            "lieuExecution_typeCode": subject.place.type_code,
            "lieuExecution_nom": subject.place.nom,
            "nombreLots": int_text(lots),
            "accessiblePME": format_bool(rng.random() < (0.9 if lots > 1 else 0.65)),
            "contact": f"achats-{subject.service}@example.fr",
            "statut": statut,
        }
    )
    amount = planned_amount(rng, family, values, 4.0 if lots > 3 else 1.0)
    values["procedurePrevue"] = draw_procedure(rng, family, subject, amount)
    planned_considerations(rng, family, values)
    return values


def announce_between(rng: random.Random, first: date, last: date) -> date:
    if last <= first:
        return last
    return first + timedelta(days=rng.randrange((last - first).days + 1))


def consultation(rng: random.Random, launch: date) -> str:
    return f"https://marchespublics.example.fr/consultation/{launch.year}-{rng.randint(1000, 9999)}"


def upcoming(rng: random.Random, gen: Generator, contracts: int) -> list[Row]:
    ref = gen.reference_date
    first_announce = date(ref.year - 1, 1, 2)
    purchases: list[Purchase] = []

    def add(year_day: date, values: dict[str, str]) -> None:
        purchases.append(Purchase(year_day.year, year_day, values))

    counts = {statut: round(contracts * rate) for statut, rate in PLANNED_PER_CONTRACT.items()}
    for _ in range(counts["prévu"]):
        family = pick(rng, FAMILIES, FAMILY_CUM)
        day = ref + timedelta(days=rng.randint(7, 548))
        values = purchase_base(rng, gen, family, day.year, "prévu")
        planned_launch(rng, day, values, gen.iso(day))
        values["dateAnnonce"] = gen.iso(
            announce_between(rng, max(first_announce, ref - timedelta(days=240)), ref)
        )
        add(day, values)
    for _ in range(counts["lancé"]):
        family = pick(rng, FAMILIES, FAMILY_CUM)
        launch = ref - timedelta(days=rng.randint(2, 75))
        on_time = rng.random() < 0.6
        planned = launch + timedelta(days=rng.randint(0, 20) if on_time else -rng.randint(35, 150))
        values = purchase_base(rng, gen, family, planned.year, "lancé")
        planned_launch(rng, planned, values, gen.iso(planned))
        announced = announce_between(rng, first_announce, min(planned, launch) - timedelta(days=20))
        values["dateAnnonce"] = gen.iso(announced)
        values["dateLancement"] = gen.iso(launch)
        values["urlConsultation"] = consultation(rng, launch)
        values["dateLimiteRemiseOffres"] = gen.iso(launch + timedelta(days=rng.randint(30, 52)))
        add(planned, values)
    for contract in gen.links:
        add(*awarded(rng, gen, contract, first_announce))
    for _ in range(counts["reporté"]):
        family = pick(rng, FAMILIES, FAMILY_CUM)
        day = ref + timedelta(days=rng.randint(120, 480))
        values = purchase_base(rng, gen, family, day.year, "reporté")
        values["trimestreLancementPrevu"] = quarter_code(day)
        values["dateAnnonce"] = gen.iso(
            announce_between(rng, first_announce, ref - timedelta(days=60))
        )
        add(day, values)
    for _ in range(round(contracts * ABANDONED_PER_CONTRACT)):
        family = pick(rng, FAMILIES, FAMILY_CUM)
        day = ref - timedelta(days=rng.randint(20, 300))
        values = purchase_base(rng, gen, family, day.year, "abandonné")
        planned_launch(rng, day, values, gen.iso(day))
        values["dateAnnonce"] = gen.iso(
            announce_between(rng, first_announce, day - timedelta(days=30))
        )
        add(day, values)
    return number_purchases(purchases)


def awarded(
    rng: random.Random, gen: Generator, contract: Contract, first_announce: date
) -> tuple[date, dict[str, str]]:
    """The programme line of a purchase that became `contract`."""
    subject = contract.subject
    launch = contract.notification - timedelta(days=rng.randint(70, 160))
    deadline = launch + timedelta(days=rng.randint(30, 45))
    late = rng.random() < 0.4 and launch - timedelta(days=30) > first_announce + timedelta(days=30)
    if late:
        planned = max(
            first_announce + timedelta(days=20), launch - timedelta(days=rng.randint(30, 120))
        )
    else:
        planned = launch + timedelta(days=rng.randint(0, 15))
    values = {name: "" for name in ACHATS.field_names}
    estimate = contract.montant * rng.uniform(0.85, 1.2)
    values.update(
        {
            "objet": contract.objet,
            "codeCPV": subject.cpv,
            "categorie": cpv_codes.category(subject.cpv),
            "service_id": subject.service,
            "montantEstime": format_amount(round_to(estimate, 5_000)),
            "dureeMoisPrevue": int_text(contract.duree),
            "procedurePrevue": contract.procedure,
            "lieuExecution_code": subject.place.code,
            "lieuExecution_typeCode": subject.place.type_code,
            "lieuExecution_nom": subject.place.nom,
            "nombreLots": "1",
            "considerationsSocialesPrevues": contract.social,
            "considerationsEnvironnementalesPrevues": contract.environment,
            "marcheReserve": format_bool("Marché réservé" in contract.social),
            "accessiblePME": format_bool(rng.random() < 0.8),
            "contact": f"achats-{subject.service}@example.fr",
            "statut": "attribué",
            "dateLancement": gen.iso(launch),
            "urlConsultation": consultation(rng, launch),
            "dateLimiteRemiseOffres": gen.iso(deadline),
            "uidMarche": contract.uid,
        }
    )
    planned_launch(rng, planned, values, gen.iso(planned))
    announced = announce_between(rng, first_announce, min(planned, launch) - timedelta(days=20))
    values["dateAnnonce"] = gen.iso(announced)
    return planned, values


def number_purchases(purchases: list[Purchase]) -> list[Row]:
    """Give each purchase an id `YEAR-svc-NNN`, numbered by planned date, and sort by id."""
    purchases.sort(
        key=lambda p: (
            p.year,
            SERVICES_BY_ID[p.values["service_id"]].short,
            p.key,
            p.values["objet"],
            p.values["statut"],
            p.values["uidMarche"],
        )
    )
    per_group: dict[tuple[int, str], int] = {}
    for purchase in purchases:
        group = (purchase.year, SERVICES_BY_ID[purchase.values["service_id"]].short)
        per_group[group] = per_group.get(group, 0) + 1
    width = max(3, *(len(str(n)) for n in per_group.values())) if per_group else 3
    counters: dict[tuple[int, str], int] = {}
    rows: list[Row] = []
    for purchase in purchases:
        short = SERVICES_BY_ID[purchase.values["service_id"]].short
        group = (purchase.year, short)
        counters[group] = counters.get(group, 0) + 1
        purchase.values["id"] = f"{purchase.year}-{short}-{counters[group]:0{width}d}"
        rows.append(ordered(ACHATS, purchase.values))
    rows.sort(key=lambda row: row[0])
    return rows


# --- The whole data folder ----------------------------------------------------------------------


@dataclass(frozen=True)
class DemoData:
    """Rows of every dataset, by dataset name, each row in its schema's column order."""

    tables: Mapping[str, tuple[Row, ...]]
    seed: int
    reference_date: date

    def rows(self, name: str) -> tuple[Row, ...]:
        return self.tables[name]

    def header(self, name: str) -> tuple[str, ...]:
        return c.dataset(name).field_names


def generate(
    seed: int = DEFAULT_SEED,
    contracts: int | None = None,
    reference_date: date = DEFAULT_REFERENCE_DATE,
) -> DemoData:
    """Generate the demonstration data: `contracts` contracts in total (default 2 700)."""
    total = DEFAULT_CONTRACTS if contracts is None else contracts
    if total < 1:
        raise ValueError("contracts must be at least 1")
    rng = random.Random(seed)
    plans = plan_years(total, reference_date)
    width = max(4, len(str(max(plan.count for plan in plans))))
    pool = build_pool(rng, total)
    gen = Generator(rng, reference_date, pool, width, link_credit=rng.random())
    marches: list[Row] = []
    marches_titulaires: list[Row] = []
    modifications: list[Row] = []
    for contract in gen.contracts(plans):
        marches.append(marche_row(contract, gen.iso))
        marches_titulaires.extend(marche_titulaire_rows(contract))
        modifications.extend(modification_rows(contract, gen.iso))
    achats = upcoming(rng, gen, total)
    tables: dict[str, tuple[Row, ...]] = {
        "marches": tuple(marches),
        "marches-titulaires": tuple(marches_titulaires),
        "modifications": tuple(modifications),
        "titulaires": tuple(pool.used_rows()),
        "services": tuple(service_rows()),
        "achats-a-venir": tuple(achats),
        "indicateurs-declares": tuple(indicator_rows()),
    }
    return DemoData({ds.name: tables[ds.name] for ds in c.DATASETS}, seed, reference_date)


def write_table(path: Path, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    if len(rows) > STREAM_ROWS:
        writing.write_csv_rows(path, header, rows)
    else:
        writing.write_csv(path, header, rows)


def write_demo(data_dir: Path, seed: int = DEFAULT_SEED, contracts: int | None = None) -> DemoData:
    """Write the demonstration data folder: 7 CSVs, schemas, examples and `datapackage.json`.

    `editeur.yaml` and `politique.yaml` are hand-written and never touched.
    """
    data = generate(seed, contracts)
    for ds in c.DATASETS:
        write_table(data_dir / ds.path, ds.field_names, data.rows(ds.name))
    writing.write_schemas(data_dir)
    for name, rows in example_tables(seed).items():
        ds = c.dataset(name)
        writing.write_csv(data_dir / "schemas" / "exemples" / ds.path, ds.field_names, rows)
    writing.write_data_package(
        data_dir, PACKAGE_NAME, PACKAGE_TITLE, PACKAGE_DESCRIPTION.format(seed=seed)
    )
    return data


# --- Example files of the schemas ---------------------------------------------------------------


def example_tables(seed: int = DEFAULT_SEED) -> dict[str, list[Row]]:
    """3 to 5 rows per dataset, taken from a small generation so that they hold together.

    Each file is valid on its own, and the seven files also form a valid package: the example
    contracts, their suppliers, services and programme lines refer to one another.
    """
    data = generate(seed, EXAMPLE_CONTRACTS)
    col = {name: MARCHES.field_names.index(name) for name in MARCHES.field_names}
    acol = {name: ACHATS.field_names.index(name) for name in ACHATS.field_names}
    by_uid = {row[0]: row for row in data.rows("marches")}
    suppliers_of: dict[str, list[Row]] = {}
    for row in data.rows("marches-titulaires"):
        suppliers_of.setdefault(row[0], []).append(row)
    modifications_of: dict[str, list[Row]] = {}
    for row in data.rows("modifications"):
        modifications_of.setdefault(row[0], []).append(row)

    def alone(uid: str) -> bool:
        return len(suppliers_of[uid]) == 1

    modified = max(
        (uid for uid in sorted(modifications_of) if alone(uid)),
        key=lambda uid: min(len(modifications_of[uid]), 5),
    )
    grouped = next(uid for uid in sorted(suppliers_of) if len(suppliers_of[uid]) == 2)
    achats = data.rows("achats-a-venir")
    awarded_row = next(
        row
        for row in achats
        if row[acol["statut"]] == "attribué"
        and alone(row[acol["uidMarche"]])
        and row[acol["uidMarche"]] not in (modified, grouped)
    )
    linked = awarded_row[acol["uidMarche"]]
    framework = next(
        uid
        for uid, row in by_uid.items()
        if row[col["techniques"]] == "Accord-cadre"
        and alone(uid)
        and uid not in (modified, grouped, linked)
    )
    chosen = sorted((modified, grouped, linked, framework))
    services = {by_uid[uid][col["acheteur_service_id"]] for uid in chosen}
    services.add(awarded_row[acol["service_id"]])

    def first(statut: str, *filled: str) -> Row:
        """The first line with that status and those fields, preferably of a known service."""
        candidates = [
            row
            for row in achats
            if row[acol["statut"]] == statut and all(row[acol[name]] for name in filled)
        ]
        row = next((r for r in candidates if r[acol["service_id"]] in services), candidates[0])
        services.add(row[acol["service_id"]])
        return row

    example_achats = sorted(
        {
            first("prévu", "dateLancementPrevue", "montantEstime"),
            first("prévu", "trimestreLancementPrevu", "montantEstimeMin"),
            first("lancé"),
            awarded_row,
        },
        key=lambda row: row[0],
    )
    example_titulaires_mt = [row for uid in chosen for row in suppliers_of[uid]]
    keys = {(row[1], row[2]) for row in example_titulaires_mt}
    extra = [row[0] for row in data.rows("services") if row[0] not in services]
    services.update(extra[: max(0, 3 - len(services))])
    example_services = [row for row in data.rows("services") if row[0] in services]
    return {
        "marches": [by_uid[uid] for uid in chosen],
        "marches-titulaires": example_titulaires_mt,
        "modifications": modifications_of[modified][:5],
        "titulaires": [row for row in data.rows("titulaires") if (row[0], row[1]) in keys],
        "services": example_services,
        "achats-a-venir": example_achats,
        "indicateurs-declares": [
            row for row in data.rows("indicateurs-declares") if row[1] == "2025"
        ],
    }
