"""The rules of a staff-list import: which headers mean what, how a cell becomes a value,
when a row is accepted, and when two rows of one file contradict each other.

Pure: no files, no SQL. The importer service reads the file and writes the database;
this module only decides. Every reason a row is refused is a `Text` in both languages,
worded for the HR officer who has to fix the file ("format the column as text").

A cell may be a string (CSV, text cells) or a typed value from a spreadsheet (a float,
a date, a datetime): every function here takes either.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from itertools import repeat

from . import idcard, reference
from .contact import InvalidPhone, normalise_phone
from .fields import FIRST_DAY, LAST_DAY, label
from .spreadsheet import FORMULA_TRIGGERS, neutralise
from .text import Text
from .workflow import STATES, resolve_state

# --------------------------------------------------------------------------- columns


@dataclass(frozen=True)
class Column:
    key: str
    label: Text
    #: Header texts that mean this column, in both languages; matched after `fold`.
    aliases: tuple[str, ...]
    required: bool = False


COLUMNS: dict[str, Column] = {
    c.key: c
    for c in (
        Column("name", label("name"),
               ("姓名", "名字", "员工姓名", "人员姓名", "职工姓名", "name", "full name"),
               required=True),
        Column("id_number", label("id_number"),
               ("身份证号", "身份证号码", "身份证", "证件号码", "证件号", "身份证件号码",
                "公民身份号码", "id_number", "id number", "id no", "id card", "id card no",
                "id card number", "resident id"),
               required=True),
        Column("employee_no", label("employee_no"),
               ("工号", "员工编号", "员工号", "职工编号", "职工号", "人员编号", "employee_no",
                "employee number", "employee no", "emp no", "staff no")),
        Column("department", label("department"),
               ("部门", "所属部门", "部门名称", "department", "dept")),
        Column("company", label("company"),
               ("公司", "单位", "公司名称", "单位名称", "工作单位", "所在单位", "所属公司",
                "company")),
        Column("phone", label("phone"),
               ("手机", "手机号", "手机号码", "联系电话", "电话", "联系方式", "移动电话",
                "phone", "mobile", "telephone", "tel")),
        Column("specialty", label("specialty"),
               ("专业", "报考专业", "专业类别", "注册专业", "specialty", "speciality")),
        Column("exam_passed_on", label("exam_passed_on"),
               ("考试合格日期", "合格日期", "考试通过日期", "通过日期", "exam_passed_on",
                "exam passed on", "passed on")),
        Column("exam_year", label("exam_year"),
               ("考试年度", "考试年份", "exam_year", "exam year")),
        Column("state", label("state_label"),
               ("当前状态", "状态", "state", "status")),
        Column("certificate_no", label("certificate_no"),
               ("资格证书编号", "资格证书号", "资格证编号", "证书编号", "certificate_no",
                "certificate no", "certificate number")),
        Column("registration_no", label("registration_no"),
               ("注册证书编号", "注册证书号", "注册编号", "registration_no", "registration no",
                "registration number")),
        Column("registration_valid_until", label("valid_until"),
               ("注册有效期至", "注册有效期", "有效期至", "registration_valid_until",
                "valid_until", "valid until")),
        Column("ce_hours", label("ce_hours"),
               ("继续教育学时", "继续教育", "学时", "ce_hours", "ce hours",
                "continuing education hours")),
        # R14a: the postal address and when the contact data was last confirmed.
        Column("address", label("address"),
               ("地址", "通讯地址", "联系地址", "邮寄地址", "address", "postal address",
                "mailing address")),
        Column("contact_confirmed_on", label("contact_confirmed_on"),
               ("联系方式确认日期", "联系方式确认", "contact_confirmed_on",
                "contact confirmed on")),
        # R2a: the subjects the person is exempt from (免考).
        Column("exempt", label("exempt"),
               ("免考科目", "免考", "exempt", "exempt subjects")),
        # R7a: the issue date printed on the qualification certificate.
        Column("certificate_issued_on", label("certificate_issued_on"),
               ("发证日期", "资格证书发证日期", "取得日期", "certificate_issued_on",
                "certificate issued on", "issued on")),
    )
}

REQUIRED = tuple(k for k, c in COLUMNS.items() if c.required)
#: Person data an import sets (the rest is data of the case).
PERSON_KEYS = ("name", "employee_no", "department", "company", "phone", "address",
               "contact_confirmed_on")

_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]|【[^】]*】")


def fold(header: object) -> str:
    """A header reduced to what identifies it: width, case, spaces, punctuation and a
    bracketed remark ("身份证号（18位）", "*姓名", "ID_Number") do not count."""
    text = unicodedata.normalize("NFKC", str(header or ""))
    stripped = _BRACKETS.sub("", text)
    if any(ch.isalnum() for ch in stripped):
        text = stripped
    return "".join(ch for ch in text if ch.isalnum()).lower()


ALIASES: dict[str, str] = {}
for _column in COLUMNS.values():
    for _alias in _column.aliases:
        if ALIASES.setdefault(fold(_alias), _column.key) != _column.key:  # pragma: no cover
            raise RuntimeError(f"two columns share the alias {_alias!r}")


def column_for(header: object) -> str | None:
    """The column key a header means, or None."""
    return ALIASES.get(fold(header))


@dataclass
class HeaderMap:
    """Which file column holds which field."""

    headers: list[str]
    index: dict[str, int] = field(default_factory=dict)
    #: Non-empty headers that name no known column (reported, not fatal).
    unknown: list[str] = field(default_factory=list)
    #: Headers that name a column already taken by an earlier header (ignored).
    duplicate: list[str] = field(default_factory=list)

    @property
    def missing(self) -> list[str]:
        return [key for key in REQUIRED if key not in self.index]

    def header_of(self, key: str) -> str:
        return self.headers[self.index[key]] if key in self.index else COLUMNS[key].label.zh


def match_headers(cells: Sequence[object]) -> HeaderMap:
    headers = [cell_text(c) for c in cells]
    result = HeaderMap(headers=headers)
    for position, header in enumerate(headers):
        if not header:
            continue
        key = column_for(header)
        if key is None:
            result.unknown.append(header)
        elif key in result.index:
            result.duplicate.append(header)
        else:
            result.index[key] = position
    return result


def looks_like_header(cells: Sequence[object]) -> bool:
    """A row naming both required columns (a title row above the header is skipped)."""
    keys = {column_for(c) for c in cells if c not in (None, "")}
    return all(k in keys for k in REQUIRED)


# --------------------------------------------------------------------------- cells

#: What offices write in a cell that has no value.
PLACEHOLDERS = frozenset({"无", "暂无", "空", "/", "-", "--", "—", "——", "n/a", "na", "null",
                          "none"})
_INVISIBLE = "\u200b\ufeff\u2060"
_SCIENTIFIC = re.compile(r"^[+-]?\d+(\.\d+)?[eE][+-]?\d+$")
#: A leading apostrophe Excel users type (and our errors sheet writes) to keep text as text.
_TEXT_MARK = re.compile(r"^'(?=[=+\-@\d])")


class CellError(ValueError):
    """A cell that cannot be used; `reason` says why in both languages."""

    def __init__(self, reason: Text):
        super().__init__(reason.en)
        self.reason = reason


_ODD_ENDS = "'\u200b\ufeff\u2060"


def cell_text(value: object) -> str:
    """The text of a cell: numbers without a spurious ".0", dates as YYYY-MM-DD."""
    if type(value) is str:
        text = value.strip()
        if text and (text[0] in _ODD_ENDS or text[-1] in _ODD_ENDS):
            text = text.strip(_INVISIBLE).strip()
            if text.startswith("'"):
                text = _TEXT_MARK.sub("", text)
        return text
    if value is None:
        return ""
    if isinstance(value, str):
        return cell_text(str(value))
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() \
            else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _optional(value: object) -> str:
    text = cell_text(value)
    if len(text) <= 4 and text.lower() in PLACEHOLDERS:
        return ""
    return text


EXCEL_NUMBER = Text("被 Excel 改成了数字（科学计数法或丢失末尾数字）：请把该列设为“文本”格式后重新导出",
                    "turned into a number by Excel (scientific notation or lost digits): "
                    "format the column as text and export again")


def code_text(value: object) -> str:
    """A number-like code (employee no., phone, certificate no.) that Excel may have hurt."""
    if type(value) is str:
        text = value.strip()
        # The usual code (E000123, 13812345678): letters and digits only.
        if text.isascii() and text.isalnum() and \
                (len(text) > 4 or text.lower() not in PLACEHOLDERS):
            return text
    elif isinstance(value, float) and not (value.is_integer() and abs(value) < 1e15):
        raise CellError(EXCEL_NUMBER)
    text = _optional(value)
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    if ("+" in text or "-" in text) and _SCIENTIFIC.match(text):
        raise CellError(EXCEL_NUMBER)
    return text


_CJK_SPACED = re.compile(r"^[\u3400-\u9fff\U00020000-\U0002ffff·•\s]+$")


def clean_name(value: object) -> str:
    """Spaces inside a Chinese name are alignment ("张　伟"), not part of the name."""
    text = cell_text(value)
    if " " not in text and "\u3000" not in text and 0 < len(text) <= 4 \
            and text.lower() not in PLACEHOLDERS:
        return text  # the usual name: nothing to clean
    if not text or text.lower() in PLACEHOLDERS:
        raise CellError(Text("姓名为空", "the name is empty"))
    if _CJK_SPACED.match(text):
        return "".join(text.split())
    return " ".join(text.split())


def clean_text(value: object) -> str:
    if type(value) is str:
        text = value.strip()
        if text and text[0] not in _ODD_ENDS and text[-1] not in _ODD_ENDS \
                and "  " not in text and text not in PLACEHOLDERS \
                and (len(text) > 4 or not text.isascii()):
            return text  # the usual department or company name
    text = _optional(value)
    return text if "  " not in text else " ".join(text.split())


def clean_phone(value: object) -> str:
    """R14a: a mainland mobile number or a landline with its area code, in the stored
    form (`tracker.domain.contact.normalise_phone`), else the row is refused."""
    text = code_text(value)
    if len(text) == 11 and _FAST_PHONE.fullmatch(text):
        return text  # the usual mobile number, stored as it is
    try:
        return normalise_phone(text)
    except InvalidPhone as error:
        raise CellError(error.reason) from None


# -- dates

DATE_FORMATS = "2026-07-26、2026/7/26、2026.7.26、2026年7月26日、20260726"
_DATE = re.compile(r"^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})"
                   r"(?:[ T](?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d+)?)?)?$")
_DATE_ZH = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?$")
_DATE_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_SERIAL = re.compile(r"^\d{5}$")
#: Day 0 of Excel's serial dates (1900 system, including its 29 February 1900 bug).
EXCEL_EPOCH = date(1899, 12, 30)
#: Serial dates that are plausible here: 1950-01-01 … 2100-12-31.
_SERIALS = range(18264, 73415)


def _bad_date(text: str) -> CellError:
    return CellError(Text(f"日期无效：{text}（可用格式：{DATE_FORMATS}）",
                          f"invalid date: {text} (use e.g. {DATE_FORMATS.replace('、', ', ')})"))


def parse_date_cell(value: object) -> date:
    """A date from a date cell, an Excel serial number, or text in the usual formats,
    inside FIRST_DAY … LAST_DAY (as every date the tracker takes)."""
    day = _parse_date_cell(value)
    if not FIRST_DAY <= day <= LAST_DAY:
        raise CellError(Text(f"日期超出范围：{day.isoformat()}（应在 1900 至 2100 年之间）",
                             f"date out of range: {day.isoformat()} (years 1900 to 2100)"))
    return day


def _parse_date_cell(value: object) -> date:
    if type(value) is str and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:  # YYYY-MM-DD, the usual case, in C
            return date.fromisoformat(value)
        except ValueError:
            pass
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if float(value).is_integer() and int(value) in _SERIALS:
            return EXCEL_EPOCH + timedelta(days=int(value))
        value = cell_text(value)  # 20260726 typed as a number
    text = cell_text(value)
    if len(text) == 10 and text[4] == "-" and text[7] == "-" and text.isascii():
        try:  # YYYY-MM-DD, the usual case, in C
            return date.fromisoformat(text)
        except ValueError:
            raise _bad_date(text) from None
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    match = _DATE.match(text)
    if match:
        parts = match.group(1, 3, 4)
    else:
        match = _DATE_ZH.match(text) or _DATE_COMPACT.match(text)
        if match:
            parts = match.groups()
        elif _SERIAL.match(text) and int(text) in _SERIALS:
            return EXCEL_EPOCH + timedelta(days=int(text))
        else:
            raise _bad_date(text)
    try:
        return date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        raise _bad_date(text) from None


def parse_year(value: object, today: date) -> int:
    text = cell_text(value)
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    text = text.removesuffix("年").strip()
    if not (text.isdigit() and len(text) == 4):
        raise CellError(Text(f"考试年度应为四位年份：{text}", f"the exam year must be a year: {text}"))
    year = int(text)
    if year < 2000:
        raise CellError(Text(f"考试年度过早：{year}", f"exam year too early: {year}"))
    if year > today.year:
        raise CellError(Text(f"考试年度晚于今年：{year}", f"exam year is in the future: {year}"))
    return year


def parse_past_date(value: object, today: date, what: Text) -> str:
    """A day that happened (a confirmation, an issue date): not after today."""
    day = parse_date_cell(value)
    if day > today:
        raise CellError(Text(f"{what.zh}晚于今天：{day}", f"{what.en} is in the future: {day}"))
    return day.isoformat()


_SUBJECT_SEPARATORS = re.compile(r"[、,，;；/／\s]+")


def parse_subjects(value: object) -> tuple[str, ...]:
    """R2a: the exempt subjects (免考科目): names or keys, separated by 、 , ; or /;
    "全部" / "all" for all three; in the order of the exam's subjects."""
    text = _optional(value)
    if not text:
        return ()
    if text.lower() in ("all", "全部"):
        return tuple(reference.SUBJECTS)
    keys = set()
    for part in _SUBJECT_SEPARATORS.split(unicodedata.normalize("NFKC", text)):
        if not part:
            continue
        key = reference.resolve(reference.SUBJECTS, part)
        if key is None:
            known = "、".join(t.zh for t in reference.SUBJECTS.values())
            raise CellError(Text(f"未知科目：{part}（可用：{known}，或“全部”）",
                                 f"unknown subject: {part} (known: {known}, "
                                 f"{', '.join(reference.SUBJECTS)} or all)"))
        keys.add(key)
    return tuple(k for k in reference.SUBJECTS if k in keys)


def parse_hours(value: object) -> float:
    text = cell_text(value)
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    for unit in ("学时", "小时", "hours", "h"):
        text = text.removesuffix(unit).strip()
    try:
        hours = float(text)
    except ValueError:
        raise CellError(Text(f"学时应为数字：{text}", f"hours must be a number: {text}")) from None
    if not 0 <= hours < 10000:
        raise CellError(Text(f"学时超出范围：{text}", f"hours out of range: {text}"))
    return hours


@lru_cache(maxsize=256)
def _specialty(text: str) -> str | None:
    key = reference.resolve_specialty(text)
    if key is None and text.endswith("专业"):
        key = reference.resolve_specialty(text[:-2])
    return key


_SPECIALTY_CELLS: dict[str, str] = {}


def parse_specialty(value: object) -> str:
    if type(value) is str:
        key = _SPECIALTY_CELLS.get(value)
        if key is not None:  # the same few spellings on every row
            return key
        text = _optional(value)
        if text and _specialty(text) is not None and len(_SPECIALTY_CELLS) < 1024:
            _SPECIALTY_CELLS[value] = _specialty(text)
    text = _optional(value)
    if not text:
        return ""
    key = _specialty(text)
    if key is None:
        raise CellError(reference.unknown_specialty(text))
    return key


@lru_cache(maxsize=256)
def _state(text: str) -> str | None:
    return resolve_state(text)


def parse_state(value: object) -> str | None:
    text = _optional(value)
    if not text:
        return None
    state = _state(text)
    if state is None:
        known = "、".join(s.label.zh for s in STATES.values())
        raise CellError(Text(f"未知状态：{text}（可用：{known}）",
                             f"unknown state: {text} (known: {', '.join(STATES)})"))
    return state


# --------------------------------------------------------------------------- rows


@dataclass(slots=True)
class StaffRow:
    """One accepted row: a person and one case (person × specialty)."""

    id_number: str
    name: str
    employee_no: str = ""
    department: str = ""
    company: str = ""
    phone: str = ""
    specialty: str = ""
    state: str | None = None
    exam_year: int | None = None
    exam_passed_on: str | None = None
    certificate_no: str = ""
    registration_no: str = ""
    valid_until: str | None = None
    ce_hours: float | None = None
    address: str = ""
    contact_confirmed_on: str | None = None
    #: None: the file says nothing; () would say "exempt from none" (a blank cell is None).
    exempt: tuple[str, ...] | None = None
    certificate_issued_on: str | None = None


@dataclass(frozen=True)
class Problem:
    """Why a row is refused: the column (a key of COLUMNS, or None for the whole row),
    the value as the file has it, and the reason."""

    column: str | None
    value: str
    reason: Text


def _text_setter(attr: str, cleaned: dict[object, str]):
    """Department and company: a few values repeated on every row, cleaned once each
    (and stored once: the rows share the string)."""
    def apply(row: StaffRow, raw: object) -> None:
        text = cleaned.get(raw)
        if text is None:
            text = clean_text(raw)
            if len(cleaned) < 10_000:
                cleaned[raw] = text
        setattr(row, attr, text)
    return apply


def _code_setter(attr: str):
    def apply(row: StaffRow, raw: object) -> None:
        setattr(row, attr, code_text(raw))
    return apply


def _set_phone(row: StaffRow, raw: object) -> None:
    row.phone = clean_phone(raw)


def _set_specialty(row: StaffRow, raw: object) -> None:
    row.specialty = parse_specialty(raw)


def _set_state(row: StaffRow, raw: object) -> None:
    row.state = parse_state(raw)


def _set_until(row: StaffRow, raw: object) -> None:
    if _optional(raw):
        row.valid_until = parse_date_cell(raw).isoformat()


def _set_hours(row: StaffRow, raw: object) -> None:
    if _optional(raw):
        row.ce_hours = parse_hours(raw)


def _set_address(row: StaffRow, raw: object) -> None:
    row.address = clean_text(raw)


def _set_exempt(row: StaffRow, raw: object) -> None:
    if _optional(raw):
        row.exempt = parse_subjects(raw)


class RowReader:
    """Turns the cells of one data row into a `StaffRow`, or the problems that refuse it.

    Called once per row of files with 100,000 rows: the plan of which column to read
    and how is made once, and the common well-formed values take short paths.
    """

    def __init__(self, header: HeaderMap, today: date):
        self.header = header
        self.today = today
        self.width = len(header.headers)
        index = header.index
        # (A reader is only made for a header with both required columns.)
        self._name = index["name"]
        self._id = index["id_number"]
        interned: dict[object, str] = {}
        self._interned = interned
        self._passed: dict[object, tuple[str, int]] = {}
        #: Days read once, by column (the batch path takes them from here).
        self._days: dict[str, dict[object, str]] = {}
        setters = {
            "employee_no": _code_setter("employee_no"),
            "department": _text_setter("department", interned),
            "company": _text_setter("company", interned),
            "phone": _set_phone,
            "specialty": _set_specialty,
            "state": _set_state,
            # The exam year after the date it may be derived from: a year given wins.
            "exam_passed_on": self._set_passed,
            "exam_year": self._set_year,
            "certificate_no": _code_setter("certificate_no"),
            "registration_no": _code_setter("registration_no"),
            "registration_valid_until": _set_until,
            "ce_hours": _set_hours,
            "address": _set_address,
            "contact_confirmed_on": self._day_setter("contact_confirmed_on"),
            "exempt": _set_exempt,
            "certificate_issued_on": self._day_setter("certificate_issued_on"),
        }
        self._plan = [(index[key], apply, key) for key, apply in setters.items()
                      if key in index]
        #: Cells a row must have for every column read (shorter rows are padded).
        self._needed = max(index.values()) + 1
        #: The batch path: (StaffRow field, column position, how a column is read).
        self._columns = [(_FIELDS[key], index[key], key) for key in _FAST_KEYS if key in index]

    def _day_setter(self, key: str):
        """A day that happened (R7a, R14a), each distinct cell parsed once (the batch
        path reads the cache)."""
        known = self._days.setdefault(key, {})
        what = COLUMNS[key].label

        def apply(row: StaffRow, raw: object) -> None:
            day = known.get(raw)
            if day is None:
                if not _optional(raw):
                    return
                day = parse_past_date(raw, self.today, what)
                if len(known) < 10_000:
                    known[raw] = day
            setattr(row, key, day)
        return apply

    def _known_passed(self, column: Sequence[object], slow: set[int], values: dict) -> None:
        """The batch path of the exam-passed date: the dates read once already, and the
        year of each (a year in its own column is read slowly: it wins)."""
        known = self._passed
        parsed = [known.get(cell) if cell != "" else _NO_DATE for cell in column]
        if None in parsed:
            slow.update(i for i, v in enumerate(parsed) if v is None)
            parsed = [_NO_DATE if v is None else v for v in parsed]
        values["exam_passed_on"] = [v[0] for v in parsed]
        values["exam_year"] = [v[1] for v in parsed]

    def _known_days(self, key: str, column: Sequence[object], slow: set[int]) -> list:
        """The batch path of a day column: the days read once already (None for an empty
        cell); the other rows go to `slow`, for `read`."""
        days = self._days.get(key, {})
        result = [days.get(cell, _MISS) if cell != "" else None for cell in column]
        if _MISS in result:
            slow.update(i for i, v in enumerate(result) if v is _MISS)
            result = [None if v is _MISS else v for v in result]
        return result

    def _set_passed(self, row: StaffRow, raw: object) -> None:
        # A few hundred distinct dates in a staff list: each parsed once.
        known = self._passed.get(raw)
        if known is None:
            if not _optional(raw):
                return
            passed = parse_date_cell(raw)
            if passed > self.today:
                raise CellError(Text(f"考试合格日期晚于今天：{passed}",
                                     f"the exam-passed date is in the future: {passed}"))
            known = (passed.isoformat(), passed.year)
            if len(self._passed) < 10_000:
                self._passed[raw] = known
        row.exam_passed_on, row.exam_year = known

    def _set_year(self, row: StaffRow, raw: object) -> None:
        if _optional(raw):
            row.exam_year = parse_year(raw, self.today)

    def read(self, cells: Sequence[object]) -> tuple[StaffRow | None, list[Problem]]:
        problems: list[Problem] = []
        count = len(cells)
        if count < self._needed:  # a short row: the missing cells are blank
            cells = [*cells, *([None] * (self._needed - count))]
        elif count > self.width and any(cell_text(c) for c in cells[self.width:]):
            problems.append(Problem(None, " | ".join(cell_text(c) for c in cells[self.width:]),
                                    Text(f"本行有 {count} 个单元格，表头只有 {self.width} 列："
                                         "值中的逗号须用引号括起",
                                         f"the row has {count} cells, the header {self.width}: "
                                         "a comma inside a value needs quotes")))
        raw = cells[self._name]
        try:
            name = clean_name(raw)
        except CellError as error:
            problems.append(Problem("name", cell_text(raw), error.reason))
            name = ""
        raw = cells[self._id]
        try:
            number = idcard.validate_cell(raw)
        except idcard.InvalidIdNumber as error:
            problems.append(Problem("id_number", cell_text(raw), error.reason))
            number = ""
        row = StaffRow(number, name)
        for position, apply, key in self._plan:
            raw = cells[position]
            if raw is not None and raw != "":
                try:
                    apply(row, raw)
                except CellError as error:
                    problems.append(Problem(key, cell_text(raw), error.reason))
        if problems:
            return None, problems
        return row, problems


    def read_many(self, rows: Sequence[Sequence[object]]) -> list[StaffRow | None]:
        """`read` for a batch of rows, column by column: a StaffRow for each row whose
        every cell has the usual, well-formed shape (an ID number that checks, a Chinese
        name, a code of letters and digits, a known department, specialty or date, an
        empty optional cell), else None, for `read` to decide — and to explain.

        The same values as `read` by construction: each quick test only accepts cells
        that `read` returns unchanged, or that it has already read once (its caches).
        Several times faster than calling `read` 100,000 times.
        """
        count = len(rows)
        width = self.width
        if not count:
            return []
        if any(len(cells) != width for cells in rows):
            # Short or long rows take the careful path (padding, stray cells).
            filler = ("",) * width
            rows = [cells if len(cells) == width else filler for cells in rows]
        columns = list(zip(*rows))
        slow: set[int] = set()
        values: dict[str, list] = {}
        for field_name, position, key in self._columns:
            column = columns[position]
            if key == "exam_passed_on":
                self._known_passed(column, slow, values)
                continue
            check = _FAST_CHECKS[key]
            if check is None:  # rarely filled: only an empty cell is quick
                slow.update(i for i, cell in enumerate(column) if cell != "")
                continue
            if check is _CACHED and key in _DAY_KEYS:
                values[field_name] = self._known_days(key, column, slow)
                continue
            if check is _CACHED:
                cache = self._interned if key in ("department", "company") else _SPECIALTY_CELLS
                result = [cache.get(cell) if cell != "" else "" for cell in column]
            else:
                # The whole column at once when it can be; else cell by cell.
                whole = _WHOLE.get(key)
                result = whole(column) if whole is not None else None
                if result is None:
                    result = [check(cell) if type(cell) is str else None for cell in column]
            if None in result:
                slow.update(i for i, v in enumerate(result) if v is None)
            values[field_name] = result
        if len(slow) == count:
            return [None] * count
        defaults = StaffRow("", "")
        fields = [values.get(name) or repeat(getattr(defaults, name), count)
                  for name in _ROW_FIELDS]
        made = list(map(StaffRow, *fields))
        for i in slow:
            made[i] = None
        return made


#: Fields of StaffRow in the order of its constructor.
_ROW_FIELDS = tuple(StaffRow.__dataclass_fields__)
#: Column key -> StaffRow field (the same name but for the registration date).
_FIELDS = {key: key for key in COLUMNS} | {"registration_valid_until": "valid_until"}
_NO_DATE = (None, None)
_CACHED = object()
_MISS = object()
#: Day columns whose cells the batch path takes from the reader's cache.
_DAY_KEYS = ("contact_confirmed_on", "certificate_issued_on")
_FAST_NAME = re.compile(r"[\u4e00-\u9fff]{1,4}")
_FAST_CODE = re.compile(r"[A-Za-z0-9]+")
#: R14a: a mainland mobile number, which normalise_phone stores as it is.
_FAST_PHONE = re.compile(r"1[3-9][0-9]{9}")


#: Joins the cells of a column to test them with one regular expression; it is in no
#: cell that passes, and a cell holding it shows in the count.
_SEP = "\x00"
_NAMES = re.compile(r"[\u4e00-\u9fff]{1,4}(?:\x00[\u4e00-\u9fff]{1,4})*")
_CODES = re.compile(r"[A-Za-z0-9]*(?:\x00[A-Za-z0-9]*)*")
_PHONES = re.compile(r"(?:1[3-9][0-9]{9})?(?:\x00(?:1[3-9][0-9]{9})?)*")
_ID_SHAPES = re.compile(r"[0-9]{17}[0-9X](?:\x00[0-9]{17}[0-9X])*")
#: GB 11643 check characters by (1 - 2 * int(first 17 digits, base 13)) % 11, as stdnum.
_CHECK_CHARS = "0123456789X"
#: Birth dates (YYYYMMDD) found to exist.


def _joined(column: Sequence[object]) -> str | None:
    """The cells joined by _SEP, or None if one is no string or holds _SEP."""
    try:
        text = _SEP.join(column)  # type: ignore[arg-type]
    except TypeError:
        return None
    return text if text.count(_SEP) == len(column) - 1 else None


def _whole_names(column: Sequence[object]) -> Sequence[str] | None:
    """Every cell a name `_fast_name` takes: the cells themselves."""
    text = _joined(column)
    if text is not None and _NAMES.fullmatch(text) and PLACEHOLDERS.isdisjoint(column):
        return column  # type: ignore[return-value]
    return None


def _whole_codes(column: Sequence[object]) -> Sequence[str] | None:
    """Every cell empty or a code `_fast_code` takes: the cells themselves."""
    text = _joined(column)
    if text is not None and _CODES.fullmatch(text) and \
            PLACEHOLDERS.isdisjoint(text.lower().split(_SEP)):
        return column  # type: ignore[return-value]
    return None


def _whole_phones(column: Sequence[object]) -> Sequence[str] | None:
    """Every cell empty or a phone number `_fast_phone` takes: the cells themselves."""
    text = _joined(column)
    return column if text is not None and _PHONES.fullmatch(text) else None  # type: ignore


def _whole_ids(column: Sequence[object]) -> list[str | None] | None:
    """When every cell has the shape of an ID number (17 digits, a digit or X): each
    cell that passes `validate_cell`'s short path — the same tests: province, check
    digit, a birth date that exists — else None for that cell."""
    text = _joined(column)
    if text is None or not _ID_SHAPES.fullmatch(text):
        return None
    provinces, births, check = idcard.PROVINCES, idcard.KNOWN_BIRTH_DATES, _CHECK_CHARS
    return [cell if cell[:2] in provinces
            and check[(1 - 2 * int(cell[:17], 13)) % 11] == cell[17]
            and (cell[6:14] in births or idcard.birth_date_exists(cell[6:14])) else None
            for cell in column]  # type: ignore[index]


def _fast_name(cell: str) -> str | None:
    """A name `clean_name` returns as it is: 1 to 4 Chinese characters."""
    if _FAST_NAME.fullmatch(cell) and cell not in PLACEHOLDERS:
        return cell
    return None


def _fast_id(cell: str) -> str | None:
    """A valid ID number as written (validate_cell's short path), else None."""
    if len(cell) == 18 and cell[17] != "x":
        try:
            if idcard.validate_cell(cell) == cell:
                return cell
        except idcard.InvalidIdNumber:
            pass
    return None


def _fast_code(cell: str) -> str | None:
    """A code `code_text` returns as it is (letters and digits, no placeholder); an
    empty cell is no code."""
    if cell == "":
        return ""
    if _FAST_CODE.fullmatch(cell) and (len(cell) > 4 or cell.lower() not in PLACEHOLDERS):
        return cell
    return None


def _fast_phone(cell: str) -> str | None:
    """A mobile number `clean_phone` keeps as it is (landlines are normalised slowly)."""
    if cell == "":
        return ""
    return cell if _FAST_PHONE.fullmatch(cell) else None


def _fast_text(cell: str) -> str | None:
    """Free text `clean_text` returns as it is (an address): no spaces or marks at the
    ends, no double space, no placeholder."""
    if cell == "":
        return ""
    if cell[0] in _ODD_ENDS or cell[-1] in _ODD_ENDS or cell[0].isspace() or \
            cell[-1].isspace() or "  " in cell or cell in PLACEHOLDERS or \
            (len(cell) <= 4 and cell.isascii()):
        return None
    return cell


#: How the batch path reads a column: a quick test (the cell, or None when the row
#: must be read carefully), _CACHED (only values read once already), or None (only
#: empty cells are quick). Columns in the order `RowReader` applies them.
_FAST_CHECKS = {
    "name": _fast_name,
    "id_number": _fast_id,
    "employee_no": _fast_code,
    "department": _CACHED,
    "company": _CACHED,
    "phone": _fast_phone,
    "specialty": _CACHED,
    "state": None,
    "exam_passed_on": _CACHED,
    "exam_year": None,
    "certificate_no": _fast_code,
    "registration_no": _fast_code,
    "registration_valid_until": None,
    "ce_hours": None,
    "address": _fast_text,
    "contact_confirmed_on": _CACHED,
    "exempt": None,
    "certificate_issued_on": _CACHED,
}
_FAST_KEYS = tuple(_FAST_CHECKS)
#: Tests of a whole column at once (the usual case), before cell by cell.
_WHOLE = {"name": _whole_names, "id_number": _whole_ids, "employee_no": _whole_codes,
          "phone": _whole_phones, "certificate_no": _whole_codes,
          "registration_no": _whole_codes}


def is_blank(cells: Sequence[object]) -> bool:
    for cell in cells:
        if cell is None or cell == "":
            continue
        if type(cell) is not str or cell_text(cell):
            return False
    return True


# --------------------------------------------------------------------------- one file


class Ledger:
    """What earlier rows of the same file said, to refuse duplicates and contradictions.

    The case is person × specialty: a second row with the same ID number and specialty
    is a duplicate. A row with the same ID number and another specialty is the same
    person's second case; it may not contradict what earlier rows said of the person
    (a blank cell contradicts nothing).
    """

    def __init__(self) -> None:
        # id_number -> (first line, *PERSON_KEYS values, specialty); for an ID number seen
        # again, a list ending in {specialty: line} (blanks are filled in by later rows).
        self._seen: dict[str, tuple | list] = {}

    def check(self, line: int, row: StaffRow) -> list[Problem]:
        entry = self._seen.get(row.id_number)
        if entry is None:  # nearly always: one tuple, no other work
            self._seen[row.id_number] = (line, row.name, row.employee_no, row.department,
                                         row.company, row.phone, row.address,
                                         row.contact_confirmed_on, row.specialty)
            return []
        last = len(PERSON_KEYS) + 1
        if isinstance(entry, tuple):
            entry = self._seen[row.id_number] = [*entry[:last], {entry[last]: entry[0]}]
        cases = entry[last]
        if row.specialty in cases:
            first = cases[row.specialty]
            return [Problem("id_number", row.id_number,
                            Text(f"与第 {first} 行重复（同一身份证号、同一专业）",
                                 f"duplicate of line {first} (same ID number and specialty)"))]
        problems = []
        for position, key in enumerate(PERSON_KEYS, start=1):
            new, old = getattr(row, key), entry[position]
            if new and old and new != old:
                label = COLUMNS[key].label
                problems.append(Problem(key, new, Text(
                    f"与第 {entry[0]} 行同一身份证号，但{label.zh}不同（第 {entry[0]} 行为“{old}”）",
                    f"same ID number as line {entry[0]} but another {label.en.lower()}"
                    f" (line {entry[0]} has “{old}”)")))
        if problems:
            return problems
        for position, key in enumerate(PERSON_KEYS, start=1):
            if not entry[position] and getattr(row, key):
                entry[position] = getattr(row, key)
        cases[row.specialty] = line
        return []


def name_conflict(existing_name: str, row: StaffRow) -> Problem | None:
    """The ID number is the person: a different name is not an update but a warning sign
    (a typo in the number, or a change of name that needs its own record, R10)."""
    if existing_name == row.name:
        return None
    return Problem("name", row.name, Text(
        f"该身份证号已登记为“{existing_name}”，与本行姓名不符：请核对身份证号；"
        "如确已改名，请用“个人信息变更”（change_personal_data）登记",
        f"this ID number is on record as “{existing_name}”, not this name: check the number; "
        "a real change of name is recorded with change_personal_data"))


# --------------------------------------------------------------------------- errors sheet

def sheet_cell(value: str) -> str:
    """A cell for the errors sheet the officer opens in Excel.

    Formulas are neutralised with an apostrophe; long digit strings (ID numbers) get a
    leading tab so that Excel keeps them as text instead of rounding them — the damage
    this import reports. Both marks are removed again when the sheet is re-imported.
    """
    if value.startswith(FORMULA_TRIGGERS):
        return neutralise(value)
    if len(value) >= 12 and value.isdigit():
        return "\t" + value
    return value
