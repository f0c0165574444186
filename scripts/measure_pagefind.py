"""Measure Pagefind on a built site, to compare it with the site's own search
(`scripts/measure_search.py`): index size (files as Pagefind writes them, already compressed) and
the time to first results in Chromium through Pagefind's JavaScript API, cold and warm.

    python -m pip download pagefind_bin --no-deps -d /tmp/pf && unzip /tmp/pf/*.whl -d /tmp/pf
    /usr/bin/time -v /tmp/pf/pagefind_bin/pagefind --site SITE --output-path /tmp/pf/index
    python scripts/measure_pagefind.py SITE /tmp/pf/index [--json out.json]

Pagefind is not a dependency of the tool: this script only measures the alternative that was not
chosen (see the README, « Pagefind ou une recherche à nous »). « First results » is the search and
the data of the first five results, as a results list needs them.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fixtures import browser  # noqa: E402

TIMED = """async (query) => {
  const t0 = performance.now();
  const pf = await import('/pagefind/pagefind.js');
  const search = await pf.search(query);
  await Promise.all(search.results.slice(0, 5).map(r => r.data()));
  return [performance.now() - t0, search.results.length];
}"""


def sizes(index: Path) -> dict[str, Any]:
    groups: dict[str, dict[str, int]] = {}
    for path in index.rglob("*"):
        if path.is_file():
            kind = path.parent.name if path.parent != index else "racine"
            group = groups.setdefault(kind, {"fichiers": 0, "octets": 0})
            group["fichiers"] += 1
            group["octets"] += path.stat().st_size
    return groups


def first_results(site: Path, index: Path, queries: list[str], runs: int) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    timings: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        served = Path(tmp)
        (served / "a-propos").mkdir()
        shutil.copyfile(site / "a-propos" / "index.html", served / "a-propos" / "index.html")
        (served / "pagefind").symlink_to(index.resolve())
        with browser.serve(served) as url, sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=browser.CHROMIUM, args=browser.CHROMIUM_ARGS
            )
            for query in queries:
                cold, warm, count = [], [], 0
                for _ in range(runs):
                    context = chromium.new_context(viewport=browser.DESKTOP)
                    page = context.new_page()
                    page.goto(url + "a-propos/", wait_until="load")
                    elapsed, count = page.evaluate(TIMED, query)
                    cold.append(elapsed)
                    warm.append(page.evaluate(TIMED, query)[0])
                    context.close()
                timings[query] = {
                    "froid_ms": round(statistics.median(cold), 1),
                    "chaud_ms": round(statistics.median(warm), 1),
                    "resultats": count,
                }
            chromium.close()
    return timings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("index", type=Path, help="le dossier écrit par pagefind --output-path")
    parser.add_argument("--requetes", nargs="*", default=None)
    parser.add_argument("--essais", type=int, default=5)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    queries = args.requetes or ["toiture", "lycée", "lille", "maitrise oeuvre", "59350"]
    figures = {
        "tailles": sizes(args.index),
        "premiers_resultats": first_results(args.site, args.index, queries, args.essais),
    }
    print(json.dumps(figures, ensure_ascii=False, indent=2))
    if args.json:
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
