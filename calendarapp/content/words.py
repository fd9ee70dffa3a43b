"""Counting a caption's words, the one measure of length the story rule uses."""

from __future__ import annotations

import re

# A word is a run of characters between spaces that holds at least one letter or digit:
# emoji, dashes and lone punctuation do not make a caption longer.
_WORD = re.compile(r"\S*\w\S*")


def count_words(text: str) -> int:
    return len(_WORD.findall(text or ""))
