"""Restaurer l'état de la publication précédente depuis le site publié, avant de construire.

    python exemples/deploiement/restaurer_publication.py URL_DU_SITE DOSSIER
    achats-ouverts build data -o public --precedent DOSSIER

Une intégration continue construit le site dans un dossier neuf : sans la publication
précédente, chaque construction serait une « première publication » (le journal des changements
et son flux repartiraient de zéro, les versions datées des données seraient perdues). Ce script,
lancé par la chaîne de publication (l'outil, lui, ne télécharge jamais rien), recopie dans
DOSSIER ce que la construction lit de la publication précédente :

- `donnees/nouveautes.json`, l'historique des publications ;
- les jeux comparés d'une publication à l'autre (`marches.csv`, `achats-a-venir.csv`), vérifiés
  par leur empreinte SHA-256 dans `donnees/datapackage.json` ;
- chaque version datée (`donnees/versions/<date>/`), fichier par fichier, vérifiée par les
  empreintes de `donnees/versions/versions.json` (la construction les vérifie encore avec leur
  `SHA256SUMS`).

Sans publication en ligne (première publication : `donnees/nouveautes.json` répond 404), DOSSIER
reste vide et la construction le dit. Une empreinte fausse, une réponse incomplète ou une erreur
du réseau arrêtent le script (code 1) : mieux vaut ne pas publier que perdre l'historique.
Sans URL_DU_SITE, l'adresse est lue dans `data/editeur.yaml` (`url_site`).
"""

from __future__ import annotations

import hashlib
import json
import sys
import urllib.error
import urllib.request
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from achats_ouverts.output import urls

COMPARED = ("marches", "achats-a-venir")
TIMEOUT = 60


class Restoration(Exception):
    """What stops the restoration, in one line."""


def fetch(base: str, address: str) -> bytes | None:
    """The file at `address` of the site at `base`; None when the site answers 404."""
    url = base + address
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT) as response:
            data: bytes = response.read()
            return data
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            return None
        raise Restoration(f"{url} : réponse HTTP {exc.code}") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise Restoration(f"{url} : site injoignable ({exc})") from exc


def checked(base: str, address: str, sha256: str) -> bytes:
    data = fetch(base, address)
    if data is None:
        raise Restoration(f"{base}{address} : fichier absent du site publié")
    if hashlib.sha256(data).hexdigest() != sha256:
        raise Restoration(f"{base}{address} : empreinte SHA-256 différente de celle publiée")
    return data


def write(folder: Path, address: str, data: bytes) -> None:
    path = PurePosixPath(address)
    if path.is_absolute() or ".." in path.parts:
        raise Restoration(f"chemin refusé : « {address} »")
    target = folder.joinpath(*path.parts)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)


def json_of(data: bytes, address: str) -> Any:
    try:
        return json.loads(data)
    except ValueError as exc:
        raise Restoration(f"{address} : JSON illisible ({exc})") from exc


def restore(base: str, folder: Path) -> int:
    """Copy the previous publication's state into `folder`; returns the number of files."""
    if not base.startswith(("http://", "https://")):
        raise Restoration(f"« {base} » n'est pas une adresse http(s)")
    base = base if base.endswith("/") else base + "/"
    folder.mkdir(parents=True, exist_ok=True)
    if any(folder.iterdir()):
        raise Restoration(f"{folder} n'est pas vide : indiquer un dossier neuf")
    history = fetch(base, urls.CHANGELOG_JSON)
    if history is None:
        print(f"Aucune publication à {base} : première publication.")
        return 0
    json_of(history, urls.CHANGELOG_JSON)
    count = 0
    package_bytes = fetch(base, urls.DATA_PACKAGE)
    if package_bytes is None:
        raise Restoration(f"{base}{urls.DATA_PACKAGE} : absent alors que l'historique existe")
    package = json_of(package_bytes, urls.DATA_PACKAGE)
    hashes = {r["name"]: str(r.get("hash", "")) for r in package.get("resources", [])}
    for name in COMPARED:
        address = urls.table_file(name, "csv")
        write(folder, address, checked(base, address, hashes.get(name, "").removeprefix("sha256:")))
        count += 1
    index = fetch(base, urls.VERSIONS_INDEX)
    if index is not None:
        for version in json_of(index, urls.VERSIONS_INDEX).get("versions", []):
            for item in version["fichiers"]:
                address = urls.version(version["nom"], item["chemin"])
                write(folder, address, checked(base, address, item["sha256"]))
                count += 1
    write(folder, urls.CHANGELOG_JSON, history)
    return count + 1


def site_address(argv: list[str]) -> str:
    if argv:
        return argv[0]
    config = yaml.safe_load(Path("data/editeur.yaml").read_text(encoding="utf-8"))
    return str(config["url_site"])


def main(argv: list[str]) -> int:
    if not argv or len(argv) > 2:
        print("usage : restaurer_publication.py [URL_DU_SITE] DOSSIER", file=sys.stderr)
        return 2
    folder = Path(argv[-1])
    try:
        count = restore(site_address(argv[:-1]), folder)
    except Restoration as exc:
        print(f"Restauration impossible : {exc}", file=sys.stderr)
        return 1
    if count:
        print(f"Publication précédente restaurée dans {folder} : {count} fichiers vérifiés.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
