"""Human-edited configuration in the data folder: the publisher (`editeur.yaml`) and the purchasing
policy (`politique.yaml`). Both are read with `yaml.safe_load` semantics and checked field by field;
every problem names the file and the line.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from achats_ouverts import colours
from achats_ouverts import vocabulary as v
from achats_ouverts.datafolder import ranges, yaml_safe
from achats_ouverts.datafolder.problem_codes.configuration import (
    CALCUL_INATTENDU,
    CALCUL_INCONNU,
    CHAMP_MANQUANT,
    CHAMP_VIDE,
    CIBLE_INVALIDE,
    CONFORMITE_SANS_AUDIT,
    CONTRASTE_INSUFFISANT,
    COULEUR_INVALIDE,
    DEPARTEMENT_INVALIDE,
    EMAIL_INVALIDE,
    ENCODAGE_INVALIDE,
    FICHIER_ABSENT,
    FICHIER_ILLISIBLE,
    IDENTIFIANT_DUPLIQUE,
    IDENTIFIANT_INVALIDE,
    INDICATEUR_INCONNU,
    MENTIONS_LEGALES_INCOMPLETES,
    REGION_INVALIDE,
    SIRET_INVALIDE,
    TYPE_INVALIDE,
    URL_INVALIDE,
    VALEUR_NON_AUTORISEE,
    YAML_INVALIDE,
)
from achats_ouverts.datafolder.problem_codes.entries import Code
from achats_ouverts.identifiers import siret_valid
from achats_ouverts.report import Problem, Severity

PUBLISHER_FILE = "editeur.yaml"
POLICY_FILE = "politique.yaml"
ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
EMAIL_PATTERN = re.compile(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+$")

Path_ = tuple[str | int, ...]


# --- YAML with line numbers -------------------------------------------------------------------


@dataclass
class LocatedYaml:
    """A YAML document as plain values, with the line of every mapping key and sequence item."""

    file: str
    data: Any
    lines: dict[Path_, int]

    def line(self, path: Path_) -> int | None:
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), None)


def _construct(node: yaml.Node, path: Path_, lines: dict[Path_, int]) -> Any:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = yaml_safe.scalar(key_node) if key_node.tag else key_node.value
            child = (*path, str(key))
            result[key] = _construct(value_node, child, lines)
            lines[child] = key_node.start_mark.line + 1
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_construct(item, (*path, i), lines) for i, item in enumerate(node.value)]
    return yaml_safe.scalar(node)


def load_located_yaml(path: Path, display: str) -> tuple[LocatedYaml | None, list[Problem]]:
    """Parse a YAML file safely (`yaml_safe`); a syntax error or anything that is not small,
    plain YAML becomes a problem with its line."""
    try:
        text = yaml_safe.read_text(path)
    except yaml_safe.YamlRefused as exc:
        return None, [exc.code.problem(display, exc.line, None, exc.message, exc.fix)]
    except FileNotFoundError:
        fix = "créer le fichier (voir le dossier data/ de la démonstration)"
        return None, [FICHIER_ABSENT.problem(display, None, None, "fichier introuvable", fix)]
    except UnicodeDecodeError as exc:
        return None, [
            ENCODAGE_INVALIDE.problem(
                display,
                text_line_of_offset(exc.object, exc.start),
                None,
                "le fichier n'est pas en UTF-8",
                "l'enregistrer en UTF-8",
            )
        ]
    except OSError as exc:
        return None, [
            FICHIER_ILLISIBLE.problem(
                display,
                None,
                None,
                f"lecture impossible ({exc.strerror or exc})",
                "vérifier le fichier et ses droits de lecture",
            )
        ]
    try:
        node = yaml_safe.compose(text)
        lines: dict[Path_, int] = {}
        data = _construct(node, (), lines) if node is not None else None
    except yaml_safe.YamlRefused as exc:
        return None, [exc.code.problem(display, exc.line, None, exc.message, exc.fix)]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        return None, [
            YAML_INVALIDE.problem(
                display,
                row,
                None,
                f"syntaxe YAML incorrecte : {problem}",
                "vérifier l'indentation (espaces, pas de tabulation) et les deux-points",
            )
        ]
    return LocatedYaml(display, data, lines), []


def text_line_of_offset(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


# --- Field readers ----------------------------------------------------------------------------


class _Reader:
    """Reads typed values out of a LocatedYaml, collecting problems instead of raising."""

    def __init__(self, doc: LocatedYaml) -> None:
        self.doc = doc
        self.problems: list[Problem] = []

    def problem(self, path: Path_, code: Code, message: str, fix: str) -> None:
        name = ".".join(str(part) for part in path) or None
        self.problems.append(code.problem(self.doc.file, self.doc.line(path), name, message, fix))

    def get(self, obj: Any, path: Path_) -> Any:
        value = obj
        for part in path:
            if isinstance(value, dict):
                value = value.get(part)
            elif isinstance(value, list) and isinstance(part, int) and part < len(value):
                value = value[part]
            else:
                return None
        return value

    def text(self, path: Path_, *, required: bool = True, default: str = "") -> str:
        value = self.get(self.doc.data, path)
        if value is None:
            if required:
                self.problem(path, CHAMP_MANQUANT, "champ obligatoire absent", "le renseigner")
            return default
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.problem(path, TYPE_INVALIDE, "un texte est attendu", "écrire une valeur simple")
            return default
        text = str(value).strip()
        if required and not text:
            self.problem(path, CHAMP_VIDE, "champ obligatoire vide", "le renseigner")
        return text

    def flag(self, path: Path_, default: bool) -> bool:
        value = self.get(self.doc.data, path)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.problem(
                path, TYPE_INVALIDE, "« true » ou « false » attendu", "écrire true ou false"
            )
            return default
        return value

    def integer(self, path: Path_, *, required: bool = True) -> int | None:
        value = self.get(self.doc.data, path)
        if value is None:
            if required:
                self.problem(path, CHAMP_MANQUANT, "champ obligatoire absent", "le renseigner")
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(path, TYPE_INVALIDE, "un nombre entier est attendu", "écrire par ex. 2024")
            return None
        return value

    def items(self, path: Path_, *, required: bool = True) -> list[Any]:
        value = self.get(self.doc.data, path)
        if value is None:
            if required:
                self.problem(path, CHAMP_MANQUANT, "liste obligatoire absente", "la renseigner")
            return []
        if not isinstance(value, list):
            self.problem(path, TYPE_INVALIDE, "une liste est attendue", "écrire « - » par élément")
            return []
        return value

    def choice(self, path: Path_, allowed: tuple[str, ...], *, required: bool = True) -> str:
        value = self.text(path, required=required)
        if value and value not in allowed:
            listed = ", ".join(f"« {a} »" for a in allowed)
            self.problem(path, VALEUR_NON_AUTORISEE, f"« {value} » n'est pas autorisé", listed)
        return value

    def identifier(self, path: Path_) -> str:
        value = self.text(path)
        if value and not ID_PATTERN.match(value):
            self.problem(
                path,
                IDENTIFIANT_INVALIDE,
                f"« {value} » n'est pas un identifiant valide",
                "minuscules, chiffres et tirets seulement (ex. « part-pme »)",
            )
        return value


# --- Publisher --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Accessibility:
    """What the accessibility statement (déclaration d'accessibilité, RGAA 4.1) says."""

    etat: str = "non conforme"
    taux: str = ""
    date_audit: str = ""
    audit_par: str = ""
    non_conformites: tuple[str, ...] = ()
    derogations: tuple[str, ...] = ()
    contenus_non_soumis: tuple[str, ...] = ()
    contact: str = ""
    schema_pluriannuel: str = ""


DEFAULT_PRIMARY = "#4051b5"
"""The tool's own colours, when `editeur.yaml` gives none (mkdocs-material's indigo, with the
accent darkened to 4.5:1)."""
DEFAULT_ACCENT = "#3949ab"
LOGO_EXTENSIONS = (".svg", ".png")
LOGO_MAX_BYTES = 200 * 1024


@dataclass(frozen=True)
class Identity:
    """The buyer's colours and logo (`identite` in `editeur.yaml`): the header and links in
    `principale`, hovered links and focus in `accent`, each at 4.5:1 at least against white; the
    logo a file of the data folder (empty: the tool's own)."""

    principale: str = DEFAULT_PRIMARY
    accent: str = DEFAULT_ACCENT
    logo: str = ""


@dataclass(frozen=True)
class Publisher:
    nom: str
    siret: str
    region_code: str
    region_nom: str
    departements: tuple[str, ...]
    url_site: str
    email: str
    adresse: str = ""
    demo: bool = False
    directeur_publication: str = ""
    hebergeur: str = ""
    nomenclature_cpv: str = ""
    ocid_prefixe: str = ""
    marches_sous_seuil_publies: bool = False
    """The buyer publishes contracts below the DECP threshold on purpose: validation counts them
    in one line instead of warning about each."""
    acheteur_central: bool = False
    """The buyer is a central government authority (annex 2 of the code de la commande
    publique): the EU threshold of its supplies and services is the lower one."""
    accessibilite: Accessibility = field(default_factory=Accessibility)
    identite: Identity = field(default_factory=Identity)


ACCESSIBILITY_STATES = ("non conforme", "partiellement conforme", "totalement conforme")


def read_publisher(doc: LocatedYaml) -> tuple[Publisher | None, list[Problem]]:
    r = _Reader(doc)
    if not isinstance(doc.data, dict):
        r.problem((), TYPE_INVALIDE, "le fichier doit contenir des champs « nom: valeur »", "")
        return None, r.problems
    siret = r.text(("siret",))
    if siret and not siret_valid(siret):
        r.problem(
            ("siret",),
            SIRET_INVALIDE,
            f"« {siret} » n'est pas un SIRET valide (14 chiffres et une clé de contrôle juste)",
            "recopier le SIRET de l'acheteur depuis annuaire-entreprises.data.gouv.fr",
        )
    url = r.text(("url_site",))
    if url and not (url.endswith("/") and ranges.WEB_ADDRESS.fullmatch(url)):
        r.problem(
            ("url_site",),
            URL_INVALIDE,
            f"« {url} » n'est pas une adresse http(s) terminée par « / » (sans espace, "
            "guillemet, accolade, « ^ » ni « \\ »)",
            "écrire par ex. https://achats.example.fr/",
        )
    email = r.text(("contact", "email"))
    if email and not EMAIL_PATTERN.match(email):
        r.problem(("contact", "email"), EMAIL_INVALIDE, f"« {email} » invalide", "nom@domaine.fr")
    departements = tuple(str(d) for d in r.items(("departements",)))
    for i, dep in enumerate(departements):
        if not re.match(r"^([0-9]{2}|2A|2B|97[1-8])$", dep):
            r.problem(
                ("departements", i),
                DEPARTEMENT_INVALIDE,
                f"« {dep} » n'est pas un code de département",
                'écrire le code entre guillemets, par ex. "02"',
            )
    region_code = r.text(("region", "code"))
    if region_code and not re.match(r"^[0-9]{2}$", region_code):
        r.problem(("region", "code"), REGION_INVALIDE, "2 chiffres attendus", 'ex. "32"')
    etat = r.choice(("accessibilite", "etat"), ACCESSIBILITY_STATES, required=False)

    def texts(key: str) -> tuple[str, ...]:
        return tuple(str(x) for x in r.items(("accessibilite", key), required=False))

    a11y = Accessibility(
        etat=etat or "non conforme",
        taux=r.text(("accessibilite", "taux"), required=False),
        date_audit=r.text(("accessibilite", "date_audit"), required=False),
        audit_par=r.text(("accessibilite", "audit_par"), required=False),
        non_conformites=texts("non_conformites"),
        derogations=texts("derogations"),
        contenus_non_soumis=texts("contenus_non_soumis"),
        contact=r.text(("accessibilite", "contact"), required=False),
        schema_pluriannuel=r.text(("accessibilite", "schema_pluriannuel"), required=False),
    )
    if a11y.contact and not EMAIL_PATTERN.match(a11y.contact):
        r.problem(
            ("accessibilite", "contact"),
            EMAIL_INVALIDE,
            f"« {a11y.contact} » n'est pas une adresse électronique",
            "nom@domaine.fr",
        )
    if a11y.schema_pluriannuel and not ranges.WEB_ADDRESS.fullmatch(a11y.schema_pluriannuel):
        r.problem(
            ("accessibilite", "schema_pluriannuel"),
            URL_INVALIDE,
            f"« {a11y.schema_pluriannuel} » n'est pas une adresse http(s)",
            "écrire l'adresse complète, par ex. https://www.example.fr/accessibilite/schema.pdf",
        )
    if a11y.etat != "non conforme" and not (a11y.taux and a11y.date_audit):
        r.problem(
            ("accessibilite", "etat"),
            CONFORMITE_SANS_AUDIT,
            f"état « {a11y.etat} » déclaré sans taux ni date d'audit",
            "sans audit RGAA, déclarer « non conforme » ; sinon renseigner taux et date_audit",
        )
    for key, what in (
        ("directeur_publication", "directeur de la publication"),
        ("hebergeur", "hébergeur"),
    ):
        if not r.text((key,), required=False):
            r.problem(
                (key,),
                MENTIONS_LEGALES_INCOMPLETES,
                f"{what} non renseigné : les mentions légales l'exigent",
                f"renseigner « {key} » dans editeur.yaml",
            )
    identity = Identity(
        principale=read_colour(r, "couleur_principale", DEFAULT_PRIMARY),
        accent=read_colour(r, "couleur_accent", DEFAULT_ACCENT),
        logo=r.text(("identite", "logo"), required=False),
    )
    publisher = Publisher(
        nom=r.text(("nom",)),
        siret=siret,
        region_code=region_code,
        region_nom=r.text(("region", "nom")),
        departements=departements,
        url_site=url,
        email=email,
        adresse=r.text(("contact", "adresse"), required=False),
        demo=r.flag(("demo",), False),
        directeur_publication=r.text(("directeur_publication",), required=False),
        hebergeur=r.text(("hebergeur",), required=False),
        nomenclature_cpv=r.text(("nomenclature_cpv",), required=False),
        ocid_prefixe=r.text(("ocid_prefixe",), required=False),
        marches_sous_seuil_publies=r.flag(("marches_sous_seuil_publies",), False),
        acheteur_central=r.flag(("acheteur_central",), False),
        accessibilite=a11y,
        identite=identity,
    )
    blocking = any(p.severity == Severity.ERROR for p in r.problems)
    return (None if blocking else publisher), r.problems


def read_colour(r: _Reader, key: str, default: str) -> str:
    """A colour of `identite`: `#rrggbb`, at 4.5:1 at least against white, both ways (white text
    on it in the header, it as text on the white page); the default when it is absent."""
    path: Path_ = ("identite", key)
    value = r.text(path, required=False)
    if not value:
        return default
    if not colours.HEX_COLOUR.match(value):
        r.problem(
            path,
            COULEUR_INVALIDE,
            f"« {value} » n'est pas une couleur #rrggbb",
            'écrire six chiffres hexadécimaux après « # », entre guillemets : "#00468c"',
        )
        return default
    ratio = colours.contrast(value, colours.WHITE)
    if ratio < colours.TEXT_CONTRAST:
        better = colours.darkened_until(value, colours.WHITE, colours.TEXT_CONTRAST)
        shown = f"{ratio:.2f}".replace(".", ",")
        r.problem(
            path,
            CONTRASTE_INSUFFISANT,
            f"le blanc sur « {value} » (et « {value} » sur le blanc) a un contraste de "
            f"{shown}:1 ; le RGAA exige 4,5:1 au moins (critère 3.2)",
            f"choisir une couleur plus foncée, par exemple « {better} » "
            f"({colours.contrast(better, colours.WHITE):.2f}:1)".replace(".", ",", 1),
        )
        return default
    return value.lower()


# --- Policy -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Indicator:
    id: str
    titre: str
    unite: str
    sens: str
    type: str
    calcul: str
    cibles: tuple[tuple[int, float], ...]
    methode: str
    description: str = ""
    exclusions: str = ""
    limites: str = ""

    @property
    def computed(self) -> bool:
        return self.type == "calculé"

    def target(self, year: int) -> float | None:
        return dict(self.cibles).get(year)


@dataclass(frozen=True)
class Action:
    id: str
    numero: str
    titre: str
    resume: str
    indicateurs: tuple[str, ...]


@dataclass(frozen=True)
class Axis:
    id: str
    numero: int
    titre: str
    resume: str
    actions: tuple[Action, ...]


@dataclass(frozen=True)
class Policy:
    titre: str
    periode_debut: int
    periode_fin: int
    adoption: str
    introduction: str
    axes: tuple[Axis, ...]
    indicateurs: tuple[Indicator, ...]

    def indicator(self, indicator_id: str) -> Indicator:
        for indicator in self.indicateurs:
            if indicator.id == indicator_id:
                return indicator
        raise KeyError(indicator_id)

    def actions(self) -> Iterator[tuple[Axis, Action]]:
        for axis in self.axes:
            for action in axis.actions:
                yield axis, action


def _read_indicator(r: _Reader, i: int, calculations: Collection[str]) -> Indicator:
    base: Path_ = ("indicateurs", i)
    kind = r.choice((*base, "type"), v.TYPES_INDICATEUR)
    calcul = r.text((*base, "calcul"), required=kind == "calculé")
    if kind == "calculé" and calcul and calcul not in calculations:
        close = difflib.get_close_matches(calcul, calculations, n=1, cutoff=0.6)
        hint = f"vouliez-vous dire « {close[0]} » ? " if close else ""
        r.problem(
            (*base, "calcul"),
            CALCUL_INCONNU,
            f"le calcul « {calcul} » n'existe pas dans l'outil",
            f"{hint}calculs disponibles : {', '.join(calculations)}",
        )
    if kind == "déclaré" and calcul:
        r.problem(
            (*base, "calcul"),
            CALCUL_INATTENDU,
            "un indicateur déclaré n'a pas de calcul",
            "retirer « calcul » ou passer le type à « calculé »",
        )
    targets: list[tuple[int, float]] = []
    raw_targets = r.get(r.doc.data, (*base, "cibles"))
    if raw_targets is not None and not isinstance(raw_targets, dict):
        r.problem((*base, "cibles"), TYPE_INVALIDE, "des paires « année: valeur » attendues", "")
    elif isinstance(raw_targets, dict):
        for year, value in raw_targets.items():
            path = (*base, "cibles", str(year))
            number_ok = isinstance(value, int | float) and not isinstance(value, bool)
            if not isinstance(year, int) or not number_ok:
                r.problem(path, CIBLE_INVALIDE, "année et valeur numériques attendues", "2027: 100")
                continue
            targets.append((year, float(value)))
    return Indicator(
        id=r.identifier((*base, "id")),
        titre=r.text((*base, "titre")),
        unite=r.choice((*base, "unite"), v.UNITES_INDICATEUR),
        sens=r.choice((*base, "sens"), v.SENS_INDICATEUR),
        type=kind,
        calcul=calcul,
        cibles=tuple(sorted(targets)),
        methode=r.text((*base, "methode")),
        description=r.text((*base, "description"), required=False),
        exclusions=r.text((*base, "exclusions"), required=False),
        limites=r.text((*base, "limites"), required=False),
    )


def read_policy(
    doc: LocatedYaml, *, calculations: Collection[str]
) -> tuple[Policy | None, list[Problem]]:
    """The purchasing policy; `calculations` are the names a computed indicator may give as
    `calcul` (the model's registry, passed down by the callers: this stage cannot import it)."""
    r = _Reader(doc)
    if not isinstance(doc.data, dict):
        r.problem((), TYPE_INVALIDE, "le fichier doit contenir des champs « nom: valeur »", "")
        return None, r.problems
    count = len(r.items(("indicateurs",)))
    indicators = tuple(_read_indicator(r, i, calculations) for i in range(count))
    known = {ind.id for ind in indicators}
    seen: set[str] = set()
    for i, ind in enumerate(indicators):
        if ind.id in seen:
            r.problem(("indicateurs", i, "id"), IDENTIFIANT_DUPLIQUE, f"« {ind.id} » en double", "")
        seen.add(ind.id)
    axes: list[Axis] = []
    action_ids: set[str] = set()
    for a, _ in enumerate(r.items(("axes",))):
        actions: list[Action] = []
        for b, _ in enumerate(r.items(("axes", a, "actions"))):
            base: Path_ = ("axes", a, "actions", b)
            refs = tuple(str(x) for x in r.items((*base, "indicateurs"), required=False))
            for k, ref in enumerate(refs):
                if ref not in known:
                    r.problem(
                        (*base, "indicateurs", k),
                        INDICATEUR_INCONNU,
                        f"l'indicateur « {ref} » n'est pas défini",
                        "l'ajouter sous « indicateurs: » ou corriger l'identifiant",
                    )
            action = Action(
                id=r.identifier((*base, "id")),
                numero=r.text((*base, "numero")),
                titre=r.text((*base, "titre")),
                resume=r.text((*base, "resume")),
                indicateurs=refs,
            )
            if action.id in action_ids:
                r.problem((*base, "id"), IDENTIFIANT_DUPLIQUE, f"« {action.id} » en double", "")
            action_ids.add(action.id)
            actions.append(action)
        axes.append(
            Axis(
                id=r.identifier(("axes", a, "id")),
                numero=r.integer(("axes", a, "numero")) or a + 1,
                titre=r.text(("axes", a, "titre")),
                resume=r.text(("axes", a, "resume")),
                actions=tuple(actions),
            )
        )
    policy = Policy(
        titre=r.text(("titre",)),
        periode_debut=r.integer(("periode", "debut")) or 0,
        periode_fin=r.integer(("periode", "fin")) or 0,
        adoption=r.text(("adoption",), required=False),
        introduction=r.text(("introduction",)),
        axes=tuple(axes),
        indicateurs=indicators,
    )
    return (None if r.problems else policy), r.problems


def load_publisher(data_dir: Path) -> tuple[Publisher | None, list[Problem]]:
    doc, problems = load_located_yaml(data_dir / PUBLISHER_FILE, PUBLISHER_FILE)
    if doc is None:
        return None, problems
    return read_publisher(doc)


def load_policy(
    data_dir: Path, *, calculations: Collection[str]
) -> tuple[Policy | None, list[Problem]]:
    doc, problems = load_located_yaml(data_dir / POLICY_FILE, POLICY_FILE)
    if doc is None:
        return None, problems
    return read_policy(doc, calculations=calculations)
