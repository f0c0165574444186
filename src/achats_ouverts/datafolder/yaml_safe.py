"""Reading a configuration file (`editeur.yaml`, `politique.yaml`, a mapping file) as small,
regular, plain YAML, whatever is found in its place.

`yaml.safe_load` alone is not enough for a file anyone may have edited: an alias bomb of 2 KB
expands to hundreds of millions of nodes, a recursive alias never ends, a complex key or a
`!!python/name` tag crashes the reader, and a folder, a FIFO or `/dev/zero` in place of the file
fails or blocks. Here, before any value is built:
- the file must be a regular file of at most `MAX_BYTES` bytes (opened without blocking);
- nesting is at most `MAX_DEPTH` levels, checked on the parser's events (which need no recursion);
- the document, aliases expanded, holds at most `MAX_NODES` nodes; an alias to a node that
  contains it is refused;
- only plain scalars (text, numbers, booleans, null, dates), lists and mappings with scalar keys
  are allowed: any other tag (`!!python/…`, `!!binary`, `!!set`, `<<` merges…) is refused.

Each refusal is a `YamlRefused` with its entry in the catalogue of codes (`problem_codes`), the
line and a French fix.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from achats_ouverts.datafolder.problem_codes.configuration import (
    FICHIER_NON_ORDINAIRE,
    FICHIER_TROP_GROS,
    VALEUR_ILLISIBLE,
    YAML_ALIAS_EXCESSIFS,
    YAML_ALIAS_RECURSIF,
    YAML_CLE_COMPLEXE,
    YAML_ETIQUETTE_INTERDITE,
    YAML_TROP_PROFOND,
)
from achats_ouverts.datafolder.problem_codes.entries import Code

MAX_BYTES = 1 << 20
"""A configuration file of 1 MiB is already fifty times the demonstration's policy."""
MAX_DEPTH = 32
MAX_NODES = 200_000
"""Nodes once aliases are expanded: a policy of a hundred indicators is a few thousand."""

PLAIN_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
)
"""The tags of plain YAML: what `yaml.safe_load` resolves for plain scalars, lists, mappings."""


@dataclass
class YamlRefused(Exception):
    """A configuration file that is not small, regular, plain YAML; `code` is the catalogue's
    entry."""

    code: Code
    message: str
    fix: str
    line: int | None = None


def read_text(path: Path) -> str:
    """The file's text; raises YamlRefused for anything but a regular file of at most MAX_BYTES,
    FileNotFoundError when absent and UnicodeDecodeError when not UTF-8."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = "un dossier" if stat.S_ISDIR(info.st_mode) else "un fichier spécial"
            raise YamlRefused(
                FICHIER_NON_ORDINAIRE,
                f"c'est {kind}, pas un fichier texte",
                "mettre à cet endroit le fichier YAML lui-même",
            )
        data = b""
        if info.st_size <= MAX_BYTES:
            with os.fdopen(os.dup(fd), "rb") as handle:
                data = handle.read(MAX_BYTES + 1)
        if info.st_size > MAX_BYTES or len(data) > MAX_BYTES:
            raise YamlRefused(
                FICHIER_TROP_GROS,
                f"le fichier dépasse {MAX_BYTES} octets : ce n'est pas un fichier de configuration",
                "vérifier qu'il s'agit du bon fichier",
            )
    finally:
        os.close(fd)
    return data.decode("utf-8")


def _check_events(text: str) -> None:
    """Nesting depth and explicit tags, on the parser's events (no recursion, no value built)."""
    depth = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        tag = getattr(event, "tag", None)
        line = event.start_mark.line + 1 if event.start_mark else None
        if tag is not None and tag not in PLAIN_TAGS and tag != "!":
            raise YamlRefused(
                YAML_ETIQUETTE_INTERDITE,
                f"étiquette YAML « {_shown(tag)} » non autorisée",
                "écrire une valeur simple (texte, nombre, liste ou champs « nom: valeur »)",
                line,
            )
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise YamlRefused(
                    YAML_TROP_PROFOND,
                    f"plus de {MAX_DEPTH} niveaux d'imbrication",
                    "simplifier la structure du fichier",
                    line,
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _check_nodes(root: yaml.Node) -> None:
    """Tags and keys of every node, and the size of the document once aliases are expanded."""
    sizes: dict[int, int] = {}
    on_path: set[int] = set()
    # An explicit stack: (node, children visited); sizes memoised per node, so shared (aliased)
    # nodes are walked once, and a node met again while on the current path is a cycle.
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, visited = stack.pop()
        key = id(node)
        line = node.start_mark.line + 1
        if visited:
            on_path.discard(key)
            total = 1 + sum(sizes[id(child)] for child in _children(node))
            if total > MAX_NODES:
                raise YamlRefused(
                    YAML_ALIAS_EXCESSIFS,
                    f"les alias (« *nom ») donnent plus de {MAX_NODES} valeurs une fois recopiés",
                    "recopier les valeurs au lieu d'alias imbriqués",
                    line,
                )
            sizes[key] = total
            continue
        if key in sizes:
            continue
        if key in on_path:
            raise YamlRefused(
                YAML_ALIAS_RECURSIF,
                "un alias (« *nom ») désigne une valeur qui le contient",
                "supprimer l'alias récursif",
                line,
            )
        if node.tag not in PLAIN_TAGS:
            raise YamlRefused(
                YAML_ETIQUETTE_INTERDITE,
                f"« {_shown(node.tag)} » non autorisé (fusion « << » ou type particulier)",
                "écrire les valeurs en entier, sans « << »",
                line,
            )
        if isinstance(node, yaml.MappingNode):
            for key_node, _ in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    raise YamlRefused(
                        YAML_CLE_COMPLEXE,
                        "une clé est une liste ou un ensemble de champs",
                        "écrire une clé simple avant les deux-points (« nom: valeur »)",
                        key_node.start_mark.line + 1,
                    )
        on_path.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in _children(node))


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def compose(text: str) -> yaml.Node | None:
    """The document's node graph, checked (YamlRefused); raises yaml.YAMLError on bad syntax."""
    _check_events(text)
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    if node is not None:
        _check_nodes(node)
    return node


def scalar(node: yaml.Node) -> Any:
    """A scalar's value as `yaml.safe_load` gives it; YamlRefused when it cannot be built (a date
    that does not exist, an integer of thousands of digits)."""
    try:
        return yaml.SafeLoader("").construct_object(node, deep=True)
    except (ValueError, OverflowError, yaml.YAMLError) as exc:
        raise YamlRefused(
            VALEUR_ILLISIBLE,
            f"« {str(node.value)[:80]} » est illisible ({type(exc).__name__})",
            "écrire la valeur entre guillemets pour en faire un texte, ou la corriger",
            node.start_mark.line + 1,
        ) from exc


def _shown(tag: str) -> str:
    """A tag as it is written in the file (`!!python/name:…`)."""
    return tag.replace("tag:yaml.org,2002:", "!!", 1)
