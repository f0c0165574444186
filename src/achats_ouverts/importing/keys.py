"""The per-contract keys an import keeps to find exact duplicates and shared identifiers.

One slot per contract: the 64-bit hash of its uid and the 64-bit fingerprint of its content, in two
flat arrays (open addressing, at most half full): 16 bytes a slot, so 32 to 64 bytes per contract,
about 50 MB per million contracts, instead of ~170 MB for a dict of strings. A hash collision
between two different uids (odds about 1 in 10^7 for ten million contracts) would only give the
second contract a suffixed uid; nothing is ever dropped unless the uid and the content fingerprint
both match.
"""

from __future__ import annotations

import hashlib
from array import array

EMPTY = 0


def key_of(text: str) -> int:
    value = int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "big")
    return value or 1


class KeyTable:
    """A map from uid hash to content fingerprint (both non-zero 64-bit integers)."""

    def __init__(self, capacity: int = 1 << 12) -> None:
        self._allocate(capacity)
        self.count = 0

    def _allocate(self, capacity: int) -> None:
        self.keys = array("Q", bytes(8 * capacity))
        self.values = array("Q", bytes(8 * capacity))
        self.mask = capacity - 1

    def _slot(self, key: int) -> int:
        keys, mask = self.keys, self.mask
        slot = key & mask
        while keys[slot] != EMPTY and keys[slot] != key:
            slot = (slot + 1) & mask
        return slot

    def get(self, key: int) -> int | None:
        slot = self._slot(key)
        return self.values[slot] if self.keys[slot] == key else None

    def __contains__(self, key: int) -> bool:
        return self.keys[self._slot(key)] == key

    def __setitem__(self, key: int, value: int) -> None:
        slot = self._slot(key)
        if self.keys[slot] != key:
            if 2 * (self.count + 1) > len(self.keys):
                self._grow()
                slot = self._slot(key)
            self.keys[slot] = key
            self.count += 1
        self.values[slot] = value

    def _grow(self) -> None:
        old_keys, old_values = self.keys, self.values
        self._allocate(2 * len(old_keys))
        for key, value in zip(old_keys, old_values, strict=True):
            if key != EMPTY:
                slot = self._slot(key)
                self.keys[slot] = key
                self.values[slot] = value

    def __len__(self) -> int:
        return self.count

    @property
    def nbytes(self) -> int:
        return self.keys.itemsize * len(self.keys) * 2
