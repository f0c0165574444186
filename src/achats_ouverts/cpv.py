"""CPV 2008 (common procurement vocabulary): the 45 divisions the tool carries, and an optional full
nomenclature read from a configured CSV file (`id,name,parent`, as published with French labels).

The ninth digit of a CPV code cannot be recomputed: the 2008 revision does not follow its own
published algorithm (the EU Publications Office confirmed it), so a check digit is verified against
the configured nomenclature, never computed.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

DIVISIONS: dict[str, str] = {
    "03": "Produits agricoles, de l'élevage, de la pêche, de la sylviculture et produits connexes",
    "09": "Produits pétroliers, combustibles, électricité et autres sources d'énergie",
    "14": "Produits d'exploitation des mines, métaux de base et produits connexes",
    "15": "Produits alimentaires, boissons, tabac et produits connexes",
    "16": "Machines agricoles",
    "18": "Vêtements, articles chaussants, bagages et accessoires",
    "19": "Produits en cuir et textiles, matériaux en plastique et en caoutchouc",
    "22": "Imprimés et produits connexes",
    "24": "Produits chimiques",
    "30": "Machines, matériel et fourniture informatique et de bureau, excepté les meubles et "
    "logiciels",
    "31": "Machines, appareils, équipements et consommables électriques ; éclairage",
    "32": "Équipements et appareils de radio, de télévision, de communication, de "
    "télécommunication et équipements connexes",
    "33": "Matériels médicaux, pharmaceutiques et produits de soins personnels",
    "34": "Équipement de transport et produits auxiliaires pour le transport",
    "35": "Équipement de sécurité, de lutte contre l'incendie, de police et de défense",
    "37": "Instruments de musique, articles de sport, jeux, jouets, articles pour artisanat, "
    "articles pour travaux artistiques et accessoires",
    "38": "Équipements de laboratoire, d'optique et de précision (excepté les lunettes)",
    "39": "Meubles (y compris les meubles de bureau), aménagements, appareils électroménagers "
    "(à l'exclusion de l'éclairage) et produits de nettoyage",
    "41": "Eau collectée et purifiée",
    "42": "Machines industrielles",
    "43": "Équipement minier, équipement pour l'exploitation de carrières, matériel de "
    "construction",
    "44": "Matériaux et structures de construction ; produits auxiliaires pour la construction "
    "(à l'exception des appareils électriques)",
    "45": "Travaux de construction",
    "48": "Logiciels et systèmes d'information",
    "50": "Services de réparation et d'entretien",
    "51": "Services d'installation (à l'exception des logiciels)",
    "55": "Services d'hôtellerie, de restauration et de commerce au détail",
    "60": "Services de transport (à l'exclusion du transport des déchets)",
    "63": "Services d'appui et services auxiliaires dans le domaine des transports, services des "
    "agences de voyages",
    "64": "Services des postes et télécommunications",
    "65": "Services publics",
    "66": "Services financiers et d'assurance",
    "70": "Services immobiliers",
    "71": "Services d'architecture, services de construction, services d'ingénierie et services "
    "d'inspection",
    "72": "Services de technologies de l'information, conseil, développement de logiciels, "
    "internet et appui",
    "73": "Services de recherche et développement et services de conseil connexes",
    "75": "Services de l'administration publique, de la défense et de la sécurité sociale",
    "76": "Services relatifs à l'industrie du pétrole et du gaz",
    "77": "Services agricoles, sylvicoles, horticoles, d'aquaculture et d'apiculture",
    "79": "Services aux entreprises : droit, marketing, conseil, recrutement, impression et "
    "sécurité",
    "80": "Services d'enseignement et de formation",
    "85": "Services de santé et services sociaux",
    "90": "Services d'évacuation des eaux usées et d'élimination des déchets, services "
    "d'hygiénisation et services relatifs à l'environnement",
    "92": "Services récréatifs, culturels et sportifs",
    "98": "Autres services communautaires, sociaux et personnels",
}

CODE_PATTERN = re.compile(r"^([0-9]{8})(?:-([0-9]))?$")


def division(code: str) -> str:
    """The two-digit division of a CPV code ('' when the code is empty)."""
    return code[:2]


def category(code: str) -> str:
    """Travaux (division 45), Services (divisions 50 and above) or Fournitures."""
    div = division(code)
    if not div.isdigit():
        return ""
    if div == "45":
        return "Travaux"
    return "Services" if int(div) >= 50 else "Fournitures"


def division_label(code: str) -> str:
    return DIVISIONS.get(division(code), "")


@dataclass(frozen=True)
class Nomenclature:
    """CPV codes (8 digits) with their check digit, French label and parent."""

    labels: dict[str, str]
    check_digits: dict[str, str]
    parents: dict[str, str]

    def label(self, code: str) -> str:
        return self.labels.get(code[:8]) or division_label(code)

    def __contains__(self, code: str) -> bool:
        return code[:8] in self.labels


def empty_nomenclature() -> Nomenclature:
    return Nomenclature({}, {}, {})


def read_nomenclature(path: Path) -> Nomenclature:
    """Read a CPV list with columns id (`NNNNNNNN-C`), name and parent."""
    labels: dict[str, str] = {}
    checks: dict[str, str] = {}
    parents: dict[str, str] = {}
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            match = CODE_PATTERN.match((row.get("id") or "").strip())
            if not match:
                continue
            code = match.group(1)
            labels[code] = (row.get("name") or "").strip()
            if match.group(2):
                checks[code] = match.group(2)
            parent = CODE_PATTERN.match((row.get("parent") or "").strip())
            if parent:
                parents[code] = parent.group(1)
    return Nomenclature(labels, checks, parents)
