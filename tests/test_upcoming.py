"""Upcoming purchases as a company uses them: a page per purchase, the feeds a company needs and
their readable pages, and statuses that match the data's date (closed consultations, late
launches, no SME badge without competition), on the small folder of `tests/explorer_support.py`
(data of 1 July 2024) and on the demonstration data (data of 1 November 2026)."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import feedparser
import pandas as pd
import pytest
from icalendar import Calendar

from achats_ouverts.building import build
from achats_ouverts.model import Data
from achats_ouverts.output import path_segment, urls
from achats_ouverts.output.listing import ListIndex, build_list_index
from achats_ouverts.output.programme import Deadline, feed_choices
from achats_ouverts.pages import purchase
from achats_ouverts.settings import Settings
from tests.fixtures.explorer_folder import ODD_UID, RENOVATION, make_explorer_data
from tests.fixtures.folders import loaded
from tests.fixtures.paths import DATA, ROOT

BASE = "https://achats-ouverts.example.fr/"


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_explorer_data(tmp_path_factory.mktemp("achats") / "data")


@pytest.fixture(scope="module")
def data(folder: Path) -> Data:
    return loaded(folder)


@pytest.fixture(scope="module")
def index(data: Data) -> ListIndex:
    return build_list_index(data)


@pytest.fixture(scope="module")
def site(folder: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site-achats") / "site"
    build(Settings(data_dir=folder, output_dir=out, project_dir=ROOT))
    return out


def read(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


def feed_ids(path: Path) -> list[str]:
    return [e.id.rsplit("/", 1)[-1] for e in feedparser.parse(path.read_bytes()).entries]


# --- A page per purchase --------------------------------------------------------------------------


def test_a_purchase_page_tells_its_status_history_and_what_the_buyer_paid_before(
    data: Data, index: ListIndex
) -> None:
    pages = dict(purchase.purchase_pages(data, index))
    assert data.reference_date == date(2024, 7, 1)
    assert list(pages) == [
        "u2-lance",
        "u1-prevu",
        "u4-en-retard",
        "u3-attribue",
        "u5-abandonne",
        "u7-clos",
        "u6-reporte",
    ], "every purchase of the programme, whatever its status"
    closed = pages["u7-clos"]
    assert closed.statut_libelle == "Consultation close, attribution attendue"
    assert closed.echeance == Deadline("Offres closes le", date(2024, 5, 15), "")
    assert [(s.libelle, s.jour, s.fait) for s in closed.etapes] == [
        ("Annoncé dans la programmation", date(2023, 9, 1), True),
        ("Lancement prévu", date(2024, 4, 1), True),
        ("Consultation lancée", date(2024, 4, 2), True),
        ("Date limite de remise des offres", date(2024, 5, 15), True),
        ("Attribution", None, False),
    ]
    fields = {f.titre: f.valeur for f in closed.champs}
    assert fields["Adapté aux PME"] == (
        "Non : l'achat est prévu sans publicité ni mise en concurrence"
    ), "published as adapted to SMEs, but no company can answer it"
    assert closed.sans_concurrence
    late = pages["u4-en-retard"]
    assert late.statut_libelle == "Prévu, lancement en retard"
    assert late.etapes[1].texte == " : date dépassée, pas encore lancé"
    awarded = pages["u3-attribue"]
    assert awarded.marche is not None
    assert awarded.marche.href == f"../../marches/{path_segment(ODD_UID)}/"
    assert awarded.etapes[-1] == purchase.Step("Attribué", date(2023, 11, 20), "", True)
    assert pages["u5-abandonne"].etapes[-1].texte == " (date non publiée)"
    planned = pages["u1-prevu"]
    similar = planned.similaires
    assert similar is not None
    assert (similar.code, similar.niveau, similar.depuis) == ("452", "groupe", date(2021, 1, 1))
    assert (similar.nombre, similar.mediane) == (1, 130000.0)
    assert [r.href for r in similar.lignes] == [f"../../marches/{RENOVATION['uid']}/"]
    assert similar.explorateur == "../../marches/?cpv=452"
    assert [f.titre for f in planned.flux] == [
        "Achats à venir, CPV 45 Travaux de construction, Nord (59)",
        "Achats à venir : travaux, Nord (59)",
        "Achats à venir, CPV 45 Travaux de construction",
        "Achats à venir, Nord (59)",
        "Achats à venir : travaux",
    ], "the most precise feeds first"
    assert planned.flux[0].page == "../../flux/achats-a-venir-cpv-45-departement-59/"
    titles = [f.titre for f in planned.champs]
    assert len(titles) == len(set(titles)), "each field once"
    assert {"Catégorie d'achat", "Code CPV envisagé", "Procédure envisagée"} <= set(titles)


def test_feeds_hold_what_the_explorer_lists_for_the_same_filters(data: Data) -> None:
    choices = {c.filtres: c for c in feed_choices(data)}
    everything = choices[()]
    assert everything.ids == ("u2-lance", "u1-prevu", "u4-en-retard")
    assert choices[(("cpv", "45"), ("departement", "59"))].ids == ("u1-prevu", "u4-en-retard")
    assert choices[(("categorie", "Services"),)].ids == ("u2-lance",)
    closed_only = choices[(("cpv", "45"), ("departement", "80"))]
    assert closed_only.ids == (), "the programme has a purchase there: the feed stays, empty"
    assert (("cpv", "60"), ("departement", "59")) not in choices, "no purchase ever there"
    assert closed_only.page == "flux/achats-a-venir-cpv-45-departement-80/"


# --- The built site -------------------------------------------------------------------------------


def test_every_purchase_has_a_page_at_a_stable_address_linked_from_everywhere(site: Path) -> None:
    for ident in ("u1-prevu", "u2-lance", "u3-attribue", "u7-clos"):
        page = read(site, f"achats-a-venir/{ident}/index.html")
        assert f'<link rel="canonical" href="{BASE}achats-a-venir/{ident}/">' in page
    sitemap = read(site, "sitemap.xml")
    assert f"<loc>{BASE}achats-a-venir/u7-clos/</loc>" in sitemap
    assert f"<loc>{BASE}flux/achats-a-venir-travaux-departement-59/</loc>" in sitemap
    explorer = read(site, "achats-a-venir/index.html")
    assert 'href="../achats-a-venir/u2-lance/"' in explorer
    contract = read(site, f"marches/{path_segment(ODD_UID)}/index.html")
    assert 'href="../../achats-a-venir/u3-attribue/"' in contract
    entries = feedparser.parse((site / "flux" / "achats-a-venir.xml").read_bytes()).entries
    assert {e.link for e in entries} == {
        f"{BASE}achats-a-venir/{i}/" for i in ("u1-prevu", "u2-lance", "u4-en-retard")
    }
    calendar = Calendar.from_ical((site / "flux" / "achats-a-venir.ics").read_bytes())
    events = {str(e["uid"]).split("@")[0]: e for e in calendar.walk("VEVENT")}
    closed = events["achat-u7-clos-date-limite"]
    assert str(closed["url"]) == f"{BASE}achats-a-venir/u7-clos/"
    assert str(closed["summary"]).startswith("Date limite des offres (consultation close) :")
    index = json.loads(read(site, "search/search_index.json"))
    assert not [d for d in index["docs"] if d["location"].startswith("achats-a-venir/u")]


def test_closed_consultations_leave_the_open_count_and_the_open_feeds(site: Path) -> None:
    assert "u7-clos" not in feed_ids(site / "flux" / "achats-a-venir.xml")
    assert feed_ids(site / "flux" / "achats-a-venir-departement-80.xml") == []
    home = read(site, "index.html")
    assert re.search(r'<span class="ao-chiffre">3</span> achats annoncés ou en consultation', home)
    flux = read(site, "flux/index.html")
    assert "3 achat(s) prévu(s) ou en consultation" in flux


def test_every_feed_opens_as_a_readable_page_with_how_to_subscribe(site: Path) -> None:
    feeds = sorted(p.stem for p in (site / "flux").glob("*.xml") if p.name != "sitemap.xml")
    assert len(feeds) > 50
    for stem in feeds:
        assert (site / "flux" / stem / "index.html").is_file(), stem
    page = read(site, "flux/achats-a-venir-cpv-45-departement-59/index.html")
    assert f"<code>{BASE}flux/achats-a-venir-cpv-45-departement-59.xml</code>" in page
    assert 'href="../achats-a-venir-cpv-45-departement-59.xml" type="application/atom+xml"' in page
    assert 'href="../../achats-a-venir/u1-prevu/"' in page
    assert 'href="../../achats-a-venir/?cpv=45&amp;departement=59"' in page
    assert "Copiez cette adresse dans votre lecteur de flux" in page
    changes = read(site, "flux/nouveautes/index.html")
    assert f"<code>{BASE}flux/nouveautes.xml</code>" in changes
    feeds_page = read(site, "flux/index.html")
    assert 'href="achats-a-venir-travaux-departement-59/"' in feeds_page


# --- The demonstration, as a company of the Nord reads it -----------------------------------------


@pytest.fixture(scope="module")
def demo_programme() -> pd.DataFrame:
    if not (DATA / "achats-a-venir.csv").is_file():
        pytest.skip("données de démonstration absentes de data/ (make demo-data)")
    return pd.read_csv(DATA / "achats-a-venir.csv", dtype=str, keep_default_na=False)


def test_demo_closed_consultations_are_absent_from_the_open_count_and_the_open_feed(
    demo_programme: pd.DataFrame, demo_site: Path
) -> None:
    """The four demonstration consultations whose deadline passed in October 2026 (data of
    1 November 2026) are shown closed, awaiting award, and nowhere counted as open."""
    up = demo_programme
    closed = up[(up["statut"] == "lancé") & (up["dateLimiteRemiseOffres"] < "2026-11-01")]
    assert sorted(closed["id"]) == ["2026-lyc-008", "2026-num-003", "2026-num-004", "2026-tra-001"]
    open_count = int((up["statut"] == "prévu").sum()) + int((up["statut"] == "lancé").sum()) - 4
    in_feed = feed_ids(demo_site / "flux" / "achats-a-venir.xml")
    assert len(in_feed) == open_count
    assert not set(closed["id"]) & set(in_feed)
    home = read(demo_site, "index.html")
    assert f'<span class="ao-chiffre">{open_count}</span> achats annoncés ou en consultation' in (
        home.replace("\u202f", "")
    )
    config = json.loads(
        re.search(
            r"data-ao-config>(.*?)</script>", read(demo_site, "achats-a-venir/index.html"), re.S
        ).group(1)
    )
    assert config["enCours"] == open_count
    for ident in closed["id"]:
        page = read(demo_site, f"achats-a-venir/{ident}/index.html")
        assert "Consultation close, attribution attendue" in page
    no_competition = up[
        (up["accessiblePME"] == "true")
        & (up["procedurePrevue"] == "Marché passé sans publicité ni mise en concurrence préalable")
    ]
    assert len(no_competition) > 0
    shard = json.loads(read(demo_site, "achats-a-venir/_donnees/achats-1.json"))
    badges = dict(zip(shard["id"], shard["pme"], strict=True))
    assert sum(badges.values()) == int((up["accessiblePME"] == "true").sum()) - len(no_competition)
    summaries = {
        e.id.rsplit("/", 1)[-1]: e.summary
        for e in feedparser.parse((demo_site / "flux" / "achats-a-venir.xml").read_bytes()).entries
    }
    for ident in no_competition["id"]:
        assert badges[ident] == 0, ident
        assert "adapté aux PME" not in summaries.get(ident, "")
        page = read(demo_site, f"achats-a-venir/{ident}/index.html")
        assert "Non : l&#39;achat est prévu sans publicité ni mise en concurrence" in page


def test_reference_paths_are_the_authoritys() -> None:
    assert urls.purchase("2026-lyc-007") == "achats-a-venir/2026-lyc-007/"
    assert urls.feed_page(urls.category_departement_feed("travaux", "59")) == (
        "flux/achats-a-venir-travaux-departement-59/"
    )
