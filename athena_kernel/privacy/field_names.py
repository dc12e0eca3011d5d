"""What a field name (JSON key, ``key=value`` name, column header, form label) says its value is.

``classify_field("customer_name")`` -> ``FieldKind.PERSON``; ``"name"`` -> ``PERSON_GENERIC``
(its value is a person only if it looks like one in a record about people); ``"api_key"`` ->
``SECRET``; ``"max_tokens"`` -> ``None``.
"""

from __future__ import annotations

import re
from enum import Enum
from functools import lru_cache
from itertools import pairwise

from .wordlists import words as _words


class FieldKind(Enum):
    """The kind of value a field name announces."""

    PASSWORD = "password"  #: a password: any non-placeholder value of 4+ characters
    SECRET = "secret"  #: a token/key: the value must also look random (entropy floor)
    PERSON = "person"  #: a person's name, whatever its casing
    PERSON_GENERIC = "person_generic"  #: "name", "author"...: only name-shaped, near person hints
    ADDRESS = "address"  #: a postal address
    ADDRESS_GENERIC = "address_generic"  #: bare "address": only when it looks postal
    MAIL_HEADER = "mail_header"  #: From/To/Cc/...: display names are persons
    PHONE = "phone"  #: a phone number, in whatever national format


_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_SPLIT = re.compile(r"[^A-Za-z0-9]+")

#: last words that make a field about a secret rather than the secret itself
_METADATA_WORDS = _words(
    """
    count counts len length size limit limits max min ttl expiry expires expiration expired
    type types kind format id ids name names file path dir url uri endpoint env header
    prefix suffix version hash hashed digest usage budget policy policies enabled required
    field fields label hint method mode provider source strategy rotation timeout index idx
    number num pattern regex ref set list store manager class cls fn func validator
    placeholder template schema column col location param parameter rule rules error errors
    exception status valid invalid missing present check checked flag loaded length_ bits
    algorithm alg scope scopes audience issuer iat exp nbf date time at created updated
    issued reset strength policy_ entropy
    """
)
_PASSWORD_WORDS = _words(
    """
    password passwd passphrase pwd pass pw pword passcode
    """
)
_SECRET_WORDS = _words(
    """
    secret secrets token apikey credential credentials cookie cookies dsn salt signature sig
    authorization auth bearer sessionid sessid sid privatekey accesskey secretkey apisecret
    authtoken accesstoken refreshtoken idtoken csrftoken xsrftoken clientsecret
    """
)
_KEY_QUALIFIERS = _words(
    """
    api access secret private signing encryption master client app application license
    subscription service account auth shared storage admin webhook deploy ssh gpg pgp
    consumer x
    """
)
_SESSION_WORDS = _words(
    """
    session sessionid sessid
    """
)

_PERSON_ROLE_WORDS = _words(
    """
    customer client patient employee user contact person owner author recipient sender
    holder cardholder account member student teacher doctor physician guest buyer seller
    applicant candidate beneficiary driver passenger subscriber parent spouse guardian
    emergency billing shipping insured policyholder borrower lender landlord tenant signer
    witness attendee participant speaker manager supervisor reviewer assignee reporter
    approver requester requestor creator maintainer
    """
)
_PERSON_NAME_WORDS = _words(
    """
    firstname lastname fullname surname givenname familyname middlename maidenname nickname
    forename
    """
)
_PERSON_PAIRS = frozenset(
    {("first", "name"), ("last", "name"), ("full", "name"), ("given", "name"),
     ("family", "name"), ("middle", "name"), ("maiden", "name"), ("sur", "name"),
     ("fore", "name"), ("display", "name"), ("legal", "name"), ("real", "name")}
)  # fmt: skip
_PERSON_GENERIC_KEYS = _words(
    """
    name author owner assignee reporter reviewer manager contact person recipient sender
    customer patient employee passenger guardian cardholder signer approver requester
    maintainer creator createdby updatedby signedby
    """
)
_MAIL_HEADER_KEYS = _words(
    """
    from to cc bcc replyto sender deliveredto resentfrom resentto returnpath
    """
)
_PHONE_WORDS = _words(
    """
    phone telephone tel mobile cell cellphone fax landline phonenumber mobilephone
    """
)
_ADDRESS_WORDS = _words(
    """
    address addr street streetaddress addressline
    """
)
_NOT_POSTAL = _words(
    """
    ip ipv4 ipv6 email mail e mac memory mem remote local bind server host listen base
    return wallet contract web url peer socket sock proxy gateway broadcast network net link
    hw hardware public ethernet bluetooth node bitcoin btc eth to from sender recipient
    physical virtual loopback multicast device interface iface dns smtp target source dest
    destination hex pointer ptr offset start end bus register rpc api http https tcp udp
    canonical
    """
)


def field_words(name: str) -> tuple[str, ...]:
    """Lower-case words of a field name: ``"AWS_SECRET_ACCESS_KEY"`` -> aws, secret, access,
    key; ``"firstName"`` -> first, name; ``"X-Api-Key"`` -> x, api, key."""
    parts = _SPLIT.split(_CAMEL.sub(" ", name.strip().strip("\"'-")))
    return tuple(p.lower() for p in parts if p)


@lru_cache(maxsize=8192)
def classify_field(name: str) -> FieldKind | None:
    """The kind of value ``name`` announces, or ``None`` if it says nothing sensitive."""
    words = field_words(name)
    if not words or len(words) > 8:
        return None
    joined = "".join(words)
    if joined in _MAIL_HEADER_KEYS and len(words) <= 2:
        return FieldKind.MAIL_HEADER
    secret = _secret_kind(words, joined)
    if secret is not None:
        return secret
    person = _person_kind(words, joined)
    if person is not None:
        return person
    if any(w in _PHONE_WORDS for w in words) and words[-1] not in _METADATA_WORDS:
        if words[-1] not in ("verified", "country", "prefix", "carrier", "extension", "ext"):
            return FieldKind.PHONE
        return None
    return _address_kind(words, joined)


def _secret_kind(words: tuple[str, ...], joined: str) -> FieldKind | None:
    last = words[-1]
    if last in _SESSION_WORDS or words[-2:] == ("session", "id") or joined in _SESSION_WORDS:
        return FieldKind.SECRET
    if last in _METADATA_WORDS:
        return None
    for i, word in enumerate(words):
        if word in _PASSWORD_WORDS or word.endswith(("password", "passwd", "passphrase")):
            return FieldKind.PASSWORD
        if word in _SECRET_WORDS or word.endswith(("token", "secret", "apikey")):
            if word in ("auth", "sig") and len(words) > 1 and i != len(words) - 1:
                continue  # auth_method, sig_alg: described by the following word
            return FieldKind.SECRET
        if word in ("key", "keys") and i > 0 and words[i - 1] in _KEY_QUALIFIERS:
            return FieldKind.SECRET
    if joined.endswith(("password", "passwd")):
        return FieldKind.PASSWORD
    return None


def _person_kind(words: tuple[str, ...], joined: str) -> FieldKind | None:
    if any(w in _PERSON_NAME_WORDS for w in words):
        return FieldKind.PERSON
    for a, b in pairwise(words):
        if (a, b) in _PERSON_PAIRS:
            return FieldKind.PERSON
    if words[-1] == "name" and len(words) >= 2 and words[-2] in _PERSON_ROLE_WORDS:
        return FieldKind.PERSON
    if words == ("name", "on", "card") or joined in ("nameoncard", "accountholder"):
        return FieldKind.PERSON
    if joined in _PERSON_GENERIC_KEYS or (
        len(words) == 2 and words[0] in ("created", "updated", "signed") and words[1] == "by"
    ):
        return FieldKind.PERSON_GENERIC
    return None


def _address_kind(words: tuple[str, ...], joined: str) -> FieldKind | None:
    if not any(w in _ADDRESS_WORDS or w.endswith("address") for w in words):
        return None
    if any(w in _NOT_POSTAL for w in words) or words[-1] in _METADATA_WORDS:
        return None
    if words[-1] in ("city", "country", "state", "zip", "code", "verified", "book", "status"):
        return None
    if words in (("address",), ("addr",)) or joined == "address":
        return FieldKind.ADDRESS_GENERIC
    return FieldKind.ADDRESS
