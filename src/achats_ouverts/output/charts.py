"""The chart kit: small, static SVG charts written by hand at build time. No chart JavaScript,
nothing loaded from elsewhere, no `style` attribute, and the same bytes for the same numbers.

Every chart is inline SVG with `role="img"`, a `<title>` and a `<desc>` that states its numbers,
so that it is read as one image; the page puts the same numbers in a table next to it and a
one-sentence summary under it. Identifiers inside a chart start with the chart's id, so that
several charts share a page.

Charts are fluid: they have no `viewBox` but a fixed height, and place their marks in percent of
their width, so that text keeps its size (12 px) on a 320 px phone as on a wide screen instead of
shrinking with the drawing. Marks that have a shape (a diamond, a square, a legend's swatch) are
drawn around (0, 0) in a nested `<svg>` placed at a percentage. Only the map scales as a whole.

One palette, each mark at least 3:1 against the white page and each text at least 4.5:1 against
what is under it (`PALETTE`, tested). Series are told apart by line style, marker, pattern and
label, never by colour alone. Value labels never sit on a target marker: a label goes on the side
of its point away from the target. Where columns get narrow, every other label is « secondary »
and the site's CSS hides it below 40em (the table next to the chart has every value).

This module never imports pandas: it draws plain values.
"""

from __future__ import annotations

import html
import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup

from achats_ouverts.french import euros, euros_short, number, plural

VALUE_COLOUR = "#1a237e"  # 14.6:1 on white
TARGET_COLOUR = "#8a3c00"  # 7.6:1 on white
SECOND_COLOUR = "#00695c"  # 6.6:1 on white
AXIS_COLOUR = "#333333"  # 12.6:1 on white
MUTED_TEXT = "#595959"  # 7.0:1 on white
GRID_COLOUR = "#d9d9d9"  # decorative only
TRACK_COLOUR = "#e6e6e6"  # decorative only: the empty part of a bar
CATEGORY_COLOURS = (VALUE_COLOUR, TARGET_COLOUR, SECOND_COLOUR, "#4a148c")
"""Stacked series, in their order; each also has its own pattern (`PATTERNS`)."""
MAP_CLASSES = (
    ("#e3eaf4", "#1f1f1f"),
    ("#b3c6e3", "#1f1f1f"),
    ("#7d9dd0", "#1f1f1f"),
    ("#3c5fa8", "#ffffff"),
    ("#1a237e", "#ffffff"),
)
"""Fill and text colour of the map's classes, lightest (smallest amounts) first."""
MAP_BORDER = "#4d4d4d"
PALETTE: dict[str, str] = {
    "valeur": VALUE_COLOUR,
    "cible": TARGET_COLOUR,
    "seconde": SECOND_COLOUR,
    "axe": AXIS_COLOUR,
    "texte-discret": MUTED_TEXT,
    "categorie-4": CATEGORY_COLOURS[3],
    "frontiere-carte": MAP_BORDER,
}
"""The marks and texts drawn on the white page, by role (each is tested at 3:1, texts at 4.5:1)."""
FONT_SIZE = 12
LABEL_SIZE = 11
LINE_HEIGHT = 14


@dataclass(frozen=True)
class Point:
    """One year: the measured value (None when there is none) and the target (None if unset)."""

    annee: int
    valeur: float | None
    cible: float | None
    partielle: bool = False


@dataclass(frozen=True)
class Series:
    """A line of values by year, with its name as the legend gives it."""

    nom: str
    valeurs: tuple[float | None, ...]


@dataclass(frozen=True)
class BarRow:
    """A bar: its label (« 2024 · 577 marchés · 123 M€ ») and its parts, in the series' order."""

    libelle: str
    parts: tuple[float, ...]


@dataclass(frozen=True)
class Area:
    """A département on the map: its code, its label lines and its class (0 to 4, or None for
    nothing to shade)."""

    code: str
    lignes: tuple[str, ...]
    classe: int | None


# --- Writing SVG --------------------------------------------------------------------------------


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def pct(share: float) -> str:
    """A position in percent of the chart's width: `37.5%`."""
    return f"{round(share * 100, 2):g}%"


def px(value: float) -> str:
    return f"{round(value, 1):g}"


def at(x: float, y: float, content: str) -> str:
    """`content`, drawn around (0, 0), placed at `x` (a share of the width) and `y` pixels."""
    return f'<svg x="{pct(x)}" y="{px(y)}" overflow="visible">{content}</svg>'


def root(chart_id: str, kind: str, title: str, description: str, height: int, body: str) -> Markup:
    """The chart element: fluid width, fixed height, labelled by its title and description."""
    return Markup(
        f'<svg class="ao-graphique ao-graphique--{kind}" width="100%" height="{height}" '
        f'role="img" aria-labelledby="{chart_id}-titre {chart_id}-desc" focusable="false" '
        f'font-size="{FONT_SIZE}" fill="{AXIS_COLOUR}">'
        f'<title id="{chart_id}-titre">{esc(title)}</title>'
        f'<desc id="{chart_id}-desc">{esc(description)}</desc>{body}</svg>\n'
    )


def text(
    x: str, y: float, content: str, *, anchor: str = "middle", cls: str = "", **extra: str
) -> str:
    klass = f' class="{cls}"' if cls else ""
    attributes = "".join(f' {name.replace("_", "-")}="{esc(v)}"' for name, v in extra.items())
    return (
        f'<text x="{x}" y="{px(y)}" text-anchor="{anchor}"{klass}{attributes}>{esc(content)}</text>'
    )


def line(x1: str, y1: float, x2: str, y2: float, colour: str, width: float, dash: str = "") -> str:
    dashed = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<line x1="{x1}" y1="{px(y1)}" x2="{x2}" y2="{px(y2)}" stroke="{colour}" '
        f'stroke-width="{px(width)}"{dashed}/>'
    )


def stroked(colour: str, width: float, dash: str = "") -> str:
    """The opening of a group whose lines share a stroke."""
    dashed = f' stroke-dasharray="{dash}"' if dash else ""
    return f'<g stroke="{colour}" stroke-width="{px(width)}"{dashed}>'


def joined(points: Sequence[tuple[float, float]], colour: str, width: float, dash: str = "") -> str:
    """Line segments joining consecutive (share of width, y) points, in one group."""
    if len(points) < 2:
        return ""
    segments = "".join(
        f'<line x1="{pct(x1)}" y1="{px(y1)}" x2="{pct(x2)}" y2="{px(y2)}"/>'
        for (x1, y1), (x2, y2) in itertools.pairwise(points)
    )
    return f"{stroked(colour, width, dash)}{segments}</g>"


MARKERS = {
    "rond": "<circle r='{r}' fill='{fill}' stroke='{stroke}' stroke-width='2'/>",
    "losange": "<path d='M0-{r}L{r} 0 0 {r}-{r} 0z' fill='{fill}' stroke='{stroke}'/>",
    "carre": "<rect x='-{h}' y='-{h}' width='{s}' height='{s}' fill='{fill}' stroke='{stroke}' "
    "stroke-width='2'/>",
}


def marker(shape: str, colour: str, size: float = 4.5, hollow: bool = False) -> str:
    fill = "#ffffff" if hollow else colour
    r = px(size + 1.5) if shape == "losange" else px(size)
    return (
        MARKERS[shape]
        .format(r=r, h=px(size), s=px(2 * size), fill=fill, stroke=colour)
        .replace("'", '"')
    )


def column_x(i: int, count: int, gutter: float = 0.0) -> float:
    """The centre of column `i` of `count`, as a share of the width, after a left `gutter`."""
    return gutter + (i + 0.5) * (1 - gutter) / max(count, 1)


# --- Scales -------------------------------------------------------------------------------------


def nice_top(value: float) -> float:
    """The round number at or above `value` that an axis ends on (1, 2, 2.5 or 5 times 10ⁿ)."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return float(step * power)
    return float(10 * power)


def axis_top(values: Sequence[float], unit: str, zoom: bool = False) -> float:
    """Where the value axis ends: 100 % for shares (a share is read against the whole), unless
    `zoom` asks for the round number just above the values (small shares, such as signals of a
    few percent, would otherwise lie flat on the axis)."""
    top = max(values, default=0.0)
    if unit == "%" and top <= 100 and not zoom:
        return 100.0
    return min(100.0, nice_top(top * 1.05)) if unit == "%" and top <= 100 else nice_top(top * 1.05)


@dataclass(frozen=True)
class Band:
    """The vertical band a value axis is drawn in: `top` for `high`, `bottom` for `low`."""

    top: float
    bottom: float
    low: float
    high: float

    def y(self, value: float) -> float:
        span = self.high - self.low or 1.0
        return self.bottom - (value - self.low) / span * (self.bottom - self.top)


# --- Line charts: an indicator's trend, shares by year ------------------------------------------


@dataclass(frozen=True)
class Placed:
    """A point drawn in a column: its height, and the marks next to it its label must avoid."""

    y: float
    avoid: tuple[float, ...]


MARK_HALF = 6.0
"""Half the height of a marker (a diamond of 5.5, a round of 4.5 and its stroke), in pixels."""
DESCENT = 3.0
"""How far a label's letters go below its baseline."""
ROOM_ABOVE, ROOM_BELOW = 20.0, 12.0
"""How far labels may go above the band's top (the legend ends higher) and below its bottom
(the years start lower)."""


def label_y(point: Placed, side: int) -> float:
    """The baseline of a label above (-1) or below (+1) its point, 6 px from it."""
    return point.y - 6 - DESCENT if side < 0 else point.y + 6 + LABEL_SIZE


def label_clear(point: Placed, band: Band, side: int) -> bool:
    """Whether a label on that side stays in its room and off every mark to avoid."""
    baseline = label_y(point, side)
    top, bottom = baseline - LABEL_SIZE, baseline + DESCENT
    inside = band.top - ROOM_ABOVE <= top and bottom <= band.bottom + ROOM_BELOW
    return inside and all(not (top - MARK_HALF < m < bottom + MARK_HALF) for m in point.avoid)


def label_side(point: Placed, band: Band) -> int:
    """-1 to put the label above the point, +1 below: above, unless the label would sit on a
    mark to avoid (a target's marker) or leave its room while below it would not."""
    return -1 if label_clear(point, band, -1) or not label_clear(point, band, 1) else 1


def legend_rows(items: Sequence[tuple[str, str]]) -> tuple[str, int]:
    """A legend of (swatch drawn around (0, 0), name), one item per line at the top left; and
    the height it takes."""
    body = ""
    for i, (swatch, name) in enumerate(items):
        y = 12 + i * 16
        body += f'<g transform="translate(14 {y - 4})">{swatch}</g>'
        body += text("34", y, name, anchor="start")
    return body, 16 * len(items) + 6


def line_swatch(colour: str, shape: str, dash: str = "") -> str:
    return line("-12", 0, "12", 0, colour, 2.5, dash) + marker(shape, colour, 4)


def year_axis(
    years: Sequence[int], partial: Sequence[bool], gutter: float, y: float, secondary: bool
) -> str:
    body = ""
    for i, (year, running) in enumerate(zip(years, partial, strict=True)):
        x = pct(column_x(i, len(years), gutter))
        cls = "ao-etiquette-secondaire" if secondary and (len(years) - 1 - i) % 2 else ""
        body += text(x, y, str(year), cls=cls)
        if running:
            body += text(x, y + LINE_HEIGHT, "(en cours)", fill=MUTED_TEXT, font_size="10")
    return body


def grid(band: Band, unit: str, label: Callable[[float], str]) -> str:
    """Three light lines (the axis' low, middle and top) labelled at the left, in the gutter."""
    body = ""
    for value in (band.low, (band.low + band.high) / 2, band.high):
        y = band.y(value)
        colour = AXIS_COLOUR if value == band.low else GRID_COLOUR
        body += line("0", y, "100%", y, colour, 1)
        body += text("0", y - 3, label(value), anchor="start", fill=MUTED_TEXT, font_size="10")
    return body


def axis_label(unit: str, top: float) -> Callable[[float], str]:
    """Tick labels the French way: `40 %`, `12 jours`, `5 M€`."""

    def label(value: float) -> str:
        if unit == "%":
            return f"{number(value, 0 if value == round(value) else 2 if top < 1 else 1)}\u00a0%"
        if unit == "€" and top >= 1_000_000:
            return f"{number(value / 1_000_000, 1 if top < 10_000_000 else 0)}\u00a0M€"
        if unit == "€":
            return f"{number(value)}\u00a0€"
        return number(value)

    return label


GUTTER = 0.13
"""The left part of a line chart kept for the axis' labels."""
SECONDARY_FROM = 7
"""From this many columns, every other label is secondary (hidden on narrow screens)."""


def trend_chart(
    chart_id: str,
    title: str,
    description: str,
    points: tuple[Point, ...],
    unit: str,
    value_label: Callable[[float], str],
    zoom: bool = False,
) -> Markup:
    """An indicator by year: the measured values as a solid line with round markers (hollow for
    the running year), each labelled with its value; the targets as a dashed line with diamond
    markers. A value's label goes on the side away from that year's target marker. `zoom`: the
    axis ends just above the values, not at 100 % (`axis_top`)."""
    targets = [p for p in points if p.cible is not None]
    legend, legend_height = legend_rows(
        [(line_swatch(VALUE_COLOUR, "rond"), "Valeur mesurée (trait plein, ronds)")]
        + (
            [(line_swatch(TARGET_COLOUR, "losange", "6 3"), "Cible (tirets, losanges)")]
            if targets
            else []
        )
    )
    known = [p.valeur for p in points if p.valeur is not None] + [
        p.cible for p in targets if p.cible is not None
    ]
    top = axis_top(known, unit, zoom)
    height = legend_height + 214
    band = Band(legend_height + 30, height - 48, 0.0, top)
    body = legend + grid(band, unit, axis_label(unit, top))
    count = len(points)
    xs = [column_x(i, count, GUTTER) for i in range(count)]
    secondary = count >= SECONDARY_FROM
    target_line = [(xs[i], band.y(p.cible)) for i, p in enumerate(points) if p.cible is not None]
    body += joined(target_line, TARGET_COLOUR, 2, "6 3")
    values = [(i, p.valeur, p) for i, p in enumerate(points) if p.valeur is not None]
    body += joined([(xs[i], band.y(v)) for i, v, _ in values], VALUE_COLOUR, 2.5)
    for x, y in target_line:
        body += at(x, y, marker("losange", TARGET_COLOUR, 4))
    for i, value, p in values:
        placed = Placed(band.y(value), () if p.cible is None else (band.y(p.cible),))
        body += at(xs[i], placed.y, marker("rond", VALUE_COLOUR, 4.5, hollow=p.partielle))
        side = label_side(placed, band)
        cls = (
            "ao-etiquette ao-etiquette-secondaire"
            if secondary and (count - 1 - i) % 2
            else "ao-etiquette"
        )
        body += text(
            pct(xs[i]),
            label_y(placed, side),
            value_label(value),
            cls=cls,
            fill=VALUE_COLOUR,
            font_weight="700",
            font_size=str(LABEL_SIZE),
        )
    body += year_axis(
        [p.annee for p in points],
        [p.partielle for p in points],
        GUTTER,
        band.bottom + 22,
        count >= 9,
    )
    return root(chart_id, "tendance", title, description, height, body)


def share_chart(
    chart_id: str,
    title: str,
    description: str,
    years: tuple[int, ...],
    partial: tuple[bool, ...],
    series: tuple[Series, Series],
) -> Markup:
    """Two shares (in percent) by year: the first a solid line with round markers, the second a
    dashed line with square markers. In each year the higher point has its label above, the
    lower one below, so that labels never meet."""
    styles = ((VALUE_COLOUR, "rond", ""), (SECOND_COLOUR, "carre", "6 3"))
    legend, legend_height = legend_rows(
        [
            (
                line_swatch(colour, shape, dash),
                f"{s.nom} ({'tirets, carrés' if dash else 'trait plein, ronds'})",
            )
            for s, (colour, shape, dash) in zip(series, styles, strict=True)
        ]
    )
    height = legend_height + 214
    band = Band(legend_height + 30, height - 48, 0.0, 100.0)
    body = legend + grid(band, "%", axis_label("%", 100))
    count = len(years)
    xs = [column_x(i, count, GUTTER) for i in range(count)]
    for s, (colour, _, dash) in zip(series, styles, strict=True):
        known = [(xs[i], band.y(v)) for i, v in enumerate(s.valeurs) if v is not None]
        body += joined(known, colour, 2.5, dash)
    for i in range(count):
        column = [
            (band.y(v), v, style)
            for s, style in zip(series, styles, strict=True)
            if (v := s.valeurs[i]) is not None
        ]
        column.sort(key=lambda item: item[0])
        for rank, (y, value, (colour, shape, _)) in enumerate(column):
            body += at(xs[i], y, marker(shape, colour, 4.5, hollow=partial[i]))
            side = -1 if rank == 0 else 1
            body += text(
                pct(xs[i]),
                label_y(Placed(y, ()), side),
                f"{number(value, 1)}\u00a0%",
                cls="ao-etiquette",
                fill=colour,
                font_weight="700",
                font_size=str(LABEL_SIZE),
            )
    body += year_axis(years, partial, GUTTER, band.bottom + 22, count >= 9)
    return root(chart_id, "parts", title, description, height, body)


# --- Sparklines and progress bars (the dashboard's cards) ---------------------------------------


def sparkline(chart_id: str, label: str, points: tuple[Point, ...]) -> Markup:
    """A year-by-year glyph: values joined by a line (the running year's point hollow) over the
    dashed line of the targets, the first and last years written at the ends; labelled in a few
    words (`label`), the card saying the numbers and the table next to it giving them all. Each
    value point carries its year and exact value (`data-annee`, `data-valeur`)."""
    known = [p.valeur for p in points if p.valeur is not None]
    known += [p.cible for p in points if p.cible is not None]
    low, high = (min(known), max(known)) if known else (0.0, 1.0)
    margin = (high - low) * 0.15 or max(abs(high) * 0.1, 1.0)
    band = Band(7, 37, low - margin, high + margin)
    count = len(points)
    xs = [0.04 + 0.92 * (i / (count - 1) if count > 1 else 0.5) for i in range(count)]
    targets = [(xs[i], band.y(p.cible)) for i, p in enumerate(points) if p.cible is not None]
    body = joined(targets, TARGET_COLOUR, 1.5, "4 3")
    if len(targets) == 1:
        body += at(targets[0][0], targets[0][1], marker("losange", TARGET_COLOUR, 2.5))
    values = [(i, p.valeur, p) for i, p in enumerate(points) if p.valeur is not None]
    body += joined([(xs[i], band.y(v)) for i, v, _ in values], VALUE_COLOUR, 2)
    hollow = ' fill="#ffffff"'
    circles = "".join(
        f'<circle cx="{pct(xs[i])}" cy="{px(band.y(value))}" r="3"'
        f'{hollow if p.partielle else ""} data-annee="{p.annee}" data-valeur="{value!r}"/>'
        for i, value, p in values
    )
    body += f'<g fill="{VALUE_COLOUR}" stroke="{VALUE_COLOUR}" stroke-width="1.5">{circles}</g>'
    if count > 1:
        body += f'<g fill="{MUTED_TEXT}" font-size="10">'
        body += text("0", 56, str(points[0].annee), anchor="start")
        body += text("100%", 56, str(points[-1].annee), anchor="end") + "</g>"
    return Markup(
        f'<svg class="ao-graphique ao-graphique--tendance-mini" id="{chart_id}" width="100%" '
        f'height="60" role="img" aria-label="{esc(label)}" focusable="false">{body}</svg>\n'
    )


def progress_bar(value: float | None, target: float | None, unit: str) -> Markup:
    """A bar of the value on a scale that holds the target, with the target as a tick. Decorative
    (`aria-hidden`): the card states both numbers in words."""
    shown = [v for v in (value, target) if v is not None]
    scale = 100.0 if unit == "%" and max(shown, default=0) <= 100 else max(shown, default=1) * 1.1
    body = f'<rect y="5" width="100%" height="8" rx="4" fill="{TRACK_COLOUR}"/>'
    if value is not None and scale > 0:
        share = pct(min(max(value / scale, 0), 1))
        body += f'<rect y="5" width="{share}" height="8" rx="4" fill="{VALUE_COLOUR}"/>'
    if target is not None and scale > 0:
        x = pct(min(max(target / scale, 0), 1))
        body += line(x, 0, x, 18, TARGET_COLOUR, 3)
    return Markup(
        f'<svg class="ao-progression" width="100%" height="18" aria-hidden="true" '
        f'focusable="false">{body}</svg>'
    )


# --- Bars: totals by year, split by category ----------------------------------------------------

PATTERNS = (
    "",
    '<path d="M0 6L6 0M-1 1L1-1M5 7L7 5" stroke="#ffffff" stroke-width="1.2"/>',
    '<circle cx="3" cy="3" r="1.1" fill="#ffffff"/>',
    '<path d="M0 3H6" stroke="#ffffff" stroke-width="1.2"/>',
)
"""What is drawn in white over each series' colour: nothing, stripes, dots, lines."""
BAR_ROW = 42


def pattern_defs(chart_id: str, count: int) -> str:
    body = ""
    for k in range(1, count):
        colour = CATEGORY_COLOURS[k]
        body += (
            f'<pattern id="{chart_id}-motif-{k}" width="6" height="6" '
            f'patternUnits="userSpaceOnUse"><rect width="6" height="6" fill="{colour}"/>'
            f"{PATTERNS[k]}</pattern>"
        )
    return f"<defs>{body}</defs>" if body else ""


def series_fill(chart_id: str, k: int) -> str:
    return CATEGORY_COLOURS[0] if k == 0 else f"url(#{chart_id}-motif-{k})"


def bar_chart(
    chart_id: str,
    title: str,
    description: str,
    rows: tuple[BarRow, ...],
    names: tuple[str, ...] = (),
) -> Markup:
    """Horizontal bars, one per row, its label above it; a bar is split into its parts, each
    with the colour and pattern of its series (`names`, given in a legend at the top when there
    are several). Every bar is scaled on the longest."""
    body = pattern_defs(chart_id, len(names)) if len(names) > 1 else ""
    y = 0.0
    if len(names) > 1:
        per_row = len(names) if len(names) <= 3 else 2
        for k, name in enumerate(names):
            x, row = (k % per_row) / per_row, k // per_row
            swatch = f'<rect y="-10" width="14" height="14" fill="{series_fill(chart_id, k)}"/>'
            body += at(x, 14 + 20 * row, swatch + text("19", 1, name, anchor="start"))
        y = 28.0 + 20 * ((len(names) - 1) // per_row)
    longest = max((sum(r.parts) for r in rows), default=0.0) or 1.0
    labels, bars = "", ""
    for r in rows:
        labels += text("0", y + 13, r.libelle, anchor="start")
        start = 0.0
        for k, part in enumerate(r.parts):
            if part <= 0:
                continue
            width = part / longest
            bars += (
                f'<rect x="{pct(start)}" y="{px(y + 19)}" width="{pct(width)}" height="16" '
                f'fill="{series_fill(chart_id, k)}"/>'
            )
            start += width
        y += BAR_ROW
    body += f'{labels}<g stroke="#ffffff" stroke-width="1">{bars}</g>'
    return root(chart_id, "barres", title, description, round(y), body)


# --- The map ------------------------------------------------------------------------------------


def map_chart(
    chart_id: str,
    title: str,
    description: str,
    areas: tuple[Area, ...],
    shapes: dict[str, tuple[str, float, float]],
    view_box: tuple[float, float, float, float],
    labels: bool,
) -> Markup:
    """Départements shaded by class (`MAP_CLASSES`), with their label lines written on them when
    `labels` (in the text colour of their class, over a halo of its fill, so that a label that
    crosses a border stays readable); `shapes` gives each code's path and label point. The map
    scales with its width."""
    left, top, width, height = view_box
    size = max(width, height) / 38
    body = ""
    for area in areas:
        path, x, y = shapes[area.code]
        fill = "#ffffff" if area.classe is None else MAP_CLASSES[area.classe][0]
        body += (
            f'<path d="{path}" fill="{fill}" stroke="{MAP_BORDER}" stroke-width="1" '
            f'vector-effect="non-scaling-stroke"/>'
        )
    if labels:
        for area in areas:
            _, x, y = shapes[area.code]
            fill, colour = (
                ("#ffffff", "#1f1f1f") if area.classe is None else MAP_CLASSES[area.classe]
            )
            halo = (
                f' stroke="{fill}" stroke-width="{px(size * 0.35)}" paint-order="stroke" '
                'stroke-linejoin="round"'
            )
            first = y - (len(area.lignes) - 1) * size * 0.6
            for k, content in enumerate(area.lignes):
                weight = ' font-weight="700"' if k == 0 else ""
                body += (
                    f'<text x="{px(x)}" y="{px(first + k * size * 1.2)}" text-anchor="middle" '
                    f'font-size="{px(size)}" fill="{colour}"{weight}{halo}>{esc(content)}</text>'
                )
    box = f"{px(left)} {px(top)} {px(width)} {px(height)}"
    return Markup(
        f'<svg class="ao-graphique ao-graphique--carte" viewBox="{box}" role="img" '
        f'aria-labelledby="{chart_id}-titre {chart_id}-desc" focusable="false">'
        f'<title id="{chart_id}-titre">{esc(title)}</title>'
        f'<desc id="{chart_id}-desc">{esc(description)}</desc>{body}</svg>\n'
    )


def swatch(fill: str) -> Markup:
    """A legend's coloured square, next to its words (decorative)."""
    return Markup(
        f'<svg class="ao-pastille" width="14" height="14" aria-hidden="true" focusable="false">'
        f'<rect width="14" height="14" fill="{fill}" stroke="{MAP_BORDER}"/></svg>'
    )


# --- An entity's contracts by year --------------------------------------------------------------


@dataclass(frozen=True)
class YearAmount:
    """A year of an entity (a company, a buying service, a CPV division, a département)."""

    annee: str
    marches: int
    montant: float


def yearly_chart(
    chart_id: str, subject: str, years: tuple[YearAmount, ...], running: str | None = None
) -> tuple[Markup, str]:
    """A bar per year, as long as the amount, labelled with the count and the amount; and the
    sentence that sums it up. Numbers in the description are written as the table writes them.
    The `running` year (not over at the data's date) reads « (en cours) » and is never called the
    year of the biggest amount: its total is partial."""

    def year_label(y: YearAmount) -> str:
        return f"{y.annee} (en cours)" if y.annee == running else y.annee

    description = (
        "Nombre et montant HT des marchés par année. "
        + " ; ".join(
            f"{year_label(y)} : {plural(y.marches, 'marché')}, {euros(y.montant)}" for y in years
        )
        + "."
    )
    chart = bar_chart(
        chart_id,
        f"{subject} : marchés par année",
        description,
        tuple(
            BarRow(
                f"{year_label(y)} · {plural(y.marches, 'marché')} · {euros_short(y.montant)}",
                (max(y.montant, 0.0),),
            )
            for y in years
        ),
    )
    complete = [y for y in years if y.annee != running] or list(years)
    biggest = max(complete, key=lambda y: y.montant)
    sentence = (
        f"De {years[0].annee} à {years[-1].annee}, "
        f"{plural(sum(y.marches for y in years), 'marché')} pour "
        f"{euros(sum(y.montant for y in years))} HT ; l'année du plus gros montant est "
        f"{biggest.annee} ({euros(biggest.montant)} HT)"
        + (f" ; {running} est en cours." if running in {y.annee for y in years} else ".")
    )
    return chart, sentence
