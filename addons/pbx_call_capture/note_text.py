"""What a reader sees of a call note. A note made of zero-width spaces,
joiners, byte-order marks, non-breaking or ideographic spaces, Hangul
fillers or combining marks alone looks empty on screen and in reports: it
must count as no note (issue 16)."""

import re
import unicodedata

# letters and symbols that render as nothing
INVISIBLE = frozenset("\u115f\u1160\u3164\uffa0\u2800\u034f\u17b4\u17b5\u180e")
SPACES = re.compile(r"\s+")


def visible_text(text):
    """``text`` as a reader sees it: invisible characters removed, every run
    of blanks (any Unicode space, line or paragraph separator) one space,
    stripped. Non-spacing marks are kept after a visible character only."""
    chars = []
    for char in text or "":
        category = unicodedata.category(char)
        if char in "\n\t" or category[0] == "Z":
            chars.append(" ")
        elif char in INVISIBLE or category[0] == "C":
            continue
        elif category in ("Mn", "Me") and not (chars and chars[-1] != " "):
            continue  # a mark on nothing
        else:
            chars.append(char)
    return SPACES.sub(" ", "".join(chars)).strip()


def visible_length(text):
    """Number of characters a reader sees in ``text`` (marks not counted)."""
    return sum(1 for char in visible_text(text) if unicodedata.category(char) not in ("Mn", "Me"))
