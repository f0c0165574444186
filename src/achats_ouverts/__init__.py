"""Achats ouverts: a French public buyer's procurement data as a static, accessible open-data site.

Layering rule: data flows one way, and a module imports only the stages before it:
settings, report, errors -> vocabulary, contracts, cpv, config -> reading -> checks -> validation
-> loading -> aggregates -> rendering -> output -> pages -> site -> postchecks -> hosting
-> building -> cli.
"""

__version__ = "0.1.0"
