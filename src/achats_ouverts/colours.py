"""Colours as WCAG 2.1 measures them: `#rrggbb` values, their relative luminance and the contrast
ratio between two of them. The buyer's colours (`editeur.yaml`) and the charts' palette are checked
with the same arithmetic: 4.5:1 for text (RGAA 3.2, WCAG 1.4.3), 3:1 for the marks of a chart
(RGAA 3.3, WCAG 1.4.11).
"""

from __future__ import annotations

import re

HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
WHITE = "#ffffff"
BLACK = "#000000"
TEXT_CONTRAST = 4.5
"""Minimum contrast of text against its background (normal size)."""
GRAPHIC_CONTRAST = 3.0
"""Minimum contrast of a chart's marks, and of a focus or boundary, against what is next to them."""


def channels(colour: str) -> tuple[int, int, int]:
    """`#1a237e` -> (26, 35, 126)."""
    if not HEX_COLOUR.match(colour):
        raise ValueError(f"couleur « {colour} » : six chiffres hexadécimaux attendus (#1a237e)")
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def luminance(colour: str) -> float:
    """Relative luminance (WCAG 2.1): 0 for black, 1 for white."""

    def linear(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in channels(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first: str, second: str) -> float:
    """The contrast ratio of two colours, from 1 (same) to 21 (black on white)."""
    a, b = sorted((luminance(first), luminance(second)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def mix(colour: str, other: str, share: float) -> str:
    """`colour` moved `share` (0 to 1) of the way towards `other`, channel by channel."""
    start, end = channels(colour), channels(other)
    return "#" + "".join(
        f"{round(a + (b - a) * share):02x}" for a, b in zip(start, end, strict=True)
    )


def darkened_until(colour: str, background: str, ratio: float) -> str:
    """The lightest shade of `colour`, mixed towards black in steps of 2 %, that reaches `ratio`
    against `background`: a suggestion for a colour that fails."""
    for step in range(51):
        candidate = mix(colour, BLACK, step / 50)
        if contrast(candidate, background) >= ratio:
            return candidate
    return BLACK
