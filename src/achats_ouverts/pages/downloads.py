"""The `/donnees/` section (`downloads.html.j2`, `dictionary.html.j2`): every published file, at the
stable addresses of `output.urls`, and the pages that list and document them.

For each dataset: CSV (byte-faithful to the validated data), JSON and Parquet, contracts also per
year; one formula-safe XLSX workbook; the official DECP 2022 JSON and an OCDS release package; the
Data Package; a zip of everything; the DCAT catalogue. The data page lists every file with its
format, size and SHA-256 (the files other producers publish there too: the indicators and the
changelog, read as artifacts); each dataset has a data-dictionary page generated from its Table
Schema.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import pandas as pd

from achats_ouverts.datafolder import Dataset, json_text, schemas
from achats_ouverts.exports import analyses, dcat, decp, flat, ocds, tables
from achats_ouverts.exports.decp import DecpSummary
from achats_ouverts.exports.schema_org import dataset_jsonld, organization_jsonld
from achats_ouverts.output import BuildContext, Published, artifacts, relative_url, render, urls
from achats_ouverts.output.site_info import (
    LICENCE_URL,
    Citation,
    SiteInfo,
    SubscribeView,
    subscribe_view,
)

FILE_FORMATS: dict[str, tuple[str, str, str]] = {
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


@dataclass(frozen=True)
class FileView:
    """A published file as a page of `/donnees/` shows it: `chemin` relative to that page,
    `adresse` from the site root."""

    chemin: str
    libelle: str
    format: str
    octets: int
    sha256: str
    adresse: str

    @staticmethod
    def of(published: Published, libelle: str, page: str = urls.DATA) -> FileView:
        label = FILE_FORMATS[extension(published.path)][0]
        return FileView(
            relative_url(page, published.path),
            libelle,
            label,
            published.octets,
            published.sha256,
            published.path,
        )

    def seen_from(self, page: str) -> FileView:
        return replace(self, chemin=relative_url(page, self.adresse))

    def distribution(self, conforme_a: str = "") -> dcat.Distribution:
        _label, code, mediatype = FILE_FORMATS[extension(self.adresse)]
        return dcat.Distribution(
            self.adresse,
            self.libelle,
            code,
            mediatype,
            self.octets,
            self.sha256,
            conforme_a,
        )


def other_files(published: Iterable[Published]) -> list[FileView]:
    """Files other producers publish under `/donnees/` (the indicators and the rows behind them),
    named after their path."""
    views = []
    for file in sorted(published, key=lambda f: f.path):
        relative = relative_url(urls.DATA, file.path)
        if file.path.startswith(urls.DATA) and extension(relative) in FILE_FORMATS:
            views.append(FileView.of(file, relative.rsplit(".", 1)[0].replace("/", " : ")))
    return views


@dataclass(frozen=True)
class DatasetView:
    name: str
    titre: str
    description: str
    lignes: int
    schema: str
    """The Table Schema, relative to the page that shows the dataset."""
    schema_octets: int
    fichiers: tuple[FileView, ...]
    dictionnaire: str
    """The data dictionary, relative to the page that shows the dataset."""


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
    decp_resume: DecpSummary
    ocds: FileView
    ocds_versions: int
    paquet: FileView
    catalogues: tuple[FileView, ...]
    historique: FileView
    fichiers: tuple[FileView, ...]
    abonnement: SubscribeView
    jsonld: dict[str, Any]
    nouveautes: str
    exemple: str
    """A file to check, as its name reads in a shell command run in the downloads' folder."""
    citation: Citation
    citation_csl: FileView
    version: str
    """The dated version of these data (its folder, relative to the page)."""


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
    href: str


@dataclass(frozen=True)
class DictionaryPage:
    site: SiteInfo
    jeu: DatasetView
    champs: tuple[FieldView, ...]
    cle_primaire: tuple[str, ...]
    references: tuple[ForeignKeyView, ...]
    jsonld: dict[str, Any]
    donnees: str


# --- Writing the files ---------------------------------------------------------------------------


def table_views(ctx: BuildContext, ds: Dataset, year: int | None) -> tuple[FileView, ...]:
    what = ds.title if year is None else f"{ds.title} {year}"
    return tuple(
        FileView.of(
            ctx.published[urls.table_file(ds.name, ext, year)],
            f"{what} ({FILE_FORMATS[ext][0]})",
        )
        for ext in ("csv", "json", "parquet")
    )


def publish_dataset(
    ctx: BuildContext,
    ds: Dataset,
    groups: pd.Series | None = None,
    frames: tuple[pd.DataFrame, pd.DataFrame] | None = None,
) -> tuple[tuple[FileView, ...], dict[int, tuple[FileView, ...]]]:
    """`<name>.csv`, `.json` and `.parquet`; with `groups` (a year per row), also
    `<name>-<year>.*` for each year, written in the same pass. `frames` (text, typed) for a
    dataset the data folder does not hold (the flat file)."""
    text, typed = frames or (ctx.data.text[ds.name], ctx.data.tables[ds.name])
    keys: list[int | None] = [None]
    if groups is not None:
        keys += sorted(int(k) for k in groups.dropna().unique())
    with contextlib.ExitStack() as stack:
        files = {
            key: tables.TableFiles(
                stack.enter_context(ctx.open_file(urls.table_file(ds.name, "csv", key))),
                stack.enter_context(ctx.open_file(urls.table_file(ds.name, "json", key))),
                ctx.file_path(urls.table_file(ds.name, "parquet", key)),
            )
            for key in keys
        }
        whole = files.pop(None)
        parts = {int(k): v for k, v in files.items() if k is not None}
        tables.write_table_files(ds, text, typed, whole, parts, groups)
    for key in keys:
        ctx.record(urls.table_file(ds.name, "parquet", key))
    views = {key: table_views(ctx, ds, key) for key in keys}
    return views.pop(None), {int(k): v for k, v in views.items() if k is not None}


def published_datasets() -> tuple[Dataset, ...]:
    """The data folder's datasets, then the flat file made from them."""
    return (*schemas.DATASETS, flat.FLAT)


def dataset_of(name: str, extra: Iterable[Dataset] = ()) -> Dataset:
    """A published dataset by name: the data folder's, the flat file, or one of `extra` (the
    analyses' CSVs)."""
    for ds in (flat.FLAT, *extra):
        if ds.name == name:
            return ds
    return schemas.dataset(name)


def analysis_datasets(ctx: BuildContext) -> tuple[Dataset, ...]:
    """The CSV of each analysis as a dataset (`exports.analyses.dataset`)."""
    return tuple(
        analyses.dataset(a, urls.analysis_dataset(a.id)) for a in ctx.get(artifacts.ANALYSES)
    )


def write_analysis_schemas(ctx: BuildContext) -> tuple[DatasetView, ...]:
    """The Table Schema of each analysis' CSV, and the view of that CSV as a dataset."""
    views = []
    for analysis in ctx.get(artifacts.ANALYSES):
        name = urls.analysis_dataset(analysis.id)
        schema = ctx.file(
            urls.schema_file(name),
            json_text(analyses.table_schema(analysis, name)).encode("utf-8"),
        )
        rows = FileView.of(
            ctx.published[urls.analysis_rows(analysis.id)], f"Analyse : {analysis.titre} (CSV)"
        )
        ds = analyses.dataset(analysis, name)
        views.append(
            DatasetView(
                name,
                ds.title,
                ds.description,
                len(analysis.contracts),
                relative_url(urls.DATA, schema.path),
                schema.octets,
                (rows,),
                relative_url(urls.DATA, urls.dictionary(name)),
            )
        )
    return tuple(views)


def write_tables(
    ctx: BuildContext, flat_frames: tuple[pd.DataFrame, pd.DataFrame]
) -> tuple[tuple[DatasetView, ...], tuple[YearView, ...]]:
    views = []
    years: tuple[YearView, ...] = ()
    for ds in published_datasets():
        frames = flat_frames if ds is flat.FLAT else None
        if ds.name == "marches":
            year = ctx.data.contracts["annee"]
            files, by_year = publish_dataset(ctx, ds, year)
            counts = year.value_counts()
            years = tuple(YearView(k, int(counts[k]), v) for k, v in sorted(by_year.items()))
        else:
            files, _ = publish_dataset(ctx, ds, frames=frames)
        schema = ctx.file(urls.schema_file(ds.name), schema_bytes(ds))
        views.append(
            DatasetView(
                ds.name,
                ds.title,
                ds.description,
                len(frames[0]) if frames else len(ctx.data.text[ds.name]),
                relative_url(urls.DATA, schema.path),
                schema.octets,
                files,
                relative_url(urls.DATA, urls.dictionary(ds.name)),
            )
        )
    return tuple(views), years


def schema_bytes(ds: Dataset) -> bytes:
    return json_text(schemas.table_schema(ds)).encode("utf-8")


def data_package(ctx: BuildContext, extra: tuple[DatasetView, ...] = ()) -> dict[str, Any]:
    """The Data Package of the published CSVs (with `extra`, the analyses' CSVs), with their
    size and SHA-256 (checked by `frictionless validate`); its paths are relative to the
    downloads' folder."""
    publisher = ctx.data.publisher
    package = schemas.data_package(
        "achats-publics",
        f"Achats publics – {publisher.nom}",
        f"Marchés attribués, achats à venir et indicateurs de la politique d'achat de "
        f"{publisher.nom}.",
    )
    package["homepage"] = f"{publisher.url_site}{urls.DATA}"
    package["created"] = f"{ctx.data.reference_date.isoformat()}T00:00:00Z"
    package["contributors"] = [
        {"title": publisher.nom, "roles": ["publisher"], "email": publisher.email}
    ]
    flat_resource = dict(package["resources"][0])
    flat_resource.update(
        name=flat.FLAT.name,
        title=flat.FLAT.title,
        description=flat.FLAT.description,
        path=flat.FLAT.path,
        schema=flat.FLAT.schema_path,
    )
    package["resources"].append(flat_resource)
    for view in extra:
        resource = dict(package["resources"][0])
        resource.update(
            name=view.name,
            title=view.titre,
            description=view.description,
            path=relative_url(urls.DATA, view.fichiers[0].adresse),
            schema=view.schema,
        )
        package["resources"].append(resource)
    for resource in package["resources"]:
        published = ctx.published[f"{urls.DATA}{resource['path']}"]
        resource["bytes"] = published.octets
        resource["hash"] = f"sha256:{published.sha256}"
    return package


def write_workbook(ctx: BuildContext, flat_frames: tuple[pd.DataFrame, pd.DataFrame]) -> FileView:
    tables.write_xlsx(
        ctx.file_path(urls.WORKBOOK),
        [
            *((ds, ctx.data.text[ds.name], ctx.data.tables[ds.name]) for ds in schemas.DATASETS),
            (flat.FLAT, *flat_frames),
        ],
    )
    return FileView.of(ctx.record(urls.WORKBOOK), "Classeur de toutes les données (XLSX)")


def write_decp(ctx: BuildContext) -> tuple[FileView, DecpSummary]:
    with ctx.open_file(urls.DECP) as handle:
        summary = decp.write_decp(handle, ctx.data)
    return FileView.of(ctx.published[urls.DECP], "Marchés au format DECP 2022 (JSON)"), summary


def write_ocds(ctx: BuildContext) -> tuple[FileView, int]:
    base = ctx.data.publisher.url_site
    with ctx.open_file(urls.OCDS) as handle:
        releases = ocds.write_ocds(handle, ctx.data, base + urls.OCDS, base + urls.DATA)
    view = FileView.of(
        ctx.published[urls.OCDS], "Marchés et achats à venir au format OCDS 1.1 (JSON)"
    )
    return view, releases


def write_archive(ctx: BuildContext, members: Iterable[FileView]) -> FileView:
    """The files of `members`, by path."""
    chosen = sorted(members, key=lambda f: f.adresse)
    tables.write_zip(
        ctx.file_path(urls.ARCHIVE),
        [(relative_url(urls.DATA, f.adresse), ctx.file_path(f.adresse)) for f in chosen],
    )
    return FileView.of(ctx.record(urls.ARCHIVE), "Archive de toutes les données (ZIP)")


def temporal(ctx: BuildContext, name: str) -> tuple[date | None, date | None]:
    source = "marches" if name == flat.FLAT.name else name
    column = PERIODS.get(source)
    if column is None:
        return None, None
    dates = ctx.data.tables[source][column].dropna()
    if dates.empty:
        return None, None
    return dates.min().date(), dates.max().date()


def catalog_datasets(
    ctx: BuildContext, views: tuple[DatasetView, ...], extra: dict[str, Any]
) -> tuple[dcat.CatalogDataset, ...]:
    """One catalogue entry per dataset; contracts also carry the DECP, OCDS and XLSX files."""
    siret = ctx.data.publisher.siret
    result = []
    for view in views:
        schema = urls.schema_file(view.name)
        conforms = ctx.data.publisher.url_site + schema
        distributions = [f.distribution(conforms) for f in view.fichiers]
        if view.name == "marches":
            distributions.extend(extra["marches"])
        distributions.extend(extra["tous"])
        start, end = temporal(ctx, view.name)
        result.append(
            dcat.CatalogDataset(
                name=view.name,
                titre=f"{view.titre} – {ctx.data.publisher.nom}",
                description=view.description,
                identifiant=f"{siret}-{view.name}",
                page=urls.dictionary(view.name),
                schema=schema,
                debut=start,
                fin=end,
                mots_cles=("achats publics", "commande publique", view.titre.lower()),
                distributions=tuple(distributions),
            )
        )
    return tuple(result)


def produce_data_page(ctx: BuildContext) -> None:
    """Write every download, the Data Package, the zip and the catalogue, then the pages. The
    page lists the files other producers publish under `/donnees/` too, and the zip holds them."""
    data = ctx.data
    site = SiteInfo.of(data.publisher)
    flat_frames = flat.flat_frames(data)
    views, years = write_tables(ctx, flat_frames)
    analysis_views = write_analysis_schemas(ctx)
    workbook = write_workbook(ctx, flat_frames)
    decp_file, decp_summary = write_decp(ctx)
    ocds_file, releases = write_ocds(ctx)
    package = FileView.of(
        ctx.file(urls.DATA_PACKAGE, json_text(data_package(ctx, analysis_views)).encode()),
        "Data Package : description de tous les jeux (JSON)",
    )
    history = FileView.of(ctx.get(artifacts.CHANGELOG_FILE), "Journal des changements (JSON)")
    indicator_files = ctx.get(artifacts.INDICATOR_FILES)
    others = other_files((*indicator_files, *ctx.get(artifacts.ANALYSIS_FILES)))
    schema_files = [
        FileView.of(
            ctx.published[urls.schema_file(v.name)], f"Schéma : {v.titre} (Table Schema JSON)"
        )
        for v in (*views, *analysis_views)
    ]
    whole = [f for view in views for f in view.fichiers]
    archive = write_archive(
        ctx, [*whole, *schema_files, workbook, decp_file, ocds_file, package, history, *others]
    )
    extra = {
        "marches": [
            decp_file.distribution(decp.DECP_SCHEMA_URL),
            ocds_file.distribution(ocds.OCDS_PACKAGE_SCHEMA_URL),
        ],
        "tous": [workbook.distribution(), archive.distribution()],
    }
    entries = catalog_datasets(ctx, (*views, *analysis_views), extra)
    graph = dcat.catalog_graph(
        data.publisher, entries, data.reference_date, urls.CATALOG, urls.DATA
    )
    catalogs = (
        FileView.of(
            ctx.file(urls.CATALOG_TURTLE, dcat.catalog_turtle(graph)), "Catalogue DCAT (Turtle)"
        ),
        FileView.of(
            ctx.file(urls.CATALOG_JSONLD, dcat.catalog_jsonld(graph)), "Catalogue DCAT (JSON-LD)"
        ),
    )
    version = ctx.get(artifacts.CURRENT_VERSION)
    csl = FileView.of(
        ctx.file(urls.CITATION, json_text(citation_csl(ctx, version)).encode("utf-8")),
        "Citation des données (CSL-JSON)",
    )
    listed = [*whole, *(f for year in years for f in year.fichiers), csl]
    listed += [workbook, decp_file, ocds_file, package, archive, *catalogs, *schema_files, history]
    listed += [f for f in others if f.chemin not in {g.chemin for g in listed}]
    page = DataPage(
        site=site,
        date_reference=data.reference_date,
        jeux=views,
        annees=years,
        classeur=workbook,
        archive=archive,
        decp=decp_file,
        decp_resume=decp_summary,
        ocds=ocds_file,
        ocds_versions=releases,
        paquet=package,
        catalogues=catalogs,
        historique=history,
        fichiers=tuple(sorted(listed, key=lambda f: f.chemin)),
        abonnement=subscribe_view(urls.DATA),
        jsonld=catalog_jsonld(ctx, entries),
        nouveautes=relative_url(urls.DATA, urls.CHANGELOG),
        exemple=relative_url(urls.DATA, urls.table_file("marches", "csv")),
        citation=Citation(
            f"{DATA_TITLE}, version du {version}",
            data.publisher.nom,
            data.reference_date,
            data.publisher.url_site + urls.version(version),
        ),
        citation_csl=csl,
        version=relative_url(urls.DATA, urls.version(version)),
    )
    ctx.page(urls.DATA, "Données", render("downloads.html.j2", page=page), feeds=urls.MAIN_FEEDS)
    extra_datasets = analysis_datasets(ctx)
    for view, entry in zip((*views, *analysis_views), entries, strict=True):
        produce_dictionary(ctx, site, view, entry, extra_datasets)


DATA_TITLE = "Achats publics : marchés attribués, achats à venir et indicateurs"


def citation_csl(ctx: BuildContext, version: str) -> list[dict[str, Any]]:
    """The data as CSL-JSON (what Zotero and other reference managers import): the dated
    version, whose address never changes."""
    publisher = ctx.data.publisher
    day = ctx.data.reference_date
    return [
        {
            "id": f"achats-publics-{publisher.siret}-{version}",
            "type": "dataset",
            "title": f"{DATA_TITLE} – {publisher.nom}",
            "author": [{"literal": publisher.nom}],
            "publisher": publisher.nom,
            "issued": {"date-parts": [[day.year, day.month, day.day]]},
            "version": version,
            "URL": publisher.url_site + urls.version(version),
            "license": LICENCE_URL,
            "language": "fr",
            "medium": "CSV",
        }
    ]


def catalog_jsonld(ctx: BuildContext, entries: tuple[dcat.CatalogDataset, ...]) -> Any:
    publisher = ctx.data.publisher
    base = publisher.url_site
    return {
        "@context": "https://schema.org",
        "@type": "DataCatalog",
        "@id": f"{base}{urls.CATALOG}",
        "name": f"Achats publics – {publisher.nom}",
        "url": f"{base}{urls.DATA}",
        "inLanguage": "fr",
        "license": dcat.LICENCE_URL,
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
    ctx: BuildContext,
    site: SiteInfo,
    view: DatasetView,
    entry: dcat.CatalogDataset,
    extra: tuple[Dataset, ...] = (),
) -> None:
    ds = dataset_of(view.name, extra)
    page_path = urls.dictionary(ds.name)
    references = tuple(
        ForeignKeyView(
            ", ".join(fields),
            target,
            schemas.dataset(target).title,
            ", ".join(ref),
            relative_url(page_path, urls.dictionary(target)),
        )
        for fields, target, ref in ds.foreign_keys
    )
    page = DictionaryPage(
        site=site,
        jeu=replace(
            view,
            schema=relative_url(page_path, urls.schema_file(ds.name)),
            fichiers=tuple(f.seen_from(page_path) for f in view.fichiers),
            dictionnaire=relative_url(page_path, page_path),
        ),
        champs=field_views(ds),
        cle_primaire=ds.primary_key,
        references=references,
        jsonld=dataset_jsonld(ctx.data.publisher, entry, ctx.data.reference_date),
        donnees=relative_url(page_path, urls.DATA),
    )
    ctx.page(
        page_path,
        f"Dictionnaire des données : {view.titre}",
        render("dictionary.html.j2", page=page),
    )
