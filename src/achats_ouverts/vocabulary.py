"""Official DECP 2022 vocabulary and the project's own code lists.

Values are copied from the enumerations of the DECP 2022 JSON Schema (arrêtés du 22 décembre 2022),
so that every CSV column keeps the official wording.
"""

from __future__ import annotations

MULTI_SEPARATOR = ", "
"""Separator of multi-valued DECP fields in CSV cells, as in the national tabular files."""

NATURES = ("Marché", "Marché de partenariat", "Marché de défense ou de sécurité")
TECHNIQUES = (
    "Accord-cadre",
    "Concours",
    "Système de qualification",
    "Système d'acquisition dynamique",
    "Catalogue électronique",
    "Enchère électronique",
    "Sans objet",
)
MODALITES_EXECUTION = ("Tranches", "Bons de commande", "Marchés subséquents", "Sans objet")
CCAG = (
    "Travaux",
    "Maitrise d'œuvre",
    "Fournitures courantes et services",
    "Marchés industriels",
    "Prestations intellectuelles",
    "Techniques de l'information et de la communication",
    "Pas de CCAG",
)
GROUPEMENTS = ("Conjoint", "Solidaire", "Pas de groupement")
PROCEDURES = (
    "Procédure adaptée",
    "Appel d'offres ouvert",
    "Appel d'offres restreint",
    "Procédure avec négociation",
    "Marché passé sans publicité ni mise en concurrence préalable",
    "Dialogue compétitif",
)
TYPES_CODE_LIEU = (
    "Code postal",
    "Code commune",
    "Code arrondissement",
    "Code canton",
    "Code département",
    "Code région",
    "Code pays",
)
TYPES_PRIX = ("Définitif ferme", "Définitif actualisable", "Définitif révisable", "Provisoire")
FORMES_PRIX = ("Unitaire", "Forfaitaire", "Mixte")
TYPES_IDENTIFIANT = ("SIRET", "TVA", "TAHITI", "RIDET", "FRWF", "IREP", "HORS-UE")

PAS_DE_CONSIDERATION_SOCIALE = "Pas de considération sociale"
PAS_DE_CONSIDERATION_ENVIRONNEMENTALE = "Pas de considération environnementale"
CONSIDERATIONS_SOCIALES = (
    "Clause sociale",
    "Critère social",
    "Marché réservé",
    PAS_DE_CONSIDERATION_SOCIALE,
)
CONSIDERATIONS_ENVIRONNEMENTALES = (
    "Clause environnementale",
    "Critère environnemental",
    PAS_DE_CONSIDERATION_ENVIRONNEMENTALE,
)

# The project's own lists (no national standard exists for them).
CATEGORIES_ENTREPRISE = ("TPE", "PME", "ETI", "GE")
CATEGORIES_PME = ("TPE", "PME")
CATEGORIES_ACHAT = ("Travaux", "Fournitures", "Services")
STATUTS_ACHAT = ("prévu", "lancé", "attribué", "reporté", "abandonné")
UNITES_INDICATEUR = ("%", "€", "jours", "nombre", "heures", "offres")
SENS_INDICATEUR = ("hausse", "baisse")
TYPES_INDICATEUR = ("calculé", "déclaré")

DELAI_PUBLICATION_JOURS = 61
"""Publication is due within 2 months of notification; 61 days covers every pair of months."""

LA_POSTE_SIREN = "356000000"

DEPARTEMENTS: dict[str, str] = {
    "01": "Ain",
    "02": "Aisne",
    "03": "Allier",
    "04": "Alpes-de-Haute-Provence",
    "05": "Hautes-Alpes",
    "06": "Alpes-Maritimes",
    "07": "Ardèche",
    "08": "Ardennes",
    "09": "Ariège",
    "10": "Aube",
    "11": "Aude",
    "12": "Aveyron",
    "13": "Bouches-du-Rhône",
    "14": "Calvados",
    "15": "Cantal",
    "16": "Charente",
    "17": "Charente-Maritime",
    "18": "Cher",
    "19": "Corrèze",
    "2A": "Corse-du-Sud",
    "2B": "Haute-Corse",
    "21": "Côte-d'Or",
    "22": "Côtes-d'Armor",
    "23": "Creuse",
    "24": "Dordogne",
    "25": "Doubs",
    "26": "Drôme",
    "27": "Eure",
    "28": "Eure-et-Loir",
    "29": "Finistère",
    "30": "Gard",
    "31": "Haute-Garonne",
    "32": "Gers",
    "33": "Gironde",
    "34": "Hérault",
    "35": "Ille-et-Vilaine",
    "36": "Indre",
    "37": "Indre-et-Loire",
    "38": "Isère",
    "39": "Jura",
    "40": "Landes",
    "41": "Loir-et-Cher",
    "42": "Loire",
    "43": "Haute-Loire",
    "44": "Loire-Atlantique",
    "45": "Loiret",
    "46": "Lot",
    "47": "Lot-et-Garonne",
    "48": "Lozère",
    "49": "Maine-et-Loire",
    "50": "Manche",
    "51": "Marne",
    "52": "Haute-Marne",
    "53": "Mayenne",
    "54": "Meurthe-et-Moselle",
    "55": "Meuse",
    "56": "Morbihan",
    "57": "Moselle",
    "58": "Nièvre",
    "59": "Nord",
    "60": "Oise",
    "61": "Orne",
    "62": "Pas-de-Calais",
    "63": "Puy-de-Dôme",
    "64": "Pyrénées-Atlantiques",
    "65": "Hautes-Pyrénées",
    "66": "Pyrénées-Orientales",
    "67": "Bas-Rhin",
    "68": "Haut-Rhin",
    "69": "Rhône",
    "70": "Haute-Saône",
    "71": "Saône-et-Loire",
    "72": "Sarthe",
    "73": "Savoie",
    "74": "Haute-Savoie",
    "75": "Paris",
    "76": "Seine-Maritime",
    "77": "Seine-et-Marne",
    "78": "Yvelines",
    "79": "Deux-Sèvres",
    "80": "Somme",
    "81": "Tarn",
    "82": "Tarn-et-Garonne",
    "83": "Var",
    "84": "Vaucluse",
    "85": "Vendée",
    "86": "Vienne",
    "87": "Haute-Vienne",
    "88": "Vosges",
    "89": "Yonne",
    "90": "Territoire de Belfort",
    "91": "Essonne",
    "92": "Hauts-de-Seine",
    "93": "Seine-Saint-Denis",
    "94": "Val-de-Marne",
    "95": "Val-d'Oise",
    "971": "Guadeloupe",
    "972": "Martinique",
    "973": "Guyane",
    "974": "La Réunion",
    "976": "Mayotte",
}
"""Départements by INSEE code (code officiel géographique), for display."""
