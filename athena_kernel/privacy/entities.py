"""The entity types the detector reports and the :class:`Span` it reports them as."""

from __future__ import annotations

from enum import Enum
from typing import NamedTuple


class EntityType(str, Enum):
    """Kinds of sensitive value the detector finds; each has its own token family."""

    EMAIL = "EMAIL"
    PHONE = "PHONE"
    CREDIT_CARD = "CREDIT_CARD"
    US_SSN = "US_SSN"
    IBAN = "IBAN"
    IP_ADDRESS = "IP_ADDRESS"
    SECRET = "SECRET"
    PERSON = "PERSON"
    ADDRESS = "ADDRESS"

    def __str__(self) -> str:
        return self.value


#: When candidate spans overlap partially, the more specific type wins (higher number).
#: A span that contains another one always wins over it, whatever the types.
TYPE_PRIORITY: dict[EntityType, int] = {
    EntityType.SECRET: 90,
    EntityType.CREDIT_CARD: 80,
    EntityType.IBAN: 80,
    EntityType.US_SSN: 75,
    EntityType.EMAIL: 70,
    EntityType.IP_ADDRESS: 60,
    EntityType.PHONE: 50,
    EntityType.ADDRESS: 30,
    EntityType.PERSON: 30,
}


class Span(NamedTuple):
    """A detected value: ``text[start:end]`` (Python str indices, end-exclusive) of ``type``.

    ``rule`` names the detection rule that produced it (e.g. ``"email"``, ``"secret.github"``,
    ``"person.field"``), to explain a detection. A named tuple: cheap to create and compare.
    """

    start: int
    end: int
    type: EntityType
    rule: str = ""

    def text(self, source: str) -> str:
        """The value this span covers in ``source``."""
        return source[self.start : self.end]
