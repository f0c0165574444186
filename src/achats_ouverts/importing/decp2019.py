"""DECP 2019 JSON files (arrêté du 22 mars 2019): `{"marches": [...]}`, each record typed by
`_type`, read as a stream.

Records are mapped to the 2022 vocabulary when they are normalised (nature « Accord-cadre » and
« Marché subséquent » move to techniques and modalitesExecution, 2019 `formePrix` values move to
`typesPrix`, pre-2019 procedure names are replaced with a warning, `+01:00` date suffixes are
dropped). Buyer and supplier names, which the 2022 format no longer carries, are kept.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from achats_ouverts.french import fold
from achats_ouverts.importing.decp2022 import contract_from_decp, stream_json_items
from achats_ouverts.importing.records import CONCESSION, Event, Position, Skipped
from achats_ouverts.importing.sources import skip_bom


def read_json(path: Path, file: str) -> Iterator[Event]:
    with path.open("rb") as handle:
        for _kind, index, obj in stream_json_items(skip_bom(handle), file, ("marches.item",)):
            position = Position(file, f"marches[{index}]")
            kind = obj.get("_type") if isinstance(obj, dict) else None
            if isinstance(kind, str) and "concession" in fold(kind):
                yield Skipped(position, CONCESSION)
                continue
            yield contract_from_decp(obj, position, numbered=False)
