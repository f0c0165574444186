"""The dashboard's cards, the home page's charts and map, and the entity pages' charts in
Chromium at 320 and 1280 px: no axe-core violation, no chart text over another, nothing of a chart
or a card outside the screen."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.fixtures import browser

pytestmark = pytest.mark.browser

WITH_CHARTS = (
    "accueil",
    "tableau-de-bord-indicateurs",
    "politique",
    "indicateur",
    "service",
    "domaine-cpv",
    "departement",
    "titulaire",
)
"""The page types (`browser.PAGE_TYPES`) that show the new components."""
CHARTED = {t.name: t for t in browser.PAGE_TYPES if t.name in WITH_CHARTS}

LAYOUT_PROBLEMS = """() => {
  const problems = [];
  const width = document.documentElement.clientWidth;
  const shown = el => el.getBoundingClientRect().width > 0
    && getComputedStyle(el).display !== 'none';
  for (const svg of document.querySelectorAll('svg.ao-graphique, svg.ao-progression')) {
    if (!shown(svg)) continue;
    const box = svg.getBoundingClientRect();
    if (box.left < -0.5 || box.right > width + 0.5) {
      problems.push(`graphique hors écran : ${svg.id || svg.className.baseVal}`);
    }
    const texts = [...svg.querySelectorAll('text')].filter(shown)
      .map(t => [t.textContent, t.getBoundingClientRect()]);
    for (const [content, b] of texts) {
      if (b.left < -0.5 || b.right > width + 0.5) problems.push(`texte hors écran : ${content}`);
    }
    for (let i = 0; i < texts.length; i++) {
      for (let j = i + 1; j < texts.length; j++) {
        const [ta, a] = texts[i], [tb, b] = texts[j];
        const overlap = Math.min(a.right, b.right) - Math.max(a.left, b.left) > 0.5
          && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 0.5;
        if (overlap) problems.push(`« ${ta} » chevauche « ${tb} »`);
      }
    }
  }
  for (const card of document.querySelectorAll('li.ao-carte')) {
    const box = card.getBoundingClientRect();
    if (box.left < -0.5 || box.right > width + 0.5) problems.push('carte hors écran');
  }
  return problems;
}"""


@pytest.fixture(scope="module")
def site_url(demo_site: Path) -> Iterator[str]:
    with browser.serve(demo_site) as url:
        yield url


def test_every_page_type_with_charts_is_listed() -> None:
    assert set(CHARTED) == set(WITH_CHARTS)


@pytest.mark.parametrize("viewport", [browser.NARROW, browser.DESKTOP], ids=["320", "1280"])
@pytest.mark.parametrize("name", WITH_CHARTS)
def test_charts_and_cards_pass_axe_and_keep_their_labels_apart(
    demo_site: Path, site_url: str, new_page: Any, name: str, viewport: dict[str, int]
) -> None:
    path = browser.page_path(demo_site, CHARTED[name])
    if name == "titulaire":  # a company with contracts in several years has a chart
        path = next(
            f"titulaires/{p.parent.name}/"
            for p in sorted((demo_site / "titulaires").glob("*/index.html"))
            if "ao-graphique--barres" in p.read_text(encoding="utf-8")
        )
    page = new_page(viewport)
    seen = browser.watch(page, site_url)
    page.goto(site_url + path, wait_until="load")
    assert page.locator("svg.ao-graphique").count() > 0, path
    assert page.evaluate(LAYOUT_PROBLEMS) == [], path
    for details in page.locator("li.ao-carte details").all()[:3]:
        details.locator("summary").click()
    assert browser.axe_violations(page) == [], path
    assert seen.external_requests == []
    assert seen.console_errors == []
