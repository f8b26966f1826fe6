"""Contact details of clients in values that leave the server.

Pure helpers (no model): masking of e-mails and phone numbers, and a scanner
that finds the contact details of given partners in any structure returned to
a caller (read results, onchange values, groups, rendered reports) and
replaces them according to the access the door
(``res.partner._client_guard_detail_access``) granted for each partner.
"""

import re

from markupsafe import Markup

# access levels returned by the door, most permissive first
FULL, MASKED, NONE, HIDDEN = "full", "masked", "none", "hidden"
ORDER = {FULL: 0, MASKED: 1, NONE: 2, HIDDEN: 3}

# a run of digits with the usual phone separators (at least 7 digits)
PHONE_RE = re.compile(r"\+?\d[\d\s().\-\u00a0]{5,}\d")
PHONE_KEY = 9  # numbers are compared on their last 9 digits
MIN_SUBSTRING = 4  # shorter address parts are compared as whole values only


def has_strings(value):
    if isinstance(value, str):
        return True
    if isinstance(value, dict):
        return any(has_strings(item) for item in value.values())
    if isinstance(value, (list, tuple)):
        return any(has_strings(item) for item in value)
    return False


NON_DIGITS_ASCII = re.compile(r"[^0-9]+")


def digits(value):
    if value.isascii():  # the usual case, in one pass of C code
        return NON_DIGITS_ASCII.sub("", value)
    return "".join(ch for ch in value if ch.isdigit())


def phone_key(value):
    number = digits(value or "")
    return number[-PHONE_KEY:] if len(number) >= 7 else None


def mask_phone(value):
    """``+7 903 123-45-45`` -> ``+7 903 ***-**-45``: the country and area code
    and the last two digits stay, the digits between them are starred."""
    total = len(digits(value))
    keep_head = max(total - 7, 1)
    result, seen = [], 0
    for ch in value:
        if ch.isdigit():
            seen += 1
            result.append(ch if seen <= keep_head or seen > total - 2 else "*")
        else:
            result.append(ch)
    return "".join(result)


def mask_email(value):
    """``ivanov@domain.ru`` -> ``i***@d***.ru``."""
    local, _at, domain = value.partition("@")
    if not _at:
        return mask_text(value)
    host, _dot, tld = domain.rpartition(".")
    if not _dot:
        host, tld = domain, ""
    masked = f"{local[:1]}***@{host[:1]}***"
    return f"{masked}.{tld}" if tld else masked


def mask_text(value):
    """Tax ids, bank accounts: only the last three characters stay."""
    value = value or ""
    return "***" + value[-3:] if len(value) > 3 else "***"


class DetailScanner:
    """Secrets of a set of partners and their search in returned values.

    ``secrets`` maps partner ids to a dict with the keys ``emails``, ``phones``,
    ``texts`` (address parts, tax id, bank accounts: found inside longer
    strings), ``exact`` (city: only a whole value), ``name``."""

    def __init__(self, secrets, hide_names=False):
        self.phones = {}   # phone key -> partner ids
        self.literals = {}  # lower-case text -> [(partner id, kind)]
        self.exact = {}    # lower-case whole value -> partner ids
        for pid, secret in secrets.items():
            for email in secret["emails"]:
                self.literals.setdefault(email.lower(), []).append((pid, "email"))
            for phone in secret["phones"]:
                key = phone_key(phone)
                if key:
                    self.phones.setdefault(key, set()).add(pid)
            for text in secret["texts"]:
                if len(text) >= MIN_SUBSTRING:
                    self.literals.setdefault(text.lower(), []).append((pid, "text"))
                elif text:
                    self.exact.setdefault(text.lower(), set()).add(pid)
            for text in secret["exact"]:
                self.exact.setdefault(text.lower(), set()).add(pid)
            if hide_names and secret.get("name") and len(secret["name"]) >= 3:
                self.literals.setdefault(secret["name"].lower(), []).append((pid, "name"))
        self.regex = None
        if self.literals:
            keys = sorted(self.literals, key=len, reverse=True)
            self.regex = re.compile("|".join(re.escape(key) for key in keys), re.IGNORECASE)

    def __bool__(self):
        return bool(self.phones or self.literals or self.exact)

    # ------------------------------------------------------------------
    def _strings(self, value):
        """Every string in ``value`` (nested dicts, lists, tuples)."""
        stack = [value]
        while stack:
            item = stack.pop()
            if isinstance(item, str):
                yield item
            elif isinstance(item, dict):
                stack.extend(item.values())
            elif isinstance(item, (list, tuple)):
                stack.extend(item)

    def find(self, value):
        """(partner ids whose details appear somewhere in ``value``, partner
        ids whose names appear, when names are looked for)."""
        found, names = set(), set()
        for text in self._strings(value):
            self._find_in(text, found, names)
        return found, names

    def _find_in(self, text, found, names):
        if self.regex:
            for match in self.regex.finditer(text):
                for pid, kind in self.literals[match.group(0).lower()]:
                    (names if kind == "name" else found).add(pid)
        if self.phones:
            for match in PHONE_RE.finditer(text):
                key = phone_key(match.group(0))
                if key in self.phones:
                    found.update(self.phones[key])
        if self.exact:
            found.update(self.exact.get(text.strip().lower(), ()))

    # ------------------------------------------------------------------
    def scrub(self, value, access, placeholder="***"):
        """Copy of ``value`` with the details of the partners whose access is
        not full masked or removed. ``access`` maps partner ids to levels;
        a detail shared by several partners follows the most permissive."""
        def level(pids):
            return min((access.get(pid, HIDDEN) for pid in pids), key=ORDER.get)

        def literal(match):
            text = match.group(0)
            entries = self.literals[text.lower()]
            names = [pid for pid, kind in entries if kind == "name"]
            if names and len(names) == len(entries):
                return text if level(names) != HIDDEN else placeholder
            pids = [pid for pid, kind in entries if kind != "name"]
            lvl = level(pids)
            if lvl == FULL:
                return text
            if lvl == MASKED:
                kinds = {kind for _pid, kind in entries}
                return mask_email(text) if "email" in kinds else mask_text(text)
            return ""

        def phone(match):
            text = match.group(0)
            pids = self.phones.get(phone_key(text))
            if not pids:
                return text
            lvl = level(pids)
            if lvl == FULL:
                return text
            return mask_phone(text) if lvl == MASKED else ""

        def walk(item):
            if isinstance(item, str):
                if self.exact:
                    pids = self.exact.get(item.strip().lower())
                    if pids and level(pids) in (NONE, HIDDEN):
                        return False
                new = self.regex.sub(literal, item) if self.regex else item
                new = PHONE_RE.sub(phone, new) if self.phones else new
                if new != item and not new.strip(" \t\n,;<>()-"):
                    return False
                if isinstance(item, Markup) and new is not item:
                    # only digits and e-mail letters were replaced: still markup
                    new = Markup(new)
                return new
            if isinstance(item, dict):
                return {key: walk(val) for key, val in item.items()}
            if isinstance(item, list):
                return [walk(val) for val in item]
            if isinstance(item, tuple):
                return tuple(walk(val) for val in item)
            return item

        return walk(value)
