"""Static SVG charts drawn at build time with matplotlib: no chart JavaScript, nothing loaded from
elsewhere, and the same bytes for the same numbers.

Each chart is inline SVG with `role="img"`, a `<title>` and a `<desc>` that states the numbers, so
that it is read as one image; the page puts the same numbers in a table next to it. Series are told
apart by line style, marker and label, never by colour alone; every mark has a contrast of at least
3:1 against the white background. Identifiers inside the SVG are prefixed with the chart's id so
that two charts can share a page.

This module never imports pandas: it draws plain values.
"""

from __future__ import annotations

import html
import io
import math
import re
from collections.abc import Callable
from dataclasses import dataclass

import matplotlib
from markupsafe import Markup
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from achats_ouverts.french import number

VALUE_COLOUR = "#1a237e"  # 14.6:1 on white
TARGET_COLOUR = "#8a3c00"  # 7.6:1 on white
AXIS_COLOUR = "#333333"  # 12.6:1 on white
GRID_COLOUR = "#d9d9d9"  # decorative only
STYLE: dict[str, object] = {
    "svg.hashsalt": "achats-ouverts",
    "svg.fonttype": "none",
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "font.size": 11,
    "axes.edgecolor": AXIS_COLOUR,
    "axes.labelcolor": AXIS_COLOUR,
    "xtick.color": AXIS_COLOUR,
    "ytick.color": AXIS_COLOUR,
    "text.color": AXIS_COLOUR,
    "path.simplify": False,
}
METADATA = {"Date": None, "Creator": None, "Format": None, "Type": None}
PREAMBLE = re.compile(r"\A.*?(?=<svg\b)", re.S)
METADATA_BLOCK = re.compile(r"\s*<metadata>.*?</metadata>", re.S)
GLOBAL_STYLE = re.compile(r"\s*<defs>\s*<style[^>]*>.*?</style>\s*</defs>", re.S)
SIZE_ATTRIBUTES = re.compile(r'\s(width|height)="[^"]*"')
ID_ATTRIBUTE = re.compile(r'\sid="([^"]+)"')
ID_REFERENCE = re.compile(r'(url\(#|xlink:href="#|href="#)([^)"]+)')


@dataclass(frozen=True)
class Point:
    """One year: the measured value (None when there is none) and the target (None if unset)."""

    annee: int
    valeur: float | None
    cible: float | None
    partielle: bool = False


def axis_formatter(unit: str, top: float) -> Callable[[float, object], str]:
    """Tick labels the French way: `40 %`, `12 jours`, `5 M€`."""

    def label(value: float, _position: object) -> str:
        if unit == "%":
            return f"{number(value)}\u00a0%"
        if unit == "€" and top >= 1_000_000:
            return f"{number(value / 1_000_000, 1 if top < 10_000_000 else 0)}\u00a0M€"
        if unit == "€":
            return f"{number(value)}\u00a0€"
        return number(value)

    return label


def prefix_ids(svg: str, prefix: str) -> str:
    svg = ID_ATTRIBUTE.sub(lambda m: f' id="{prefix}-{m.group(1)}"', svg)
    return ID_REFERENCE.sub(lambda m: f"{m.group(1)}{prefix}-{m.group(2)}", svg)


def accessible_svg(raw: str, chart_id: str, title: str, description: str) -> Markup:
    """matplotlib's SVG made fit for inlining: no XML preamble, no metadata, no global style, a
    fluid size, unique ids, `role="img"` with a title and a description."""
    svg = PREAMBLE.sub("", raw, count=1)
    svg = METADATA_BLOCK.sub("", svg, count=1)
    svg = GLOBAL_STYLE.sub("", svg, count=1)
    svg = prefix_ids(svg, chart_id)
    head, _, rest = svg.partition(">")
    head = SIZE_ATTRIBUTES.sub("", head)
    opening = (
        f'{head} class="ao-graphique" role="img" '
        f'aria-labelledby="{chart_id}-titre {chart_id}-desc" focusable="false">'
    )
    labels = (
        f'<title id="{chart_id}-titre">{html.escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{html.escape(description)}</desc>'
    )
    return Markup(opening + labels + rest.strip() + "\n")


def trend_chart(
    chart_id: str,
    title: str,
    description: str,
    points: tuple[Point, ...],
    unit: str,
    value_label: Callable[[float], str],
) -> Markup:
    """A yearly trend: the measured values as a solid line with round markers, each labelled
    with its value; the targets as a dashed line with diamond markers, named in the legend."""
    years = [p.annee for p in points]
    values = [math.nan if p.valeur is None else p.valeur for p in points]
    targets = [(p.annee, p.cible) for p in points if p.cible is not None]
    known = [v for v in values if not math.isnan(v)] + [t for _, t in targets]
    top = max(known, default=1.0)
    with matplotlib.rc_context(STYLE):  # type: ignore[arg-type]
        figure = Figure(figsize=(6.4, 3.3), dpi=72)
        FigureCanvasSVG(figure)
        ax = figure.add_subplot()
        ax.plot(
            years,
            values,
            color=VALUE_COLOUR,
            linewidth=2.5,
            marker="o",
            markersize=7,
            label="Valeur mesurée (trait plein, ronds)",
        )
        for year, value in zip(years, values, strict=True):
            if not math.isnan(value):
                ax.annotate(
                    value_label(value),
                    (year, value),
                    textcoords="offset points",
                    xytext=(0, 9),
                    ha="center",
                    color=VALUE_COLOUR,
                    fontweight="bold",
                    fontsize=10,
                )
        if targets:
            ax.plot(
                [y for y, _ in targets],
                [t for _, t in targets],
                color=TARGET_COLOUR,
                linewidth=2,
                linestyle=(0, (6, 3)),
                marker="D",
                markersize=6,
                label="Cible (tirets, losanges)",
            )
        upper = 100.0 if unit == "%" and top <= 100 else top
        ax.set_ylim(0, upper * 1.18 if upper > 0 else 1)
        if years:
            ax.set_xlim(years[0] - 0.5, years[-1] + 0.5)
        ax.set_xticks(years)
        ax.set_xticklabels(
            [f"{p.annee}\n(en cours)" if p.partielle else str(p.annee) for p in points]
        )
        ax.yaxis.set_major_locator(MaxNLocator(nbins=5))
        ax.yaxis.set_major_formatter(FuncFormatter(axis_formatter(unit, upper)))
        ax.grid(axis="y", color=GRID_COLOUR, linewidth=0.8)
        ax.set_axisbelow(True)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        ax.legend(loc="upper left", frameon=False, fontsize=10, ncols=2, bbox_to_anchor=(0, 1.16))
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata=METADATA, bbox_inches="tight")
    return accessible_svg(buffer.getvalue(), chart_id, title, description)
