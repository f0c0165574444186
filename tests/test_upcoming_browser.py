"""A works company of the Nord in Chromium, on the demonstration site (data of 1 November 2026):
the filter panel folds on a phone, the time filters match counts computed from the CSV, the feed
of a search holds exactly the purchases listed, the list and a purchase print without the form
and with the contact, and without JavaScript nothing is dead and the count says what is shown."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin

import feedparser
import pandas as pd
import pytest

from achats_ouverts.model import aggregates
from tests.fixtures import browser
from tests.fixtures.browser import settle
from tests.fixtures.paths import DATA

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 740}
NO_COMPETITION = "Marché passé sans publicité ni mise en concurrence préalable"


@pytest.fixture(scope="module")
def programme() -> pd.DataFrame:
    """The demonstration programme with, written again from the CSV, what the site derives:
    open or not at the reference date, execution département, and the period a company can act
    in (launch to offer deadline, or the planned day or quarter)."""
    if not (DATA / "achats-a-venir.csv").is_file():
        pytest.skip("données de démonstration absentes de data/ (make demo-data)")
    up = pd.read_csv(DATA / "achats-a-venir.csv", dtype=str, keep_default_na=False)
    contracts = pd.read_csv(DATA / "marches.csv", dtype=str, keep_default_na=False)
    reference = max(contracts["dateNotification"].max(), contracts["datePublicationDonnees"].max())
    deadline = up["dateLimiteRemiseOffres"]
    launched_open = (up["statut"] == "lancé") & ((deadline == "") | (deadline >= reference))
    quarter = up["trimestreLancementPrevu"]
    year, number = quarter.str.slice(0, 4), quarter.str.slice(6, 7)
    first_month = pd.to_numeric(number, errors="coerce").fillna(1).astype(int) * 3 - 2
    q_start = year + "-" + first_month.map("{:02d}".format) + "-01"
    q_end = (pd.to_datetime(q_start, errors="coerce") + pd.offsets.QuarterEnd(0)).dt.strftime(
        "%Y-%m-%d"
    )
    planned = up["dateLancementPrevue"]
    start = planned.where(planned != "", q_start.where(quarter != "", ""))
    end = planned.where(planned != "", q_end.where(quarter != "", ""))
    launched = up["dateLancement"]
    start = launched.where(launched != "", start)
    end = deadline.where(deadline != "", launched).where(launched != "", end)
    return up.assign(
        ouvert=(up["statut"] == "prévu") | launched_open,
        departement=aggregates.execution_departement(
            up["lieuExecution_code"], up["lieuExecution_typeCode"]
        ),
        debut=start,
        fin=end,
        reference=reference,
    )


def count(page: Any) -> int:
    text = page.inner_text("[data-ao-compte]").replace("\u202f", "")
    if text.startswith("Aucun"):
        return 0
    match = re.match(r"(\d+) ", text)
    assert match, text
    return int(match.group(1))


def listed_ids(page: Any) -> list[str]:
    """The purchases of every page of the current view, from their links."""
    found: list[str] = []
    while True:
        links = page.eval_on_selector_all(
            "[data-ao-resultats] tbody th a", "l => l.map(a => a.getAttribute('href'))"
        )
        found += [href.rstrip("/").rsplit("/", 1)[-1] for href in links]
        if not (page.is_visible("[data-ao-pages]") and page.is_enabled("[data-ao-page='1']")):
            return found
        page.click("[data-ao-page='1']")
        settle(page)


@pytest.fixture
def watched(new_page: Any, demo_url: str) -> Iterator[Any]:
    """A page factory whose pages must end without console errors or outside requests."""
    made: list[browser.Watch] = []

    def make(viewport: dict[str, int] | None = None) -> Any:
        page = new_page(viewport)
        made.append(browser.watch(page, demo_url))
        return page

    yield make
    for seen in made:
        assert (seen.console_errors, seen.external_requests, seen.dialogs) == ([], [], [])


def open_explorer(page: Any, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("[data-ao-filtres]:not([hidden])")
    settle(page)


def in_window(programme: pd.DataFrame, start: str, end: str) -> pd.DataFrame:
    chosen = programme[programme["ouvert"] & (programme["debut"] != "")]
    return chosen[(chosen["debut"] <= end) & (chosen["fin"] >= start)]


# --- On a phone -----------------------------------------------------------------------------------


def test_a_works_company_of_the_nord_finds_next_semesters_works_and_subscribes(
    programme: pd.DataFrame, watched: Any, demo_url: str
) -> None:
    """The issue's story, end to end, on a 375 px phone: three filters and « dans les 6
    prochains mois » keep the 4 purchases of the next six months; the results and their count
    are on the first screen; the closest feed is the works of the Nord, whose entries are the
    open works of the Nord."""
    page = watched(PHONE)
    open_explorer(page, demo_url + "achats-a-venir/")
    toggle = page.locator("[data-ao-bascule]")
    assert toggle.is_visible()
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not page.is_visible("#f-recherche"), "the panel is folded"
    box = page.locator("[data-ao-compte]").bounding_box()
    assert box is not None
    assert box["y"] + box["height"] <= PHONE["height"], "the count is on the first screen"
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    page.select_option("#f-categorie", "Travaux")
    page.select_option("#f-departement", "59")
    settle(page)
    works = programme[
        programme["ouvert"]
        & (programme["categorie"] == "Travaux")
        & (programme["departement"] == "59")
    ]
    assert count(page) == len(works) == 9
    page.select_option("#f-periode", "6-mois")
    settle(page)
    expected = in_window(works, "2026-11-01", "2027-05-01")
    assert count(page) == len(expected) == 4
    show = page.locator("[data-ao-voir]")
    assert show.inner_text() == "Voir les 4 résultats"
    show.click()
    assert toggle.get_attribute("aria-expanded") == "false"
    assert page.evaluate("document.activeElement.id") == "resultats"
    assert sorted(listed_ids(page)) == sorted(expected["id"])
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    notice = page.locator("[data-ao-flux-recherche]")
    assert "ne tient pas compte de : la période" in notice.inner_text()
    notice.get_by_role("link", name="« Achats à venir : travaux, Nord (59) »").click()
    page.wait_for_load_state()
    address = page.inner_text(".ao-adresse code")
    assert address.endswith("/flux/achats-a-venir-travaux-departement-59.xml")
    xml = page.locator("a[type='application/atom+xml']").first.get_attribute("href")
    body = page.request.get(urljoin(page.url, xml)).body()
    entries = [e.id.rsplit("/", 1)[-1] for e in feedparser.parse(body).entries]
    assert sorted(entries) == sorted(works["id"])


def test_the_filter_panel_stays_open_on_a_wide_screen(watched: Any, demo_url: str) -> None:
    page = watched(browser.DESKTOP)
    open_explorer(page, demo_url + "achats-a-venir/")
    assert page.is_visible("#f-recherche")
    assert not page.is_visible("[data-ao-bascule]")
    assert not page.is_visible("[data-ao-voir]")
    marches = watched(PHONE)
    open_explorer(marches, demo_url + "marches/")
    assert not marches.is_visible("#f-recherche"), "the contracts' explorer folds too"
    box = marches.locator("[data-ao-compte]").bounding_box()
    assert box is not None
    assert box["y"] + box["height"] <= PHONE["height"], "its count is on the first screen too"
    marches.click("[data-ao-bascule]")
    assert marches.is_visible("#f-recherche")


# --- Time filters and order -----------------------------------------------------------------------


def test_time_filters_match_counts_from_the_csv(
    programme: pd.DataFrame, watched: Any, demo_url: str
) -> None:
    page = watched()
    open_explorer(page, demo_url + "achats-a-venir/")
    periods = {"3-mois": "2027-02-01", "6-mois": "2027-05-01", "12-mois": "2027-11-01"}
    for code, end in periods.items():
        page.select_option("#f-periode", code)
        settle(page)
        assert count(page) == len(in_window(programme, "2026-11-01", end)), code
    page.select_option("#f-periode", "")
    page.fill("#f-du", "2027-04-01")
    page.fill("#f-au", "2027-06-30")
    settle(page)
    expected = in_window(programme, "2027-04-01", "2027-06-30")
    assert 0 < count(page) == len(expected)
    assert "du=2027-04-01" in page.url
    assert sorted(listed_ids(page)) == sorted(expected["id"])
    quarters = page.eval_on_selector_all("#f-trimestre option", "o => o.map(x => x.value)")[1:]
    open_programme = programme[programme["ouvert"]]
    planned_quarters = {
        f"{d[:4]}-T{(int(d[5:7]) - 1) // 3 + 1}" if d else q
        for d, q in zip(
            open_programme["dateLancementPrevue"],
            open_programme["trimestreLancementPrevu"],
            strict=True,
        )
    }
    assert quarters == sorted(planned_quarters), "only quarters that have open purchases"


def test_the_list_starts_with_what_a_company_can_act_on_and_sorts_by_deadline(
    programme: pd.DataFrame, watched: Any, demo_url: str
) -> None:
    page = watched()
    open_explorer(page, demo_url + "achats-a-venir/?statut=tous")
    first = listed_ids(page)[0]
    row = programme.set_index("id").loc[first]
    assert row["statut"] == "lancé", "an open consultation first, not a past launch"
    assert row["dateLimiteRemiseOffres"] >= row["reference"]
    page.select_option("#f-tri", "limite")
    settle(page)
    ids = listed_ids(page)
    deadlines = programme.set_index("id").loc[ids, "dateLimiteRemiseOffres"].tolist()
    dated = [d for d in deadlines if d]
    assert dated == sorted(dated)
    assert deadlines[: len(dated)] == dated, "missing deadlines last"


# --- « S'abonner à cette recherche » --------------------------------------------------------------


@pytest.mark.parametrize(
    "query", ["cpv=45&departement=59", "categorie=Services&departement=62", "", "cpv=90"]
)
def test_the_feed_of_a_search_holds_exactly_the_listed_purchases(
    watched: Any, demo_url: str, query: str
) -> None:
    page = watched()
    open_explorer(page, demo_url + "achats-a-venir/" + (f"?{query}" if query else ""))
    listed = listed_ids(page)
    link = page.locator("[data-ao-flux-recherche] a", has_text="S'abonner à cette recherche")
    assert link.count() == 1
    link.click()
    page.wait_for_load_state()
    xml = page.locator("a[type='application/atom+xml']").first.get_attribute("href")
    body = page.request.get(urljoin(page.url, xml)).body()
    entries = [e.id.rsplit("/", 1)[-1] for e in feedparser.parse(body).entries]
    assert sorted(entries) == sorted(listed)


def test_a_search_without_its_own_feed_says_what_to_do(watched: Any, demo_url: str) -> None:
    page = watched()
    open_explorer(
        page, demo_url + "achats-a-venir/?categorie=Travaux&departement=59&montant=plus-2m"
    )
    text = page.inner_text("[data-ao-flux-recherche]")
    assert text.startswith("Aucun flux ne correspond exactement à cette recherche")
    assert "« Achats à venir : travaux, Nord (59) », ne tient pas compte de : le montant." in text
    assert page.locator("[data-ao-flux-recherche] a", has_text="Tous les flux").count() == 1


# --- Print ----------------------------------------------------------------------------------------


def pdf_pages(pdf: bytes) -> int:
    found = re.search(rb"/Type /Pages\s*/Count (\d+)", pdf)
    assert found, "a PDF page tree"
    return int(found.group(1))


def test_the_list_and_a_purchase_print_without_the_form_and_with_the_contact(
    watched: Any, demo_url: str
) -> None:
    """Printed by Chromium: the Nord's 9 works fit on 3 A4 pages (6 before), a purchase on one;
    neither the form, the navigation nor the search is printed, the contact is."""
    page = watched()
    open_explorer(page, demo_url + "achats-a-venir/?categorie=Travaux&departement=59")
    page.emulate_media(media="print")
    for hidden in ("[data-ao-filtres]", ".md-header", ".md-tabs", ".ao-pages", ".ao-abonnement"):
        assert not page.is_visible(hidden), hidden
    assert page.locator("[data-ao-resultats] thead th").count() == 7, "every column"
    contacts = page.locator("[data-ao-resultats] tbody a[href^='mailto:']")
    assert contacts.count() == 9
    assert contacts.first.is_visible()
    assert pdf_pages(page.pdf(format="A4")) <= 3
    purchase = watched()
    purchase.goto(demo_url + "achats-a-venir/2026-lyc-007/")
    purchase.emulate_media(media="print")
    assert purchase.locator("a[href^='mailto:']").first.is_visible()
    assert not purchase.is_visible(".ao-abonnement")
    assert pdf_pages(purchase.pdf(format="A4")) == 1


# --- Without JavaScript ---------------------------------------------------------------------------


@pytest.fixture
def no_script(chromium: Any) -> Iterator[Any]:
    context = chromium.new_context(java_script_enabled=False, locale="fr-FR")
    yield context.new_page()
    context.close()


def test_without_javascript_no_control_is_dead_and_the_count_says_what_is_shown(
    programme: pd.DataFrame, no_script: Any, demo_url: str
) -> None:
    page = no_script
    page.goto(demo_url + "achats-a-venir/")
    for dead in ("[data-ao-filtres]", "[data-ao-pages]", "[data-ao-bascule]", "button"):
        assert not page.locator(dead).first.is_visible(), dead
    shown = page.locator("[data-ao-resultats] tbody tr").count()
    total = int(programme["ouvert"].sum())
    assert shown == 50 < total
    status = page.inner_text("[data-ao-compte]").replace("\u202f", "")
    expected = f"{total} achats prévus ou en consultation, par échéance"
    assert status == expected + " ; les 50 premiers sont affichés."
    page.goto(demo_url + "marches/")
    status = page.inner_text("[data-ao-compte]").replace("\u202f", "")
    contracts = pd.read_csv(DATA / "marches.csv", dtype=str, keep_default_na=False)
    assert status.startswith(f"{len(contracts)} marchés, du plus récent au plus ancien. ")
    assert "Montant total à la notification : " in status, "the totals of all the contracts"
    assert status.endswith(" HT. Les 50 plus récents sont affichés.")
    assert page.locator("[data-ao-resultats] tbody tr").count() == 50
