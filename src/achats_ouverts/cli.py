"""Command-line interface: parses options, calls the package, turns errors into one-line messages
and exit codes (0: clean or warnings only, 1: data or build errors, 2: usage errors).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from achats_ouverts.datafolder import writing
from achats_ouverts.errors import AchatsOuvertsError, DataError, UsageError
from achats_ouverts.importing import FORMATS
from achats_ouverts.model.calculations import REGISTRY
from achats_ouverts.settings import Limits, Settings
from achats_ouverts.validation import Progress, validate


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
            status.update(f"{label}… ({time.monotonic() - started:.1f} s)")

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
    click.echo(report.to_json() if output_format == "json" else report.to_text(limite), nl=False)
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
@limits_options
def build_command(
    data_dir: Path,
    output_dir: Path,
    precedent: Path | None,
    without_contract_pages: bool,
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
    )
    started = time.monotonic()
    with progress_display(True) as progress:
        result = build(settings, progress)
    click.echo(
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
    click.echo(f"Schémas et datapackage.json écrits dans {data_dir}.")


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
    click.echo(summary_text(result), nl=False)
    if not result.written:
        raise NothingImported(data_dir, result.summary.read)


def run(args: list[str] | None = None) -> int:
    """Run the CLI and return its exit code, printing user errors in one line, never a traceback."""
    verbose = "--verbose" in (args if args is not None else sys.argv[1:])
    try:
        main.main(args=args, prog_name="achats-ouverts", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.Abort:
        click.echo("Interrompu.", err=True)
        return 130
    except DataError as exc:
        click.echo(exc.report.to_text(200), nl=False)
        click.echo(
            "Publication annulée : des erreurs bloquent la construction ; le site précédent est "
            "conservé.",
            err=True,
        )
        return exc.exit_code
    except AchatsOuvertsError as exc:
        click.echo(f"Erreur : {exc}", err=True)
        return exc.exit_code
    except SystemExit as exc:
        return int(exc.code or 0) if not isinstance(exc.code, str) else 1
    except Exception as exc:
        if verbose:
            raise
        click.echo(
            f"Erreur interne : {type(exc).__name__}: {exc} "
            "(relancer avec --verbose pour le détail)",
            err=True,
        )
        return 1
    return 0


def entry_point() -> None:
    sys.exit(run())
