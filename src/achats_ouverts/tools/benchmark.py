"""Measure a whole build at a given size (`scripts/bench.py --contracts N [--json FILE]`).

One run:
1. generates N contracts with the demonstration generator (suppliers, modifications and upcoming
   purchases in proportion), in a child process, with the publisher and policy of `data/`;
2. times plain frictionless on the same contracts file with the same Table Schema and every error
   counted (`limit_errors=0`; the foreign key to `services.csv` left out, since frictionless cannot
   check it on a lone file), and on the whole data package (every file, foreign keys included),
   each in a child process, start-up included;
3. builds the site in this process, timing each stage with the build's own stopwatch, and records
   the peak memory (RSS) of this process;
4. measures what the build wrote: the whole site, its number of files, the largest page, the
   search index, the explorer's data shards and the contract pages when they exist.

With `bad_rows`, a fraction of the contracts get one broken cell each (10 kinds, as in
`shared/notes/perf.md`): no site can be built, so the run compares the validation alone with
frictionless, error for error.
"""

from __future__ import annotations

import gzip
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from time import perf_counter, process_time
from typing import Any

from achats_ouverts.building import Stopwatch, build
from achats_ouverts.datafolder import schemas
from achats_ouverts.model.calculations import REGISTRY
from achats_ouverts.output import urls
from achats_ouverts.pages import producers
from achats_ouverts.settings import Limits, Settings
from achats_ouverts.validation import table_schema, validate

STAGES: tuple[tuple[str, str], ...] = (
    ("validate_s", "validation (lecture, contrôles, schémas)"),
    ("load_s", "chargement typé"),
    ("pages_s", "pages et agrégats (entrée de MkDocs)"),
    ("mkdocs_s", "MkDocs"),
    ("detail_pages_s", "pages détaillées"),
    ("exports_s", "téléchargements et flux"),
    ("postchecks_s", "vérifications après construction"),
    ("publish_s", "publication et nettoyage"),
)
LIMITS = Limits(max_bytes=20_000_000_000, max_rows=50_000_000)


def stage_of(key: str) -> str:
    """The benchmark stage of one entry of the build's stopwatch."""
    if key in ("validate", "load", "mkdocs", "postchecks"):
        return f"{key}_s"
    if key in ("publish", "cleanup", "hosting"):
        return "publish_s"
    if key == "merge":
        return "exports_s"
    where, _, label = key.partition(":")
    producer = producers.by_label(label)
    if producer is not None and producer.for_reusers:
        return "exports_s"
    return "pages_s" if where == "docs" else "detail_pages_s"


@dataclass
class Child:
    """A child process: its wall and CPU time (start-up included), peak memory and JSON answer."""

    seconds: float
    cpu_seconds: float
    peak_rss_mb: float
    answer: dict[str, Any]


def run_child(code: str, *args: str, cwd: Path | None = None) -> Child:
    """Run Python `code` in a child process; it prints one JSON object as its last line."""
    with tempfile.TemporaryFile() as out:
        started = perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-c", textwrap.dedent(code), *args], stdout=out, cwd=cwd
        )
        _, status, usage = os.wait4(process.pid, 0)
        seconds = perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode("utf-8")
    if process.returncode != 0:
        raise RuntimeError(f"le processus de mesure a échoué ({process.returncode})")
    answer = json.loads(text.strip().splitlines()[-1]) if text.strip() else {}
    return Child(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, answer)


GENERATE = """
    import json, sys
    from pathlib import Path
    from achats_ouverts.tools import demo
    data = demo.write_demo(Path(sys.argv[1]), contracts=int(sys.argv[2]))
    print(json.dumps({name: len(rows) for name, rows in data.tables.items()}))
"""

FRICTIONLESS_FILE = """
    import json, sys
    import frictionless
    path, schema_path, errors_path = sys.argv[1:4]
    schema = json.load(open(schema_path, encoding="utf-8"))
    schema.pop("foreignKeys", None)
    resource = frictionless.Resource(path=path, schema=frictionless.Schema.from_descriptor(schema))
    report = resource.validate(limit_errors=0)
    task = report.tasks[0]
    if errors_path:
        with open(errors_path, "w", encoding="utf-8") as handle:
            for e in task.errors:
                row = getattr(e, "row_number", None)
                handle.write(json.dumps([row, getattr(e, "field_name", None), e.type, e.note]))
                handle.write("\\n")
    rows = task.stats["rows"]
    print(json.dumps({"valid": report.valid, "errors": len(task.errors), "rows": rows}))
"""

VALIDATE_CLI = """
    import json, sys
    from achats_ouverts.cli import main
    try:
        main(["validate", sys.argv[1], "--max-lignes", "50000000", "--max-octets", "20000000000"])
    except SystemExit as exit:
        print()
        print(json.dumps({"exit": exit.code}))
"""

FRICTIONLESS_PACKAGE = """
    import json
    import frictionless
    report = frictionless.Package("datapackage.json").validate(limit_errors=0)
    rows = sum(task.stats.get("rows") or 0 for task in report.tasks)
    print(json.dumps({"valid": report.valid, "errors": report.stats["errors"], "rows": rows}))
"""


def generate(data_dir: Path, contracts_count: int, project_dir: Path) -> Child:
    data_dir.mkdir(parents=True)
    for name in ("editeur.yaml", "politique.yaml"):
        shutil.copyfile(project_dir / "data" / name, data_dir / name)
    return run_child(GENERATE, str(data_dir), str(contracts_count))


def frictionless_file(data_dir: Path, errors_path: Path | None = None) -> Child:
    ds = schemas.dataset("marches")
    return run_child(
        FRICTIONLESS_FILE,
        ds.path,
        ds.schema_path,
        str(errors_path or ""),
        cwd=data_dir,
    )


def validate_cli(data_dir: Path) -> Child:
    """`achats-ouverts validate DIR` as a user runs it (whole folder, start-up included)."""
    return run_child(VALIDATE_CLI, str(data_dir))


def frictionless_package(data_dir: Path) -> Child:
    return run_child(FRICTIONLESS_PACKAGE, cwd=data_dir)


# --- Broken rows ----------------------------------------------------------------------------------

BREAKS: tuple[tuple[str, str], ...] = (
    ("acheteur_id", "2000537420001"),
    ("codeCPV", "4500000"),
    ("montant", "-10"),
    ("dateNotification", "2024-13-45"),
    ("procedure", "Gré à gré"),
    ("dureeMois", "douze"),
    ("marcheInnovant", "oui"),
    ("offresRecues", "0"),
    ("objet", ""),
    ("uid", ""),  # replaced by the uid of the next row: a repeated key
)


def break_rows(data_dir: Path, fraction: float, seed: int = 42) -> int:
    """Break one cell in `fraction` of the contracts (streamed); returns how many rows."""
    import csv

    path = data_dir / "marches.csv"
    rng = random.Random(seed)
    broken = 0
    target = path.with_suffix(".tmp")
    with (
        path.open(encoding="utf-8", newline="") as source,
        target.open("w", encoding="utf-8", newline="") as out,
    ):
        reader = csv.reader(source)
        writer = csv.writer(out, lineterminator="\n")
        header = next(reader)
        writer.writerow(header)
        position = {name: i for i, name in enumerate(header)}
        previous: list[str] | None = None
        for record in reader:
            if previous is not None and rng.random() < fraction:
                name, value = BREAKS[rng.randrange(len(BREAKS))]
                if name == "uid":
                    value = previous[position["uid"]]
                record[position[name]] = value
                broken += 1
            writer.writerow(record)
            previous = record
    target.replace(path)
    return broken


# --- Output sizes ---------------------------------------------------------------------------------


@dataclass
class Sizes:
    site_mb: float = 0.0
    site_files: int = 0
    largest_page_kb: float = 0.0
    largest_page: str = ""
    search_index_kb: float = 0.0
    search_index_gz_kb: float = 0.0
    explorer_shards: int = 0
    explorer_shard_max_kb: float = 0.0
    explorer_shard_max_gz_kb: float = 0.0
    contract_pages: int = 0
    contract_page_median_kb: float = 0.0
    contract_page_max_kb: float = 0.0


def gzip_kb(path: Path) -> float:
    return len(gzip.compress(path.read_bytes(), compresslevel=6)) / 1024


def walk(folder: Path) -> Iterator[os.DirEntry[str]]:
    """Every file under `folder`, listed directory by directory (no list of 100 000 paths)."""
    stack = [str(folder)]
    while stack:
        with os.scandir(stack.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
                else:
                    yield entry


def measure_site(site: Path, contract_section: str = urls.CONTRACTS) -> Sizes:
    sizes = Sizes()
    total = 0
    largest = ("", 0)
    shards: list[tuple[str, int]] = []
    contract_pages: list[int] = []
    prefix = str(site / contract_section) + os.sep
    shard_folder = os.sep + urls.EXPLORER_DATA.replace("/", os.sep)
    for entry in walk(site):
        size = entry.stat(follow_symlinks=False).st_size
        total += size
        sizes.site_files += 1
        if entry.name.endswith(".html") and size > largest[1]:
            largest = (entry.path, size)
        if entry.name == "index.html" and entry.path.startswith(prefix):
            depth = entry.path[len(prefix) :].count(os.sep)
            if depth == 1:
                contract_pages.append(size)
        if entry.name.endswith(".json") and shard_folder in entry.path:
            shards.append((entry.path, size))
    sizes.site_mb = total / 1e6
    sizes.largest_page = os.path.relpath(largest[0], site) if largest[0] else ""
    sizes.largest_page_kb = largest[1] / 1024
    index = site / "search" / "search_index.json"
    if index.is_file():
        sizes.search_index_kb = index.stat().st_size / 1024
        sizes.search_index_gz_kb = gzip_kb(index)
    if shards:
        path, size = max(shards, key=lambda s: s[1])
        sizes.explorer_shards = len(shards)
        sizes.explorer_shard_max_kb = size / 1024
        sizes.explorer_shard_max_gz_kb = gzip_kb(Path(path))
    if contract_pages:
        sizes.contract_pages = len(contract_pages)
        sizes.contract_page_median_kb = statistics.median(contract_pages) / 1024
        sizes.contract_page_max_kb = max(contract_pages) / 1024
    return sizes


# --- The run --------------------------------------------------------------------------------------


@dataclass
class Figures:
    contracts: int
    rows: dict[str, int] = field(default_factory=dict)
    generate_s: float = 0.0
    frictionless_validate_s: float = 0.0
    frictionless_peak_rss_mb: float = 0.0
    frictionless_package_validate_s: float | None = None
    validate_cli_s: float = 0.0
    stages: dict[str, float] = field(default_factory=dict)
    producers: dict[str, float] = field(default_factory=dict)
    total_s: float = 0.0
    cpu: dict[str, float] = field(default_factory=dict)
    """CPU seconds of the same measures (keys as in `as_json`), immune to other processes."""
    peak_rss_mb: float = 0.0
    sizes: Sizes | None = None
    errors: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        result: dict[str, Any] = {"contracts": self.contracts, "rows": self.rows}
        result.update({key: round(value, 3) for key, value in self.stages.items()})
        result["total_s"] = round(self.total_s, 3)
        result["peak_rss_mb"] = round(self.peak_rss_mb, 1)
        result["frictionless_validate_s"] = round(self.frictionless_validate_s, 3)
        result["frictionless_peak_rss_mb"] = round(self.frictionless_peak_rss_mb, 1)
        if self.frictionless_package_validate_s is not None:
            result["frictionless_package_validate_s"] = round(
                self.frictionless_package_validate_s, 3
            )
        result["validate_cli_s"] = round(self.validate_cli_s, 3)
        result["generate_s"] = round(self.generate_s, 3)
        result["producers"] = {key: round(value, 3) for key, value in self.producers.items()}
        if self.sizes is not None:
            result["sizes"] = {
                key: round(value, 1) if isinstance(value, float) else value
                for key, value in vars(self.sizes).items()
            }
        if self.errors:
            result["errors"] = self.errors
        result["cpu"] = {key: round(value, 3) for key, value in self.cpu.items()}
        return result

    def table(self) -> str:
        """The figures as a text table, each time also as a multiple of plain frictionless."""
        base = self.frictionless_validate_s or float("nan")
        cpu_base = self.cpu.get("frictionless_validate_s") or float("nan")
        lines = [
            f"{self.contracts} marchés ({', '.join(f'{k} {v}' for k, v in self.rows.items())})",
            f"{'mesure':<46} {'valeur':>12} {'× frictionless':>15} {'CPU (s)':>9} {'× fr. CPU':>9}",
        ]

        def line(label: str, value: float, unit: str, ratio: float | None, key: str = "") -> None:
            shown = f"{ratio:.2f}" if ratio is not None else "—"
            text = f"{label:<46} {value:>10.2f} {unit:<2} {shown:>14}"
            if key in self.cpu:
                text += f" {self.cpu[key]:>9.2f} {self.cpu[key] / cpu_base:>9.2f}"
            lines.append(text)

        line(
            "frictionless validate (marches.csv seul)",
            self.frictionless_validate_s,
            "s",
            1.0,
            "frictionless_validate_s",
        )
        if self.frictionless_package_validate_s is not None:
            value = self.frictionless_package_validate_s
            line(
                "frictionless validate (paquet entier)",
                value,
                "s",
                value / base,
                "frictionless_package_validate_s",
            )
        if self.validate_cli_s:
            value = self.validate_cli_s
            line(
                "achats-ouverts validate (dossier entier)",
                value,
                "s",
                value / base,
                "validate_cli_s",
            )
        for key, label in STAGES:
            if key in self.stages:
                line(label, self.stages[key], "s", self.stages[key] / base, key)
        if self.total_s:
            line("construction entière", self.total_s, "s", self.total_s / base, "total_s")
        if self.peak_rss_mb:
            ratio = self.peak_rss_mb / self.frictionless_peak_rss_mb
            line("mémoire maximale (RSS)", self.peak_rss_mb, "Mo", ratio)
        if self.sizes is not None:
            s = self.sizes
            line("site entier", s.site_mb, "Mo", None)
            line("fichiers du site", s.site_files, "", None)
            line(f"page la plus lourde ({s.largest_page})", s.largest_page_kb, "Ko", None)
            line("index de recherche", s.search_index_kb, "Ko", None)
            line("index de recherche compressé (gzip)", s.search_index_gz_kb, "Ko", None)
            if s.explorer_shards:
                line("morceaux de données des explorateurs", s.explorer_shards, "", None)
                line("plus gros morceau", s.explorer_shard_max_kb, "Ko", None)
                line("plus gros morceau compressé (gzip)", s.explorer_shard_max_gz_kb, "Ko", None)
            if s.contract_pages:
                line("pages de marché", s.contract_pages, "", None)
                line("page de marché, médiane", s.contract_page_median_kb, "Ko", None)
                line("page de marché, maximum", s.contract_page_max_kb, "Ko", None)
        for key, value in self.errors.items():
            lines.append(f"{key:<46} {value!s:>12}")
        return "\n".join(lines)


def run(
    contracts_count: int,
    workdir: Path,
    project_dir: Path,
    *,
    package_baseline: bool = True,
    bad_rows: float = 0.0,
    contract_pages: bool = True,
) -> Figures:
    """One benchmark run in `workdir` (its data folder and site are left there)."""
    figures = Figures(contracts_count)
    data_dir, site_dir = workdir / "donnees", workdir / "site"
    generated = generate(data_dir, contracts_count, project_dir)
    figures.generate_s = generated.seconds
    figures.rows = {name: int(count) for name, count in generated.answer.items()}
    if bad_rows:
        return compare_errors(figures, data_dir, bad_rows)
    baseline = frictionless_file(data_dir)
    figures.frictionless_validate_s = baseline.seconds
    figures.cpu["frictionless_validate_s"] = baseline.cpu_seconds
    figures.frictionless_peak_rss_mb = baseline.peak_rss_mb
    if package_baseline:
        package = frictionless_package(data_dir)
        figures.frictionless_package_validate_s = package.seconds
        figures.cpu["frictionless_package_validate_s"] = package.cpu_seconds
    ours = validate_cli(data_dir)
    figures.validate_cli_s = ours.seconds
    figures.cpu["validate_cli_s"] = ours.cpu_seconds
    clock = Stopwatch()
    settings = Settings(
        data_dir=data_dir,
        output_dir=site_dir,
        project_dir=project_dir,
        limits=LIMITS,
        contract_pages=contract_pages,
    )
    started, cpu = perf_counter(), process_time()
    build(settings, stopwatch=clock)
    figures.total_s = perf_counter() - started
    figures.cpu["total_s"] = process_time() - cpu
    figures.peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures.stages = {key: 0.0 for key, _ in STAGES}
    for key, _ in STAGES:
        figures.cpu[key] = 0.0
    for key, seconds in clock.timings.items():
        figures.stages[stage_of(key)] += seconds
        figures.cpu[stage_of(key)] += clock.cpu[key]
        if ":" in key:
            figures.producers[key] = seconds
    figures.sizes = measure_site(site_dir)
    return figures


def compare_errors(figures: Figures, data_dir: Path, fraction: float) -> Figures:
    """Validation alone on broken contracts: ours against frictionless, error for error."""
    broken = break_rows(data_dir, fraction)
    errors_path = data_dir.parent / "erreurs-frictionless.jsonl"
    baseline = frictionless_file(data_dir, errors_path)
    figures.frictionless_validate_s = baseline.seconds
    figures.cpu["frictionless_validate_s"] = baseline.cpu_seconds
    figures.frictionless_peak_rss_mb = baseline.peak_rss_mb
    cli = validate_cli(data_dir)
    figures.validate_cli_s = cli.seconds
    figures.cpu["validate_cli_s"] = cli.cpu_seconds
    started, cpu = perf_counter(), process_time()
    validation = validate(data_dir, LIMITS, calculations=REGISTRY)
    figures.stages["validate_s"] = perf_counter() - started
    figures.cpu["validate_s"] = process_time() - cpu
    figures.peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    ours = Counter(
        (e.row_number, e.field_name or None, e.type, e.note)
        for e in table_schema.check(validation.tables)["marches"]
        if e.type != "foreign-key"  # frictionless cannot check it on the file alone
    )
    theirs: Counter[tuple[Any, ...]] = Counter()
    with errors_path.open(encoding="utf-8") as handle:
        for line in handle:
            row, name, kind, note = json.loads(line)
            theirs[(row, name or None, kind, note)] += 1
    figures.errors = {
        "lignes cassées": broken,
        "erreurs frictionless (marches.csv)": sum(theirs.values()),
        "erreurs compilées (marches.csv)": sum(ours.values()),
        "mêmes erreurs": ours == theirs,
        "moteur": validation.engine,
        "problèmes signalés (dossier entier)": len(validation.report.problems),
    }
    return figures
