"""Command-line interface: parses options, calls the package, turns errors into one-line messages
and exit codes (0: clean or warnings only, 1: data or build errors, 2: usage errors).
"""

from __future__ import annotations

import errno
import re
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

import click

from achats_ouverts.datafolder import writing
from achats_ouverts.errors import AchatsOuvertsError, DataError, UsageError
from achats_ouverts.importing import FORMATS
from achats_ouverts.model.calculations import REGISTRY
from achats_ouverts.settings import Limits, Settings
from achats_ouverts.validation import Progress, validate

# --- Click's own messages, in French -------------------------------------------------------------

CLICK_FRENCH = {
    "Usage:": "Utilisation :",
    "Options": "Options",
    "Commands": "Commandes",
    "Error: {message}": "Erreur : {message}",
    "Invalid value for {param_hint}: {message}": "valeur invalide pour {param_hint} : {message}",
    "Invalid value: {message}": "valeur invalide : {message}",
    "Missing argument": "argument manquant",
    "Missing option": "option manquante",
    "Missing parameter": "paramètre manquant",
    "Missing command.": "commande manquante.",
    "Missing {param_type}": "{param_type} manquant",
    "No such command {name!r}.": "commande inconnue : {name!r}.",
    "No such option: {name}": "option inconnue : {name}",
    "No such option {name!r}.": "option inconnue : {name!r}.",
    "Option {name!r} does not take a value.": "l'option {name!r} ne prend pas de valeur.",
    "Option {name!r} requires an argument.": "l'option {name!r} attend une valeur.",
    "Option {name!r} requires {nargs} arguments.": "l'option {name!r} attend {nargs} valeurs.",
    "Got unexpected extra argument ({args})": "argument en trop ({args})",
    "Got unexpected extra arguments ({args})": "arguments en trop ({args})",
    "Did you mean {possibility}?": "Vouliez-vous dire {possibility} ?",
    "(Did you mean one of: {possibilities}?)": "(Vouliez-vous dire l'une de : {possibilities} ?)",
    "{value!r} is not {choice}.": "{value!r} n'est pas {choice}.",
    "{value!r} is not one of {choices}.": "{value!r} n'est pas l'une des valeurs {choices}.",
    "{value!r} is not a valid {number_type}.": "{value!r} n'est pas un nombre valide.",
    "{value} is not in the range {range}.": "{value} est hors de l'intervalle {range}.",
    "{name} {filename!r} does not exist.": "{name} {filename!r} introuvable.",
    "{name} {filename!r} is a file.": "{name} {filename!r} est un fichier.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} est un dossier.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} n'est pas lisible.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} n'est pas accessible en écriture.",
    "directory": "dossier",
    "file": "fichier",
    "path": "chemin",
    "Show the version and exit.": "Afficher la version et quitter.",
    "Show this message and exit.": "Afficher cette aide et quitter.",
    "%(prog)s, version %(version)s": "%(prog)s, version %(version)s",
}
"""click's messages (8.x) that a user of this tool can meet, translated. click looks them up
through `gettext` in each of its modules; `use_french_click_messages` points those lookups here.
A message missing from this table stays in English (tests/test_cli.py checks the usual ones)."""


def _french(message: str) -> str:
    return CLICK_FRENCH.get(message, message)


def _french_plural(singular: str, plural: str, count: int) -> str:
    return _french(singular if count == 1 else plural)


def use_french_click_messages() -> None:
    import click.core
    import click.decorators
    import click.exceptions
    import click.formatting
    import click.parser
    import click.types

    for module in (
        click.core,
        click.decorators,
        click.exceptions,
        click.formatting,
        click.parser,
        click.types,
    ):
        if hasattr(module, "_"):
            module._ = _french  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = _french_plural  # type: ignore[attr-defined]


use_french_click_messages()


# --- Printing ----------------------------------------------------------------------------------

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""Control characters but line feed and tab: from the data, they could drive the terminal
(escape sequences that move the cursor, rewrite lines, change the title)."""


def printable(text: str) -> str:
    """`text` with every control character shown as an escape (`\\x1b`), never sent raw."""
    return CONTROL.sub(lambda match: f"\\x{ord(match.group(0)):02x}", text)


def json_printable(text: str) -> str:
    """JSON text whose control characters (only possible inside strings) are JSON escapes."""
    return CONTROL.sub(lambda match: f"\\u{ord(match.group(0)):04x}", text)


def echo(text: str, *, err: bool = False, nl: bool = True, json_text: bool = False) -> None:
    click.echo(json_printable(text) if json_text else printable(text), err=err, nl=nl)


@contextmanager
def progress_display(enabled: bool) -> Iterator[Progress]:
    """A spinner with the current step on a terminal; nothing when output is not a terminal."""
    if not enabled or not sys.stderr.isatty():
        yield lambda _label: None
        return
    from rich.console import Console

    console = Console(stderr=True)
    started = time.monotonic()
    with console.status("Préparation…") as status:

        def update(label: str) -> None:
            status.update(printable(f"{label}… ({time.monotonic() - started:.1f} s)"))

        yield update


def limits_options(function: Callable[..., Any]) -> Callable[..., Any]:
    defaults = Limits()
    for option in reversed(
        [
            click.option(
                "--max-octets",
                type=click.IntRange(min=1),
                default=defaults.max_bytes,
                show_default=True,
                help="Taille maximale d'un fichier, en octets.",
            ),
            click.option(
                "--max-lignes",
                type=click.IntRange(min=1),
                default=defaults.max_rows,
                show_default=True,
                help="Nombre maximal de lignes de données par fichier.",
            ),
            click.option(
                "--max-caracteres",
                type=click.IntRange(min=1),
                default=defaults.max_cell_chars,
                show_default=True,
                help="Nombre maximal de caractères par cellule.",
            ),
            click.option(
                "--nomenclature-cpv",
                type=click.Path(dir_okay=False, path_type=Path),
                default=None,
                help="Fichier CSV de la nomenclature CPV 2008 (id,name,parent).",
            ),
        ]
    ):
        function = option(function)
    return function


def make_limits(max_octets: int, max_lignes: int, max_caracteres: int) -> Limits:
    return Limits(max_bytes=max_octets, max_rows=max_lignes, max_cell_chars=max_caracteres)


def data_dir_argument(function: Callable[..., Any]) -> Callable[..., Any]:
    return click.argument(
        "data_dir",
        required=False,
        default="data",
        type=click.Path(path_type=Path),
    )(function)


def check_data_dir(data_dir: Path) -> None:
    if not data_dir.is_dir():
        raise UsageError(f"« {data_dir} » n'est pas un dossier de données")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--verbose", is_flag=True, help="Afficher le détail des erreurs internes.")
@click.version_option(package_name="achats-ouverts")
@click.pass_context
def main(ctx: click.Context, verbose: bool) -> None:
    """Achats ouverts : publier les achats d'un acheteur public en site de données ouvertes."""
    ctx.obj = {"verbose": verbose}


@main.command("validate")
@data_dir_argument
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["texte", "json"]),
    default="texte",
    show_default=True,
    help="Liste lisible, ou rapport JSON complet.",
)
@click.option(
    "--limite",
    type=click.IntRange(min=0),
    default=200,
    show_default=True,
    help="Nombre de problèmes affichés (0 : tous). Les totaux restent complets.",
)
@click.option(
    "--frictionless",
    "with_frictionless",
    is_flag=True,
    help="Contrôler les lignes avec frictionless lui-même (la référence, plus lente) au lieu des "
    "contrôles compilés, qui trouvent les mêmes erreurs.",
)
@limits_options
def validate_command(
    data_dir: Path,
    output_format: str,
    limite: int,
    with_frictionless: bool,
    max_octets: int,
    max_lignes: int,
    max_caracteres: int,
    nomenclature_cpv: Path | None,
) -> None:
    """Valider un dossier de données (par défaut : data) et lister les corrections à faire."""
    check_data_dir(data_dir)
    limits = make_limits(max_octets, max_lignes, max_caracteres)
    with progress_display(output_format == "texte") as progress:
        result = validate(
            data_dir,
            limits,
            nomenclature_cpv,
            progress,
            engine="frictionless" if with_frictionless else "compiled",
            calculations=REGISTRY,
        )
    report = result.report
    if output_format == "json":
        echo(report.to_json(), nl=False, json_text=True)
    else:
        echo(report.to_text(limite), nl=False)
    if not report.ok:
        sys.exit(1)


@main.command("build")
@data_dir_argument
@click.option(
    "-o",
    "--output",
    "output_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("site"),
    show_default=True,
    help="Dossier du site publié (remplacé d'un coup, seulement si tout réussit).",
)
@click.option(
    "--precedent",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=None,
    help="Copie d'un site publié précédemment, pour le journal des changements.",
)
@click.option(
    "--sans-pages-marches",
    "without_contract_pages",
    is_flag=True,
    help="Pas de page par marché (pour un million de marchés) : les listes mènent à "
    "l'explorateur filtré sur le marché.",
)
@click.option(
    "--versions-conservees",
    "versions_kept",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Nombre de versions datées des données gardées sous /donnees/versions/ (les plus "
    "récentes) ; 0 les garde toutes.",
)
@limits_options
def build_command(
    data_dir: Path,
    output_dir: Path,
    precedent: Path | None,
    without_contract_pages: bool,
    versions_kept: int,
    max_octets: int,
    max_lignes: int,
    max_caracteres: int,
    nomenclature_cpv: Path | None,
) -> None:
    """Valider les données et construire le site statique."""
    from achats_ouverts.building.build import build

    check_data_dir(data_dir)
    settings = Settings(
        data_dir=data_dir,
        output_dir=output_dir,
        limits=make_limits(max_octets, max_lignes, max_caracteres),
        cpv_path=nomenclature_cpv,
        previous_site=precedent,
        contract_pages=not without_contract_pages,
        versions_kept=versions_kept,
    )
    started = time.monotonic()
    with progress_display(True) as progress:
        result = build(settings, progress)
    echo(
        f"Site publié dans {output_dir} : {result.pages} pages, "
        f"{result.report.errors} erreur(s), {result.report.warnings} avertissement(s) "
        f"({time.monotonic() - started:.1f} s)."
    )


@main.command("schemas")
@click.argument("data_dir", type=click.Path(file_okay=False, path_type=Path))
def schemas_command(data_dir: Path) -> None:
    """Écrire les schémas (Table Schema) et le datapackage.json de l'outil dans un dossier."""
    data_dir.mkdir(parents=True, exist_ok=True)
    writing.write_schemas(data_dir)
    writing.write_data_package(
        data_dir,
        "achats-publics",
        "Achats publics",
        "Marchés attribués, achats à venir et indicateurs de la politique d'achat.",
    )
    echo(f"Schémas et datapackage.json écrits dans {data_dir}.")


@main.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    "data_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Dossier de données à créer, ou dont remplacer les tables des marchés.",
)
@click.option(
    "--acheteur",
    default=None,
    metavar="SIRET",
    help="Ne garder que les marchés de cet acheteur (fichier national multi-acheteurs).",
)
@click.option(
    "--format",
    "file_format",
    type=click.Choice(FORMATS),
    default=None,
    help="Format des fichiers (par défaut : reconnu d'après leur contenu).",
)
@click.option(
    "--mapping",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Fichier de correspondance (YAML) d'un export interne CSV ou XLSX.",
)
def import_command(
    files: tuple[Path, ...],
    data_dir: Path,
    acheteur: str | None,
    file_format: str | None,
    mapping: Path | None,
) -> None:
    """Importer des DECP (JSON, XML, CSV tabulaire) ou un export interne dans un dossier."""
    from achats_ouverts.importing import ImportOptions, NothingImported, import_files, summary_text

    options = ImportOptions(acheteur=acheteur, file_format=file_format, mapping=mapping)
    with progress_display(True) as progress:
        result = import_files(list(files), data_dir, options, progress)
    echo(summary_text(result), nl=False)
    if not result.written:
        raise NothingImported(data_dir, result.summary.read)


class Terminated(KeyboardInterrupt):
    """SIGTERM (a CI timeout, `kill`): handled like Ctrl-C, so that every clean-up runs."""


def _terminate(_number: int, _frame: FrameType | None) -> None:
    raise Terminated()


@contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


DISK_ERRORS = {
    errno.ENOSPC: "disque plein",
    errno.EDQUOT: "quota de disque dépassé",
    errno.EROFS: "système de fichiers en lecture seule",
    errno.EACCES: "permission refusée",
    errno.EPERM: "opération non permise",
}


def disk_message(exc: OSError) -> str | None:
    """A user's line for a file system refusal (full, read-only, forbidden), else None."""
    reason = DISK_ERRORS.get(exc.errno or 0)
    if reason is None:
        return None
    where = f" : {exc.filename}" if exc.filename else ""
    return (
        f"écriture ou lecture impossible ({reason}){where} — libérer de la place ou choisir un "
        "dossier accessible en écriture, puis relancer ; rien n'a été publié"
    )


def run(args: list[str] | None = None) -> int:
    """Run the CLI and return its exit code, printing user errors in one line, never a traceback."""
    verbose = "--verbose" in (args if args is not None else sys.argv[1:])
    try:
        with sigterm_as_interrupt():
            main.main(args=args, prog_name="achats-ouverts", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.ClickException as exc:
        if isinstance(exc, click.UsageError) and exc.ctx is not None:
            echo(exc.ctx.get_usage(), err=True)
            hint = f"{exc.ctx.command_path} {exc.ctx.help_option_names[0]}"
            echo(f"Aide : « {hint} ».", err=True)
        echo(_french("Error: {message}").format(message=exc.format_message()), err=True)
        return exc.exit_code
    except (click.Abort, KeyboardInterrupt) as exc:
        terminated = isinstance(exc, Terminated) or isinstance(exc.__cause__, Terminated)
        echo(
            "Interrompu : opération annulée, rien n'a été publié ni remplacé.",
            err=True,
        )
        return 143 if terminated else 130
    except DataError as exc:
        echo(exc.report.to_text(200), nl=False)
        echo(
            "Publication annulée : des erreurs bloquent la construction ; le site précédent est "
            "conservé.",
            err=True,
        )
        return exc.exit_code
    except AchatsOuvertsError as exc:
        echo(f"Erreur : {exc}", err=True)
        return exc.exit_code
    except SystemExit as exc:
        return int(exc.code or 0) if not isinstance(exc.code, str) else 1
    except OSError as exc:
        message = disk_message(exc)
        if message is None or verbose:
            return internal_error(exc, verbose)
        echo(f"Erreur : {message}", err=True)
        return 1
    except Exception as exc:
        return internal_error(exc, verbose)
    return 0


def internal_error(exc: Exception, verbose: bool) -> int:
    """A bug of the tool, not a mistake of the user: what to report, and where."""
    if verbose:
        raise exc
    from achats_ouverts import __version__

    echo(
        f"Erreur interne d'achats-ouverts {__version__} (un défaut de l'outil, pas de vos "
        f"données) : {type(exc).__name__}: {exc} — relancer la même commande avec --verbose et "
        "signaler le détail affiché aux mainteneurs de l'outil",
        err=True,
    )
    return 1


def entry_point() -> None:
    sys.exit(run())
