"""The purchasing policy (`policy.html.j2`): its axes, its actions and the latest value of their
indicators, and one page per action (`policy_action.html.j2`).

The indicators are computed once, by the dashboard (`artifacts.INDICATORS`).
"""

from __future__ import annotations

from dataclasses import dataclass

from achats_ouverts.french import plural
from achats_ouverts.model import Data, IndicatorResult
from achats_ouverts.output import BuildContext, artifacts, relative_url, render, urls
from achats_ouverts.output.indicator_views import (
    IndicatorCard,
    IndicatorLine,
    indicator_card,
    indicator_line,
    summary_sentence,
)
from achats_ouverts.output.reports import report_periods
from achats_ouverts.output.site_info import SiteInfo


@dataclass(frozen=True)
class ActionView:
    id: str
    numero: str
    titre: str
    resume: str
    lien: str
    cartes: tuple[IndicatorCard, ...]


@dataclass(frozen=True)
class AxisView:
    id: str
    numero: int
    titre: str
    resume: str
    actions: tuple[ActionView, ...]


@dataclass(frozen=True)
class PolicyPage:
    site: SiteInfo
    titre: str
    periode: str
    adoption: str
    introduction: str
    axes: tuple[AxisView, ...]
    tableau_de_bord: str
    rapports: tuple[tuple[str, str], ...] = ()
    """The biennial SPASER reports: (period, link), the running one marked."""

    @property
    def actions(self) -> int:
        return sum(len(axis.actions) for axis in self.axes)


def axes_views(
    data: Data, results: dict[str, IndicatorResult], from_page: str
) -> tuple[AxisView, ...]:
    return tuple(
        AxisView(
            axis.id,
            axis.numero,
            axis.titre,
            axis.resume,
            tuple(
                ActionView(
                    action.id,
                    action.numero,
                    action.titre,
                    action.resume,
                    relative_url(from_page, urls.action(action.id)),
                    tuple(
                        indicator_card(results[i], from_page, f"t-{action.id}-{n}")
                        for n, i in enumerate(action.indicateurs, 1)
                    ),
                )
                for action in axis.actions
            ),
        )
        for axis in data.policy.axes
    )


@dataclass(frozen=True)
class ActionIndicator:
    line: IndicatorLine
    phrase: str


@dataclass(frozen=True)
class ActionPage:
    site: SiteInfo
    axe_numero: int
    axe_titre: str
    axe_lien: str
    numero: str
    titre: str
    resume: str
    indicateurs: tuple[ActionIndicator, ...]
    politique: str


def produce_policy(ctx: BuildContext) -> None:
    """The policy page and one page per action, with the latest value of their indicators."""
    data = ctx.data
    policy = data.policy
    site = SiteInfo.of(data.publisher)
    results = {r.id: r for r in ctx.get(artifacts.INDICATORS)}
    page_path = urls.POLICY
    page = PolicyPage(
        site=site,
        titre=policy.titre,
        periode=f"{policy.periode_debut}-{policy.periode_fin}",
        adoption=policy.adoption,
        introduction=policy.introduction,
        axes=axes_views(data, results, page_path),
        tableau_de_bord=relative_url(page_path, urls.INDICATORS),
        rapports=tuple(
            (
                p.label + (" (en cours)" if p.en_cours else ""),
                relative_url(page_path, urls.spaser_report(p.debut, p.fin)),
            )
            for p in report_periods(policy.periode_debut, results.values(), data.reference_date)
        ),
    )
    ctx.page(
        urls.POLICY,
        "Politique d'achat",
        render("policy.html.j2", page=page),
        description=(
            f"{policy.titre} ({page.periode}) : {plural(len(page.axes), 'axe')}, "
            f"{plural(page.actions, 'action')} et les indicateurs qui les suivent, avec leur "
            "dernière valeur face à leur cible."
        ),
    )
    for axis, action in policy.actions():
        path = urls.action(action.id)
        action_page = ActionPage(
            site=site,
            axe_numero=axis.numero,
            axe_titre=axis.titre,
            axe_lien=relative_url(path, urls.POLICY) + f"#{axis.id}",
            numero=action.numero,
            titre=action.titre,
            resume=action.resume,
            indicateurs=tuple(
                ActionIndicator(indicator_line(results[i], path), summary_sentence(results[i]))
                for i in action.indicateurs
            ),
            politique=relative_url(path, urls.POLICY),
        )
        ctx.page(
            path,
            f"Action {action.numero} : {action.titre}",
            render("policy_action.html.j2", page=action_page),
            description=action.resume,
        )
