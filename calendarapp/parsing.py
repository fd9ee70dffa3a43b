"""Reading numbers from addresses, forms and files: ASCII digits only.

Python's str.isdigit() also accepts '²' (which int() refuses: a 500) and other scripts' digits;
a number in our addresses and forms is 0-9 and nothing else.
"""

from __future__ import annotations

import re

from werkzeug.routing import IntegerConverter

# The largest id or number a 32-bit integer column holds.
MAX_ID = 2**31 - 1


def digits(text: str) -> bool:
    return bool(text) and text.isascii() and text.isdigit()


def ascii_int(text: str | int) -> int:
    """A number from an address or a form: ValueError unless it is ASCII digits (an int, such
    as a form's default from the database, passes as it is)."""
    if isinstance(text, int):
        return text
    if not digits(text):
        raise ValueError(text)
    return int(text)


class AsciiIntConverter(IntegerConverter):
    """`<int:...>` in a route: Werkzeug's `\\d+` also matches '٣' and '６', read as 3 and 6."""

    regex = r"[0-9]+"


_WHATSAPP = re.compile(r"^62\d{7,13}$")


def whatsapp_number(raw: str) -> str:
    """A WhatsApp number as wa.me wants it (62…), from 0812-…, +62 812 … or 62812…; "" stays
    ""; anything else raises ValueError."""
    number = re.sub(r"[\s\-().]", "", raw or "")
    if not number:
        return ""
    if number.startswith("+"):
        number = number[1:]
    elif number.startswith("0"):
        number = "62" + number[1:]
    if not _WHATSAPP.match(number):
        raise ValueError(raw)
    return number
