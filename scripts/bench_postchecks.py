"""Benchmark of the post-build checks and host files on a site with N detail pages.

Usage: python scripts/bench_postchecks.py [N ...]   (default: 1000 10000)

Builds the small complete site once, then adds N detail pages (a built page of the site with a
different body each) under `marches/`, as `BuildContext.direct()` would, and times each check of
`postchecks.run` and `hosting.write_host_files` on the result. Prints one line per stage.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

from achats_ouverts.building import build, hosting, postchecks
from achats_ouverts.settings import Settings, theme_scripts_dir

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fixtures.folders import make_complete_data_dir  # noqa: E402


def add_detail_pages(site: Path, count: int) -> int:
    template = (site / "donnees" / "index.html").read_text(encoding="utf-8")
    head, _, rest = template.partition('<div class="ao-page')
    _, _, tail = rest.partition("</article>")
    total = 0
    for i in range(count):
        body = (
            f'<div class="ao-page"><h2 id="m{i}">Marché {i}</h2><table><caption>Détail</caption>'
            f'<tr><th scope="row">Objet</th><td>Travaux &lt;lot {i}&gt;</td></tr></table>'
            f'<p><a href="../donnees/">Données</a></p></div></article>'
        )
        page = (
            (head + body + tail)
            .replace('href="../', 'href="../../')
            .replace('src="../', 'src="../../')
            .replace('href=".."', 'href="../.."')
            .replace('href="./"', 'href="../../donnees/"')
            .replace('href="marches.csv"', 'href="../../donnees/marches.csv"')
        )
        target = site / "marches" / f"m{i}" / "index.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page, encoding="utf-8")
        total += len(page)
    return total


def main(sizes: list[int]) -> None:
    work = Path(tempfile.mkdtemp(prefix="bench-postchecks-"))
    try:
        data = make_complete_data_dir(work / "data")
        base = work / "base"
        build(Settings(data_dir=data, output_dir=base, project_dir=ROOT))
        for count in sizes:
            site = work / f"site-{count}"
            shutil.copytree(base, site)
            size = add_detail_pages(site, count)
            print(f"{count} pages de détail ({size / 1e6:.0f} Mo de HTML)")
            scan = postchecks.SafetyScan(postchecks.theme_script_patterns((theme_scripts_dir(),)))
            for name, check in (
                ("liens et ancres", postchecks.check_links),
                ("ressources extérieures", postchecks.check_external_resources),
                ("analyse de sûreté", scan),
            ):
                started = time.perf_counter()
                findings = list(check(site))
                elapsed = time.perf_counter() - started
                print(
                    f"  {name:<24} {elapsed:7.2f} s  {elapsed / count * 1000:6.3f} ms/page"
                    f"  {len(findings)} constat(s)"
                )
            started = time.perf_counter()
            hosting.write_host_files(site, scan.inline_scripts)
            print(f"  {'fichiers d’en-têtes':<24} {time.perf_counter() - started:7.2f} s")
            shutil.rmtree(site)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [1000, 10000])
