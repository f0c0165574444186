"""The images of link previews (Open Graph and Twitter cards): a 1200 × 630 PNG per page that has
one, drawn at build time with matplotlib, offline, from plain values. The same values give the
same bytes (no date or software in the file, a fixed font).

A preview is a card in the buyer's colours: the site's name on a band of the main colour, the
page's title, one or two key figures, an optional small chart, and at the foot the site's address
and the date of the data. Every colour pair on it reaches 4.5:1. The PNG is written by Pillow
(matplotlib's own dependency) from the drawn pixels: no metadata, 64 colours.

This module never imports pandas: it draws plain values.
"""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from PIL import Image

from achats_ouverts.output.charts import MUTED_TEXT, TARGET_COLOUR, VALUE_COLOUR, Point

WIDTH, HEIGHT, DPI = 1200, 630, 100
INK = "#1f1f1f"
STYLE: dict[str, object] = {
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "text.color": INK,
    "path.simplify": False,
}
COLOURS = 64
"""The PNG's palette: enough for the anti-aliased text of a few colours."""


@dataclass(frozen=True)
class Preview:
    """What a preview shows: `figures` are (big figure, words under it)."""

    site: str
    titre: str
    figures: tuple[tuple[str, str], ...]
    pied: str
    tendance: tuple[Point, ...] = ()


def wrapped(text: str, width: int, lines: int) -> str:
    """`text` on at most `lines` lines of `width` characters, cut with « … »."""
    parts = textwrap.wrap(text, width) or [""]
    if len(parts) > lines:
        parts = parts[:lines]
        parts[-1] = parts[-1][: width - 1].rstrip() + "…"
    return "\n".join(parts)


def draw_trend(figure: Figure, points: tuple[Point, ...]) -> None:
    """A small chart of values (solid, round markers) and targets (dashed, diamonds)."""
    ax = figure.add_axes((0.62, 0.2, 0.33, 0.3))
    years = [p.annee for p in points]
    values = [(p.annee, p.valeur) for p in points if p.valeur is not None]
    targets = [(p.annee, p.cible) for p in points if p.cible is not None]
    if targets:
        ax.plot(
            *zip(*targets, strict=True),
            color=TARGET_COLOUR,
            linewidth=3,
            linestyle=(0, (5, 3)),
            marker="D",
            markersize=8,
        )
    if values:
        ax.plot(
            *zip(*values, strict=True), color=VALUE_COLOUR, linewidth=4, marker="o", markersize=10
        )
    ax.set_xticks([years[0], years[-1]] if len(years) > 1 else years)
    ax.tick_params(colors=MUTED_TEXT, labelsize=16, length=0)
    ax.set_yticks([])
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.spines["bottom"].set_color(MUTED_TEXT)
    ax.patch.set_alpha(0)


def preview_png(preview: Preview, colour: str) -> bytes:
    """The preview as PNG bytes, with the band in `colour` (white text on it at 4.5:1), in 64
    colours: about 10 KB, and quick to compress."""
    with matplotlib.rc_context(STYLE):  # type: ignore[arg-type]
        figure = Figure(figsize=(WIDTH / DPI, HEIGHT / DPI), dpi=DPI, facecolor="#ffffff")
        FigureCanvasAgg(figure)
        band = figure.add_axes((0, 0.82, 1, 0.18))
        band.set_axis_off()
        band.add_patch(Rectangle((0, 0), 1, 1, color=colour))
        figure.text(
            0.05,
            0.91,
            wrapped(preview.site, 56, 1),
            fontsize=28,
            color="#ffffff",
            fontweight="bold",
            va="center",
        )
        figure.text(
            0.05,
            0.75,
            wrapped(preview.titre, 34, 2),
            fontsize=36,
            color=INK,
            fontweight="bold",
            va="top",
            linespacing=1.15,
        )
        for i, (big, words) in enumerate(preview.figures[:2]):
            top = 0.44 - i * 0.18
            figure.text(
                0.05, top, big, fontsize=44, color=VALUE_COLOUR, fontweight="bold", va="center"
            )
            figure.text(
                0.05,
                top - 0.08,
                wrapped(words, 46 if preview.tendance else 80, 1),
                fontsize=20,
                color=INK,
                va="center",
            )
        if preview.tendance:
            draw_trend(figure, preview.tendance)
        figure.text(0.05, 0.045, preview.pied, fontsize=16, color=MUTED_TEXT, va="center")
        raw = io.BytesIO()
        figure.savefig(raw, format="rgba", dpi=DPI)
    image = Image.frombytes("RGBA", (WIDTH, HEIGHT), raw.getvalue()).convert("RGB")
    buffer = io.BytesIO()
    image.quantize(COLOURS, method=Image.Quantize.FASTOCTREE).save(
        buffer, format="PNG", compress_level=6
    )
    return buffer.getvalue()
