"""Achats ouverts: a French public buyer's procurement data as a static, accessible open-data site.

The package is cut by stage; data flows one way and a stage imports only the stages below it:

    cli                      the command line (thin: options, messages, exit codes)
    tools                    outside the pipeline: demo data generator, benchmark
    building                 build, check and publish a site atomically
    pages                    one producer per section of the site
    output | exports         the kit every page shares | the files other tools read
    model                    typed tables, aggregates, indicators, quality
    validation | importing   is a folder fit to publish? | buyers' files into a folder
    datafolder               the data folder's schemas and configuration

The modules at this level are shared by every stage and import none: `settings` (paths and
limits), `report` (problems found), `errors` (the exception hierarchy), `vocabulary` (the DECP
vocabulary and legal constants), `cpv` (the CPV nomenclature), `french` (French wording of numbers,
dates, plurals and quarters; accent folding), `colours` (WCAG contrast of colours), `geography`
(INSEE names of places and the map of départements, from the vendored `geodata/`) and
`identifiers` (the SIRET check). The rule is an import-linter contract (`[tool.importlinter]` in
pyproject.toml) checked by `make test`.
"""

__version__ = "0.1.0"
