"""A phone number read the way Odoo's ``phone_validation`` reads it, once.

A call from an unknown number reads it three times: to match the clients
(E.164) and show it (international format), then as the new client's
``phone_e164`` and ``phone_sanitized``, which the ORM computes again on
creation whatever values it was given. The result depends on the number and
the country alone, so it is kept (a bounded cache per process): the second
and third readings, and the next calls from the same number, find it."""

import functools

import phonenumbers

from odoo.exceptions import UserError

from odoo.addons.phone_validation.tools import phone_validation


@functools.lru_cache(maxsize=4096)
def phone_formats(number, country_code):
    """(E.164, international format) of ``number`` read in the country of
    ``country_code`` (an ISO code or None) by ``phone_validation.phone_parse``,
    or None when that is not a valid phone number."""
    try:
        parsed = phone_validation.phone_parse(number, country_code or None)
    except UserError:
        return None
    if not parsed:  # phonenumbers missing
        return None
    return (phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164),
            phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL))
