"""The SPASER report printed by Chromium (`page.pdf(format="A4")`): no table row and no
indicator block (title, table, method) is cut across two pages, read from the PDF's text; the
same check finds cuts once the report's print rules are switched off, so it can fail."""

from __future__ import annotations

import io
import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from achats_ouverts.output import urls

pypdf = pytest.importorskip("pypdf")

MARK = re.compile(r"QX(\d+)([AZ])QX")
MARKERS = """() => {
  const blocks = [...document.querySelectorAll('.ao-rapport figure.ao-rapport__indicateur')];
  const rows = blocks.flatMap(f => [...f.querySelectorAll('tbody tr')]);
  let n = 0;
  const mark = (start, end) => {
    n += 1;
    start.insertAdjacentText('afterbegin', `QX${n}AQX `);
    end.insertAdjacentText('beforeend', ` QX${n}ZQX`);
  };
  for (const f of blocks) mark(f.querySelector('h3'), f.querySelector('figcaption'));
  for (const r of rows) mark(r.firstElementChild, r.lastElementChild);
  return n;
}"""
"""Writes a marker at the start and at the end of every indicator block and every table row
(only in the browser's copy of the page): a block or a row is whole on a page when both of
its markers are on that page."""
NO_REPORT_PRINT_RULES = """() => {
  const all = '.ao-rapport__indicateur, .ao-rapport__indicateur tr, .ao-rapport h2, .ao-rapport h3';
  for (const e of document.querySelectorAll(all)) {
    e.style.setProperty('break-inside', 'auto', 'important');
    e.style.setProperty('break-after', 'auto', 'important');
  }
}"""
"""Switches off the report's print rules (and the site's `tr { break-inside: avoid }`) through
the CSSOM, which the Content-Security-Policy allows, unlike a style element."""


def cut_marks(pdf: bytes, expected: int) -> list[int]:
    """The markers whose start and end are not on the same page of the PDF."""
    pages: dict[str, dict[int, int]] = {"A": {}, "Z": {}}
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    for number, page in enumerate(reader.pages):
        text = re.sub(r"\s+", "", page.extract_text())
        for ident, side in MARK.findall(text):
            pages[side][int(ident)] = number
    assert set(pages["A"]) == set(pages["Z"]) == set(range(1, expected + 1)), "markers lost"
    return sorted(i for i in pages["A"] if pages["A"][i] != pages["Z"][i])


def printed(new_page: Any, url: str, undo: str = "") -> tuple[bytes, int]:
    page = new_page()
    page.goto(url, wait_until="load")
    if undo:
        page.evaluate(undo)
    count = page.evaluate(MARKERS)
    return page.pdf(format="A4"), int(count)


def report_urls(site: Path, base: str) -> list[str]:
    return [
        base + urls.POLICY + p.parent.name + "/"
        for p in sorted((site / urls.POLICY).glob("rapport-*/index.html"))
    ]


def test_no_row_or_indicator_is_cut_across_pages(
    demo_site: Path, demo_url: str, new_page: Any
) -> None:
    pages = report_urls(demo_site, demo_url)
    assert pages
    for url in pages:
        pdf, count = printed(new_page, url)
        assert count > 20
        assert len(pypdf.PdfReader(io.BytesIO(pdf)).pages) > 1, "the check needs several pages"
        assert cut_marks(pdf, count) == [], url
        # The site's banner is not printed; a demo report still says its figures are fictional.
        first = unicodedata.normalize(
            "NFKC", pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
        )
        assert "Démonstration" in first
        assert "fictifs" in first


def test_the_check_finds_cuts_without_the_report_print_rules(
    demo_site: Path, demo_url: str, new_page: Any
) -> None:
    cuts = []
    for url in report_urls(demo_site, demo_url):
        pdf, count = printed(new_page, url, NO_REPORT_PRINT_RULES)
        cuts += cut_marks(pdf, count)
    assert cuts, "without the print rules some indicator block straddles two pages"
