"""The build plan: producers state what they read and what they publish, and the order they run
in is computed from that.

A `Producer` declares the artifacts it reads and publishes (`artifacts`), and the addresses it
writes (`urls`). Those of the `DOCS` stage run before MkDocs and write Markdown pages and files;
those of the `SITE` stage run after it (detail pages written into shells, and what lists them).
In each stage the order is a topological sort of the declarations, deterministic (at each step,
the first declared producer whose inputs are ready), refusing an input that nothing publishes, an
artifact published twice, an input only published after MkDocs read before it, and a cycle.
While a producer runs, the context holds its declarations (`context.Scope`): reading or
publishing an undeclared artifact, or writing outside its addresses, fails the build.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from achats_ouverts.errors import BuildError
from achats_ouverts.output import artifacts
from achats_ouverts.output.context import Artifact, BuildContext, Scope, in_other_process

Run = Callable[[BuildContext], None]


class Stage(enum.Enum):
    DOCS = "docs"
    """Before MkDocs: Markdown pages for MkDocs, and files."""
    SITE = "site"
    """After MkDocs: pages written into shells, and what lists every page."""


@dataclass(frozen=True)
class Producer:
    """One part of the site and how it is made."""

    label: str
    """Its name in the build's timings and the benchmark's figures (`docs:<label>`): kept from
    the layout before issue 12, so that figures compare across versions."""
    stage: Stage
    run: Run
    reads: tuple[Artifact[Any], ...] = ()
    publishes: tuple[Artifact[Any], ...] = ()
    addresses: tuple[str, ...] = ()
    """What it writes: pages and files, a folder (ending in `/`) for everything below it."""
    for_reusers: bool = False
    """Whether it writes files for reusers (downloads, standard formats, feeds, the sitemap):
    the benchmark counts its time as exports."""

    def scope(self) -> Scope:
        return Scope(
            self.label,
            frozenset(a.name for a in self.reads),
            frozenset(a.name for a in self.publishes),
            self.addresses,
        )


@dataclass(frozen=True)
class Plan:
    """The producers of each stage, in the order they run."""

    docs: tuple[Producer, ...]
    site: tuple[Producer, ...]

    def all(self) -> tuple[Producer, ...]:
        return self.docs + self.site


def order(producers: Iterable[Producer]) -> Plan:
    """Run order of `producers`; a BuildError says which declaration is wrong."""
    declared = tuple(producers)
    labels = [p.label for p in declared]
    twice = sorted({label for label in labels if labels.count(label) > 1})
    if twice:
        raise BuildError(f"deux producteurs portent le même nom : {', '.join(twice)}")
    provided = {a.name: "la construction" for a in artifacts.BEFORE_MKDOCS}
    provided.update({a.name: "la construction, après MkDocs" for a in artifacts.AFTER_MKDOCS})
    publisher: dict[str, Producer] = {}
    for producer in declared:
        for artifact in producer.publishes:
            if artifact.name in publisher or artifact.name in provided:
                first = publisher.get(artifact.name)
                by = f"« {first.label} »" if first else provided[artifact.name]
                raise BuildError(
                    f"« {artifact.name} » est publié par « {producer.label} » et par {by}"
                )
            publisher[artifact.name] = producer
    after_mkdocs = {a.name for a in artifacts.AFTER_MKDOCS}
    for producer in declared:
        for artifact in producer.reads:
            source = publisher.get(artifact.name)
            if source is None and artifact.name not in provided:
                raise BuildError(
                    f"« {producer.label} » lit « {artifact.name} », que rien ne publie"
                )
            late = artifact.name in after_mkdocs or (
                source is not None and source.stage is Stage.SITE
            )
            if producer.stage is Stage.DOCS and late:
                raise BuildError(
                    f"« {producer.label} » lit « {artifact.name} » avant MkDocs, qui n'est "
                    "publié qu'après"
                )
    return Plan(
        sorted_stage([p for p in declared if p.stage is Stage.DOCS], publisher),
        sorted_stage([p for p in declared if p.stage is Stage.SITE], publisher),
    )


def sorted_stage(producers: list[Producer], publisher: dict[str, Producer]) -> tuple[Producer, ...]:
    """Kahn's algorithm: at each step, the first declared producer whose inputs are all ready."""
    waiting = list(producers)
    done: list[Producer] = []

    def ready(producer: Producer) -> bool:
        for artifact in producer.reads:
            source = publisher.get(artifact.name)
            if source is not None and source.stage is producer.stage and source not in done:
                return False
        return True

    while waiting:
        found = next((p for p in waiting if ready(p)), None)
        if found is None:
            names = ", ".join(f"« {p.label} »" for p in waiting)
            raise BuildError(f"producteurs en cycle (chacun attend un autre) : {names}")
        waiting.remove(found)
        done.append(found)
    return tuple(done)


def run(producer: Producer, ctx: BuildContext) -> None:
    """Run `producer` within its declarations, then check it published all it declared."""
    ctx.scope = producer.scope()
    try:
        producer.run(ctx)
    finally:
        ctx.scope = None
    missing = [a.name for a in producer.publishes if a.name not in ctx.results]
    if missing:
        raise BuildError(f"« {producer.label} » n'a pas publié : {', '.join(missing)}")


def in_turn(*runs: Run) -> Run:
    """Several page writers run one after the other, as one producer."""

    def run_all(ctx: BuildContext) -> None:
        for each in runs:
            each(ctx)

    return run_all


DetailWriter = Callable[[BuildContext, tuple[int, int]], list[str]]
"""Writes its share (k, n) of some detail pages; returns their addresses."""


def in_two_processes(*writers: DetailWriter) -> Run:
    """Detail pages written by two processes, each an even share of every writer's pages (the
    machine has two cores); publishes the address of every page (`artifacts.DETAIL_PAGES`)."""

    def write_share(ctx: BuildContext, share: tuple[int, int]) -> list[str]:
        return [address for writer in writers for address in writer(ctx, share)]

    def run_shared(ctx: BuildContext) -> None:
        other = in_other_process(lambda: write_share(ctx, (1, 2)))
        try:
            mine = write_share(ctx, (0, 2))
        except BaseException:
            other.cancel()
            raise
        ctx.put(artifacts.DETAIL_PAGES, (*mine, *other.result()))

    return run_shared
