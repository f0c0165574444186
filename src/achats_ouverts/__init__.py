"""Achats ouverts: a French public buyer's procurement data as a static, accessible open-data site.

Layering rule: data flows one way, and a module imports only the stages before it:
settings, report, errors -> vocabulary, contracts, cpv, config -> reading -> checks, schema_checks
-> validation -> loading -> aggregates, formats -> indicators, quality -> rendering -> charts
-> output -> pages -> indicator_pages, details -> entities -> explorers -> standards -> feeds
-> changelog -> downloads -> site -> postchecks -> hosting -> building -> benchmark -> cli.
`importing` is a side entrance that turns buyers' files into a data folder: it imports only
settings, report, errors, vocabulary, contracts, cpv, config and datafolder; only cli imports it.
"""

__version__ = "0.1.0"
