"""The benchmark (`scripts/bench.py`): what it measures and reports, on small sizes.

No test here checks a duration: the figures themselves are for people to read.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from achats_ouverts.building.build import Stopwatch, build
from achats_ouverts.pages import producers
from achats_ouverts.settings import Settings
from achats_ouverts.tools import benchmark
from tests.fixtures.labels import labelled
from tests.fixtures.paths import ROOT


def test_every_stage_of_a_build_is_timed_and_classified(data_dir: Path, tmp_path: Path) -> None:
    clock = Stopwatch()
    result = build(
        Settings(data_dir=data_dir, output_dir=tmp_path / "site", project_dir=ROOT), stopwatch=clock
    )
    expected = ["validate", "load", "docs:sources"]
    expected += [f"docs:{p.label}" for p in producers.PLAN.docs]
    expected += ["mkdocs"] + [f"site:{p.label}" for p in producers.PLAN.site]
    expected += ["merge", "postchecks", "hosting", "publish", "cleanup"]
    assert list(clock.timings) == expected
    assert list(result.timings) == expected[:-1], "the result has every stage but the clean-up"
    stages = {benchmark.stage_of(key) for key in clock.timings}
    assert stages <= {key for key, _ in benchmark.STAGES}
    assert benchmark.stage_of("docs:downloads.produce_data_page") == "exports_s"
    assert benchmark.stage_of("docs:indicator_pages.produce_quality") == "pages_s"
    assert benchmark.stage_of("site:details.produce_detail_pages") == "detail_pages_s"
    assert benchmark.stage_of("site:standards.produce_sitemap") == "exports_s"


LABELS_BEFORE_ISSUE_12 = {
    "docs:pages.produce_home": "pages_s",
    "docs:indicator_pages.produce_policy_and_indicators": "pages_s",
    "docs:indicator_pages.produce_quality": "pages_s",
    "docs:changelog.produce_changelog": "exports_s",
    "docs:downloads.produce_data_page": "exports_s",
    "docs:pages.produce_legal_pages": "pages_s",
    "docs:explorers.produce_explorers": "pages_s",
    "docs:entities.produce_entity_pages": "pages_s",
    "docs:feeds.produce_feeds": "exports_s",
    "site:details.produce_detail_pages": "detail_pages_s",
    "site:standards.produce_sitemap": "exports_s",
}
"""The producers' keys in the figures before the package was cut by stage, and their stage."""


def test_producers_keep_their_keys_and_stages_in_the_figures() -> None:
    keys = {f"{p.stage.value}:{p.label}" for p in producers.PRODUCERS}
    assert set(LABELS_BEFORE_ISSUE_12) <= keys
    assert {key: benchmark.stage_of(key) for key in LABELS_BEFORE_ISSUE_12} == (
        LABELS_BEFORE_ISSUE_12
    )
    assert benchmark.stage_of("docs:listing.build_list_index") == "pages_s"


def test_a_failed_build_still_reports_the_stages_it_ran(data_dir: Path, tmp_path: Path) -> None:
    (data_dir / "marches.csv").write_text("uid\n", encoding="utf-8")
    clock = Stopwatch()
    with pytest.raises(Exception, match="erreur"):
        build(
            Settings(data_dir=data_dir, output_dir=tmp_path / "s", project_dir=ROOT),
            stopwatch=clock,
        )
    assert list(clock.timings) == ["validate"]


def test_output_sizes(tmp_path: Path) -> None:
    site_dir = tmp_path / "site"
    files = {
        "index.html": 1000,
        "search/search_index.json": 4096,
        "marches/a/index.html": 2048,
        "marches/b/index.html": 4096,
        "marches/c/index.html": 3072,
        "marches/index.html": 50_000,
        "marches/_donnees/marches-2024-1.json": 10_240,
        "marches/_donnees/marches-2024-2.json": 5120,
        "donnees/marches.csv": 100_000,
    }
    for path, size in files.items():
        target = site_dir / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(b"a" * size)
    sizes = benchmark.measure_site(site_dir)
    assert sizes.site_files == len(files)
    assert sizes.site_mb == pytest.approx(sum(files.values()) / 1e6)
    assert labelled(sizes, "largest_page", "largest_page_kb") == {
        "largest_page": "marches/index.html",
        "largest_page_kb": 50_000 / 1024,
    }
    assert sizes.search_index_kb == 4.0
    assert 0 < sizes.search_index_gz_kb < 1
    shards = {"explorer_shards": 2, "explorer_shard_max_kb": 10.0}
    assert labelled(sizes, *shards) == shards
    contracts = {"contract_pages": 3, "contract_page_median_kb": 3.0}
    assert labelled(sizes, *contracts) == contracts
    assert sizes.contract_page_max_kb == 4.0


@pytest.mark.slow
def test_a_small_run_writes_every_figure(tmp_path: Path) -> None:
    out = tmp_path / "figures.json"
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "bench.py"),
            "--contracts",
            "300",
            "--json",
            str(out),
            "--dossier",
            str(tmp_path / "travail"),
        ],
        check=True,
        cwd=ROOT,
        capture_output=True,
    )
    figures = json.loads(out.read_text(encoding="utf-8"))
    for key, _ in benchmark.STAGES:
        assert figures[key] >= 0, key
    assert figures["contracts"] == figures["rows"]["marches"] == 300
    assert figures["frictionless_validate_s"] > 0
    assert figures["frictionless_package_validate_s"] > 0
    assert figures["validate_cli_s"] > 0
    assert figures["peak_rss_mb"] > 50
    stages = sum(figures[key] for key, _ in benchmark.STAGES)
    assert stages <= figures["total_s"] * 1.01
    assert figures["sizes"]["site_files"] > 50
    assert (tmp_path / "travail" / "site" / "index.html").is_file()


def test_broken_rows_are_found_as_frictionless_finds_them(tmp_path: Path) -> None:
    figures = benchmark.run(400, tmp_path, ROOT, bad_rows=0.1)
    errors = figures.errors
    assert errors["lignes cassées"] > 20
    assert errors["erreurs frictionless (marches.csv)"] >= errors["lignes cassées"]
    assert errors["mêmes erreurs"] is True
    assert errors["moteur"] == "compiled"
