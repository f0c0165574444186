"""A YAML file read into frozen dataclasses, its types and keys checked, every error located.

`read(path, Shape)` parses the file (with the C parser when PyYAML has it) and builds `Shape` from
its annotations: `str`, `int`, `float` (an integer is accepted), `bool`, `tuple[X, ...]`, fixed
tuples, `dict[str, X]` and nested dataclasses. A field without a default is a required key; a key
the dataclass does not have is an error, so a typo never passes silently. The first problem
raises `CatalogueError` naming the file, the line, the path of the value and the entry it belongs
to; the lines are only looked up then, so a good file is read at full speed.
"""

from __future__ import annotations

import dataclasses
import functools
import typing
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar, get_args, get_origin

import yaml

from achats_ouverts.datafolder import load_located_yaml
from achats_ouverts.errors import AchatsOuvertsError

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

T = TypeVar("T", bound="DataclassInstance")
Key = str | int
Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
LABEL_FIELDS = ("key", "id", "code", "indicator", "nom", "label", "text")
"""The field that names an entry in an error message, the first one present."""
LABEL_MAX = 50
TYPE_NAMES = {
    str: "un texte",
    int: "un nombre entier",
    float: "un nombre",
    bool: "true ou false",
}


class CatalogueError(AchatsOuvertsError):
    """A file of the demonstration catalogue is malformed: where, what, and how to fix it."""


class Where(NamedTuple):
    """A value's place in a file: its path of keys and indexes, and the entries it is part of.

    A named tuple: one is made for every value read, so it must be cheap."""

    path: Path
    keys: tuple[Key, ...] = ()
    labels: tuple[str, ...] = ()

    def child(self, key: Key) -> Where:
        return Where(self.path, (*self.keys, key), self.labels)

    def named(self, label: str) -> Where:
        return Where(self.path, self.keys, (*self.labels, label))

    def fail(self, message: str) -> typing.NoReturn:
        raise CatalogueError(self.describe(message))

    def describe(self, message: str) -> str:
        line = self._line()
        where = f"{self.path}:{line}" if line is not None else str(self.path)
        dotted = ".".join(str(key) for key in self.keys)
        entry = f" ({', '.join(f'« {label} »' for label in self.labels)})" if self.labels else ""
        at = f" {dotted}{entry}" if dotted else ""
        return f"{where}{at} : {message}"

    def _line(self) -> int | None:
        doc, _ = load_located_yaml(self.path, self.path.name)
        return None if doc is None else doc.line(self.keys)


def read(path: Path, shape: type[T]) -> T:
    """The file at `path` as a `shape` dataclass; raises `CatalogueError`."""
    where = Where(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CatalogueError(f"{path} : fichier illisible ({exc.strerror})") from exc
    try:
        raw = yaml.load(text, Loader=Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or exc
        raise CatalogueError(f"{path}{line} : syntaxe YAML incorrecte ({problem})") from exc
    return build(shape, raw, where)


def build(shape: type[T], raw: Any, where: Where) -> T:
    """A dataclass from a mapping: every required key present, no unknown key, types checked."""
    if not isinstance(raw, dict):
        where.fail(f"une table « clé: valeur » attendue, trouvé {found(raw)}")
    label = next((raw[name] for name in LABEL_FIELDS if isinstance(raw.get(name), str)), None)
    if label is not None:
        where = where.named(label if len(label) <= LABEL_MAX else label[: LABEL_MAX - 1] + "…")
    keys = keys_of(shape)
    unknown = [key for key in raw if key not in keys]
    if unknown:
        where.child(unknown[0]).fail(
            f"clé inconnue « {unknown[0]} » : clés possibles {', '.join(keys)}"
        )
    values: dict[str, Any] = {}
    for name, (kind, required) in keys.items():
        if name in raw:
            values[name] = convert(kind, raw[name], where.child(name))
        elif required:
            where.fail(f"clé « {name} » manquante")
    return shape(**values)


@functools.cache
def keys_of(shape: type[DataclassInstance]) -> dict[str, tuple[Any, bool]]:
    """Each field's annotation, and whether the key is required (the field has no default)."""
    hints = typing.get_type_hints(shape)
    return {
        f.name: (
            hints[f.name],
            f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING,
        )
        for f in dataclasses.fields(shape)
    }


def convert(kind: Any, raw: Any, where: Where) -> Any:
    """`raw` checked against the annotation `kind` (and an integer turned into a float)."""
    if kind in TYPE_NAMES:
        return scalar(kind, raw, where)
    origin = get_origin(kind)
    if origin is tuple:
        return sequence(get_args(kind), raw, where)
    if origin is dict:
        key_kind, value_kind = get_args(kind)
        if not isinstance(raw, dict):
            where.fail(f"une table « clé: valeur » attendue, trouvé {found(raw)}")
        return {
            scalar(key_kind, key, where.child(str(key))): convert(
                value_kind, value, where.child(str(key))
            )
            for key, value in raw.items()
        }
    if dataclasses.is_dataclass(kind) and isinstance(kind, type):
        return build(kind, raw, where)
    raise TypeError(f"unsupported annotation {kind!r}")  # pragma: no cover - a programming error


def scalar(kind: type, raw: Any, where: Where) -> Any:
    is_bool = isinstance(raw, bool)
    if kind is bool and is_bool:
        return raw
    if kind is str and isinstance(raw, str):
        return raw
    if kind is int and isinstance(raw, int) and not is_bool:
        return raw
    if kind is float and isinstance(raw, int | float) and not is_bool:
        return float(raw)
    hint = " (écrire le texte entre guillemets)" if kind is str else ""
    where.fail(f"{TYPE_NAMES[kind]} attendu, trouvé {found(raw)}{hint}")


def sequence(args: tuple[Any, ...], raw: Any, where: Where) -> tuple[Any, ...]:
    if not isinstance(raw, list):
        where.fail(f"une liste attendue, trouvé {found(raw)}")
    if len(args) == 2 and args[1] is Ellipsis:
        return tuple(convert(args[0], item, where.child(i)) for i, item in enumerate(raw))
    if len(raw) != len(args):
        where.fail(f"une liste de {len(args)} valeurs attendue, trouvé {len(raw)} valeurs")
    return tuple(
        convert(kind, item, where.child(i))
        for i, (kind, item) in enumerate(zip(args, raw, strict=True))
    )


def found(raw: Any) -> str:
    """A value as shown in an error message."""
    if raw is None:
        return "une valeur vide"
    if isinstance(raw, dict):
        return "une table"
    if isinstance(raw, list):
        return "une liste"
    return f"« {raw} »"
