"""Figures for the explorers and detail pages: build time of each producer, page and search-index
sizes, the explorer's first view in bytes (gzip), and how long a filter change takes in headless
Chromium. Prints figures; asserts nothing (targets are in the README).

usage:
  python scripts/measure_explorers.py --contracts 100000  # demo data (achats_ouverts.tools.demo)
  python scripts/measure_explorers.py --data data         # an existing data folder
options: --out DIR (keep the built site there), --no-browser
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import importlib
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from achats_ouverts.building import postchecks
from achats_ouverts.output import urls
from achats_ouverts.output.plan import Plan
from achats_ouverts.pages import producers
from achats_ouverts.settings import Settings

build = importlib.import_module("achats_ouverts.building.build")
"""The module (`building.build` is also the name of its function)."""
CHROMIUM = "/usr/bin/chromium"
TIMINGS: dict[str, float] = {}


def timed(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            TIMINGS[name] = TIMINGS.get(name, 0.0) + time.perf_counter() - start

    return wrapper


def build_site(data_dir: Path, out: Path) -> None:
    plan = producers.PLAN
    producers.PLAN = Plan(
        tuple(replace(p, run=timed(p.label, p.run)) for p in plan.docs),
        tuple(replace(p, run=timed(p.label, p.run)) for p in plan.site),
    )
    build.validate = timed("validation", build.validate)
    build.load = timed("chargement", build.load)
    build.run_mkdocs = timed("mkdocs", build.run_mkdocs)
    postchecks.run = timed("vérifications", postchecks.run)
    build.publish = timed("publication", build.publish)
    start = time.perf_counter()
    build.build(Settings(data_dir=data_dir, output_dir=out))
    total = time.perf_counter() - start
    print(f"\n## Construction ({total:.1f} s au total)")
    for name, seconds in TIMINGS.items():
        print(f"  {name:38s} {seconds:7.2f} s")
    mine = [
        "listing.build_list_index",
        "explorers.produce_explorers",
        "entities.produce_entity_pages",
        "details.produce_detail_pages",
    ]
    print(
        f"  {'explorateurs et pages de détail':38s} {sum(TIMINGS.get(n, 0) for n in mine):7.2f} s"
    )


def sizes(paths: list[Path]) -> str:
    values = sorted(p.stat().st_size for p in paths)
    if not values:
        return "aucune"
    median = statistics.median(values) / 1024
    p90 = values[int(len(values) * 0.9)] / 1024
    return (
        f"{len(values)} pages, médiane {median:.1f} Ko, 90e centile {p90:.1f} Ko, "
        f"max {values[-1] / 1024:.1f} Ko"
    )


def detail_pages(folder: Path) -> list[Path]:
    return [
        Path(entry.path) / "index.html"
        for entry in os.scandir(folder)
        if entry.is_dir() and not entry.name.startswith("_")
    ]


def report_sizes(out: Path) -> None:
    print("\n## Tailles")
    print(f"  pages de marché       {sizes(detail_pages(out / urls.CONTRACTS))}")
    print(f"  pages de titulaire    {sizes(detail_pages(out / urls.SUPPLIERS))}")
    index = (out / "search" / "search_index.json").read_bytes()
    print(
        f"  index de recherche    {len(index) / 1024:.0f} Ko "
        f"({len(gzip.compress(index)) / 1024:.0f} Ko compressé)"
    )
    for section in (urls.CONTRACTS, urls.UPCOMING):
        shards = sorted((out / section / urls.EXPLORER_DATA).glob("*.json"))
        raw = [p.stat().st_size for p in shards]
        packed = [len(gzip.compress(p.read_bytes())) for p in shards]
        print(
            f"  données /{section}  {len(shards)} morceaux, {sum(raw) / 1024:.0f} Ko "
            f"({sum(packed) / 1024:.0f} Ko compressé), le plus gros {max(raw) / 1024:.0f} Ko"
        )


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        return None


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    handler = functools.partial(_Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def gzip_size(out: Path, url: str) -> int:
    path = unquote(urlsplit(url).path).lstrip("/")
    target = out / path
    if target.is_dir():
        target = target / "index.html"
    return len(gzip.compress(target.read_bytes(), compresslevel=6)) if target.is_file() else 0


STEP = """async ([selector, value]) => {
  const root = document.querySelector('[data-ao-explorateur]');
  const explorer = root.aoExplorateur;
  const control = document.querySelector(selector);
  const start = performance.now();
  if (selector.startsWith('[data-ao-page')) { control.click(); }
  else {
    control.value = value;
    control.dispatchEvent(new Event('change', {bubbles: true}));
  }
  while (root.getAttribute('data-ao-pret') !== String(explorer.sequence)) {
    await new Promise(resolve => setTimeout(resolve, 0));
  }
  await new Promise(resolve => requestAnimationFrame(() => setTimeout(resolve, 0)));
  return [performance.now() - start, document.querySelector('[data-ao-compte]').textContent];
}"""


def report_browser(out: Path) -> None:
    from playwright.sync_api import sync_playwright

    with serve(out) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--headless", "--no-sandbox"]
        )
        print("\n## Première vue (octets transférés si le serveur compresse en gzip)")
        for path in ("marches/", "achats-a-venir/"):
            page = browser.new_page()
            loaded: list[str] = []
            page.on("requestfinished", lambda request, seen=loaded: seen.append(request.url))
            page.goto(base + path, wait_until="networkidle")
            page.wait_for_timeout(500)
            total = sum(gzip_size(out, url) for url in loaded)
            shards = sum(1 for url in loaded if "/_donnees/" in url)
            print(
                f"  /{path:16s} {total / 1024:6.0f} Ko en {len(loaded)} requêtes "
                f"(dont {shards} morceaux de données)"
            )
            page.close()
        print("\n## Changement de filtre dans /marches/ (Chromium sans écran)")
        page = browser.new_page()
        page.goto(base + "marches/", wait_until="networkidle")
        ms, text = page.evaluate(STEP, ["#f-cpv", "45"])
        print(f"  {'premier filtre sans attente (charge toutes les données)':60s} {ms:7.1f} ms")
        page.close()
        page = browser.new_page()
        page.goto(base + "marches/", wait_until="networkidle")
        page.focus("#f-cpv")
        page.wait_for_timeout(2000)
        steps = [
            ("premier filtre, 2 s après être entré dans le formulaire", "#f-cpv", "45"),
            ("division CPV 72", "#f-cpv", "72"),
            ("tous les domaines", "#f-cpv", ""),
            ("première recherche libre « lycée »", "#f-recherche", "lycée"),
            ("tri par montant décroissant", "#f-tri", "montant-desc"),
            ("page suivante", "[data-ao-page='1']", ""),
            ("recherche « lycée lille »", "#f-recherche", "lycée lille"),
            ("procédure adaptée", "#f-procedure", "Procédure adaptée"),
            ("titulaire « bâtiment »", "#f-titulaire", "bâtiment"),
            ("montant minimum 1 000 000 €", "#f-min", "1000000"),
            ("considération sociale : sans", "#f-sociale", "non"),
            ("recherche effacée", "#f-recherche", ""),
        ]
        durations = []
        for label, selector, value in steps:
            ms, text = page.evaluate(STEP, [selector, value])
            durations.append(ms)
            print(f"  {label:60s} {ms:7.1f} ms  ({' '.join(text.split())[:60]})")
        later = durations[1:]
        print(
            f"  après le premier chargement : médiane {statistics.median(later):.1f} ms, "
            f"max {max(later):.1f} ms"
        )
        browser.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument(
        "--contracts", type=int, help="générer un jeu de démonstration de N marchés"
    )
    source.add_argument("--data", type=Path, help="dossier de données existant")
    parser.add_argument("--out", type=Path, help="dossier où garder le site construit")
    parser.add_argument("--no-browser", action="store_true", help="sans mesure dans Chromium")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="mesure-explorateurs-") as work:
        data_dir = args.data
        if data_dir is None:
            from achats_ouverts.tools import demo

            data_dir = Path(work) / "data"
            start = time.perf_counter()
            demo.write_demo(data_dir, contracts=args.contracts)
            for name in ("editeur.yaml", "politique.yaml"):
                if not (data_dir / name).is_file():
                    shutil.copyfile(Path("data") / name, data_dir / name)
            print(
                f"données générées : {args.contracts} marchés ({time.perf_counter() - start:.1f} s)"
            )
        out = args.out or Path(work) / "site"
        build_site(data_dir, out)
        report_sizes(out)
        if not args.no_browser:
            report_browser(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
