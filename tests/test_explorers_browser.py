"""The explorers in Chromium: filters against counts computed from the CSVs, shareable URLs,
keyboard-only use, no console errors or outside requests, axe-core on every page type, and the
script's helpers against the site's Python formats."""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterator
from datetime import date
from typing import Any

import pandas as pd
import pytest

from achats_ouverts.building import build
from achats_ouverts.french import euros, french_date, quarter_label, search_text, signed_percent
from achats_ouverts.model import aggregates
from achats_ouverts.output import path_segment, programme
from achats_ouverts.pages import explorer_contracts
from achats_ouverts.settings import Settings
from tests.fixtures import browser
from tests.fixtures.browser import settle
from tests.fixtures.explorer_folder import RENOVATION, make_explorer_data
from tests.fixtures.labels import labelled
from tests.fixtures.paths import DATA, ROOT

pytestmark = pytest.mark.browser
SCRIPT = ROOT / "site_src" / "assets" / "explorateur.js"
SEARCH_SCRIPT = ROOT / "site_src" / "assets" / "recherche.js"


def count(page: Any) -> int:
    text = page.inner_text("[data-ao-compte]").replace("\u202f", "")
    if text.startswith("Aucun"):
        return 0
    match = re.match(r"(\d+) ", text)
    assert match, text
    return int(match.group(1))


def hrefs(page: Any) -> list[str]:
    return page.eval_on_selector_all(
        "[data-ao-resultats] tbody th a", "links => links.map(a => a.getAttribute('href'))"
    )


def all_result_hrefs(page: Any) -> list[str]:
    """Every row of the current filter, page after page."""
    found = hrefs(page)
    while page.is_enabled("[data-ao-page='1']") and page.is_visible("[data-ao-pages]"):
        page.click("[data-ao-page='1']")
        settle(page)
        found += hrefs(page)
    return found


def normalize(text: str) -> str:
    """The explorer's free-text rule, written again independently."""
    decomposed = unicodedata.normalize("NFD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    plain = plain.replace("œ", "oe").replace("æ", "ae").replace("ß", "ss")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain).split())


def csv(name: str) -> pd.DataFrame:
    return pd.read_csv(DATA / f"{name}.csv", dtype=str, keep_default_na=False)


def current_links() -> pd.DataFrame:
    """The current suppliers of each contract: those the explorer lists and searches."""
    links = csv("marches-titulaires")
    return links[links["titulaireActuel"] == "true"]


@pytest.fixture(scope="session")
def tables() -> dict[str, pd.DataFrame]:
    """The demonstration CSVs with the columns the tests filter on. Ask for it first: without the
    data, the test is skipped before the demonstration site is built (failed under CI=true)."""
    if not (DATA / "marches.csv").is_file():
        message = "le jeu de démonstration (data/*.csv) est absent : make demo-data"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    contracts = csv("marches")
    links = current_links()
    suppliers = csv("titulaires")
    names = dict(zip(suppliers["titulaire_id"], suppliers["titulaire_nom"], strict=True))
    holders: dict[str, list[str]] = {}
    for uid, ident in zip(links["uid"], links["titulaire_id"], strict=True):
        holders.setdefault(uid, []).append(f"{names.get(ident, ident)} {ident}")
    contracts["annee"] = contracts["dateNotification"].str.slice(0, 4)
    contracts["departement"] = aggregates.execution_departement(
        contracts["lieuExecution_code"], contracts["lieuExecution_typeCode"]
    )
    contracts["montant_n"] = pd.to_numeric(contracts["montant"])
    contracts["texte"] = [
        normalize(f"{o} {path_segment(u)} {' '.join(holders.get(u, []))}")
        for o, u in zip(contracts["objet"], contracts["uid"], strict=True)
    ]
    contracts["lien"] = "../marches/" + contracts["uid"].map(path_segment) + "/"
    return {"marches": contracts, "achats": csv("achats-a-venir")}


def reference_day(contracts: pd.DataFrame) -> str:
    """The data's reference date as the build computes it without SOURCE_DATE_EPOCH: the latest
    notification or publication date."""
    return str(max(contracts["dateNotification"].max(), contracts["datePublicationDonnees"].max()))


def open_purchases(achats: pd.DataFrame, reference: str) -> pd.DataFrame:
    """Planned, or launched with an offer deadline not yet past: the status rule written again
    from the CSV, independently of the model."""
    deadline = achats["dateLimiteRemiseOffres"]
    launched_open = (achats["statut"] == "lancé") & ((deadline == "") | (deadline >= reference))
    return achats[(achats["statut"] == "prévu") | launched_open]


@pytest.fixture
def explorer(new_page: Any, demo_url: str) -> Iterator[tuple[Any, browser.Watch]]:
    page = new_page()
    seen = browser.watch(page, demo_url)
    yield page, seen
    assert seen.console_errors == []
    assert seen.external_requests == []
    assert seen.dialogs == []


def open_explorer(page: Any, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("[data-ao-filtres]:not([hidden])")
    settle(page)


# --- The script's helpers, against the Python formats ---------------------------------------------


@pytest.fixture(scope="module")
def helpers(chromium: Any) -> Iterator[Any]:
    context = chromium.new_context()
    page = context.new_page()
    page.set_content("<!doctype html><html lang=fr><title>t</title><body></body></html>")
    page.add_script_tag(content=SCRIPT.read_text(encoding="utf-8"))
    page.add_script_tag(content=SEARCH_SCRIPT.read_text(encoding="utf-8"))
    yield page
    context.close()


def js(page: Any, expression: str, *args: Any) -> Any:
    return page.evaluate(
        f"(args) => {{ const X = window.AchatsOuvertsExplorateur; return {expression}; }}",
        list(args),
    )


def test_script_formats_amounts_and_dates_as_the_python_filters(helpers: Any) -> None:
    values = [0, 1, 2.5, 3.5, 999.5, 1000, 1234567.49, 1234567.5, 12345678901, 80000.0, 290097.77]
    values += [0.5, 1.005, 2.675, 1234.4999999999998, 99.995, 1e-7, 1234567.994999]
    assert js(helpers, "args[0].map(X.formatEuros)", values) == [euros(v) for v in values]
    changes = [12.3, -78.5, 0.0, 1234.5, 14.0]
    assert js(helpers, "args[0].map(X.formatChange)", changes) == [
        signed_percent(c) for c in changes
    ]
    days = ["2024-03-01", "2024-03-12", "2023-12-31", "2026-08-01"]
    assert js(helpers, "args[0].map(X.formatDate)", days) == [french_date(d) for d in days]
    quarters = ["2027-T1", "2026-T4", ""]
    assert js(helpers, "args[0].map(X.quarterLabel)", quarters) == [
        quarter_label(q) for q in quarters
    ]
    ranges = [
        (850000.0, None, None),
        (None, 500000.0, 1000000.0),
        (None, None, 70000.0),
        (None, None, None),
    ]
    assert js(
        helpers,
        "args[0].map(r => X.amountText({montant: r[0], min: r[1], max: r[2]}))",
        [list(r) for r in ranges],
    ) == [programme.amount_text(*r) for r in ranges]


def test_script_words_the_next_date_as_the_python_kit(helpers: Any) -> None:
    """The « Échéance » column (status, lateness, planned day or quarter, launch, deadline)."""
    cases = [
        ("lancé", False, "2026-06-10", "2026-T2", "2026-09-26", "2026-11-05"),
        ("lancé", False, "", "", "2026-09-26", ""),
        ("clos", False, "2026-06-10", "2026-T2", "2026-09-26", "2026-10-31"),
        ("prévu", True, "2026-09-15", "2026-T3", "", ""),
        ("prévu", True, "", "2026-T3", "", ""),
        ("prévu", False, "2027-02-24", "2027-T1", "", ""),
        ("attribué", False, "2025-04-01", "2025-T2", "2025-05-23", "2025-07-05"),
        ("reporté", False, "", "", "", ""),
    ]
    for state, late, planned, quarter, launched, limit in cases:
        row = {
            "retard": int(late),
            "prevue": planned,
            "trimestre": quarter,
            "lancement": launched,
            "limite": limit,
        }
        day = lambda text: date.fromisoformat(text) if text else None  # noqa: E731
        expected = programme.deadline(state, late, day(planned), quarter, day(launched), day(limit))
        found = js(helpers, "X.deadlineParts(args[0], args[1])", row, state)
        jour = expected.jour.isoformat() if expected.jour else ""
        assert found == [expected.avant, jour, expected.apres], (state, planned, quarter)


def test_script_text_search_ignores_accents_case_and_ligatures(helpers: Any) -> None:
    assert (
        js(helpers, "X.normalize(args[0])", "Maîtrise d’Œuvre – LYCÉE") == "maitrise d oeuvre lycee"
    )
    hay = js(helpers, "X.normalize(args[0])", "Rénovation du lycée Condorcet à Saint-Quentin")
    assert js(helpers, "X.containsAll(args[0], X.words(args[1]))", hay, "LYCEE saint quentin")
    assert not js(helpers, "X.containsAll(args[0], X.words(args[1]))", hay, "lycée Lille")
    for text in ("Maîtrise d’Œuvre", "Ærodrome", "Straße", "ÉTUDES 2024"):
        assert js(helpers, "X.normalize(args[0])", text) == normalize(text)
        # The site's search folds alike, in its own script and in the index the build writes.
        search = "window.AchatsOuvertsRecherche.normalize(args[0])"
        assert js(helpers, search, text) == normalize(text) == search_text(text), text


def test_script_state_round_trips_through_the_url(helpers: Any) -> None:
    keys = ["recherche", "annee", "cpv", "tri", "page"]
    state = js(
        helpers,
        "X.parseState(args[0], args[1])",
        "?annee=2024&recherche=%C3%A9cole+%26+co&inconnu=1&page=0",
        keys,
    )
    assert state == {"recherche": "école & co", "annee": "2024", "cpv": "", "tri": "", "page": ""}
    again = js(helpers, "X.serializeState(args[0], args[1])", state, keys)
    assert again == "?recherche=%C3%A9cole+%26+co&annee=2024"
    assert js(helpers, "X.serializeState(args[0], args[1])", {**state, "page": "1"}, keys) == again
    assert js(helpers, "X.parseAmount(args[0])", "100 000,5") == 100000.5
    assert js(helpers, "X.safeHttpUrl(args[0])", "javascript:alert(1)") == ""


# --- Awarded contracts ----------------------------------------------------------------------------


def test_contract_filters_match_counts_from_the_csv(
    tables: dict[str, pd.DataFrame], explorer: tuple[Any, browser.Watch], demo_url: str
) -> None:
    page, _ = explorer
    m = tables["marches"]
    open_explorer(page, demo_url + "marches/")
    assert count(page) == len(m)
    year = sorted(m["annee"].unique())[-2]
    page.select_option("#f-annee", year)
    settle(page)
    chosen = m[m["annee"] == year]
    assert count(page) == len(chosen)
    page.select_option("#f-cpv", "45")
    settle(page)
    chosen = chosen[chosen["codeCPV"].str.startswith("45")]
    assert count(page) == len(chosen)
    page.select_option("#f-procedure", "Procédure adaptée")
    page.fill("#f-min", "100000")
    settle(page)
    chosen = chosen[(chosen["procedure"] == "Procédure adaptée") & (chosen["montant_n"] >= 100000)]
    assert count(page) == len(chosen)
    assert sorted(all_result_hrefs(page)) == sorted(chosen["lien"])
    page.click("[data-ao-filtres] button[type=reset]")
    settle(page)
    assert count(page) == len(m)
    page.select_option("#f-departement", "80")
    page.select_option("#f-environnementale", "non")
    settle(page)
    env_no = m["considerationsEnvironnementales"] == "Pas de considération environnementale"
    assert count(page) == int(((m["departement"] == "80") & env_no).sum())
    page.click("[data-ao-filtres] button[type=reset]")
    page.fill("#f-recherche", "LYCEE amiens")
    settle(page)
    words = ["lycee", "amiens"]
    expected = m[[all(w in t for w in words) for t in m["texte"]]]
    assert 0 < count(page) == len(expected)
    page.fill("#f-recherche", "")
    settle(page)
    service = m["acheteur_service_id"].value_counts().index[-1]
    page.select_option("#f-service", service)
    page.select_option("#f-tri", "montant-desc")
    settle(page)
    chosen = m[m["acheteur_service_id"] == service].sort_values("montant_n", ascending=False)
    assert count(page) == len(chosen)
    assert hrefs(page)[0] == chosen["lien"].iloc[0]


def test_supplier_filter_and_sorting(
    tables: dict[str, pd.DataFrame], explorer: tuple[Any, browser.Watch], demo_url: str
) -> None:
    page, _ = explorer
    links = current_links()
    siret = links["titulaire_id"].value_counts().index[0]
    open_explorer(page, demo_url + f"marches/?titulaire={siret}&tri=date-asc")
    uids = set(links[links["titulaire_id"] == siret]["uid"])
    assert count(page) == len(uids)
    assert page.input_value("#f-titulaire") == siret
    m = tables["marches"]
    oldest = m[m["uid"].isin(uids)].sort_values("dateNotification")
    assert hrefs(page)[0] in set(
        oldest[oldest["dateNotification"] == oldest["dateNotification"].iloc[0]]["lien"]
    )


def test_modified_contracts_sorted_by_increase_with_both_totals(
    tables: dict[str, pd.DataFrame], explorer: tuple[Any, browser.Watch], demo_url: str
) -> None:
    page, _ = explorer
    m = tables["marches"]
    open_explorer(page, demo_url + "marches/?modifie=montant&tri=hausse-desc")
    changed = m[m["montant"] != m["montantActuel"]]
    assert count(page) == len(changed) == 272
    before = pd.to_numeric(changed["montant"])
    after = pd.to_numeric(changed["montantActuel"])
    increase = (after - before) / before
    assert hrefs(page)[0] == changed.loc[increase.idxmax(), "lien"]
    status = page.inner_text("[data-ao-compte]")
    assert explorer_contracts.totals_text(float(before.sum()), float(after.sum())) in status
    first = page.inner_text("[data-ao-resultats] tbody tr:first-child td.ao-num")
    assert "actuel : " in first
    assert "%" in first
    modified = m["uid"].isin(set(csv("modifications")["uid"]))
    page.select_option("#f-modifie", "oui")
    settle(page)
    assert count(page) == int(modified.sum())
    page.select_option("#f-modifie", "non")
    settle(page)
    assert count(page) == int((~modified).sum())


@pytest.mark.usefixtures("tables")
def test_the_url_reproduces_a_filtered_view(new_page: Any, demo_url: str) -> None:
    page = new_page()
    open_explorer(page, demo_url + "marches/")
    page.select_option("#f-cpv", "45")
    page.fill("#f-recherche", "lycée")
    page.select_option("#f-tri", "montant-asc")
    settle(page)
    page.click("[data-ao-page='1']")
    settle(page)
    url = page.url
    assert "cpv=45" in url
    assert "recherche=lyc%C3%A9e" in url
    assert "page=2" in url
    expected = (
        page.inner_text("[data-ao-compte]"),
        hrefs(page),
        page.inner_text("[data-ao-page-etat]"),
    )
    other = new_page()
    open_explorer(other, url)
    assert (
        other.inner_text("[data-ao-compte]"),
        hrefs(other),
        other.inner_text("[data-ao-page-etat]"),
    ) == expected
    assert other.input_value("#f-recherche") == "lycée"
    assert other.input_value("#f-tri") == "montant-asc"


@pytest.mark.usefixtures("tables")
def test_static_first_page_is_what_the_script_renders(new_page: Any, demo_url: str) -> None:
    for path in ("marches/", "achats-a-venir/"):
        page = new_page()
        open_explorer(page, demo_url + path)
        static = page.inner_html("[data-ao-resultats] tbody")
        page.click("[data-ao-page='1']")
        settle(page)
        page.click("[data-ao-page='-1']")
        settle(page)
        rendered = page.inner_html("[data-ao-resultats] tbody")
        assert re.sub(r">\s+<", "><", static.strip()) == re.sub(r">\s+<", "><", rendered.strip())
        assert "?" not in page.url, "page 1 and default filters leave the URL clean"


@pytest.mark.usefixtures("tables")
def test_keyboard_only(new_page: Any, demo_url: str) -> None:
    page = new_page()
    open_explorer(page, demo_url + "marches/")
    page.focus("#f-recherche")
    page.keyboard.type("lycee")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "f-annee"
    page.keyboard.press("ArrowDown")
    settle(page)
    assert page.input_value("#f-annee") != ""
    filtered = count(page)
    assert filtered > 0
    assert "annee=" in page.url
    assert "recherche=lycee" in page.url
    while page.evaluate("document.activeElement.getAttribute('data-ao-page')") != "1":
        page.keyboard.press("Tab")
    if page.is_enabled("[data-ao-page='1']"):
        page.keyboard.press("Enter")
        settle(page)
        assert page.evaluate("document.activeElement.id") == "resultats"
        assert "page=2" in page.url
    while page.evaluate("document.activeElement.type") != "reset":
        page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    settle(page)
    assert page.input_value("#f-recherche") == ""
    assert count(page) > filtered


# --- Upcoming purchases ---------------------------------------------------------------------------


def test_upcoming_filters_match_counts_from_the_csv(
    tables: dict[str, pd.DataFrame], explorer: tuple[Any, browser.Watch], demo_url: str
) -> None:
    page, _ = explorer
    a = tables["achats"]
    open_list = open_purchases(a, reference_day(tables["marches"]))
    assert len(open_list) < int(a["statut"].isin(["prévu", "lancé"]).sum()), "some have closed"
    open_explorer(page, demo_url + "achats-a-venir/")
    assert count(page) == len(open_list)
    page.select_option("#f-statut", "tous")
    settle(page)
    assert count(page) == len(a)
    page.select_option("#f-statut", "attribué")
    settle(page)
    awarded = a[a["statut"] == "attribué"]
    assert count(page) == len(awarded)
    assert all(
        h.startswith("../marches/")
        for h in page.eval_on_selector_all(
            "[data-ao-resultats] tbody td a[href^='../marches/']",
            "l => l.map(a => a.getAttribute('href'))",
        )
    )
    page.select_option("#f-statut", "")
    page.select_option("#f-categorie", "Travaux")
    settle(page)
    assert count(page) == int((open_list["categorie"] == "Travaux").sum())
    page.select_option("#f-categorie", "")
    page.select_option("#f-acces", "reserve")
    settle(page)
    assert count(page) == int((open_list["marcheReserve"] == "true").sum())
    page.select_option("#f-acces", "")
    amount = pd.to_numeric(open_list["montantEstime"].replace("", None))
    low = pd.to_numeric(open_list["montantEstimeMin"].replace("", None)).fillna(amount)
    high = pd.to_numeric(open_list["montantEstimeMax"].replace("", None)).fillna(amount)
    page.select_option("#f-montant", "plus-2m")
    settle(page)
    assert count(page) == int((high >= 2_000_000).sum())
    page.select_option("#f-montant", "100k-500k")
    settle(page)
    assert count(page) == int(((low < 500_000) & (high >= 100_000)).sum())
    page.select_option("#f-montant", "")
    quarter = page.eval_on_selector_all("#f-trimestre option", "o => o.map(x => x.value)")[1]
    page.select_option("#f-trimestre", quarter)
    settle(page)
    planned = pd.to_datetime(open_list["dateLancementPrevue"].replace("", None))
    from_date = (
        planned.dt.year.astype("Int64").astype(str)
        + "-T"
        + planned.dt.quarter.astype("Int64").astype(str)
    )
    quarters = from_date.where(planned.notna(), open_list["trimestreLancementPrevu"])
    assert count(page) == int((quarters == quarter).sum())


def test_upcoming_page_shows_notice_contacts_links_and_follow_up(
    tables: dict[str, pd.DataFrame], new_page: Any, demo_url: str
) -> None:
    page = new_page()
    open_explorer(page, demo_url + "achats-a-venir/?statut=lancé")
    text = page.inner_text("main")
    assert "n'engage pas" in text
    rows = page.locator("[data-ao-resultats] tbody tr")
    assert rows.count() > 0
    first = rows.nth(0)
    assert first.locator("a[href^='mailto:']").count() == 1
    assert first.locator("a[href^='https://']").count() == 1, "the consultation link"
    assert "La programmation a-t-elle été tenue" in text
    assert page.locator("section[aria-labelledby=suivi] tbody tr").count() == 5


# --- Accessibility --------------------------------------------------------------------------------


@pytest.mark.parametrize("viewport", [browser.DESKTOP, browser.MOBILE], ids=["bureau", "mobile"])
def test_axe_on_explorers_and_detail_pages(
    tables: dict[str, pd.DataFrame], new_page: Any, demo_url: str, viewport: dict[str, int]
) -> None:
    m = tables["marches"]
    supplier = csv("marches-titulaires")["titulaire_id"].iloc[0]
    pages = [
        "marches/?annee=2024&cpv=45&tri=montant-desc&recherche=lyc%C3%A9e",
        "achats-a-venir/?statut=tous&categorie=Travaux",
        f"marches/{path_segment(m['uid'].iloc[0])}/",
        f"titulaires/{supplier}/",
        "cpv/",
        "services/lycees/",
    ]
    for path in pages:
        page = new_page(viewport)
        seen = browser.watch(page, demo_url)
        page.goto(demo_url + path)
        if "?" in path:
            settle(page)
        assert browser.axe_violations(page) == [], path
        assert labelled(seen, "console_errors", "external_requests") == {
            "console_errors": [],
            "external_requests": [],
        }, path


# --- Data that tries to run -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = make_explorer_data(tmp_path_factory.mktemp("hostile") / "data")
    text = (folder / "marches.csv").read_text(encoding="utf-8")
    (folder / "marches.csv").write_text(
        text.replace(RENOVATION["objet"], "<img src=x onerror=alert(1)> piège"), encoding="utf-8"
    )
    out = tmp_path_factory.mktemp("hostile-site") / "site"
    build(Settings(data_dir=folder, output_dir=out, project_dir=ROOT))
    with browser.serve(out) as url:
        yield url


def test_data_is_shown_as_text_by_the_script(new_page: Any, hostile_url: str) -> None:
    page = new_page()
    seen = browser.watch(page, hostile_url)
    open_explorer(page, hostile_url + "marches/?recherche=piege")
    assert count(page) == 1
    assert page.inner_text("[data-ao-resultats] tbody th a") == "<img src=x onerror=alert(1)> piège"
    assert page.locator("[data-ao-resultats] img").count() == 0
    assert seen.dialogs == []
    assert seen.console_errors == []


def test_entity_pages_and_cpv_groups_open_the_explorer_filtered(
    tables: dict[str, pd.DataFrame], new_page: Any, demo_url: str
) -> None:
    m = tables["marches"]
    page = new_page()
    page.goto(demo_url + "services/lycees/")
    page.click("text=Rechercher dans ces marchés")
    page.wait_for_selector("[data-ao-filtres]:not([hidden])")
    settle(page)
    assert page.input_value("#f-service") == "lycees"
    assert count(page) == int((m["acheteur_service_id"] == "lycees").sum())
    group = m["codeCPV"].str.slice(0, 3).value_counts().index[0]
    open_explorer(page, demo_url + f"marches/?cpv={group}")
    assert page.input_value("#f-cpv") == group, "a group code gets its own option"
    assert count(page) == int(m["codeCPV"].str.startswith(group).sum())
