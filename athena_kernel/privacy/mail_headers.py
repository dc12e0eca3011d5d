"""Display names in e-mail address lists: ``Alice Smith <alice@example.com>``,
``"Smith, Alice" <alice@example.com>``, ``alice@example.com (Alice Smith)``.

:mod:`.structured` calls :func:`display_names` for the value of every ``From``/``To``/``Cc``/
``Bcc``/``Reply-To``/``Sender`` field (header lines and dict keys alike).
"""

from __future__ import annotations

import re

from .entities import EntityType, Span
from .name_shapes import looks_like_person_name

# one address: "Name" <addr> | Name <addr> | addr (Name)
_QUOTED_NAME = re.compile(r"[ \t]*\"([^\"\n]{1,100})\"[ \t]*<[^<>\s]{3,320}>")
_BARE_NAME = re.compile(r"[ \t]*([^\"<>,;\n()@]{1,100}?)[ \t]*<[^<>\s]{3,320}>")
_PAREN_NAME = re.compile(r"[ \t]*[^\s<>(),;@]{1,64}@[^\s<>(),;]{1,255}[ \t]*\(([^()\n]{1,100})\)")


def display_names(text: str, start: int, end: int) -> list[Span]:
    """PERSON spans for the display names in the address list ``text[start:end]``."""
    spans: list[Span] = []
    pos = start
    while pos < end:
        for pattern in (_QUOTED_NAME, _BARE_NAME, _PAREN_NAME):
            m = pattern.match(text, pos, end)
            if m:
                name_start, name_end = m.span(1)
                value = text[name_start:name_end]
                stripped = value.strip()
                if stripped and looks_like_person_name(stripped, strict=True):
                    lead = len(value) - len(value.lstrip())
                    a = name_start + lead
                    spans.append(
                        Span(a, a + len(stripped), EntityType.PERSON, "person.mail_header")
                    )
                pos = m.end()
                break
        else:
            nxt = text.find(",", pos, end)
            if nxt < 0:
                break
            pos = nxt
        while pos < end and text[pos] in ",; \t":
            pos += 1  # the separator between addresses
    return spans
