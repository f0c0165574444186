"""The data changelog: what changed since the previous release, and the history of every release.

The previous release is a published site (by default the one already in the output folder, or the
folder given with `--precedent`); nothing is downloaded. Its CSVs are compared with the data being
published: new, modified and removed contracts; new and removed upcoming purchases, and those whose
status changed. The history is carried forward from its machine-readable changelog
(`donnees/nouveautes.json`): a rebuild with no change adds nothing, the first release says it is the
first, and removals are listed like any other change. The previous publication's files are read
at the addresses the downloads publish them (`output.urls`): a previous publication that lacks
them stops the build, rather than silently recording nothing.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from achats_ouverts.datafolder import json_text
from achats_ouverts.errors import BuildError
from achats_ouverts.exports import versions
from achats_ouverts.exports.rows import row_dicts
from achats_ouverts.exports.syndication import FeedEntry, FeedSpec, atom_bytes, tag
from achats_ouverts.french import french_date, plural
from achats_ouverts.model import Data
from achats_ouverts.output import BuildContext, artifacts, relative_url, render, urls

FORMAT_VERSION = 1
SHOWN_PER_LIST = 200
"""Items of each list shown on the page for one release; the JSON holds them all."""


COMPARED = ("marches", "achats-a-venir")
"""The datasets of the previous publication compared with the data being published."""
RELEASE_IDS = "nouveautes"
"""Where the ids of releases in the feed are taken from (`tag:…:nouveautes/3`): ids, not
addresses, they stay the same if pages move."""


def is_publication(folder: Path | None) -> bool:
    """Whether `folder` holds a previous publication: a folder with anything in it."""
    return folder is not None and folder.is_dir() and any(folder.iterdir())


def read_previous_csv(site: Path, name: str) -> pd.DataFrame:
    """A dataset of the previous publication, read where the downloads publish it. A publication
    without it fails loudly: comparing with nothing would silently record no change, build after
    build."""
    address = urls.table_file(name, "csv")
    path = site / address
    if not path.is_file():
        raise BuildError(
            f"{site} : la publication précédente n'a pas de fichier {address}, où ce site publie "
            "ce jeu de données ; le journal des changements ne peut pas la comparer. Indiquer "
            "la bonne publication avec --precedent, ou construire dans un dossier vide pour une "
            "première publication"
        )
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise BuildError(
            f"{path} : fichier de la publication précédente illisible ({exc})"
        ) from exc


def read_history(site: Path | None) -> list[dict[str, Any]]:
    """The releases listed by the previous site's changelog (none without one)."""
    if site is None:
        return []
    path = site / urls.CHANGELOG_JSON
    if not path.is_file():
        return []
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        releases = document["publications"]
        assert isinstance(releases, list)
        return releases
    except (ValueError, KeyError, TypeError, AssertionError, UnicodeDecodeError) as exc:
        raise BuildError(
            f"{path} : journal des changements précédent illisible ({exc}) ; "
            "indiquer une autre publication avec --precedent"
        ) from exc


def row_hashes(frame: pd.DataFrame, key: str, columns: list[str]) -> pd.Series:
    hashes = pd.util.hash_pandas_object(frame[columns], index=False)
    return pd.Series(hashes.to_numpy(), index=frame[key].to_numpy())


def contract_item(row: dict[str, str]) -> dict[str, Any]:
    return {name: row.get(name, "") for name in ("uid", "objet", "montant", "dateNotification")}


def compare_contracts(before: pd.DataFrame, after: pd.DataFrame) -> dict[str, list[dict[str, Any]]]:
    """New, modified (with the columns that changed) and removed contracts, sorted by uid."""
    columns = [c for c in after.columns if c in before.columns]
    old = row_hashes(before, "uid", columns)
    new = row_hashes(after, "uid", columns)
    added = after[~after["uid"].isin(old.index)].sort_values("uid")
    removed = before[~before["uid"].isin(new.index)].sort_values("uid")
    common = new.index.intersection(old.index)
    changed = sorted(common[new.loc[common].to_numpy() != old.loc[common].to_numpy()])
    modified = []
    if changed:
        fields = [c for c in columns if c != "uid"]
        now = after.set_index("uid").loc[changed, fields]
        then = before.set_index("uid").loc[changed, fields]
        differs = now.ne(then).to_numpy()
        for row, flags in zip(row_dicts(now.reset_index()), differs, strict=True):
            item = contract_item(row)
            item["champs"] = [name for name, flag in zip(fields, flags, strict=True) if flag]
            modified.append(item)
    return {
        "nouveaux": [contract_item(r) for r in row_dicts(added)],
        "modifies": modified,
        "supprimes": [contract_item(r) for r in row_dicts(removed)],
    }


def upcoming_item(row: dict[str, str]) -> dict[str, Any]:
    return {name: row.get(name, "") for name in ("id", "objet", "statut")}


def compare_upcoming(before: pd.DataFrame, after: pd.DataFrame) -> dict[str, list[dict[str, Any]]]:
    """New and removed upcoming purchases, and those whose status changed, sorted by id."""
    added = after[~after["id"].isin(before["id"])].sort_values("id")
    removed = before[~before["id"].isin(after["id"])].sort_values("id")
    pairs = after[["id", "objet", "statut"]].merge(
        before[["id", "statut"]], on="id", suffixes=("", "_avant")
    )
    moved = pairs[pairs["statut"] != pairs["statut_avant"]].sort_values("id")
    return {
        "achats_nouveaux": [upcoming_item(r) for r in row_dicts(added)],
        "achats_statut": [
            {"id": r["id"], "objet": r["objet"], "avant": r["statut_avant"], "apres": r["statut"]}
            for r in row_dicts(moved)
        ],
        "achats_retires": [upcoming_item(r) for r in row_dicts(removed)],
    }


LISTS = ("nouveaux", "modifies", "supprimes", "achats_nouveaux", "achats_statut", "achats_retires")


def new_release(
    data: Data, previous_site: Path | None, history: list[dict[str, Any]]
) -> dict[str, Any] | None:
    """The release to add to the history, or None when nothing changed."""
    totals = {"marches": len(data.text["marches"]), "achats": len(data.text["achats-a-venir"])}
    number = (max((int(r.get("numero", 0)) for r in history), default=0)) + 1
    # The data's reference date, never earlier than the previous release (removing the latest
    # contract must not move the release back in time).
    day = max([data.reference_date.isoformat(), *(str(r.get("date", "")) for r in history)])
    taken = {str(r["version"]) for r in history if r.get("version")}
    name = versions.version_name(day, number, taken)
    base = {"numero": number, "date": day, "version": name, **totals}
    if previous_site is None or not is_publication(previous_site):
        if history:
            return None
        return {**base, "premiere": True, **{name: [] for name in LISTS}}
    before, upcoming_before = (read_previous_csv(previous_site, name) for name in COMPARED)
    changes = compare_contracts(before, data.text["marches"])
    upcoming = data.text["achats-a-venir"]
    if not {"id", "statut"} <= set(upcoming_before.columns):
        upcoming_before = upcoming.iloc[0:0]
    changes.update(compare_upcoming(upcoming_before, upcoming))
    if not any(changes[name] for name in LISTS):
        return None
    return {**base, "premiere": False, **changes}


# --- Page and feed -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReleaseView:
    """One release as the page shows it (lists cut to SHOWN_PER_LIST items)."""

    numero: int
    date: date
    premiere: bool
    marches: int
    achats: int
    resume: str
    listes: tuple[tuple[str, str, tuple[dict[str, Any], ...], int], ...]
    """(list key, French heading, shown items, total count)."""
    version: str = ""
    """The name of its dated version of the data, if the site still keeps it."""
    fichiers: tuple[tuple[str, str, int], ...] = ()
    """(file name, link, size in bytes) of the files of that version."""


@dataclass(frozen=True)
class ChangelogPage:
    publications: tuple[ReleaseView, ...]
    json_href: str
    json_octets: int
    flux_href: str
    limite: int


LIST_HEADINGS = {
    "nouveaux": "Nouveaux marchés",
    "modifies": "Marchés modifiés",
    "supprimes": "Marchés retirés de la publication",
    "achats_nouveaux": "Nouveaux achats annoncés",
    "achats_statut": "Achats à venir dont le statut a changé",
    "achats_retires": "Achats retirés de la programmation",
}


def summary(release: dict[str, Any]) -> str:
    """One French sentence for a release (the feed title and the page)."""
    if release.get("premiere"):
        return (
            f"Première publication : {plural(release['marches'], 'marché', 'marchés')} et "
            f"{plural(release['achats'], 'achat à venir', 'achats à venir')}."
        )
    counts = (
        ("nouveaux", "nouveau marché", "nouveaux marchés"),
        ("modifies", "marché modifié", "marchés modifiés"),
        ("supprimes", "marché retiré", "marchés retirés"),
        ("achats_nouveaux", "nouvel achat annoncé", "nouveaux achats annoncés"),
        ("achats_statut", "achat dont le statut change", "achats dont le statut change"),
        ("achats_retires", "achat retiré", "achats retirés"),
    )
    parts = [plural(len(release[key]), one, many) for key, one, many in counts if release[key]]
    return ", ".join(parts).capitalize() + "."


def release_view(
    release: dict[str, Any],
    kept: dict[str, tuple[str, ...]] | None = None,
    sizes: dict[str, int] | None = None,
) -> ReleaseView:
    """What the page says of a release; `sizes` gives the size of each published file by its
    address (a download link says its size)."""
    name = str(release.get("version", ""))
    lists = tuple(
        (key, heading, tuple(release.get(key, [])[:SHOWN_PER_LIST]), len(release.get(key, [])))
        for key, heading in LIST_HEADINGS.items()
        if release.get(key)
    )
    return ReleaseView(
        numero=int(release["numero"]),
        date=date.fromisoformat(release["date"]),
        premiere=bool(release.get("premiere")),
        marches=int(release.get("marches", 0)),
        achats=int(release.get("achats", 0)),
        resume=summary(release),
        listes=lists,
        version=name if name in (kept or {}) else "",
        fichiers=tuple(
            (
                path,
                relative_url(urls.CHANGELOG, urls.version(name, path)),
                (sizes or {}).get(urls.version(name, path), 0),
            )
            for path in (kept or {}).get(name, ())
            if "/" not in path
        ),
    )


def changes_feed(data: Data, history: list[dict[str, Any]]) -> FeedSpec:
    publisher = data.publisher
    entries = [
        FeedEntry(
            id=tag(publisher, f"{RELEASE_IDS}/{release['numero']}"),
            titre=f"Publication du {french_date(release['date'])}",
            lien=f"{publisher.url_site}{urls.CHANGELOG}#publication-{release['numero']}",
            resume=summary(release),
            mis_a_jour=date.fromisoformat(release["date"]),
        )
        for release in sorted(history, key=lambda r: int(r["numero"]), reverse=True)
    ]
    return FeedSpec(
        urls.CHANGES_FEED.chemin,
        f"Nouveautés des données – {publisher.nom}",
        "Ce qui change d'une publication à l'autre : marchés nouveaux, modifiés ou retirés, "
        "achats à venir.",
        urls.CHANGELOG,
        tuple(entries),
    )


def current_version(history: list[dict[str, Any]]) -> str:
    """The version of the latest release, named now if the release has none yet (a history
    written before versions existed): the data being published are that release's data."""
    latest = max(history, key=lambda r: int(r["numero"]))
    if not latest.get("version"):
        taken = {str(r["version"]) for r in history if r.get("version")}
        latest["version"] = versions.version_name(str(latest["date"]), int(latest["numero"]), taken)
    return str(latest["version"])


def publish_versions(
    ctx: BuildContext, previous: Path | None, current: str
) -> dict[str, tuple[str, ...]]:
    """The versions of the data the site keeps: those of the previous publication, copied byte
    for byte after checking their checksums, and the current one (copied too when the previous
    publication has it already); the `ctx.versions_kept` latest, or all. Returns name -> files."""
    stored = {}
    if previous is not None and is_publication(previous):
        stored = {v.name: v for v in versions.stored_versions(previous / urls.VERSIONS)}
    kept: dict[str, tuple[str, ...]] = {}
    for name in versions.kept(
        [*stored, *([current] if current not in stored else [])], ctx.versions_kept
    ):
        if name in stored:
            for path in stored[name].files:
                target = ctx.file_path(urls.version(name, path))
                shutil.copyfile(stored[name].folder / path, target)
                ctx.record(urls.version(name, path))
            kept[name] = stored[name].files
        else:
            files = versions.version_files(
                ctx.data, name, ctx.data.publisher.url_site + urls.version(name)
            )
            for path, body in files:
                ctx.file(urls.version(name, path), body)
            kept[name] = tuple(path for path, _ in files)
    index = {
        "version": 1,
        "versions": [
            {
                "nom": name,
                "adresse": urls.version(name),
                "fichiers": [
                    {
                        "chemin": path,
                        "octets": ctx.published[urls.version(name, path)].octets,
                        "sha256": ctx.published[urls.version(name, path)].sha256,
                    }
                    for path in files
                ],
            }
            for name, files in sorted(kept.items())
        ],
    }
    ctx.file(urls.VERSIONS_INDEX, json_text(index).encode("utf-8"))
    return kept


def produce_changelog(ctx: BuildContext) -> None:
    """Compare with the previous release, then write the history, its page and its feed, and
    the dated versions of the data; the history file and the current version are published for
    the downloads."""
    data = ctx.data
    previous = ctx.get(artifacts.PREVIOUS_SITE)
    history = read_history(previous)
    release = new_release(data, previous, history)
    if release is not None:
        history = [*history, release]
    current = current_version(history)
    kept = publish_versions(ctx, previous, current)
    ctx.put(artifacts.CURRENT_VERSION, current)
    document = {"version": FORMAT_VERSION, "publications": history}
    document_bytes = json_text(document).encode("utf-8")
    ctx.put(artifacts.CHANGELOG_FILE, ctx.file(urls.CHANGELOG_JSON, document_bytes))
    ctx.file(
        urls.CHANGES_FEED.chemin,
        atom_bytes(changes_feed(data, history), data.publisher, data.reference_date),
    )
    ordered = sorted(history, key=lambda r: int(r["numero"]), reverse=True)
    sizes = {
        urls.version(name, path): ctx.published[urls.version(name, path)].octets
        for name, files in kept.items()
        for path in files
    }
    page = ChangelogPage(
        publications=tuple(release_view(r, kept, sizes) for r in ordered),
        json_href=relative_url(urls.CHANGELOG, urls.CHANGELOG_JSON),
        json_octets=len(document_bytes),
        flux_href=relative_url(urls.CHANGELOG, urls.CHANGES_FEED.chemin),
        limite=SHOWN_PER_LIST,
    )
    ctx.page(
        urls.CHANGELOG,
        "Nouveautés",
        render("changelog.html.j2", page=page),
        feeds=(urls.CHANGES_FEED,),
    )
