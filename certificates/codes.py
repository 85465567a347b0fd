"""Verification codes: 65 random bits in Crockford base32 with a check symbol.

Printed in groups (``7KQ2-M9XD-4RT8-V``); typing is forgiving (case, hyphens, spaces, I/L→1,
O→0, U is never used). The check symbol (mod 37, as Crockford specifies) catches a mistyped
symbol or most swapped pairs before the database is asked anything.
"""

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U
CHECK_ALPHABET = ALPHABET + "*~$=U"  # the five extra check symbols for values 32..36
BODY_LENGTH = 13  # 13 × 5 = 65 random bits
GROUP = 4

_TYPING_FIXES = str.maketrans({"I": "1", "L": "1", "O": "0"})


class CodeError(ValueError):
    """Not a well-formed code (wrong length or characters, or the check symbol fails)."""


def _value(body: str) -> int:
    value = 0
    for symbol in body:
        value = value * 32 + ALPHABET.index(symbol)
    return value


def check_symbol(body: str) -> str:
    return CHECK_ALPHABET[_value(body) % 37]


def code_generate() -> str:
    """A new normalized code: 13 random symbols and their check symbol (14 characters)."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(BODY_LENGTH))
    return body + check_symbol(body)


def code_normalize(typed: str) -> str:
    """The stored form of a typed code; raises CodeError when it cannot be a code."""
    cleaned = "".join(typed.split()).replace("-", "").upper().translate(_TYPING_FIXES)
    if len(cleaned) != BODY_LENGTH + 1:
        raise CodeError("wrong length")
    body, check = cleaned[:-1], cleaned[-1]
    if any(symbol not in ALPHABET for symbol in body) or check not in CHECK_ALPHABET:
        raise CodeError("not a code")
    if check_symbol(body) != check:
        raise CodeError("check symbol")
    return cleaned


def code_display(code: str) -> str:
    """Grouped for printing and reading aloud: ``7KQ2-M9XD-4RT8-V``... with the check last."""
    body, check = code[:-1], code[-1]
    groups = [body[i : i + GROUP] for i in range(0, len(body), GROUP)]
    return "-".join(groups) + check if len(groups[-1]) < GROUP else "-".join([*groups, check])
