"""The data folder and its contracts: what a buyer's folder holds and how it must look.

Modules:
- `schemas`: the datasets, their Table Schemas and the Data Package that lists them (the single
  source of column names, types, constraints and French descriptions, with the field lists of
  `decp_fields` and `buyer_fields`);
- `fields`: the kit a field is written with (`define`, `define_multi`) and the descriptions and
  patterns several datasets share;
- `decp_fields`: the fields of the DECP tables (contracts, their suppliers and modifications, the
  supplier reference);
- `buyer_fields`: the fields of the tables beyond the DECP (services, purchases to come, declared
  indicators);
- `config`: the human-edited configuration, `editeur.yaml` (the publisher) and `politique.yaml`
  (the purchasing policy), read with the line of every value;
- `writing`: atomic file writes, canonical CSV and JSON text, writing the schemas and the Data
  Package into a folder;
- `thresholds`: legal thresholds that change with time (the DECP publication threshold by
  notification date), as a dated table with the text that sets each value;
- `obligations`: legal obligations that start on a given day, without an amount (environmental
  considerations mandatory from 21 August 2026), with the texts that set them;
- `ranges`: the plausible range of every value (numbers, integers, dates, addresses, text), which
  validation checks so that whatever it accepts can be published;
- `yaml_safe`: reading a configuration file as small, plain YAML (file type, size, depth, aliases,
  tags);
- `workdirs`: working folders locked while in use, removed at the next run when left by a killed
  process; Ctrl-C and SIGTERM held back during a few renames;
- `problem_codes`: the catalogue of every problem code a user can meet (validation, import, the
  output folder of `build`), with its severity, meaning and fix; problems are made through its
  entries.

Every other stage reads the folder through these modules; this one imports only the shared
modules at the top of the package.
"""

from achats_ouverts.datafolder import config, problem_codes, schemas, writing
from achats_ouverts.datafolder.config import (
    POLICY_FILE,
    PUBLISHER_FILE,
    Identity,
    Indicator,
    LocatedYaml,
    Policy,
    Publisher,
    load_located_yaml,
    load_policy,
    load_publisher,
)
from achats_ouverts.datafolder.schemas import Dataset
from achats_ouverts.datafolder.writing import csv_text, json_text

__all__ = [
    "POLICY_FILE",
    "PUBLISHER_FILE",
    "Dataset",
    "Identity",
    "Indicator",
    "LocatedYaml",
    "Policy",
    "Publisher",
    "config",
    "csv_text",
    "json_text",
    "load_located_yaml",
    "load_policy",
    "load_publisher",
    "problem_codes",
    "schemas",
    "writing",
]
