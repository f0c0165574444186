"""Explorers and detail pages: aggregates, data shards, page contexts and the built pages, on the
small folder of `tests/fixtures/explorer_folder.py`."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from achats_ouverts.building import build
from achats_ouverts.datafolder import schemas
from achats_ouverts.model import Data, aggregates, load
from achats_ouverts.model.calculations import REGISTRY
from achats_ouverts.output import path_segment, render, urls
from achats_ouverts.output.explorer_data import UNKNOWN
from achats_ouverts.output.listing import ListIndex, build_list_index
from achats_ouverts.output.programme import Deadline
from achats_ouverts.pages import contract, entity, explorer_contracts, explorer_upcoming, supplier
from achats_ouverts.settings import Limits, Settings
from achats_ouverts.validation import validate
from tests.fixtures.companies import BELGIAN_SUPPLIER, LILLE_SME, PARIS_LARGE
from tests.fixtures.explorer_folder import (
    AMIENS_DESIGN,
    ODD_UID,
    RENOVATION,
    SCHOOL_TRANSPORT,
    make_explorer_data,
)
from tests.fixtures.folders import loaded
from tests.fixtures.labels import labelled, labelled_each
from tests.fixtures.paths import ROOT, reference_file


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_explorer_data(tmp_path_factory.mktemp("explorateurs") / "data")


@pytest.fixture(scope="module")
def data(folder: Path) -> Data:
    return loaded(folder)


@pytest.fixture(scope="module")
def index(data: Data) -> ListIndex:
    return build_list_index(data)


@pytest.fixture(scope="module")
def site(folder: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "site"
    build(Settings(data_dir=folder, output_dir=out, project_dir=ROOT))
    return out


# --- Aggregates -----------------------------------------------------------------------------------


def test_execution_departement_reads_commune_postal_and_departement_codes() -> None:
    codes = pd.Series(["59350", "2A004", "97411", "80", "32", "20000", "62100", "FR", ""])
    kinds = pd.Series(
        [
            "Code commune",
            "Code commune",
            "Code commune",
            "Code département",
            "Code région",
            "Code postal",
            "Code postal",
            "Code pays",
            "",
        ]
    )
    assert aggregates.execution_departement(codes, kinds).tolist() == [
        "59",
        "2A",
        "974",
        "80",
        "",
        "",
        "62",
        "",
        "",
    ]


def test_social_flag_is_unknown_when_the_field_is_empty() -> None:
    frame = pd.DataFrame(
        {"considerationsSociales": ["Clause sociale", "Pas de considération sociale", ""]}
    )
    flags = aggregates.has_social_consideration(frame)
    assert flags.iloc[0] is True or bool(flags.iloc[0]) is True
    assert bool(flags.iloc[1]) is False
    assert pd.isna(flags.iloc[2])


def test_planned_launch_end_is_the_end_of_the_month_or_quarter() -> None:
    frame = pd.DataFrame(
        {
            "dateLancementPrevue": pd.to_datetime(["2024-02-10", None, None]),
            "trimestreLancementPrevu": ["", "2023-T3", ""],
        }
    )
    ends = aggregates.planned_launch_end(frame)
    assert [None if pd.isna(d) else d.date() for d in ends] == [
        date(2024, 2, 29),
        date(2023, 9, 30),
        None,
    ]


def test_launch_follow_up_counts_each_purchase_once(data: Data) -> None:
    follow = aggregates.launch_follow_up(data.upcoming, pd.Timestamp(data.reference_date))
    by_id = dict(zip(data.upcoming["id"], follow.to_dict("records"), strict=True))
    assert by_id["u2-lance"]["lance_a_temps"], "launched on 20 Feb for February"
    assert by_id["u3-attribue"]["attribue"]
    assert not by_id["u3-attribue"]["lance_a_temps"]
    assert by_id["u4-en-retard"]["en_retard"]
    assert not by_id["u1-prevu"]["attendu"], "planned in 2027"
    assert not by_id["u6-reporte"]["attendu"]
    page = explorer_upcoming.follow_up(data)
    counts = {
        "attendus": 5,
        "lances": 3,
        "lances_a_temps": 2,
        "attribues": 1,
        "attribues_a_temps": 0,
        "en_retard": 1,
        "abandonnes": 1,
    }
    assert labelled(page, *counts) == counts


def test_cpv_counts_by_division_and_group() -> None:
    counts = aggregates.cpv_counts(
        pd.Series(["45214200-2", "45000000-7", "71000000-8"]), pd.Series(["45214200", ""])
    )
    rows = {r["code"]: labelled(r, "marches", "achats") for r in counts.to_dict("records")}
    assert rows == {
        "45": {"marches": 2, "achats": 1},
        "452": {"marches": 1, "achats": 1},
        "71": {"marches": 1, "achats": 0},
    }


def test_contract_profile_shares_follow_the_equal_split_rule(data: Data, index: ListIndex) -> None:
    weights = aggregates.supplier_weights(
        data.contract_suppliers, data.suppliers, data.publisher.departements, "32"
    )
    profile = aggregates.contract_profile(index.contracts, weights)
    y2024 = profile[profile["annee"] == 2024].iloc[0]
    assert int(y2024["marches"]) == 2
    assert y2024["montant"] == pytest.approx(210_000)
    # 130 000 € to a regional SME, 80 000 € split between it and a large Parisian company.
    assert y2024["montant_region"] == pytest.approx(130_000 + 40_000)
    assert y2024["montant_localise"] == pytest.approx(210_000)
    assert y2024["montant_pme"] == pytest.approx(170_000)
    assert int(y2024["env_oui"]) == 1
    assert int(y2024["env_connus"]) == 2
    y2023 = profile[profile["annee"] == 2023].iloc[0]
    assert y2023["montant_localise"] == 0, "a supplier absent from the reference is left out"
    assert int(y2023["soc_connus"]) == 0, "an empty field is unknown, not 'no'"


# --- Data shards ----------------------------------------------------------------------------------


def test_contract_shards_are_per_year_in_list_order(data: Data, index: ListIndex) -> None:
    lists = explorer_contracts.contract_lists(data, index)
    shards = explorer_contracts.contract_shards(index, lists)
    assert labelled_each(shards, "annee", "lignes") == [
        {"annee": 2024, "lignes": 2},
        {"annee": 2023, "lignes": 1},
    ]
    latest = shards[0].contenu
    assert latest["date"] == ["2024-06-15", "2024-03-01"]
    assert latest["montant"] == [80000.0, 130000.0]
    names = [[latest["noms"][i][0] for i in row] for row in latest["titulaires"]]
    assert names == [
        ["Menuiseries d'essai", 'Grands Travaux "Nationaux" <SA>'],
        ["Menuiseries d'essai"],
    ]
    assert lists.procedures[latest["procedure"][0]] == "Appel d'offres ouvert"
    assert lists.services[latest["service"][0]].value == "transports"
    assert latest["departement"][0] == UNKNOWN, "a region-wide contract has no département"
    assert latest["sociale"] == [0, 1]
    assert latest["environnementale"] == [0, 1]
    older = shards[1].contenu
    assert older["lien"] == [path_segment(ODD_UID)]
    assert older["lien"][0] != ODD_UID
    assert older["sociale"] == [None]
    assert older["noms"] == [[BELGIAN_SUPPLIER, BELGIAN_SUPPLIER, f"TVA-{BELGIAN_SUPPLIER}"]]


def test_shards_are_cut_at_the_row_limit(
    data: Data, index: ListIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(explorer_contracts, "SHARD_ROWS", 1)
    shards = explorer_contracts.contract_shards(
        index, explorer_contracts.contract_lists(data, index)
    )
    assert [s.chemin for s in shards] == [
        "_donnees/marches-2024-1.json",
        "_donnees/marches-2024-2.json",
        "_donnees/marches-2023-1.json",
    ]
    assert all(s.lignes == 1 and len(s.contenu["objet"]) == 1 for s in shards)


def test_upcoming_shard_and_first_page(data: Data, index: ListIndex) -> None:
    page, shards = explorer_upcoming.upcoming_explorer(data, index)
    content = shards[0].contenu
    assert content["id"] == [
        "u2-lance",
        "u1-prevu",
        "u4-en-retard",
        "u3-attribue",
        "u5-abandonne",
        "u7-clos",
        "u6-reporte",
    ], "open consultations first, then coming launches, launches already past, the rest"
    assert content["trimestre"][content["id"].index("u2-lance")] == "2024-T1"
    lance = content["id"].index("u2-lance")
    assert {key: content[key][lance] for key in ("min", "max", "montantTri")} == {
        "min": 500000.0,
        "max": 1000000.0,
        "montantTri": 750000.0,
    }
    assert content["marche"][content["id"].index("u3-attribue")] == path_segment(ODD_UID) + "/"
    assert [r.id for r in page.lignes] == ["u2-lance", "u1-prevu", "u4-en-retard"]
    assert page.en_cours == 3, "the consultation closed on 15 May 2024 is not open any more"
    assert page.total == 7
    states = [page.config["listes"]["statut"][i][0] for i in content["statut"]]
    assert dict(zip(content["id"], states, strict=True))["u7-clos"] == "clos"
    assert content["retard"] == [0, 0, 1, 0, 0, 0, 0]
    assert content["pme"][content["id"].index("u7-clos")] == 0, "no competition, no SME badge"
    assert {"debut": content["debut"][0], "fin": content["fin"][0]} == {
        "debut": "2024-02-20",
        "fin": "2024-07-15",
    }
    lance_row = page.lignes[0]
    assert lance_row.montant == "500\u202f000 à 1\u202f000\u202f000\xa0€"
    assert lance_row.lieu == "Oise (60)"
    assert lance_row.consultation == "https://marches.example.fr/consultation/2"
    assert page.config["enCours"] == 3
    late = page.lignes[2]
    assert (late.statut_libelle, late.echeance) == (
        "Prévu, lancement en retard",
        Deadline("Lancement prévu le", date(2024, 1, 15), " (en retard)"),
    )
    assert lance_row.echeance == Deadline("Offres jusqu'au", date(2024, 7, 15), "")
    assert lance_row.lien == "../achats-a-venir/u2-lance/"
    assert [m["chemin"] for m in page.config["morceaux"]] == ["_donnees/achats-1.json"]


# --- Page contexts --------------------------------------------------------------------------------


def test_contract_page_context(data: Data, index: ListIndex) -> None:
    pages = dict(contract.contract_pages(data, index))
    page = pages[SCHOOL_TRANSPORT["uid"]]
    assert page.montant == 80000.0
    assert page.notification == date(2024, 6, 15)
    assert [t.nom for t in page.titulaires] == [
        "Menuiseries d'essai",
        'Grands Travaux "Nationaux" <SA>',
    ]
    assert page.titulaires[1].href == f"../../titulaires/{PARIS_LARGE}/"
    assert page.titulaires[1].annuaire == (
        f"https://annuaire-entreprises.data.gouv.fr/etablissement/{PARIS_LARGE}"
    )
    assert page.departement is None
    assert page.lieu == "Hauts-de-France (32)"
    assert page.service is not None
    assert page.service.href == "../../services/transports/"
    assert page.cpv is not None
    assert page.cpv.href == "../../cpv/60/"
    fields = {f.titre: f.valeur for f in page.champs}
    every = {f["name"]: f["title"] for f in schemas.dataset("marches").fields}
    assert len(every) == 32
    assert set(fields) == {t for n, t in every.items() if n not in contract.SHOWN_ABOVE}
    for shown in ("Montant à la notification en euros HT", "Montant actuel en euros HT"):
        assert shown in every.values()
        assert shown not in fields, "the summary shows it, to the cent"
    assert "Date de notification" not in fields
    assert fields["Marché innovant"] == "Non"
    assert fields["Taux de l'avance"] == "10\xa0%"
    assert fields["Part d'origine Union européenne"] == "Non renseigné"
    assert page.dictionnaire == "../../donnees/marches/"
    first = pages[RENOVATION["uid"]]
    assert labelled_each(first.modifications, "numero", "montant") == [
        {"numero": 1, "montant": 130000.0}
    ]
    assert first.departement is not None
    assert first.departement.text == "Nord"
    odd = pages[path_segment(ODD_UID)]
    assert odd.titulaires[0].annuaire == "", "no company record for a foreign VAT number"
    assert odd.achat_prevu is not None
    assert odd.achat_prevu.href == "../../achats-a-venir/u3-attribue/", "the purchase's page"


def test_supplier_page_context(data: Data, index: ListIndex) -> None:
    pages = dict(supplier.supplier_pages(data, index))
    assert set(pages) == {LILLE_SME, PARIS_LARGE, f"TVA-{BELGIAN_SUPPLIER}"}
    a = pages[LILLE_SME]
    assert a.marches == 2
    assert a.montant == 210000.0
    assert labelled_each(a.annees, "annee", "marches", "part_titulaire") == [
        {"annee": "2024", "marches": 2, "part_titulaire": 170000.0}
    ]
    assert [c.href for c in a.contrats] == [
        f"../../marches/{SCHOOL_TRANSPORT['uid']}/",
        f"../../marches/{RENOVATION['uid']}/",
    ]
    assert a.annuaire.endswith(LILLE_SME)
    assert a.reference
    c = pages[f"TVA-{BELGIAN_SUPPLIER}"]
    assert not c.reference
    assert c.nom == BELGIAN_SUPPLIER
    assert c.annuaire == ""


def test_entity_page_contexts(data: Data, index: ListIndex) -> None:
    services = {
        p.code: p
        for p in entity.entity_pages(data, index, urls.SERVICES, entity.service_entities(data))
    }
    lycees = services["lycees"]
    assert lycees.marches == 2
    assert lycees.montant == 630000.0
    assert [r.annee for r in lycees.annees] == ["2023", "2024", "Total"]
    total = lycees.annees[-1]
    assert total.part_region == pytest.approx(100.0), "only the located supplier counts"
    assert lycees.achats_a_venir == 3, "planned or launched, late or not, but not closed"
    assert lycees.explorateur == "../../marches/?service=lycees"
    assert [t.nom for t in lycees.titulaires] == [BELGIAN_SUPPLIER, "Menuiseries d'essai"]
    deps = {
        p.code: p
        for p in entity.entity_pages(
            data,
            index,
            urls.DEPARTEMENTS,
            entity.departement_entities(data, index),
        )
    }
    assert set(deps) == {"02", "59", "60", "62", "80"}
    assert deps["59"].marches == 1
    assert deps["80"].marches == 1
    assert deps["60"].marches == 0
    assert deps["60"].achats_a_venir == 1
    assert deps["80"].achats_a_venir == 0, "its only purchase is a closed consultation"


def test_cpv_helper_without_nomenclature_shows_division_labels(
    data: Data, index: ListIndex
) -> None:
    page = entity.cpv_helper(data, index)
    assert not page.nomenclature
    assert len(page.divisions) == 45
    d45 = next(d for d in page.divisions if d.division.code == "45")
    assert d45.division.libelle == "Travaux de construction"
    assert labelled(d45.division, "marches", "achats") == {"marches": 1, "achats": 2}
    assert labelled_each(d45.groupes, "code", "libelle", "marches") == [
        {"code": "452", "libelle": "", "marches": 1}
    ]
    assert d45.division.href_page == "../cpv/45/"
    assert d45.division.href_marches == "../marches/?cpv=45"


def test_cpv_helper_with_the_full_nomenclature(folder: Path) -> None:
    full = load(
        validate(
            folder, Limits(), reference_file("cpv-2008_fr_avec-parent.csv"), calculations=REGISTRY
        )
    )
    page = entity.cpv_helper(full, build_list_index(full))
    assert page.nomenclature
    d45 = next(d for d in page.divisions if d.division.code == "45")
    groups = {g.code: g for g in d45.groupes}
    assert set(groups) == {"451", "452", "453", "454", "455"}, "with or without contracts"
    assert groups["452"].libelle.startswith("Travaux de construction complète ou partielle")
    assert groups["452"].marches == 1
    assert groups["451"].marches == 0


def test_templates_render_every_context(data: Data, index: ListIndex) -> None:
    """StrictUndefined: a variable a template uses and its context lacks fails here."""
    _slug, contract_page = next(contract.contract_pages(data, index))
    assert "<time" in render("contract.html.j2", page=contract_page)
    _, supplier_page = next(supplier.supplier_pages(data, index))
    assert "<table>" in render("supplier.html.j2", page=supplier_page)
    page, _ = explorer_contracts.contracts_explorer(data, index)
    assert 'data-ao-explorateur="marches"' in render("explorer_contracts.html.j2", page=page)
    upcoming, _ = explorer_upcoming.upcoming_explorer(data, index)
    assert "Programmation prévisionnelle" in render("explorer_upcoming.html.j2", page=upcoming)
    assert "<details" in render("cpv.html.j2", page=entity.cpv_helper(data, index))


# --- The built site -------------------------------------------------------------------------------


def read(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


def test_build_writes_explorers_and_detail_pages(site: Path) -> None:
    for path in (
        "achats-a-venir/index.html",
        "marches/index.html",
        "cpv/index.html",
        "cpv/45/index.html",
        "services/index.html",
        "services/lycees/index.html",
        "departements/index.html",
        "departements/59/index.html",
        f"marches/{RENOVATION['uid']}/index.html",
        f"marches/{path_segment(ODD_UID)}/index.html",
        "titulaires/index.html",
        f"titulaires/{LILLE_SME}/index.html",
        f"titulaires/TVA-{BELGIAN_SUPPLIER}/index.html",
        "marches/_donnees/marches-2024-1.json",
        "achats-a-venir/_donnees/achats-1.json",
    ):
        assert (site / path).is_file(), path
    assert not (site / "marches" / "_gabarit").exists()
    assert not (site / "titulaires" / "_gabarit").exists()


def test_explorer_static_first_page_and_configuration(site: Path) -> None:
    html = read(site, "marches/index.html")
    body = html[html.index('data-ao-explorateur="marches"') :]
    titles = re.findall(r'<th scope="row"><a href="([^"]+)">([^<]+)</a>', body)
    assert [href for href, _ in titles] == [
        f"../marches/{SCHOOL_TRANSPORT['uid']}/",
        f"../marches/{RENOVATION['uid']}/",
        f"../marches/{path_segment(ODD_UID)}/",
    ]
    assert "data-ao-filtres data-search-exclude hidden" in body, "no filters without JavaScript"
    assert '<script src="../assets/explorateur.js" defer></script>' in body
    config = json.loads(
        re.search(
            r"<script type=\"application/json\" data-ao-config>(.*?)</script>", body, re.S
        ).group(1)
    )
    assert config["total"] == 3
    assert config["type"] == "marches"
    for shard in config["morceaux"]:
        assert (site / "marches" / shard["chemin"]).is_file()
    assert "3 marchés, du plus récent au plus ancien." in body.replace("\u202f", " ")


def test_data_is_escaped_in_every_page(site: Path) -> None:
    odd = read(site, f"marches/{path_segment(ODD_UID)}/index.html")
    assert "&lt;b&gt;de la rénovation&lt;/b&gt;" in odd
    assert "<b>de la" not in odd
    explorer = read(site, "marches/index.html")
    assert "<b>de la" not in explorer
    supplier = read(site, f"titulaires/{PARIS_LARGE}/index.html")
    assert "Grands Travaux &#34;Nationaux&#34; &lt;SA&gt;" in supplier or (
        "Grands Travaux &quot;Nationaux&quot; &lt;SA&gt;" in supplier
    )
    shard = json.loads(read(site, "marches/_donnees/marches-2023-1.json"))
    assert shard["objet"] == [AMIENS_DESIGN["objet"]], "shards keep the text as published"


def test_contract_page_links_and_size(site: Path) -> None:
    html = read(site, f"marches/{SCHOOL_TRANSPORT['uid']}/index.html")
    assert f'href="../../titulaires/{PARIS_LARGE}/"' in html
    assert f'href="https://annuaire-entreprises.data.gouv.fr/etablissement/{PARIS_LARGE}"' in html
    assert (
        f'<link rel="canonical" href="https://achats-ouverts.example.fr/marches/{SCHOOL_TRANSPORT["uid"]}/">'
        in html
    )
    assert (
        "<title>Transport scolaire des élèves de l&#x27;Oise – lot 2 – "
        f"marché {SCHOOL_TRANSPORT['uid']} - "
    ) in html
    body = html[html.index('<div class="ao-detail">') : html.index("</article>")]
    assert len(body.encode("utf-8")) < 5_000, "the page's own content (the theme adds ~10 KB)"
    summary, rest = body.split('<h2 id="titulaires">')
    rest, citation = rest.split('<h2 id="citer"')
    assert "Région Hauts-de-France, « Marché" in citation, "the citation names the publisher"
    for shown in ("80\u202f000,00\xa0€", "15 juin 2024", "60112000-6", "Hauts-de-France (32)"):
        assert summary.count(shown) == 1, shown
    for shown in ("80\u202f000", "15 juin 2024", "60112000-6", "Hauts-de-France", "Oise – lot 2"):
        assert shown not in rest, f"{shown} is in the summary, not repeated in the other fields"
    assert "<dt>Procédure de passation</dt><dd>Appel d&#39;offres ouvert</dd>" in rest


def test_detail_and_entity_pages_stay_out_of_search_and_navigation(site: Path) -> None:
    index = json.loads(read(site, "search/search_index.json"))
    locations = {doc["location"] for doc in index["docs"]}
    details_found = [
        loc
        for loc in locations
        if loc.split("#")[0].count("/") > 1 and loc.startswith(("marches/", "titulaires/"))
    ]
    assert details_found == [], "contract and supplier pages are not MkDocs pages"
    assert "services/lycees/" in locations, "entity pages are findable by name"
    texts = " ".join(
        doc["text"] for doc in index["docs"] if doc["location"].startswith("services/lycees/")
    )
    assert "Menuiseries" not in texts, "their tables are left out of the index"
    home = read(site, "index.html")
    assert 'href="achats-a-venir/"' in home
    assert 'href="marches/"' in home
    assert "services/lycees/" not in home


def test_contract_pages_are_the_same_whatever_the_chunk_size(
    data: Data, index: ListIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = list(contract.contract_pages(data, index))
    monkeypatch.setattr(contract, "PAGE_CHUNK", 1)
    assert list(contract.contract_pages(data, index)) == whole


def test_fast_number_formats_are_babels() -> None:
    """`euros` and `number` skip Babel's pattern parsing; the text must not change (`euros`
    rounds half up, `euro_units`: see test_values_at_notification)."""
    import random

    from babel.numbers import format_currency, format_decimal

    from achats_ouverts.french import euro_units, euros, number

    draw = random.Random(5)
    values = [0.0, 0.05, 0.15, 2.5, 3.5, 12.35, 99.95, 2.675, 1e-9, 1234567.5]
    values += [draw.uniform(0, 100) for _ in range(3000)]
    values += [round(draw.uniform(0, 100), 2) for _ in range(3000)]
    values += [draw.uniform(0, 1e11) for _ in range(3000)]
    for value in values:
        for digits in (0, 1, 2):
            pattern = "#,##0" + ("." + "0" * digits if digits else "")
            assert number(value, digits) == format_decimal(value, locale="fr_FR", format=pattern)
        assert euros(value) == format_currency(
            euro_units(value), "EUR", locale="fr_FR", format="#,##0\xa0¤", currency_digits=False
        )
    for integer in (0, 7, -1234, 10**12, -(10**9)):
        assert number(integer) == format_decimal(integer, locale="fr_FR", format="#,##0")
        assert euros(integer) == format_currency(
            integer, "EUR", locale="fr_FR", format="#,##0\xa0¤", currency_digits=False
        )


def test_supplier_index_ranks_by_equal_share(data: Data, index: ListIndex) -> None:
    page = supplier.supplier_index(data, index)
    assert page.titulaires == 3
    assert labelled_each(page.premiers, "nom", "marches", "montant") == [
        {"nom": BELGIAN_SUPPLIER, "marches": 1, "montant": 500000.0},
        {"nom": "Menuiseries d'essai", "marches": 2, "montant": 170000.0},
        {"nom": 'Grands Travaux "Nationaux" <SA>', "marches": 1, "montant": 40000.0},
    ]
    assert page.premiers[0].href == f"../titulaires/TVA-{BELGIAN_SUPPLIER}/"
