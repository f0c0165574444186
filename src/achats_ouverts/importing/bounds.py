"""Bounds on what one record of a source file may cost, checked while streaming.

A JSON file of 60 KB holding 30 000 nested arrays made the streaming parser use 2.3 GB (it keeps
the path of every open level, so memory grows with the square of the depth); 200 KB exhausted the
machine. Before each chunk reaches the parser, `JsonNesting` follows the depth of brackets outside
strings (with bytes operations, not byte by byte in Python) and refuses a file nested deeper than
`MAX_DEPTH`. `RecordSize` refuses a record (a contract with its modifications) of more than
`MAX_RECORD_BYTES`: the parser holds one record at a time, so memory stays bounded.
"""

from __future__ import annotations

import re

import numpy as np

from achats_ouverts.importing.sources import FileUnreadable

MAX_DEPTH = 64
"""A DECP contract is nested 7 levels deep (file, list, contract, list, item, wrapper, value)."""
MAX_RECORD_BYTES = 8 << 20
"""A contract with a thousand modifications takes about 1 MB."""

_ESCAPE = re.compile(rb"\\.", re.DOTALL)
_QUOTE = ord('"')
_STEP = np.zeros(256, dtype=np.int8)
_STEP[list(b"[{")] = 1
_STEP[list(b"]}")] = -1


class JsonNesting:
    """The nesting depth of a JSON stream fed chunk by chunk; FileUnreadable past MAX_DEPTH."""

    def __init__(self, file: str, limit: int = MAX_DEPTH) -> None:
        self.file = file
        self.limit = limit
        self.depth = 0
        self.in_string = False
        self.pending = b""
        """A trailing backslash, whose escaped byte comes with the next chunk."""

    def feed(self, chunk: bytes) -> None:
        data = self.pending + chunk
        self.pending = b""
        trailing = len(data) - len(data.rstrip(b"\\"))
        if trailing % 2:
            data, self.pending = data[:-1], data[-1:]
        if b"\\" in data:
            data = _ESCAPE.sub(b"", data)  # escaped quotes no longer end strings
        if not data:
            return
        codes = np.frombuffer(data, dtype=np.uint8)
        quotes = np.flatnonzero(codes == _QUOTE)
        brackets = np.flatnonzero(_STEP[codes])
        # A bracket is outside strings when an even number of quotes precede it in the chunk
        # (odd when the chunk starts inside a string).
        inside = (np.searchsorted(quotes, brackets) + self.in_string) % 2 == 1
        if len(quotes) % 2:
            self.in_string = not self.in_string
        steps = _STEP[codes[brackets[~inside]]]
        if not len(steps):
            return
        path = self.depth + np.cumsum(steps, dtype=np.int64)
        if int(path.max()) > self.limit:
            raise FileUnreadable(
                self.file,
                f"JSON imbriqué sur plus de {self.limit} niveaux : ce ne sont pas des DECP",
            )
        self.depth = int(path[-1])


class RecordSize:
    """Bytes read since the last complete record; FileUnreadable past MAX_RECORD_BYTES."""

    def __init__(self, file: str, limit: int = MAX_RECORD_BYTES) -> None:
        self.file = file
        self.limit = limit
        self.since = 0

    def read(self, size: int) -> None:
        self.since += size
        if self.since > self.limit:
            raise FileUnreadable(
                self.file,
                f"plus de {self.limit // (1 << 20)} Mo sans un marché complet : un enregistrement "
                "aussi gros n'est pas un marché",
            )

    def record(self) -> None:
        self.since = 0
