"""The chart kit on plain values: one palette with AA contrast, labels that never sit on a target
marker, fluid SVG without style attributes, the same bytes for the same numbers; and the preview
images, reproducible PNGs of 1200 × 630."""

from __future__ import annotations

import io
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from achats_ouverts import colours
from achats_ouverts.output import charts, previews

TEXT_COLOURS = (
    charts.VALUE_COLOUR,
    charts.TARGET_COLOUR,
    charts.SECOND_COLOUR,
    charts.AXIS_COLOUR,
    charts.MUTED_TEXT,
)
POINTS = (
    charts.Point(2022, 54.5, None),
    charts.Point(2023, 58.0, None),
    charts.Point(2024, 54.2, 40.0),
    charts.Point(2025, 55.9, 62.0),  # its target just above it
    charts.Point(2026, 59.0, 45.0, partielle=True),
    charts.Point(2027, None, 45.0),
)


def test_contrast_is_computed_as_wcag_does() -> None:
    assert colours.contrast(colours.BLACK, colours.WHITE) == pytest.approx(21.0)
    assert colours.contrast("#767676", colours.WHITE) == pytest.approx(4.54, abs=0.01)
    assert colours.contrast("#777777", colours.WHITE) < colours.TEXT_CONTRAST
    assert colours.darkened_until("#7f9fff", colours.WHITE, 4.5) != "#7f9fff"
    assert colours.contrast(colours.darkened_until("#7f9fff", colours.WHITE, 4.5), "#ffffff") >= 4.5
    with pytest.raises(ValueError, match="six chiffres hexadécimaux"):
        colours.channels("bleu")


def test_the_palette_has_aa_contrast_on_white() -> None:
    """Every mark at 3:1 against the page (RGAA 3.3), every text at 4.5:1 (RGAA 3.2), and the
    map's labels at 4.5:1 against the fill of their class."""
    for role, colour in charts.PALETTE.items():
        assert colours.contrast(colour, colours.WHITE) >= colours.GRAPHIC_CONTRAST, role
    for colour in TEXT_COLOURS:
        assert colours.contrast(colour, colours.WHITE) >= colours.TEXT_CONTRAST, colour
    for colour in charts.CATEGORY_COLOURS:
        assert colours.contrast(colour, colours.WHITE) >= colours.GRAPHIC_CONTRAST, colour
    for fill, ink in charts.MAP_CLASSES:
        assert colours.contrast(ink, fill) >= colours.TEXT_CONTRAST, (fill, ink)
    lightness = [colours.luminance(fill) for fill, _ in charts.MAP_CLASSES]
    assert lightness == sorted(lightness, reverse=True), "classes go from light to dark"


@settings(max_examples=300, deadline=None)
@given(value=st.floats(0, 100), target=st.floats(0, 100))
def test_a_value_label_never_covers_its_target_marker(value: float, target: float) -> None:
    """A label (its text from 11 px above its baseline to 3 px below) must not meet the target
    marker (6 px either side of its centre), nor leave the band: whenever one side of the point
    allows that, the label is put there."""
    band = charts.Band(68, 214, 0.0, 100.0)
    placed = charts.Placed(band.y(value), (band.y(target),))
    marker = band.y(target)

    def clear(side: int) -> bool:
        baseline = charts.label_y(placed, side)
        top, bottom = baseline - charts.LABEL_SIZE, baseline + 3
        inside = band.top - 20 <= top and bottom <= band.bottom + 12
        return inside and not (top - 6 < marker < bottom + 6)

    assert charts.label_y(placed, -1) + 3 <= placed.y - 6 + 1e-9  # above its own marker
    assert charts.label_y(placed, 1) - charts.LABEL_SIZE >= placed.y + 6 - 1e-9  # below it

    chosen = charts.label_side(placed, band)
    if clear(-1) or clear(1):
        assert clear(chosen), (value, target, chosen)


def test_the_trend_chart_puts_each_label_away_from_its_target() -> None:
    svg = charts.trend_chart("g", "Titre", "Description", POINTS, "%", lambda v: f"{v:.1f} %")
    labels = re.findall(r'<text x="([0-9.]+)%" y="([0-9.]+)"[^>]*class="ao-etiquette', svg)
    assert len(labels) == 5
    markers = dict(re.findall(r'<svg x="([0-9.]+)%" y="([0-9.]+)" overflow="visible"><path', svg))
    for x, y in labels:
        if x in markers:
            top, bottom = float(y) - charts.LABEL_SIZE, float(y) + 3
            assert not top - 6 < float(markers[x]) < bottom + 6, (x, y, markers[x])


@pytest.mark.parametrize(
    "chart",
    [
        lambda: charts.trend_chart("g-1", "T", "D", POINTS, "%", str),
        lambda: charts.sparkline("g-2", "Évolution", POINTS),
        lambda: charts.share_chart(
            "g-3",
            "T",
            "D",
            (2024, 2025),
            (False, True),
            (charts.Series("A", (50.0, 60.0)), charts.Series("B", (10.0, None))),
        ),
        lambda: charts.bar_chart(
            "g-4",
            "T",
            "D",
            (charts.BarRow("2024", (1.0, 2.0, 3.0)), charts.BarRow("2025", (2.0, 0.0, 1.0))),
            ("Travaux", "Fournitures", "Services"),
        ),
        lambda: charts.yearly_chart(
            "g-5", "Sujet", (charts.YearAmount("2024", 2, 10.0), charts.YearAmount("2025", 1, 5.0))
        )[0],
    ],
)
def test_charts_are_fluid_labelled_and_without_style(chart: object) -> None:
    assert callable(chart)
    first, second = chart(), chart()
    assert first == second
    opening = first.split(">", 1)[0]
    assert 'width="100%"' in opening
    assert "viewBox" not in opening
    assert 'role="img"' in opening
    assert "aria-labelledby" in opening or "aria-label=" in opening
    assert "style=" not in first
    assert "<script" not in first
    ids = re.findall(r'\sid="([^"]+)"', first)
    prefix = re.search(r"(g-[0-9])", first)
    assert prefix is not None
    assert all(i.startswith(prefix.group(1)) for i in ids), ids


def test_the_sparkline_carries_the_exact_values() -> None:
    svg = charts.sparkline("s", "Évolution", POINTS)
    found = re.findall(r'data-annee="([0-9]+)" data-valeur="([^"]+)"', svg)
    assert [(int(y), float(v)) for y, v in found] == [
        (p.annee, p.valeur) for p in POINTS if p.valeur is not None
    ]
    assert svg.count('fill="#ffffff"') == 1  # the running year, hollow


def test_text_in_charts_is_escaped() -> None:
    svg = charts.bar_chart("b", "<script>", "«&»", (charts.BarRow("<b>2024</b>", (1.0,)),))
    assert "<script>" not in svg
    assert "&lt;b&gt;2024&lt;/b&gt;" in svg


def test_previews_are_reproducible_pngs_of_1200_by_630() -> None:
    preview = previews.Preview(
        "Achats publics – Région", "Part des marchés", (("59,0\u00a0%", "en 2026"),), "pied", POINTS
    )
    first = previews.preview_png(preview, "#004a8f")
    assert first == previews.preview_png(preview, "#004a8f")
    image = Image.open(io.BytesIO(first))
    assert (image.format, image.size) == ("PNG", (1200, 630))
    assert set(image.info) <= {"transparency", "dpi"}  # no date, no software
    assert len(first) < 40_000
    assert colours.contrast("#004a8f", colours.WHITE) >= colours.TEXT_CONTRAST


def test_the_yearly_chart_marks_the_running_year_and_never_calls_it_the_biggest() -> None:
    years = (
        charts.YearAmount("2025", 3, 100.0),
        charts.YearAmount("2026", 9, 900.0),
    )
    chart, sentence = charts.yearly_chart("g-6", "Sujet", years, running="2026")
    assert "2026 (en cours)" in chart
    assert "2025 (en cours)" not in chart
    assert "l'année du plus gros montant est 2025" in sentence
    assert sentence.endswith("2026 est en cours.")
    _, closed = charts.yearly_chart("g-6", "Sujet", years)
    assert "(en cours)" not in closed
    assert "l'année du plus gros montant est 2026" in closed


def test_a_share_axis_ends_at_100_unless_zoomed_on_small_values() -> None:
    assert charts.axis_top([3.0, 16.3], "%") == 100.0
    assert charts.axis_top([3.0, 16.3], "%", zoom=True) == 20.0
    assert charts.axis_top([0.4], "%", zoom=True) == 0.5
    assert charts.axis_top([99.0], "%", zoom=True) == 100.0
    assert charts.axis_top([], "%", zoom=True) == 1.0
    assert charts.axis_top([80.0], "indice", zoom=True) == 100.0


def test_analysis_charts_are_zoomed_on_their_values() -> None:
    points = tuple(charts.Point(2022 + i, v, None, False) for i, v in enumerate((9.3, 16.3)))
    zoomed = charts.trend_chart("g-7", "T", "D", points, "%", str, zoom=True)
    whole = charts.trend_chart("g-7", "T", "D", points, "%", str)
    assert ">20 %<" in zoomed.replace("\u202f", " ").replace("\xa0", " ")
    assert ">100 %<" in whole.replace("\u202f", " ").replace("\xa0", " ")


def test_share_ticks_keep_their_decimals() -> None:
    assert charts.axis_label("%", 5.0)(2.5) == "2,5\u00a0%"
    assert charts.axis_label("%", 0.5)(0.25) == "0,25\u00a0%"
    assert charts.axis_label("%", 100.0)(50.0) == "50\u00a0%"
