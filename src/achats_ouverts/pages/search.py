"""The site's search: one search for contracts, companies, upcoming purchases, buying services,
CPV divisions, towns and départements of execution, and the site's pages (`search.html.j2`,
`/recherche/`, and the field of the header, `site_src/overrides/partials/search.html`, that the
script `site_src/assets/recherche.js` drives).

The index is an inverted index written as static files under `recherche/_index/` and loaded only
when someone types:

- `manifeste.json`: the kinds of result (label, count, where « see them all » leads) and the keys
  of the word files;
- `mots-<clé>.json`: for the words starting with that key, per kind, the documents holding the
  word (ascending numbers, delta-encoded). A key has two characters; when the words under a key
  weigh more than `WORDS_LIMIT`, they are split by their next character, so that no query loads
  a large file (a uid, a SIRET, a word of an object: one or two files of a few kilobytes);
- `<type>-<n>.json`: documents `n * DOCUMENTS_PER_FILE` and after, each `[title, address from
  the site root, detail]`; a query loads the files of the first results it shows only.

Words are folded as the explorers fold them (`french.search_text`: accents, case, ligatures) and
matched by prefix (« toit » finds « toiture »); every word of the query must match. Documents are
numbered in the order results are shown: contracts latest first, companies by amount received.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from achats_ouverts import cpv
from achats_ouverts.french import euros, french_date, plural, words_of
from achats_ouverts.model import Data, aggregates
from achats_ouverts.output import BuildContext, artifacts, relative_url, render, urls
from achats_ouverts.output.explorer_data import compact_json
from achats_ouverts.output.listing import ListIndex, departement_name, to_date
from achats_ouverts.output.site_info import SiteInfo

DOCUMENTS_PER_FILE = 200
WORDS_LIMIT = 48_000
"""Estimated bytes of a words file past which it is split by the next character."""
KEY_LENGTH = 2


@dataclass
class Kind:
    """One kind of result: its documents (in the order results are shown) and their words."""

    key: str
    libelle: str
    explorateur: str = ""
    """Where « see them all » leads, the query appended (the explorer's free text)."""
    documents: list[tuple[str, str, str]] = field(default_factory=list)
    words: list[list[str]] = field(default_factory=list)

    def add(self, title: str, address: str, detail: str, texts: Iterable[str]) -> None:
        self.documents.append((title, address, detail))
        self.words.append(sorted({w for text in texts for w in words_of(text)}))


# --- The documents of each kind ------------------------------------------------------------------


def contract_kind(index: ListIndex) -> Kind:
    kind = Kind("marches", "Marchés", urls.explorer(urls.CONTRACTS, recherche=""))
    frame = index.contracts
    for uid, ident, slug, objet, day, amount in zip(
        frame["uid"],
        frame["id"],
        frame["slug"],
        frame["objet"],
        frame["dateNotification"],
        frame["montant"],
        strict=True,
    ):
        holders = [index.suppliers[k] for k in index.suppliers_of.get(uid, ())]
        notified = to_date(day)
        detail = " · ".join(
            part
            for part in (
                uid,
                french_date(notified) if notified else "",
                "" if pd.isna(amount) else euros(float(amount)) + " HT",
                ", ".join(h.nom for h in holders),
            )
            if part
        )
        kind.add(
            objet,
            index.contract_link("", slug),
            detail,
            [objet, uid, ident, *(h.nom for h in holders), *(h.identifier for h in holders)],
        )
    return kind


def supplier_kind(data: Data, index: ListIndex) -> Kind:
    """Companies holding a contract, the largest equal share of amounts first."""
    totals = aggregates.supplier_year_totals(
        index.contracts.assign(annee=index.contracts["annee"].fillna(0)), data.contract_suppliers
    )
    keys = ["titulaire_typeIdentifiant", "titulaire_id"]
    summed = totals.groupby(keys, sort=True)[["marches", "montant_part"]].sum().reset_index()
    ranked = aggregates.ranked(summed, "montant_part", keys)
    kind = Kind("titulaires", "Entreprises")
    for kind_id, ident, count in zip(
        ranked["titulaire_typeIdentifiant"], ranked["titulaire_id"], ranked["marches"], strict=True
    ):
        info = index.suppliers[(kind_id, ident)]
        detail = " · ".join(
            p for p in (f"{kind_id} {ident}", info.commune, plural(int(count), "marché")) if p
        )
        kind.add(info.nom, urls.supplier(info.slug), detail, [info.nom, ident, info.commune])
    return kind


def upcoming_kind(data: Data) -> Kind:
    kind = Kind(
        "achats",
        "Achats à venir",
        urls.explorer(urls.UPCOMING, statut="tous", recherche=""),
    )
    frame = data.upcoming.sort_values("id", kind="stable")
    for ident, objet, status, place in zip(
        frame["id"], frame["objet"], frame["statut"], frame["lieuExecution_nom"], strict=True
    ):
        kind.add(
            objet,
            urls.explorer(urls.UPCOMING, statut="tous", recherche=ident),
            " · ".join(p for p in (f"référence {ident}", status, place) if p),
            [objet, ident],
        )
    return kind


def service_kind(data: Data, counts: dict[str, int]) -> Kind:
    kind = Kind("services", "Services acheteurs")
    frame = data.services.sort_values("service_nom", kind="stable")
    for sid, nom in zip(frame["service_id"], frame["service_nom"], strict=True):
        kind.add(nom, urls.service(sid), plural(counts.get(sid, 0), "marché"), [nom, sid])
    return kind


def division_kind(data: Data, index: ListIndex) -> Kind:
    """CPV divisions with a page: those of a contract or an upcoming purchase."""
    codes = set(index.contracts["cpv_division"].dropna()) | set(
        data.upcoming["codeCPV"].str.slice(0, 2)
    )
    counts = index.contracts["cpv_division"].value_counts()
    kind = Kind("cpv", "Domaines d'achat (CPV)")
    for code in sorted(c for c in codes if c and c.isdigit() and len(c) == 2):
        label = data.nomenclature.labels.get(code.ljust(8, "0")) or cpv.DIVISIONS.get(code, "")
        kind.add(
            f"CPV {code} – {label or 'division ' + code}",
            urls.cpv_division(code),
            plural(int(counts.get(code, 0)), "marché"),
            [code, label],
        )
    return kind


def commune_names(data: Data) -> dict[str, str]:
    """Names of towns by INSEE code, from the suppliers' table and the upcoming purchases."""
    names: dict[str, str] = {}
    up = data.upcoming
    for code, kind, name in zip(
        up["lieuExecution_code"], up["lieuExecution_typeCode"], up["lieuExecution_nom"], strict=True
    ):
        if kind == "Code commune" and name:
            names.setdefault(code, name)
    ref = data.suppliers
    for code, name in zip(ref["titulaire_commune_code"], ref["titulaire_commune_nom"], strict=True):
        if code and name:
            names.setdefault(code, name)
    return names


def commune_kind(data: Data, index: ListIndex) -> Kind:
    """Towns where contracts are executed, leading to the explorer filtered on them."""
    frame = index.contracts
    is_commune = frame["lieuExecution_typeCode"] == "Code commune"
    counts = frame.loc[is_commune, "lieuExecution_code"].value_counts()
    names = commune_names(data)
    kind = Kind("communes", "Communes d'exécution")
    for code in sorted(counts.index, key=lambda c: (names.get(c, ""), c)):
        name = names.get(code, "")
        kind.add(
            f"{name} ({code})" if name else f"Commune {code}",
            urls.explorer(urls.CONTRACTS, commune=code),
            f"{plural(int(counts[code]), 'marché')} exécuté(s) dans la commune",
            [name, code],
        )
    return kind


def departement_kind(data: Data, index: ListIndex) -> Kind:
    frame = index.contracts
    up = aggregates.execution_departement(
        data.upcoming["lieuExecution_code"], data.upcoming["lieuExecution_typeCode"]
    )
    codes = set(frame["departement"]) | set(up) | set(data.publisher.departements)
    counts = frame["departement"].value_counts()
    kind = Kind("departements", "Départements d'exécution")
    for code in sorted(c for c in codes if c):
        name = departement_name(code)
        kind.add(
            f"{name} ({code})",
            urls.departement(code),
            plural(int(counts.get(code, 0)), "marché"),
            [name, code],
        )
    return kind


def page_kind(mkdocs_index: dict[str, Any], pages: set[str]) -> Kind:
    """The site's pages MkDocs built (titles and section headings of its search index), outside
    the sections whose pages are results of another kind."""
    others = (urls.SERVICES, urls.CPV, urls.DEPARTEMENTS, urls.SEARCH)
    titles: dict[str, str] = {}
    headings: dict[str, list[str]] = {}
    for doc in mkdocs_index.get("docs", []):
        location = str(doc.get("location", ""))
        address, _, anchor = location.partition("#")
        if address not in pages or any(address.startswith(o) for o in others if o):
            continue
        title = str(doc.get("title", ""))
        if anchor:
            headings.setdefault(address, []).append(title)
        else:
            titles[address] = title
    kind = Kind("pages", "Pages du site")
    for address in sorted(titles, key=lambda a: (a.count("/"), a)):
        kind.add(
            titles[address] or "Accueil", address, "", [titles[address], *headings.get(address, [])]
        )
    return kind


def kinds(
    data: Data, index: ListIndex, mkdocs_index: dict[str, Any], pages: set[str]
) -> list[Kind]:
    services = index.contracts["acheteur_service_id"].value_counts()
    return [
        contract_kind(index),
        supplier_kind(data, index),
        upcoming_kind(data),
        service_kind(data, {str(k): int(n) for k, n in services.items()}),
        division_kind(data, index),
        commune_kind(data, index),
        departement_kind(data, index),
        page_kind(mkdocs_index, pages),
    ]


# --- The inverted index ------------------------------------------------------------------------


def postings(all_kinds: list[Kind]) -> dict[str, dict[str, list[int]]]:
    """word -> kind -> ascending document numbers."""
    found: dict[str, dict[str, list[int]]] = {}
    for kind in all_kinds:
        for number, words in enumerate(kind.words):
            for word in words:
                found.setdefault(word, {}).setdefault(kind.key, []).append(number)
    return found


def deltas(numbers: list[int]) -> list[int]:
    return [n - (numbers[i - 1] if i else 0) for i, n in enumerate(numbers)]


def weight(word: str, by_kind: dict[str, list[int]]) -> int:
    """Estimated bytes of a word in its file."""
    return len(word) + 8 + sum(len(str(d)) + 1 for n in by_kind.values() for d in deltas(n))


def split_keys(
    words: dict[str, dict[str, list[int]]], limit: int = WORDS_LIMIT
) -> dict[str, list[str]]:
    """The files of the index: key -> the words it holds. Words are grouped by their first
    KEY_LENGTH characters; a group heavier than `limit` is split by the next character (its
    words no longer than the key stay under it)."""
    sizes = {w: weight(w, k) for w, k in words.items()}
    files: dict[str, list[str]] = {}

    def place(key: str, members: list[str]) -> None:
        if sum(sizes[w] for w in members) <= limit or all(len(w) <= len(key) for w in members):
            files[key] = members
            return
        short = [w for w in members if len(w) <= len(key)]
        if short:
            files[key] = short
        children: dict[str, list[str]] = {}
        for w in members:
            if len(w) > len(key):
                children.setdefault(w[: len(key) + 1], []).append(w)
        for child, group in sorted(children.items()):
            place(child, group)

    groups: dict[str, list[str]] = {}
    for w in sorted(words):
        groups.setdefault(w[:KEY_LENGTH], []).append(w)
    for key, members in sorted(groups.items()):
        place(key, members)
    return files


@dataclass(frozen=True)
class IndexFile:
    path: str
    content: Any


def index_files(all_kinds: list[Kind]) -> Iterator[IndexFile]:
    """The manifest, the words files and the documents files (paths under `urls.SEARCH`)."""
    words = postings(all_kinds)
    files = split_keys(words)
    manifest = {
        "version": 1,
        "parFichier": DOCUMENTS_PER_FILE,
        "types": [
            {
                "cle": k.key,
                "libelle": k.libelle,
                "nombre": len(k.documents),
                "explorateur": k.explorateur,
            }
            for k in all_kinds
        ],
        "cles": sorted(files),
        "fichiers": {"mots": urls.SEARCH_WORDS, "documents": urls.SEARCH_DOCUMENTS},
    }
    yield IndexFile(urls.search_manifest(), manifest)
    for key, members in sorted(files.items()):
        content: dict[str, dict[str, list[int]]] = {}
        for w in members:
            for kind_key, numbers in words[w].items():
                content.setdefault(kind_key, {})[w] = deltas(numbers)
        yield IndexFile(urls.search_words(key), content)
    for kind in all_kinds:
        for start in range(0, len(kind.documents), DOCUMENTS_PER_FILE):
            chunk = [list(d) for d in kind.documents[start : start + DOCUMENTS_PER_FILE]]
            yield IndexFile(urls.search_documents(kind.key, start // DOCUMENTS_PER_FILE), chunk)


def read_mkdocs_index(site_dir: Path) -> dict[str, Any]:
    """MkDocs' own search index of its pages (titles and headings), if it wrote one."""
    path = site_dir / urls.MKDOCS_SEARCH_INDEX
    if not path.is_file():
        return {}
    value = json.loads(path.read_text(encoding="utf-8"))
    return value if isinstance(value, dict) else {}


def produce_search_index(ctx: BuildContext) -> None:
    """The index of every kind of result, after MkDocs (the pages are one of them)."""
    built: tuple[str, ...] = ctx.get(artifacts.MKDOCS_PAGES)
    pages = set(built)
    all_kinds = kinds(
        ctx.data, ctx.get(artifacts.LIST_INDEX), read_mkdocs_index(ctx.site_dir), pages
    )
    for item in index_files(all_kinds):
        ctx.file(item.path, compact_json(item.content))


# --- The search page ----------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchPage:
    site: SiteInfo
    marches: str
    titulaires: str
    achats: str
    classements: str


def produce_search_page(ctx: BuildContext) -> None:
    """The search page (outside the navigation: the header's field leads to it)."""
    page = SearchPage(
        SiteInfo.of(ctx.data.publisher),
        relative_url(urls.SEARCH, urls.CONTRACTS),
        relative_url(urls.SEARCH, urls.SUPPLIERS),
        relative_url(urls.SEARCH, urls.UPCOMING),
        relative_url(urls.SEARCH, urls.RANKINGS),
    )
    ctx.page(urls.SEARCH, "Rechercher", render("search.html.j2", page=page), search=False)
