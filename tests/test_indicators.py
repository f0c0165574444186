"""The indicator engine on tiny frames: each calculation, exclusions, years, targets, services."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from achats_ouverts import vocabulary as v
from achats_ouverts.datafolder import config, schemas
from achats_ouverts.datafolder.config import Action, Axis, Indicator, Policy
from achats_ouverts.model import indicators, loading
from achats_ouverts.model.calculations import REGISTRY
from tests.fixtures.folders import CONTRACT, SUPPLIER_ROW
from tests.fixtures.labels import labelled_each, projection
from tests.fixtures.paths import DATA, ROOT

REFERENCE = date(2024, 12, 31)


def text_frame(name: str, rows: list[dict[str, str]]) -> pd.DataFrame:
    ds = schemas.dataset(name)
    frame = pd.DataFrame(
        [[row.get(f, "") for f in ds.field_names] for row in rows],
        columns=list(ds.field_names),
        dtype=object,
    )
    frame.index = pd.RangeIndex(2, 2 + len(rows), name="ligne")
    return frame


def typed(name: str, rows: list[dict[str, str]]) -> pd.DataFrame:
    frame = loading.typed_frame(text_frame(name, rows), schemas.dataset(name))
    return loading.with_contract_columns(frame) if name == "marches" else frame


def contract(uid: str, **changes: str) -> dict[str, str]:
    return {**CONTRACT, "uid": uid, "id": uid, **changes}


def supplier(ident: str, departement: str, region: str, category: str) -> dict[str, str]:
    return {
        **SUPPLIER_ROW,
        "titulaire_id": ident,
        "titulaire_departement_code": departement,
        "titulaire_region_code": region,
        "titulaire_categorie": category,
    }


SUPPLIERS = [
    supplier("A", "59", "32", "PME"),
    supplier("B", "75", "11", "GE"),
    supplier("C", "", "", ""),
]


def tables(
    rows: list[dict[str, str]], links: list[tuple[str, str]] | None = None
) -> indicators.Tables:
    pairs = links if links is not None else [(row["uid"], "A") for row in rows]
    return indicators.Tables(
        contracts=typed("marches", rows),
        contract_suppliers=typed(
            "marches-titulaires",
            [{"uid": u, "titulaire_typeIdentifiant": "SIRET", "titulaire_id": s} for u, s in pairs],
        ),
        suppliers=typed("titulaires", SUPPLIERS),
        departements=("02", "59", "60", "62", "80"),
        region_code="32",
    )


def by_year(name: str, t: indicators.Tables) -> pd.DataFrame:
    calculation = indicators.REGISTRY[name]
    rows = calculation.function(t)
    return indicators.summarise(
        rows, indicators.group_keys(t.contracts), ["annee"], calculation.statistic
    )


def indicator(ident: str, calcul: str, **changes: object) -> Indicator:
    fields: dict[str, object] = {
        "id": ident,
        "titre": ident,
        "unite": "%",
        "sens": "hausse",
        "type": "calculé",
        "calcul": calcul,
        "cibles": (),
        "methode": "…",
    }
    fields.update(changes)
    return Indicator(**fields)  # type: ignore[arg-type]


def policy(*inds: Indicator, start: int = 2022, end: int = 2024) -> Policy:
    action = Action("action-1", "1.1", "Action", "Résumé", tuple(i.id for i in inds))
    return Policy("Politique", start, end, "", "", (Axis("axe-1", 1, "Axe", "", (action,)),), inds)


def compute(
    p: Policy,
    t: indicators.Tables,
    declared: pd.DataFrame | None = None,
    reference: date = REFERENCE,
) -> dict:
    services = typed("services", [{"service_id": "lycees", "service_nom": "Direction des lycées"}])
    if declared is None:
        declared = typed("indicateurs-declares", [])
    results = indicators.compute(p, t, declared, services, reference)
    return {r.id: r for r in results}


def test_the_demo_policy_uses_every_calculation_of_the_registry() -> None:
    demo_policy, problems = config.load_policy(DATA, calculations=REGISTRY)
    assert problems == []
    assert demo_policy is not None
    used = {i.calcul for i in demo_policy.indicateurs if i.computed}
    assert used == set(REGISTRY)


def test_the_readme_lists_the_calculations_of_the_registry() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("- **Indicateurs calculés**")
    bullet = readme[start : readme.index("\n- ", start + 1)]
    listed = [name for name in re.findall(r"`([a-z0-9_]+)`", bullet) if "_" in name]
    assert listed == list(REGISTRY)


def test_unknown_calculation_is_rejected_with_file_and_line(tmp_path: Path) -> None:
    text = (DATA / "politique.yaml").read_text(encoding="utf-8")
    broken = text.replace("calcul: part_pme_montant", "calcul: part_pme_montants", 1)
    (tmp_path / "politique.yaml").write_text(broken, encoding="utf-8")
    line = broken.splitlines().index("    calcul: part_pme_montants") + 1
    result, problems = config.load_policy(tmp_path, calculations=REGISTRY)
    assert result is None
    assert projection(problems) == [
        ("politique.yaml", line, "indicateurs.3.calcul", "calcul-inconnu")
    ]
    assert problems[0].message == "le calcul « part_pme_montants » n'existe pas dans l'outil"
    assert problems[0].fix == (
        "vouliez-vous dire « part_pme_montant » ? calculs disponibles : " + ", ".join(REGISTRY)
    )


def test_validation_accepts_only_the_calculations_it_is_given() -> None:
    """The data folder stage has no list of its own: the names come from its caller."""
    known = ("part_pme_nombre", "part_pme_montant")
    _, problems = config.load_policy(DATA, calculations=known)
    rejected = {p.code for p in problems}
    assert rejected == {"calcul-inconnu"}
    assert len(problems) == len(REGISTRY) - len(known)


def test_several_suppliers_of_different_regions_count_by_equal_shares() -> None:
    t = tables(
        [
            contract("m1", montant="100000"),
            contract("m2", montant="300000"),
            contract("m3", montant="50000"),
        ],
        [("m1", "A"), ("m1", "B"), ("m2", "A"), ("m3", "C")],
    )
    count = by_year("part_entreprises_regionales_nombre", t).loc[2024]
    assert count["valeur"] == pytest.approx(75.0)  # (0.5 + 1) / 2 contracts located
    assert (count["marches"], count["exclus"]) == (2, 1)  # m3's supplier location is unknown
    amount = by_year("part_entreprises_regionales_montant", t).loc[2024]
    assert amount["valeur"] == pytest.approx(87.5)  # (50 000 + 300 000) / 400 000
    sme = by_year("part_pme_nombre", t).loc[2024]
    assert sme["valeur"] == pytest.approx(75.0)


def test_missing_fields_are_excluded_and_counted_never_read_as_no() -> None:
    t = tables(
        [
            contract("m1", considerationsEnvironnementales="Clause environnementale"),
            contract("m2", considerationsEnvironnementales=v.PAS_DE_CONSIDERATION_ENVIRONNEMENTALE),
            contract("m3", considerationsEnvironnementales=""),
            contract(
                "m4",
                considerationsEnvironnementales="",
                sousTraitanceDeclaree="",
                offresRecues="",
            ),
        ]
    )
    env = by_year("part_environnement_nombre", t).loc[2024]
    assert (env["valeur"], env["marches"], env["exclus"]) == (pytest.approx(50.0), 2, 2)
    sub = by_year("part_sous_traitance", t).loc[2024]
    assert (sub["valeur"], sub["marches"], sub["exclus"]) == (0.0, 3, 1)
    offers = by_year("offres_moyennes", t).loc[2024]
    assert (offers["valeur"], offers["exclus"]) == (3.0, 1)


def test_social_and_reserved_contracts() -> None:
    t = tables(
        [
            contract("m1", considerationsSociales="Clause sociale, Marché réservé"),
            contract("m2", considerationsSociales=v.PAS_DE_CONSIDERATION_SOCIALE),
            contract("m3", considerationsSociales="Critère social"),
            contract("m4", considerationsSociales=""),
        ]
    )
    social = by_year("part_sociale_nombre", t).loc[2024]
    assert (social["valeur"], social["exclus"]) == (pytest.approx(200 / 3), 1)
    reserved = by_year("part_marches_reserves", t).loc[2024]
    assert reserved["valeur"] == pytest.approx(100 / 3)


def test_advance_rate_excludes_unknown_rates_and_ignores_contracts_without_advance() -> None:
    t = tables(
        [
            contract("m1", attributionAvance="true", tauxAvance="0.1"),
            contract("m2", attributionAvance="true", tauxAvance="0.3"),
            contract("m3", attributionAvance="true", tauxAvance="0"),  # rate unknown
            contract("m4", attributionAvance="false", tauxAvance=""),
            contract("m5", attributionAvance="", tauxAvance=""),
        ]
    )
    rate = by_year("taux_avance_moyen", t).loc[2024]
    assert (rate["valeur"], rate["marches"], rate["exclus"]) == (pytest.approx(20.0), 2, 2)
    share = by_year("part_avance", t).loc[2024]
    assert (share["valeur"], share["exclus"]) == (pytest.approx(75.0), 1)


def test_works_and_supplies_scopes_exclude_contracts_without_cpv() -> None:
    t = tables(
        [
            contract("m1", codeCPV="45214200-2"),
            contract(
                "m2",
                codeCPV="30192000",
                considerationsEnvironnementales="Pas de considération environnementale",
            ),
            contract("m3", codeCPV=""),
        ]
    )
    works = by_year("part_environnement_travaux", t).loc[2024]
    assert (works["valeur"], works["marches"], works["exclus"]) == (100.0, 1, 1)
    other = by_year("part_environnement_fournitures_services", t).loc[2024]
    assert (other["valeur"], other["marches"], other["exclus"]) == (0.0, 1, 1)


def test_publication_delay_uses_calendar_months_and_excludes_incoherent_dates() -> None:
    t = tables(
        [
            contract("m1", dateNotification="2024-03-15", datePublicationDonnees="2024-05-15"),
            contract("m2", dateNotification="2024-03-15", datePublicationDonnees="2024-05-16"),
            contract("m3", dateNotification="2024-03-15", datePublicationDonnees="2024-03-25"),
            contract("m4", dateNotification="2024-03-15", datePublicationDonnees="2024-03-01"),
            contract("m5", dateNotification="2024-03-15", datePublicationDonnees=""),
        ]
    )
    median = by_year("delai_publication_median", t).loc[2024]
    assert (median["valeur"], median["marches"], median["exclus"]) == (61.0, 3, 2)
    in_time = by_year("part_publiee_2_mois", t).loc[2024]
    assert (in_time["valeur"], in_time["exclus"]) == (pytest.approx(200 / 3), 2)


def test_completeness_counts_the_ten_key_fields() -> None:
    t = tables(
        [contract("m1"), contract("m2", codeCPV="", formePrix="")],
        [("m1", "A")],  # m2 has no supplier
    )
    value = by_year("completude_champs", t).loc[2024]
    assert value["valeur"] == pytest.approx((10 + 7) / 20 * 100)
    text = text_frame("marches", [contract("m1"), contract("m2", codeCPV="", formePrix="")])
    rows = indicators.counted_rows("completude_champs", t, text)
    assert rows["champs_manquants"].tolist() == ["", "codeCPV, formePrix, titulaire"]


def test_counted_rows_are_exactly_those_behind_the_number() -> None:
    raw = [
        contract("m1", considerationsEnvironnementales="Clause environnementale", montant="10"),
        contract("m2", considerationsEnvironnementales="", montant="20"),
        contract("m3", considerationsEnvironnementales=v.PAS_DE_CONSIDERATION_ENVIRONNEMENTALE),
    ]
    t = tables(raw)
    rows = indicators.counted_rows("part_environnement_montant", t, text_frame("marches", raw))
    assert rows["uid"].tolist() == ["m1", "m3"]
    assert rows["montant"].tolist() == ["10", CONTRACT["montant"]]  # published text, unchanged
    value = rows["numerateur"].sum() / rows["denominateur"].sum() * 100
    assert value == pytest.approx(by_year("part_environnement_montant", t).loc[2024]["valeur"])


def test_a_year_without_contracts_has_no_value_not_zero() -> None:
    t = tables(
        [contract("m1", dateNotification="2022-05-02"), contract("m2")],
    )
    results = compute(policy(indicator("env", "part_environnement_nombre")), t)
    years = {y.annee: y for y in results["env"].annees}
    assert sorted(years) == [2022, 2023, 2024]
    assert years[2023].valeur is None
    assert years[2023].marches == 0
    assert not years[2023].a_venir
    assert years[2022].valeur == 100.0
    assert years[2024].valeur == 100.0


def test_an_indicator_without_target_has_no_verdict() -> None:
    results = compute(policy(indicator("inno", "part_innovants")), tables([contract("m1")]))
    status = results["inno"].status
    assert status.valeur is not None
    assert status.valeur.valeur == 0.0
    assert (status.cible, status.cible_annee, status.atteinte) == (None, None, None)


def test_status_uses_the_years_target_or_the_next_one_at_display_precision() -> None:
    t = tables([contract("m1"), contract("m2", considerationsEnvironnementales="")])
    same_year = indicator("a", "part_environnement_nombre", cibles=((2024, 100.0),))
    later = indicator("b", "part_offre_unique", sens="baisse", cibles=((2027, 15.0),))
    results = compute(policy(same_year, later, end=2027), t)
    a, b = results["a"].status, results["b"].status
    assert (a.cible_annee, a.cible, a.atteinte) == (2024, 100.0, True)
    assert (b.cible_annee, b.valeur.valeur if b.valeur else None, b.atteinte) == (2027, 0.0, True)
    assert [y.a_venir for y in results["a"].annees][-3:] == [True, True, True]
    assert indicators.meets(99.96, 100, "%", "hausse")
    assert not indicators.meets(99.94, 100, "%", "hausse")
    assert indicators.meets(29.0, 30, "jours", "baisse")


def test_values_per_buying_service() -> None:
    t = tables(
        [
            contract("m1", acheteur_service_id="lycees"),
            contract(
                "m2",
                acheteur_service_id="",
                considerationsEnvironnementales="Pas de considération environnementale",
            ),
        ]
    )
    result = compute(policy(indicator("env", "part_environnement_nombre")), t)["env"]
    services = {s.service_id: s for s in result.services}
    assert services["lycees"].service_nom == "Direction des lycées"
    assert services[""].service_nom == indicators.NO_SERVICE_LABEL
    assert services["lycees"].annees[-1].valeur == 100.0
    assert services[""].annees[-1].valeur == 0.0
    assert result.annees[-1].valeur == 50.0


def test_declared_indicators_come_from_the_declared_table() -> None:
    declared = typed(
        "indicateurs-declares",
        [
            {"indicateur_id": "delai", "annee": "2022", "valeur": "34.5", "source": "Finances"},
            {"indicateur_id": "delai", "annee": "2024", "valeur": "28", "source": "Finances"},
        ],
    )
    ind = indicator(
        "delai", "", type="déclaré", unite="jours", sens="baisse", cibles=((2024, 30.0),)
    )
    result = compute(policy(ind), tables([contract("m1")]), declared)["delai"]
    assert labelled_each(result.annees, "annee", "valeur") == [
        {"annee": 2022, "valeur": 34.5},
        {"annee": 2023, "valeur": None},
        {"annee": 2024, "valeur": 28},
    ]
    assert result.annees[0].source == "Finances"
    assert result.status.atteinte is True
    assert result.services == ()


def test_document_and_csv_hold_every_indicator_and_year() -> None:
    p = policy(indicator("env", "part_environnement_nombre", cibles=((2024, 90.0),)))
    t = tables([contract("m1")])
    results = tuple(compute(p, t).values())
    doc = indicators.document(p, results, REFERENCE, {"env": "indicateurs/env.csv"})
    entry = doc["indicateurs"][0]
    assert entry["axes"] == ["axe-1"]
    assert entry["actions"] == ["action-1"]
    assert entry["derniere_valeur"] == {
        "annee": 2024,
        "valeur": 100.0,
        "cible_annee": 2024,
        "cible": 90.0,
        "atteinte": True,
        "en_cours": False,
    }
    assert [y["annee"] for y in entry["annees"]] == [2022, 2023, 2024]
    assert [y["atteinte"] for y in entry["annees"]] == [None, None, True]  # 2024 has a target
    rows = indicators.csv_rows(results)
    assert len(rows) == 3 + 3  # whole buyer and one service, three years each
    assert all(len(row) == len(indicators.CSV_COLUMNS) for row in rows)


# --- The running year is never judged -----------------------------------------------------------


def running_year_results(reference: date) -> dict[str, indicators.IndicatorResult]:
    """2023 at 100 % (target 90 % met), 2024 at 50 % against 90 %: judged only once 2024 ends."""
    t = tables(
        [
            contract("m0", dateNotification="2023-03-01"),
            contract("m1"),
            contract("m2", considerationsEnvironnementales="Pas de considération environnementale"),
        ]
    )
    p = policy(
        indicator("env", "part_environnement_nombre", cibles=((2023, 90.0), (2024, 90.0))),
        indicator("next", "part_environnement_nombre", cibles=((2027, 90.0),)),
        start=2023,
        end=2027,
    )
    return compute(p, t, reference=reference)


def test_no_verdict_on_the_current_incomplete_year() -> None:
    """No current-year verdict says « non atteinte »: a running year is compared in words
    only, in the status, in `indicateurs.json` and in every sentence; the latest complete year
    keeps its verdict."""
    results = running_year_results(date(2024, 11, 1))
    env = results["env"]
    st = env.status
    assert st.valeur is not None
    assert (st.valeur.annee, st.valeur.valeur, st.valeur.partielle) == (2024, 50.0, True)
    assert (st.cible, st.atteinte, st.en_cours) == (90.0, None, True)
    assert st.bilan is not None
    assert (st.bilan.valeur.annee if st.bilan.valeur else None, st.bilan.atteinte) == (2023, True)
    assert results["next"].status.atteinte is None
    verdicts = {y.annee: indicators.year_verdict(env, y) for y in env.annees}
    assert (verdicts[2023], verdicts[2024]) == (True, None)
    doc = indicators.document(policy(), tuple(results.values()), date(2024, 11, 1), {})
    entry = doc["indicateurs"][0]
    assert entry["derniere_valeur"]["atteinte"] is None
    assert entry["derniere_valeur"]["en_cours"] is True
    assert entry["derniere_valeur"]["bilan"]["atteinte"] is True
    assert [y["atteinte"] for y in entry["annees"]][:2] == [True, None]

    from achats_ouverts.output.indicator_views import indicator_line, summary_sentence

    for result in results.values():
        line = indicator_line(result, "indicateurs/")
        sentence = summary_sentence(result)
        assert line.code == "en-cours"
        assert "non atteinte" not in line.situation + sentence
        assert "pas encore atteinte" not in line.situation + sentence
    assert indicator_line(env, "indicateurs/").situation == (
        "Année en cours : 50,0\u00a0% au 1er novembre 2024, cible 90,0\u00a0%"
    )
    assert "au 1er novembre 2024" in summary_sentence(env)


def test_the_same_year_is_judged_once_it_is_over() -> None:
    results = running_year_results(date(2024, 12, 31))
    st = results["env"].status
    assert (st.atteinte, st.en_cours, st.bilan) == (False, False, None)
    from achats_ouverts.output.indicator_views import indicator_line

    assert indicator_line(results["env"], "indicateurs/").situation == "Cible non atteinte"
