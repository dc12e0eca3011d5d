"""PII and secret detection, and the token vault that keeps real values inside the kernel.

``detect(text)`` finds e-mail addresses, phone numbers, payment cards, US SSNs, IBANs, IP
addresses, secrets (provider API keys, JWTs, private keys, auth headers, URL passwords, secret
``key=value`` fields) and person names / postal addresses where structure gives them away
(JSON keys, ``key=value`` fields, table columns, e-mail headers). A :class:`Vault` swaps them
for stable tokens such as ``[EMAIL_1]`` and swaps tokens back for trusted APIs. See
``docs/privacy.md``.
"""

from __future__ import annotations

from .detector import detect
from .entities import EntityType, Span
from .vault import Vault

__all__ = ["EntityType", "Span", "Vault", "detect"]
