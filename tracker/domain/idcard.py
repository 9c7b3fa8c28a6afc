"""Resident ID numbers (GB 11643): normalising, validating, masking.

Validation uses python-stdnum's `stdnum.cn.ric` for the check digit and the birth date.
Its `validate` is not used whole: it also requires the region code to have existed in the
person's birth year, which rejects real numbers (measured: 310112, Minhang since 1992, is
refused for everyone born before 1992, though the 18-digit numbers were issued from 1999
with the current district code). We check the province part of the region code instead.
On top: full-width digits and spaces, a lower-case x, and naming the damage Excel does.
"""
from __future__ import annotations

import re
import unicodedata
from datetime import date

from stdnum import exceptions as stdnum_exc
from stdnum.cn import ric

from .text import Text

#: GB/T 2260 province-level codes (the first two digits of the region code).
PROVINCES = frozenset("11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 "
                      "50 51 52 53 54 61 62 63 64 65 71 81 82 83 91".split())

_SCIENTIFIC = re.compile(r"^\d(\.\d+)?[eE]\+?\d+$")

EXCEL_MANGLED = Text(
    "身份证号被 Excel 改坏了（科学计数法或末尾数字变成 0）：请把该列设为“文本”格式后重新导出",
    "ID number mangled by Excel (scientific notation or trailing digits turned to 0): "
    "format the column as text and export again",
)
EMPTY = Text("身份证号为空", "ID number is empty")
BAD_LENGTH = Text("身份证号应为 18 位（当前 {n} 位）", "ID number must have 18 characters (has {n})")
BAD_FORMAT = Text("身份证号前 17 位必须是数字，最后一位是数字或 X", "ID number: 17 digits then a digit or X")
BAD_DATE = Text("身份证号中的出生日期无效", "ID number contains an invalid birth date")
BAD_REGION = Text("身份证号前两位不是有效的省级行政区代码", "ID number: the first two digits are no province code")
BAD_CHECKSUM = Text("身份证号校验位不正确，请核对", "ID number check digit is wrong: check the number")
OLD_FORMAT = Text(
    "这是 1999 年以前签发的 15 位旧身份证号；对应的 18 位号码是 {new}（在 6 位地区码后加“19”，"
    "并补上校验位）：请与本人现在的身份证核对后录入 18 位号码",
    "this is an old 15-digit ID number (issued before 1999); its 18-digit form is {new} "
    "(“19” inserted after the 6-digit region code, and the check digit added): check it "
    "against the person's current ID card and enter the 18 digits",
)
OLD_FORMAT_INVALID = Text(
    "这是 1999 年以前的 15 位旧身份证号格式，但其中的{what}无效，无法换算成 18 位号码：请核对",
    "this has the form of an old 15-digit ID number (issued before 1999), but its {what} is "
    "invalid, so it has no 18-digit form: check the number",
)


class InvalidIdNumber(ValueError):
    def __init__(self, reason: Text, value: str):
        super().__init__(reason.en)
        self.reason = reason
        self.value = value


def normalise(raw: str) -> str:
    """NFKC (full-width digits and X become ASCII), no spaces or dashes, upper-case X."""
    text = unicodedata.normalize("NFKC", str(raw))
    text = re.sub(r"[\s\-]", "", text)
    return text.upper()


def _looks_excel_mangled(number: str) -> bool:
    if _SCIENTIFIC.match(number):
        return True
    if number.endswith(".0") and number[:-2].isdigit():
        return True
    # Excel keeps 15 significant digits: an 18-digit number ending in zeros that fails
    # the checksum is almost certainly a float that lost its tail.
    return len(number) == 18 and number.isdigit() and number.endswith("000")


def validate(raw: str) -> str:
    """The normalised ID number, or InvalidIdNumber with a reason in both languages."""
    if raw is None or str(raw).strip() == "":
        raise InvalidIdNumber(EMPTY, "")
    number = normalise(raw)
    if _looks_excel_mangled(number) and not _checks(number):
        raise InvalidIdNumber(EXCEL_MANGLED, str(raw))
    if len(number) == 15 and number.isdigit():
        raise InvalidIdNumber(_old_format(number), str(raw))
    if len(number) != 18:
        raise InvalidIdNumber(BAD_LENGTH.format(n=len(number)), str(raw))
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise InvalidIdNumber(BAD_FORMAT, str(raw))
    if number[:2] not in PROVINCES:
        raise InvalidIdNumber(BAD_REGION, str(raw))
    try:
        ric.get_birth_date(number)
    except stdnum_exc.ValidationError:
        raise InvalidIdNumber(BAD_DATE, str(raw)) from None
    if not _checks(number):
        raise InvalidIdNumber(BAD_CHECKSUM, str(raw))
    return number


def eighteen_digit_form(old: str) -> str:
    """The 18-digit form of an old 15-digit number (GB 11643-1999): "19" inserted after
    the 6-digit region code (the 15-digit numbers have a two-digit birth year, and were
    issued to people born in the 1900s), then the check digit."""
    first17 = old[:6] + "19" + old[6:]
    return first17 + check_digit(first17)


def _old_format(old: str) -> Text:
    """The reason for a 15-digit number: what it is, and its 18-digit form when it has
    one (a province code and a real birth date)."""
    new = eighteen_digit_form(old)
    what = None
    if new[:2] not in PROVINCES:
        what = Text("地区码", "region code")
    else:
        try:
            ric.get_birth_date(new)
        except stdnum_exc.ValidationError:
            what = Text("出生日期", "birth date")
    if what is not None:
        return Text(OLD_FORMAT_INVALID.zh.format(what=what.zh),
                    OLD_FORMAT_INVALID.en.format(what=what.en))
    return OLD_FORMAT.format(new=new)


def _checks(number: str) -> bool:
    return len(number) == 18 and number[:17].isdigit() and \
        ric.calc_check_digit(number) == number[17]


def is_valid(raw: str) -> bool:
    try:
        validate(raw)
    except InvalidIdNumber:
        return False
    return True


def check_digit(first17: str) -> str:
    """The check digit for 17 digits (used to make fictitious demo numbers)."""
    return ric.calc_check_digit(first17 + "0")


def mask(number: str | None) -> str:
    """310112********1234: region code and last four kept, birth date hidden."""
    if not number:
        return ""
    if len(number) <= 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


# --------------------------------------------------------------------------- spreadsheet cells

#: Excel keeps 15 significant digits: a number cell with more cannot hold an ID number.
_EXCEL_DIGITS = 15
#: Birth dates (YYYYMMDD) already found valid: a staff list has a few thousand.
KNOWN_BIRTH_DATES: set[str] = set()


def birth_date_exists(digits: str) -> bool:
    """YYYYMMDD is a real day (remembered: a staff list repeats birth dates)."""
    try:
        date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return False
    if len(KNOWN_BIRTH_DATES) < 100_000:
        KNOWN_BIRTH_DATES.add(digits)
    return True


def validate_cell(value: object) -> str:
    """`validate` for a cell of an imported file, fast for the common well-formed case.

    A cell may be a number (an xlsx number cell, or a float from a program): any
    number that needs more than 15 significant digits was rounded by Excel, so it is
    reported as mangled even when the rounded digits happen to pass the checksum. A
    text cell takes the same path as `validate`; a well-formed 18-character number is
    checked without normalising (the import calls this 100,000 times), with exactly
    the rules of `validate`, which gives the reason whenever the quick checks fail.
    """
    if type(value) is str:
        text = value.strip()
        if len(text) == 18 and text.isascii() and text[:17].isdigit():
            last = text[17]
            if last == "x":
                text = text[:17] + "X"
                last = "X"
            if (last.isdigit() or last == "X") and text[:2] in PROVINCES \
                    and ric.calc_check_digit(text) == last \
                    and (text[6:14] in KNOWN_BIRTH_DATES or birth_date_exists(text[6:14])):
                return text
        if text.startswith("'"):  # Excel's "this is text" mark, kept by some exports
            text = text[1:]
        return validate(text)
    if isinstance(value, bool) or value is None:
        return validate("" if value is None else str(value))
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise InvalidIdNumber(BAD_FORMAT, str(value))
        if value.is_integer():
            digits = str(int(value))
            if len(digits) > _EXCEL_DIGITS:
                raise InvalidIdNumber(EXCEL_MANGLED, repr(value))
            return validate(digits)
        raise InvalidIdNumber(EXCEL_MANGLED, repr(value))
    if isinstance(value, int):
        return validate(str(value))
    return validate_cell(str(value))
