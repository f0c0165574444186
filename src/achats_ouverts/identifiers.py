"""Identifiers of companies and buyers: the SIRET check, written once.

A SIRET is 14 digits: the SIREN (9 digits, Luhn key) and the establishment number, the whole
passing the Luhn check, except La Poste's establishments (SIREN 356000000), whose digits sum to a
multiple of 5 (python-stdnum's rule, without its per-call overhead).
"""

from __future__ import annotations

from functools import lru_cache

from achats_ouverts.vocabulary import LA_POSTE_SIREN

LA_POSTE_HEAD_OFFICE = LA_POSTE_SIREN + "00048"
"""La Poste's head office, the one establishment of its SIREN that follows the Luhn rule."""
_DOUBLED = (0, 2, 4, 6, 8, 1, 3, 5, 7, 9)


def luhn_valid(digits: str) -> bool:
    """Whether a string of ASCII digits passes the Luhn check."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        digit = ord(char) - 48
        total += _DOUBLED[digit] if position % 2 else digit
    return total % 10 == 0


def luhn_digit(prefix: str) -> str:
    """The digit that makes `prefix + digit` pass the Luhn check."""
    return next(d for d in "0123456789" if luhn_valid(prefix + d))


@lru_cache(maxsize=1 << 16)
def siret_valid(value: str) -> bool:
    """Whether `value` is a valid SIRET: 14 ASCII digits, SIREN and SIRET keys right."""
    if len(value) != 14 or not value.isascii() or not value.isdigit():
        return False
    if value.startswith(LA_POSTE_SIREN) and value != LA_POSTE_HEAD_OFFICE:
        whole = sum(ord(c) - 48 for c in value) % 5 == 0
    else:
        whole = luhn_valid(value)
    return whole and luhn_valid(value[:9])
