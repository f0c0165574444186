"""The `/donnees/` section: every published file, at stable addresses, and the pages that list and
document them.

For each dataset: CSV (byte-faithful to the validated data), JSON and Parquet, contracts also per
year; one formula-safe XLSX workbook; the official DECP 2022 JSON and an OCDS release package; the
Data Package; a zip of everything; the DCAT catalogue. The data page lists every file with its
format, size and SHA-256; each dataset has a data-dictionary page generated from its Table Schema.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from achats_ouverts.datafolder import Dataset, json_text, schemas
from achats_ouverts.exports import organization_jsonld, standards, tables
from achats_ouverts.output import MAIN_FEEDS, BuildContext, Published, render
from achats_ouverts.pages.base import SiteInfo, SubscribeView, subscribe_view

DOWNLOADS_DIR = "donnees"
WORKBOOK = "achats-publics.xlsx"
ARCHIVE = "achats-publics.zip"
DECP_FILE = "decp.json"
OCDS_FILE = "ocds.json"
PACKAGE_FILE = "datapackage.json"
CATALOG_FILES = ("catalog.ttl", "catalog.jsonld")

FORMATS: dict[str, tuple[str, str, str]] = {
    # extension: (label, EU file-type code, media type)
    "csv": ("CSV", "CSV", "text/csv"),
    "json": ("JSON", "JSON", "application/json"),
    "parquet": ("Parquet", "PARQUET", "application/vnd.apache.parquet"),
    "xlsx": ("XLSX", "XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "zip": ("ZIP", "ZIP", "application/zip"),
    "ttl": ("Turtle", "RDF_TURTLE", "text/turtle"),
    "jsonld": ("JSON-LD", "JSON_LD", "application/ld+json"),
}
TYPE_LABELS = {
    "string": "texte",
    "number": "nombre décimal",
    "integer": "nombre entier",
    "boolean": "booléen (true / false)",
    "date": "date (AAAA-MM-JJ)",
}
PERIODS = {
    "marches": "dateNotification",
    "modifications": "dateNotificationModification",
    "achats-a-venir": "dateLancementPrevue",
}


def extension(path: str) -> str:
    return path.rsplit(".", 1)[-1]


def other_files(ctx: BuildContext, listed: set[str]) -> list[FileView]:
    """Files other producers published under `/donnees/` (indicators, rows behind a number…)."""
    views = []
    for path, published in sorted(ctx.published.items()):
        relative = path.removeprefix(f"{DOWNLOADS_DIR}/")
        inside = path.startswith(f"{DOWNLOADS_DIR}/")
        if inside and relative not in listed and extension(relative) in FORMATS:
            views.append(FileView.of(published, relative.rsplit(".", 1)[0].replace("/", " : ")))
    return views


@dataclass(frozen=True)
class FileView:
    """A published file as the data page shows it (path relative to `/donnees/`)."""

    chemin: str
    libelle: str
    format: str
    octets: int
    sha256: str

    @staticmethod
    def of(published: Published, libelle: str) -> FileView:
        relative = published.path.removeprefix(f"{DOWNLOADS_DIR}/")
        label = FORMATS[extension(relative)][0]
        return FileView(relative, libelle, label, published.octets, published.sha256)

    def distribution(self, conforme_a: str = "") -> standards.Distribution:
        _label, code, mediatype = FORMATS[extension(self.chemin)]
        return standards.Distribution(
            f"{DOWNLOADS_DIR}/{self.chemin}",
            self.libelle,
            code,
            mediatype,
            self.octets,
            self.sha256,
            conforme_a,
        )


@dataclass(frozen=True)
class DatasetView:
    name: str
    titre: str
    description: str
    lignes: int
    schema: str
    schema_octets: int
    fichiers: tuple[FileView, ...]


@dataclass(frozen=True)
class YearView:
    annee: int
    lignes: int
    fichiers: tuple[FileView, ...]


@dataclass(frozen=True)
class DataPage:
    site: SiteInfo
    date_reference: date
    jeux: tuple[DatasetView, ...]
    annees: tuple[YearView, ...]
    classeur: FileView
    archive: FileView
    decp: FileView
    decp_resume: standards.DecpSummary
    ocds: FileView
    ocds_versions: int
    paquet: FileView
    catalogues: tuple[FileView, ...]
    historique: FileView | None
    fichiers: tuple[FileView, ...]
    abonnement: SubscribeView
    jsonld: dict[str, Any]


@dataclass(frozen=True)
class FieldView:
    nom: str
    titre: str
    type: str
    obligatoire: bool
    unique: bool
    description: str
    exemple: str
    valeurs: tuple[str, ...]
    contraintes: str


@dataclass(frozen=True)
class ForeignKeyView:
    champs: str
    jeu: str
    titre: str
    cible: str


@dataclass(frozen=True)
class DictionaryPage:
    site: SiteInfo
    jeu: DatasetView
    champs: tuple[FieldView, ...]
    cle_primaire: tuple[str, ...]
    references: tuple[ForeignKeyView, ...]
    jsonld: dict[str, Any]


# --- Writing the files ---------------------------------------------------------------------------


def publish_bytes(ctx: BuildContext, name: str, data: bytes) -> Published:
    path = f"{DOWNLOADS_DIR}/{name}"
    ctx.file(path, data)
    return ctx.published[path]


def table_views(ctx: BuildContext, ds: Dataset, stem: str) -> tuple[FileView, ...]:
    what = ds.title if stem == ds.name else f"{ds.title} {stem.rsplit('-', 1)[-1]}"
    return tuple(
        FileView.of(ctx.published[f"{DOWNLOADS_DIR}/{stem}.{ext}"], f"{what} ({FORMATS[ext][0]})")
        for ext in ("csv", "json", "parquet")
    )


def publish_dataset(
    ctx: BuildContext, ds: Dataset, groups: pd.Series | None = None
) -> tuple[tuple[FileView, ...], dict[int, tuple[FileView, ...]]]:
    """`<name>.csv`, `.json` and `.parquet`; with `groups` (a year per row), also
    `<name>-<year>.*` for each year, written in the same pass."""
    text, typed = ctx.data.text[ds.name], ctx.data.tables[ds.name]
    keys = [] if groups is None else sorted(int(k) for k in groups.dropna().unique())
    stems: dict[int | None, str] = {None: ds.name, **{k: f"{ds.name}-{k}" for k in keys}}
    with contextlib.ExitStack() as stack:
        files = {
            key: tables.TableFiles(
                stack.enter_context(ctx.open_file(f"{DOWNLOADS_DIR}/{stem}.csv")),
                stack.enter_context(ctx.open_file(f"{DOWNLOADS_DIR}/{stem}.json")),
                ctx.file_path(f"{DOWNLOADS_DIR}/{stem}.parquet"),
            )
            for key, stem in stems.items()
        }
        whole = files.pop(None)
        parts = {int(k): v for k, v in files.items() if k is not None}
        tables.write_table_files(ds, text, typed, whole, parts, groups)
    for stem in stems.values():
        ctx.record(f"{DOWNLOADS_DIR}/{stem}.parquet")
    views = {key: table_views(ctx, ds, stem) for key, stem in stems.items()}
    return views.pop(None), {int(k): v for k, v in views.items() if k is not None}


def write_tables(ctx: BuildContext) -> tuple[tuple[DatasetView, ...], tuple[YearView, ...]]:
    views = []
    years: tuple[YearView, ...] = ()
    for ds in schemas.DATASETS:
        if ds.name == "marches":
            year = ctx.data.contracts["annee"]
            files, by_year = publish_dataset(ctx, ds, year)
            counts = year.value_counts()
            years = tuple(YearView(k, int(counts[k]), v) for k, v in sorted(by_year.items()))
        else:
            files, _ = publish_dataset(ctx, ds)
        schema = publish_bytes(ctx, ds.schema_path, schema_bytes(ds))
        views.append(
            DatasetView(
                ds.name,
                ds.title,
                ds.description,
                len(ctx.data.text[ds.name]),
                ds.schema_path,
                schema.octets,
                files,
            )
        )
    return tuple(views), years


def schema_bytes(ds: Dataset) -> bytes:
    return json_text(schemas.table_schema(ds)).encode("utf-8")


def data_package(ctx: BuildContext) -> dict[str, Any]:
    """The Data Package of the published CSVs, with their size and SHA-256 (checked by
    `frictionless validate`)."""
    publisher = ctx.data.publisher
    package = schemas.data_package(
        "achats-publics",
        f"Achats publics – {publisher.nom}",
        f"Marchés attribués, achats à venir et indicateurs de la politique d'achat de "
        f"{publisher.nom}.",
    )
    package["homepage"] = f"{publisher.url_site}{DOWNLOADS_DIR}/"
    package["created"] = f"{ctx.data.reference_date.isoformat()}T00:00:00Z"
    package["contributors"] = [
        {"title": publisher.nom, "roles": ["publisher"], "email": publisher.email}
    ]
    for resource in package["resources"]:
        published = ctx.published[f"{DOWNLOADS_DIR}/{resource['path']}"]
        resource["bytes"] = published.octets
        resource["hash"] = f"sha256:{published.sha256}"
    return package


def write_workbook(ctx: BuildContext) -> FileView:
    path = f"{DOWNLOADS_DIR}/{WORKBOOK}"
    tables.write_xlsx(
        ctx.file_path(path),
        [(ds, ctx.data.text[ds.name], ctx.data.tables[ds.name]) for ds in schemas.DATASETS],
    )
    return FileView.of(ctx.record(path), "Classeur de toutes les données (XLSX)")


def write_archive(ctx: BuildContext, years: tuple[YearView, ...]) -> FileView:
    """Everything published so far under `/donnees/`, except the per-year subsets of marches."""
    subsets = {f"{DOWNLOADS_DIR}/{f.chemin}" for year in years for f in year.fichiers}
    members = [
        (path.removeprefix(f"{DOWNLOADS_DIR}/"), ctx.file_path(path))
        for path in sorted(ctx.published)
        if path.startswith(f"{DOWNLOADS_DIR}/") and path not in subsets
    ]
    path = f"{DOWNLOADS_DIR}/{ARCHIVE}"
    tables.write_zip(ctx.file_path(path), members)
    return FileView.of(ctx.record(path), "Archive de toutes les données (ZIP)")


def temporal(ctx: BuildContext, name: str) -> tuple[date | None, date | None]:
    column = PERIODS.get(name)
    if column is None:
        return None, None
    dates = ctx.data.tables[name][column].dropna()
    if dates.empty:
        return None, None
    return dates.min().date(), dates.max().date()


def catalog_datasets(
    ctx: BuildContext, views: tuple[DatasetView, ...], extra: dict[str, Any]
) -> tuple[standards.CatalogDataset, ...]:
    """One catalogue entry per dataset; contracts also carry the DECP, OCDS and XLSX files."""
    siret = ctx.data.publisher.siret
    result = []
    for view in views:
        distributions = [f.distribution(schema_url(ctx, view)) for f in view.fichiers]
        if view.name == "marches":
            distributions.extend(extra["marches"])
        distributions.extend(extra["tous"])
        start, end = temporal(ctx, view.name)
        result.append(
            standards.CatalogDataset(
                name=view.name,
                titre=f"{view.titre} – {ctx.data.publisher.nom}",
                description=view.description,
                identifiant=f"{siret}-{view.name}",
                page=f"{DOWNLOADS_DIR}/{view.name}/",
                schema=f"{DOWNLOADS_DIR}/{view.schema}",
                debut=start,
                fin=end,
                mots_cles=("achats publics", "commande publique", view.titre.lower()),
                distributions=tuple(distributions),
            )
        )
    return tuple(result)


def schema_url(ctx: BuildContext, view: DatasetView) -> str:
    return f"{ctx.data.publisher.url_site}{DOWNLOADS_DIR}/{view.schema}"


def produce_data_page(ctx: BuildContext) -> None:
    """Write every download, the Data Package, the zip and the catalogue, then the pages."""
    data = ctx.data
    site = SiteInfo.of(data.publisher)
    base = data.publisher.url_site
    views, years = write_tables(ctx)
    workbook = write_workbook(ctx)
    with ctx.open_file(f"{DOWNLOADS_DIR}/{DECP_FILE}") as handle:
        decp_summary = standards.write_decp(handle, data)
    decp = FileView.of(
        ctx.published[f"{DOWNLOADS_DIR}/{DECP_FILE}"], "Marchés au format DECP 2022 (JSON)"
    )
    ocds_url = f"{base}{DOWNLOADS_DIR}/{OCDS_FILE}"
    with ctx.open_file(f"{DOWNLOADS_DIR}/{OCDS_FILE}") as handle:
        releases = standards.write_ocds(handle, data, ocds_url, f"{base}{DOWNLOADS_DIR}/")
    ocds = FileView.of(
        ctx.published[f"{DOWNLOADS_DIR}/{OCDS_FILE}"],
        "Marchés et achats à venir au format OCDS 1.1 (JSON)",
    )
    package = FileView.of(
        publish_bytes(ctx, PACKAGE_FILE, json_text(data_package(ctx)).encode()),
        "Data Package : description de tous les jeux (JSON)",
    )
    history_path = f"{DOWNLOADS_DIR}/nouveautes.json"
    history = (
        FileView.of(ctx.published[history_path], "Journal des changements (JSON)")
        if history_path in ctx.published
        else None
    )
    archive = write_archive(ctx, years)
    extra = {
        "marches": [
            decp.distribution(standards.DECP_SCHEMA_URL),
            ocds.distribution(standards.OCDS_PACKAGE_SCHEMA_URL),
        ],
        "tous": [workbook.distribution(), archive.distribution()],
    }
    entries = catalog_datasets(ctx, views, extra)
    graph = standards.catalog_graph(data.publisher, entries, data.reference_date)
    catalogs = (
        FileView.of(
            publish_bytes(ctx, CATALOG_FILES[0], standards.catalog_turtle(graph)),
            "Catalogue DCAT (Turtle)",
        ),
        FileView.of(
            publish_bytes(ctx, CATALOG_FILES[1], standards.catalog_jsonld(graph)),
            "Catalogue DCAT (JSON-LD)",
        ),
    )
    listed = [f for view in views for f in view.fichiers]
    listed += [f for year in years for f in year.fichiers]
    listed += [workbook, decp, ocds, package, archive, *catalogs]
    listed += [
        FileView.of(
            ctx.published[f"{DOWNLOADS_DIR}/{v.schema}"], f"Schéma : {v.titre} (Table Schema JSON)"
        )
        for v in views
    ]
    if history:
        listed.append(history)
    listed += other_files(ctx, {f.chemin for f in listed})
    page = DataPage(
        site=site,
        date_reference=data.reference_date,
        jeux=views,
        annees=years,
        classeur=workbook,
        archive=archive,
        decp=decp,
        decp_resume=decp_summary,
        ocds=ocds,
        ocds_versions=releases,
        paquet=package,
        catalogues=catalogs,
        historique=history,
        fichiers=tuple(sorted(listed, key=lambda f: f.chemin)),
        abonnement=subscribe_view(f"{DOWNLOADS_DIR}/"),
        jsonld=catalog_jsonld(ctx, entries),
    )
    ctx.page(
        f"{DOWNLOADS_DIR}/index.md",
        "Données",
        render("data.html.j2", page=page),
        feeds=MAIN_FEEDS,
    )
    for view, entry in zip(views, entries, strict=True):
        produce_dictionary(ctx, site, view, entry)


def catalog_jsonld(ctx: BuildContext, entries: tuple[standards.CatalogDataset, ...]) -> Any:
    publisher = ctx.data.publisher
    base = publisher.url_site
    return {
        "@context": "https://schema.org",
        "@type": "DataCatalog",
        "@id": f"{base}{DOWNLOADS_DIR}/catalog",
        "name": f"Achats publics – {publisher.nom}",
        "url": f"{base}{DOWNLOADS_DIR}/",
        "inLanguage": "fr",
        "license": standards.LICENCE_URL,
        "publisher": organization_jsonld(publisher),
        "dateModified": ctx.data.reference_date.isoformat(),
        "dataset": [
            {
                "@type": "Dataset",
                "@id": f"{base}{e.page}#jeu",
                "name": e.titre,
                "url": base + e.page,
            }
            for e in entries
        ],
    }


# --- Data dictionary -----------------------------------------------------------------------------


def constraint_text(field: schemas.Field) -> str:
    """Constraints a reader needs, in French (allowed values are listed apart)."""
    c = field.get("constraints", {})
    parts = []
    if "minimum" in c:
        parts.append(f"minimum {c['minimum']}")
    if "maximum" in c:
        parts.append(f"maximum {c['maximum']}")
    if "maxLength" in c:
        parts.append(f"{c['maxLength']} caractères au plus")
    if "pattern" in c and "enum" not in c:
        parts.append(f"motif {c['pattern']}")
    if field.get("format") == "email":
        parts.append("adresse électronique")
    if field.get("format") == "uri":
        parts.append("adresse web")
    return " ; ".join(parts)


def field_views(ds: Dataset) -> tuple[FieldView, ...]:
    views = []
    for field in ds.fields:
        c = field.get("constraints", {})
        views.append(
            FieldView(
                nom=field["name"],
                titre=field["title"],
                type=TYPE_LABELS[field["type"]],
                obligatoire=bool(c.get("required")),
                unique=bool(c.get("unique")),
                description=field["description"],
                exemple=field["example"],
                valeurs=tuple(c.get("enum", ())),
                contraintes=constraint_text(field),
            )
        )
    return tuple(views)


def produce_dictionary(
    ctx: BuildContext, site: SiteInfo, view: DatasetView, entry: standards.CatalogDataset
) -> None:
    ds = schemas.dataset(view.name)
    page_path = f"{DOWNLOADS_DIR}/{ds.name}/"
    references = tuple(
        ForeignKeyView(
            ", ".join(fields),
            target,
            schemas.dataset(target).title,
            ", ".join(ref),
        )
        for fields, target, ref in ds.foreign_keys
    )
    page = DictionaryPage(
        site=site,
        jeu=DatasetView(
            view.name,
            view.titre,
            view.description,
            view.lignes,
            view.schema,
            view.schema_octets,
            tuple(
                FileView(f"../{f.chemin}", f.libelle, f.format, f.octets, f.sha256)
                for f in view.fichiers
            ),
        ),
        champs=field_views(ds),
        cle_primaire=ds.primary_key,
        references=references,
        jsonld=standards.dataset_jsonld(ctx.data.publisher, entry, ctx.data.reference_date),
    )
    ctx.page(
        f"{page_path}index.md",
        f"Dictionnaire des données : {view.titre}",
        render("dictionary.html.j2", page=page),
    )
