"""Contact data (R14a): a phone number the authority's text messages can reach.

The phone given at exam registration must stay valid: the authority sends SMS about review
supplements and changed collection arrangements there. Two forms are accepted:

- a mainland mobile number, 1[3-9] and nine more digits (`+86` / `0086` in front and
  spaces or dashes inside are allowed and dropped): stored as the 11 digits;
- a landline with its area code, 0 and two or three more digits then a 7- or 8-digit
  number (010 and 020–029 have three digits, the others four), with an optional
  extension: stored as `021-12345678` (and `转123` for an extension).

Anything else is refused with the reason, never stored as it came.
"""
from __future__ import annotations

import re
import unicodedata

from .text import Text

_MOBILE = re.compile(r"^(?:\+?86|0086)?(1[3-9]\d{9})$")
#: Area codes with three digits (the others have four): Beijing 010, 020-029.
_SHORT_AREAS = re.compile(r"^0(?:10|2\d)")
_LANDLINE = re.compile(r"^(0\d{2,3})(\d{7,8})$")
_EXTENSION = re.compile(r"^(.*?)(?:转|分机|ext\.?|x|#)\s*(\d{1,6})$", re.I)
_SEPARATORS = re.compile(r"[\s\-()（）]")


class InvalidPhone(ValueError):
    def __init__(self, reason: Text, value: str):
        super().__init__(reason.en)
        self.reason, self.value = reason, value


def _invalid(text: str) -> InvalidPhone:
    return InvalidPhone(Text(
        f"电话号码无效：{text}（应为手机号 1[3-9]xxxxxxxxx，或带区号的固定电话，如 021-12345678）",
        f"invalid phone number: {text} (a mobile number 1[3-9]xxxxxxxxx, or a landline "
        "with its area code, e.g. 021-12345678)"), text)


def normalise_phone(raw: str) -> str:
    """The phone number in its stored form, or InvalidPhone; "" for an empty value."""
    text = unicodedata.normalize("NFKC", str(raw)).strip()
    if not text:
        return ""
    extension = ""
    match = _EXTENSION.match(text)
    if match and _SEPARATORS.sub("", match[1]).startswith("0"):
        text, extension = match[1].rstrip(" -"), match[2]
    digits = _SEPARATORS.sub("", text)
    mobile = _MOBILE.match(digits)
    if mobile and not extension:
        return mobile[1]
    landline = _LANDLINE.match(digits)
    if landline:
        area_length = 3 if _SHORT_AREAS.match(digits) else 4
        area, number = digits[:area_length], digits[area_length:]
        if 7 <= len(number) <= 8:
            return f"{area}-{number}" + (f"转{extension}" if extension else "")
    raise _invalid(str(raw).strip())


def is_mobile(number: str) -> bool:
    return bool(_MOBILE.match(number))
