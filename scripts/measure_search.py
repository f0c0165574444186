"""Measure the site's search on a built site: index size per kind of result (raw and gzip) and the
time to first results in Chromium, cold (nothing loaded yet) and warm.

    python scripts/measure_search.py SITE [--requetes toiture lycee 59350 …] [--json out.json]

Pass a site built by `achats-ouverts build` (for 100 000 contracts: `scripts/bench.py --contracts
100000 --dossier DIR`, then `DIR/site`). « After typing » is measured from the input event of the
last character to the results written in the page, the field's debounce (60 ms) included; the
search itself (index files fetched, words matched, first documents fetched) is also given alone.
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fixtures import browser  # noqa: E402

INDEX = "recherche/_index"


def gz(data: bytes) -> int:
    return len(gzip.compress(data, 6))


def index_sizes(site: Path) -> dict[str, Any]:
    """Per kind: documents files and the kind's part of the words files, raw and gzip bytes."""
    folder = site / INDEX
    manifest = json.loads((folder / "manifeste.json").read_text("utf-8"))
    kinds = {t["cle"]: {"documents": t["nombre"], "brut": 0, "gzip": 0} for t in manifest["types"]}
    words_raw = words_gz = 0
    largest = (0, "")
    for path in sorted(folder.glob("mots-*.json")):
        data = path.read_bytes()
        words_raw += len(data)
        size = gz(data)
        words_gz += size
        largest = max(largest, (size, path.name))
        for kind, part in json.loads(data).items():
            piece = json.dumps(part, separators=(",", ":")).encode()
            kinds[kind]["brut"] += len(piece)
            kinds[kind]["gzip"] += gz(piece)
    for kind in kinds:
        for path in folder.glob(f"{kind}-*.json"):
            data = path.read_bytes()
            kinds[kind]["brut"] += len(data)
            kinds[kind]["gzip"] += gz(data)
    files = list(folder.glob("*.json"))
    return {
        "fichiers": len(files),
        "total_brut": sum(p.stat().st_size for p in files),
        "total_gzip": sum(gz(p.read_bytes()) for p in files),
        "mots_brut": words_raw,
        "mots_gzip": words_gz,
        "plus_gros_fichier_de_mots_gzip": largest[0],
        "plus_gros_fichier_de_mots": largest[1],
        "manifeste_gzip": gz((folder / "manifeste.json").read_bytes()),
        "types": kinds,
    }


TIMED = """async (query) => {
  const root = document.querySelector('[data-ao-recherche]');
  const input = document.getElementById('ao-recherche-entete');
  const s = root.aoRecherche;
  const before = s.sequence;
  input.focus();
  input.value = query;
  const t0 = performance.now();
  input.dispatchEvent(new Event('input', { bubbles: true }));
  await new Promise(resolve => {
    const done = () => s.sequence > before
      && root.getAttribute('data-ao-pret') === String(s.sequence);
    const check = () => done() ? resolve() : requestAnimationFrame(check);
    check();
  });
  return performance.now() - t0;
}"""

SEARCH_ONLY = """async (query) => {
  const root = document.querySelector('[data-ao-recherche]');
  const input = document.getElementById('ao-recherche-entete');
  input.value = query;
  const t0 = performance.now();
  await root.aoRecherche.run();
  return performance.now() - t0;
}"""


def first_results(site: Path, queries: list[str], runs: int) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    timings: dict[str, Any] = {}
    with browser.serve(site) as url, sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=browser.CHROMIUM, args=browser.CHROMIUM_ARGS
        )
        for query in queries:
            cold, warm, alone, counts = [], [], [], ""
            for _ in range(runs):
                context = chromium.new_context(viewport=browser.DESKTOP)
                page = context.new_page()
                page.goto(url + "a-propos/", wait_until="load")
                cold.append(page.evaluate(TIMED, query))
                counts = page.inner_text("[data-ao-recherche] [data-ao-etat]")
                page.evaluate("document.getElementById('ao-recherche-entete').value = ''")
                warm.append(page.evaluate(TIMED, query))
                context.close()
                context = chromium.new_context(viewport=browser.DESKTOP)
                page = context.new_page()
                page.goto(url + "a-propos/", wait_until="load")
                alone.append(page.evaluate(SEARCH_ONLY, query))
                context.close()
            timings[query] = {
                "apres_frappe_froid_ms": round(statistics.median(cold), 1),
                "apres_frappe_chaud_ms": round(statistics.median(warm), 1),
                "recherche_seule_froid_ms": round(statistics.median(alone), 1),
                "resultats": counts,
            }
        chromium.close()
    return timings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--requetes", nargs="*", default=None)
    parser.add_argument("--essais", type=int, default=5)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    sizes = index_sizes(args.site)
    queries = args.requetes or ["toiture", "lycée", "lille", "maitrise oeuvre", "59350"]
    figures = {
        "tailles": sizes,
        "premiers_resultats": first_results(args.site, queries, args.essais),
    }
    print(json.dumps(figures, ensure_ascii=False, indent=2))
    if args.json:
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
