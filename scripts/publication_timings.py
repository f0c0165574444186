"""Time the open-data outputs (downloads, standard formats, catalogue, feeds, changelog) on a data
folder, optionally scaled up by replicating its contracts, and print one line per output.

    python scripts/publication_timings.py data --contracts 100000

Scaling copies every contract (with its suppliers and modifications) under new identifiers until
there are N; it measures how each output grows, not how realistic the data is (the benchmark of the
whole build is `scripts/bench.py`). MkDocs and the pages are not run.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from achats_ouverts.datafolder import schemas
from achats_ouverts.datafolder.writing import write_csv
from achats_ouverts.model import Data, load
from achats_ouverts.model.calculations import REGISTRY
from achats_ouverts.output import BuildContext, artifacts, plan, urls
from achats_ouverts.output.listing import build_list_index
from achats_ouverts.pages import producers
from achats_ouverts.settings import Limits
from achats_ouverts.validation import validate


def scale(source: Path, target: Path, count: int) -> None:
    shutil.copytree(source, target)
    frames = {
        name: pd.read_csv(source / f"{name}.csv", dtype=str, keep_default_na=False)
        for name in ("marches", "marches-titulaires", "modifications")
    }
    base = frames["marches"]
    copies = -(-count // len(base))
    out: dict[str, list[pd.DataFrame]] = {name: [] for name in frames}
    for k in range(copies):
        suffix = "" if k == 0 else f"x{k}"
        for name, frame in frames.items():
            part = frame.copy()
            part["uid"] = part["uid"] + suffix
            if name == "marches":
                part["id"] = (part["id"] + suffix).str.slice(-16)
            out[name].append(part)
    tables = {name: pd.concat(parts, ignore_index=True) for name, parts in out.items()}
    keep = set(tables["marches"]["uid"].head(count))
    for name, frame in tables.items():
        ds = schemas.dataset(name)
        frame = frame[frame["uid"].isin(keep)]
        write_csv(
            target / ds.path,
            ds.field_names,
            frame[list(ds.field_names)].itertuples(index=False, name=None),
        )


def context(data: Data, folder: Path, previous: Path | None) -> BuildContext:
    """A build context with what these producers read besides each other's results (no
    indicator files, no MkDocs page, no detail page)."""
    ctx = BuildContext(data, folder / "docs", folder / "files", folder / "site")
    ctx.put(artifacts.PREVIOUS_SITE, previous)
    ctx.put(artifacts.INDICATOR_FILES, ())
    ctx.put(artifacts.LIST_INDEX, build_list_index(data))
    ctx.put(artifacts.UPCOMING_EXPLORER, urls.UPCOMING)
    ctx.put(artifacts.CONTRACTS_EXPLORER, urls.CONTRACTS)
    ctx.put(artifacts.MKDOCS_PAGES, ())
    ctx.put(artifacts.DETAIL_PAGES, ())
    return ctx


def run(label: str, ctx: BuildContext) -> None:
    producer = producers.by_label(label)
    assert producer is not None, label
    plan.run(producer, ctx)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("--contracts", type=int, default=0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ao-timings-") as tmp:
        work = Path(tmp)
        data_dir = args.data_dir
        if args.contracts:
            data_dir = work / "data"
            scale(args.data_dir, data_dir, args.contracts)
        started = time.perf_counter()
        data = load(validate(data_dir, Limits(max_rows=50_000_000), None, calculations=REGISTRY))
        print(
            f"validate + load: {time.perf_counter() - started:8.2f} s "
            f"({len(data.contracts)} contracts)"
        )
        ctx = context(data, work / "premiere", None)
        for label, producer in (
            ("changelog (first release)", "changelog.produce_changelog"),
            ("downloads, DECP, OCDS, zip, DCAT, pages", "downloads.produce_data_page"),
            ("feeds and calendar", "feeds.produce_feeds"),
            ("sitemap", "standards.produce_sitemap"),
        ):
            started = time.perf_counter()
            run(producer, ctx)
            print(f"{label}: {time.perf_counter() - started:8.2f} s")
        previous = work / "previous"
        shutil.copytree(ctx.files_dir, previous)
        again = context(data, work / "seconde", previous)
        started = time.perf_counter()
        run("changelog.produce_changelog", again)
        print(
            f"changelog (compared with the release above): {time.perf_counter() - started:8.2f} s"
        )
        sizes = sorted(ctx.published.values(), key=lambda p: -p.octets)[:8]
        for item in sizes:
            print(f"  {item.path}: {item.octets / 1e6:.1f} MB")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak RSS: {peak:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
