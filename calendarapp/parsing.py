"""Reading numbers from addresses, forms and files: ASCII digits only.

Python's str.isdigit() also accepts '²' (which int() refuses: a 500) and other scripts' digits;
a number in our addresses and forms is 0-9 and nothing else.
"""

from __future__ import annotations

# The largest id or number a 32-bit integer column holds.
MAX_ID = 2**31 - 1


def digits(text: str) -> bool:
    return bool(text) and text.isascii() and text.isdigit()
