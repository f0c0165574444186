"""Demonstration data: a seeded, deterministic and entirely FICTITIOUS purchasing history of the
Région Hauts-de-France (2022 to the reference date), written as a complete data folder.

Companies, SIRETs, amounts, objects and dates are invented. Only public reference codes are real:
the buyer's SIRET, INSEE commune, département and région codes, and CPV 2008 codes with their
check digit. The output depends only on the seed, the number of contracts, the reference date and
the catalogue: one `random.Random(seed)` makes every draw in a fixed order, and no set or dict
order is ever iterated unsorted, so two runs give byte-identical files on any machine.

The catalogue is data, the generator is code:
- `catalogue/*.yaml`: the fictitious world (places, lycées, buying services, suppliers' trades,
  families of purchases and their object texts, words of company names, declared indicators);
- `typed_yaml`: a YAML file read into frozen dataclasses, types and keys checked, errors located;
- `world`: the catalogue's types, `load_world` (read and cross-checked at start) and the lookups
  drawn from;
- `draws`: weighted draws and the text of amounts, shares, flags and multi-valued cells;
- `suppliers`: the fictitious companies, drawn into a pool by trade;
- `subjects`: what is bought and where, from a family's templates;
- `rules`: amounts, procedures and the yearly shares (considerations, advances, missing fields);
- `contracts`: the contracts, year by year, with their suppliers and modifications;
- `rows`: the rows of the published tables;
- `upcoming`: the purchasing programme;
- `folder`: the whole data folder, with the schemas' example files and the Data Package.

Public face: `generate`, `write_demo`, `example_tables`, `DemoData`, the defaults, and
`load_world` with `World` and `CatalogueError` to generate from another catalogue. Stage: a
producer of data folders; it uses only `datafolder` and the shared modules.
"""

from achats_ouverts.tools.demo.folder import (
    DEFAULT_CONTRACTS,
    DEFAULT_REFERENCE_DATE,
    DEFAULT_SEED,
    DemoData,
    example_tables,
    generate,
    write_demo,
)
from achats_ouverts.tools.demo.typed_yaml import CatalogueError
from achats_ouverts.tools.demo.world import World, load_world

__all__ = [
    "DEFAULT_CONTRACTS",
    "DEFAULT_REFERENCE_DATE",
    "DEFAULT_SEED",
    "CatalogueError",
    "DemoData",
    "World",
    "example_tables",
    "generate",
    "load_world",
    "write_demo",
]
