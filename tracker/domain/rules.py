"""The configurable figures of the process and the date arithmetic built on them.

Defaults come from docs/domain.md ("Configurable rules"). The notices and
deadlines work loads overrides from TOML; this module only knows the figures and dates.
"""
from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import date, timedelta
from typing import Any

from .text import Text


@dataclass(frozen=True)
class Rules:
    #: R2: all subjects within this many consecutive exam years.
    exam_window_years: int = 2
    #: R9 / 注册建造师管理规定: a registration is valid this many years from approval.
    registration_validity_years: int = 3
    #: Renewal must be applied for at least this many days before expiry.
    renewal_cutoff_days: int = 30
    #: The sweep opens renewal (registered -> renewal_due) this many days before expiry.
    renewal_window_days: int = 90
    #: A first registration later than this many years after the certificate needs CE proof.
    first_registration_ce_years: int = 3
    #: R9c: continuing-education hours required per registration period, and where that
    #: figure comes from. Shipped unset: for Grade 2 each province sets its own figure (the
    #: national 120 学时 is Grade 1's); until the officer sets both, every output says the
    #: requirement is not configured and the renewal guard does not count hours.
    ce_hours_required: float | None = None
    ce_hours_source: str = ""
    #: Reminder stages before an ordinary deadline, in days.
    reminder_stages: tuple[int, ...] = field(default=(30, 7, 1))
    #: Reminder stages before a registration expires, in days.
    expiry_reminder_stages: tuple[int, ...] = field(default=(90, 60, 30))
    #: Automatic snapshots (before imports and bulk events) kept in backups/.
    backups_keep: int = 10
    #: R5a: an electronic certificate not downloaded this many days after it was published
    #: is flagged (check the review result, then ask 上海市职业能力考试院).
    certificate_stale_days: int = 30
    #: R14a: phone and address not confirmed with the person for this many months are
    #: flagged (the authority's text messages go there).
    contact_stale_months: int = 12
    #: R15: from this month on, remind, sweep and the dashboard say when next year's
    #: holiday arrangement is not known yet (the State Council publishes it in Nov/Dec).
    calendar_warning_month: int = 10
    #: Limits of what one import reads (issue 17: a hostile or broken file must be refused
    #: at once, not exhaust memory or time). The largest file an import reads, and the
    #: largest size any part of an Excel workbook (a sheet, its shared strings) may unzip
    #: to, in MB (1 MB = 1,048,576 bytes).
    import_max_mb: int = 200
    #: The most characters one cell may hold (Excel's own limit for a cell: 32,767).
    import_max_cell_chars: int = 32_767
    #: The most rows (lines after the header, blank ones included) one import reads.
    import_max_rows: int = 200_000

    @classmethod
    def names(cls) -> list[str]:
        return [f.name for f in fields(cls)]


DEFAULT_RULES = Rules()

#: What each rule means, for `tracker rules` and the rules file's error messages.
RULE_LABELS: dict[str, Text] = {
    "exam_window_years": Text("考试成绩滚动周期（连续考试年度数，R2）",
                              "Exam window (consecutive exam years, R2)"),
    "registration_validity_years": Text("注册有效期（年，延续注册自原到期日起算）",
                                        "Registration validity (years; a renewal runs from "
                                        "the old expiry)"),
    "renewal_cutoff_days": Text("延续注册须在到期前至少多少天申请",
                                "Renewal must be applied for this many days before expiry"),
    "renewal_window_days": Text("到期前多少天进入待延续注册（自动巡检）",
                                "Renewal opens this many days before expiry (sweep)"),
    "first_registration_ce_years": Text("取得证书超过多少年初始注册需继续教育证明",
                                        "Years after the certificate beyond which a first "
                                        "registration needs CE proof"),
    "ce_hours_required": Text("每个注册周期须完成的继续教育学时（未设置：未配置，R9c）",
                              "Continuing-education hours required per registration period "
                              "(unset: not configured, R9c)"),
    "ce_hours_source": Text("上述学时要求的来源（文件名、文号）",
                            "Where that requirement comes from (document, reference no.)"),
    "reminder_stages": Text("一般期限的提醒阶段（到期前天数）",
                            "Reminder stages before a deadline (days)"),
    "expiry_reminder_stages": Text("注册到期的提醒阶段（到期前天数）",
                                   "Reminder stages before registration expiry (days)"),
    "backups_keep": Text("保留的自动备份份数（导入、批量操作前自动备份）",
                         "Automatic snapshots kept (taken before imports and bulk events)"),
    "certificate_stale_days": Text("证书发布后多少天仍未领取即提醒（R5a）",
                                   "Days after publication before an uncollected certificate "
                                   "is flagged (R5a)"),
    "contact_stale_months": Text("联系方式多少个月未确认即提醒（R14a）",
                                 "Months after which unconfirmed contact data is flagged "
                                 "(R14a)"),
    "calendar_warning_month": Text("从几月起提醒录入下一年的节假日安排（R15，1–12）",
                                   "From this month on, warn that next year's holiday "
                                   "arrangement is not recorded (R15, 1–12)"),
    "import_max_mb": Text("导入可读取的最大文件（MB）；Excel 工作簿中每个部分（工作表、共享字符串）"
                          "解压后也不得超过此大小",
                          "Largest file an import reads (MB); no part of an Excel workbook "
                          "(a sheet, its shared strings) may unzip to more"),
    "import_max_cell_chars": Text("导入文件中一个单元格最多的字符数（Excel 本身的上限是 32767）",
                                  "Most characters in one cell of an imported file (Excel's "
                                  "own limit is 32,767)"),
    "import_max_rows": Text("一次导入最多读取的行数（表头以下，含空行）",
                            "Most rows one import reads (below the header, blank ones "
                            "included)"),
}


class RuleError(ValueError):
    """A rule value that cannot be used; `reason` says why in both languages."""

    def __init__(self, name: str, reason: Text):
        super().__init__(f"{name}: {reason.en}")
        self.name, self.reason = name, reason


def _int(name: str, value: Any, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise RuleError(name, Text(f"{name} 应为整数：{value!r}",
                                   f"{name} must be a whole number: {value!r}"))
    if value < minimum:
        raise RuleError(name, Text(f"{name} 不能小于 {minimum}：{value}",
                                   f"{name} must be at least {minimum}: {value}"))
    return value


def coerce_rule(name: str, value: Any) -> Any:
    """The value of rule `name` as the Rules dataclass holds it, or RuleError."""
    if name not in RULE_LABELS:
        raise RuleError(name, Text(f"未知规则：{name}（可用：{', '.join(RULE_LABELS)}）",
                                   f"unknown rule: {name} (known: {', '.join(RULE_LABELS)})"))
    if name in ("reminder_stages", "expiry_reminder_stages"):
        if not isinstance(value, (list, tuple)):
            raise RuleError(name, Text(f"{name} 应为天数列表，例如 [30, 7, 1]：{value!r}",
                                       f"{name} must be a list of days, e.g. [30, 7, 1]: "
                                       f"{value!r}"))
        days = [_int(name, item, 1) for item in value]
        # Largest first, each once: the order the alarms go off in.
        return tuple(sorted(set(days), reverse=True))
    if name == "ce_hours_required":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise RuleError(name, Text(f"{name} 应为数字：{value!r}",
                                       f"{name} must be a number: {value!r}"))
        if value < 0:
            raise RuleError(name, Text(f"{name} 不能为负数", f"{name} cannot be negative"))
        if not math.isfinite(value):  # TOML writes inf and nan
            raise RuleError(name, Text(f"{name} 应为有限的数字：{value!r}",
                                       f"{name} must be a finite number: {value!r}"))
        return float(value)
    if name == "ce_hours_source":
        if not isinstance(value, str):
            raise RuleError(name, Text(f"{name} 应为文字（用引号括起）：{value!r}",
                                       f"{name} must be text (in quotes): {value!r}"))
        return value.strip()
    if name == "calendar_warning_month":
        month = _int(name, value, 1)
        if month > 12:
            raise RuleError(name, Text(f"{name} 应为月份 1–12：{value}",
                                       f"{name} must be a month, 1–12: {value}"))
        return month
    minimum = 1 if name in ("exam_window_years", "registration_validity_years",
                            "backups_keep", "certificate_stale_days",
                            "contact_stale_months", "import_max_mb", "import_max_cell_chars",
                            "import_max_rows") else 0
    return _int(name, value, minimum)


def rules_with(base: Rules, values: Mapping[str, Any]) -> Rules:
    """`base` with `values` applied, each checked; raises RuleError on the first bad one."""
    changes = {name: coerce_rule(name, value) for name, value in values.items()}
    rules = replace(base, **changes)
    if rules.renewal_window_days < rules.renewal_cutoff_days:
        raise RuleError("renewal_window_days", Text(
            f"renewal_window_days（{rules.renewal_window_days}）不能小于 renewal_cutoff_days"
            f"（{rules.renewal_cutoff_days}）：否则延续注册在申请截止后才开放",
            f"renewal_window_days ({rules.renewal_window_days}) cannot be less than "
            f"renewal_cutoff_days ({rules.renewal_cutoff_days}): renewal would open after "
            "its cut-off"))
    if rules.ce_hours_required is not None and not rules.ce_hours_source:
        raise RuleError("ce_hours_source", Text(
            "设置了 ce_hours_required 就必须同时写明 ce_hours_source（学时要求的来源，如文件文号）："
            "不能把没有出处的数字当作正式要求",
            "ce_hours_required needs ce_hours_source too (where the figure comes from, e.g. "
            "the document's reference number): a figure without a source is not presented "
            "as the requirement"))
    return rules


_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def iso_day(value: Any) -> date | None:
    """A stored day: the first ten characters when they are a real ISO day, else None.

    Years before 1000 are not days of this process (and would overflow the arithmetic).
    """
    if not value:
        return None
    if isinstance(value, date):
        return value if value.year >= 1000 else None
    text = str(value)[:10]
    if not _ISO_DAY.fullmatch(text) or text < "1000":
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it has no such day
    (31 January + 1 month = 28 or 29 February)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    first_of_next = date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1)
    last = (first_of_next - timedelta(days=1)).day
    return date(year, month + 1, min(day.day, last))


def add_years(day: date, years: int) -> date:
    """The same calendar day `years` later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def registration_valid_until(valid_from: date, rules: Rules = DEFAULT_RULES) -> date:
    """Last valid day of a registration approved on `valid_from` (e.g. 2026-05-10 -> 2029-05-09)."""
    return add_years(valid_from, rules.registration_validity_years) - timedelta(days=1)


def renewal_valid_until(old_valid_until: date, rules: Rules = DEFAULT_RULES) -> date:
    """A renewal extends the validity from the old expiry, not from the approval date."""
    return add_years(old_valid_until, rules.registration_validity_years)


def renewal_opens_on(valid_until: date, rules: Rules = DEFAULT_RULES) -> date:
    return valid_until - timedelta(days=rules.renewal_window_days)


def renewal_cutoff(valid_until: date, rules: Rules = DEFAULT_RULES) -> date:
    """R9a: the last day on which the renewal can still be applied for, that day included
    (expiry 2026-05-31, 30 days -> 2026-05-01); from the next day on it is late."""
    return valid_until - timedelta(days=rules.renewal_cutoff_days)


def renewal_is_late(valid_until: date, today: date, rules: Rules = DEFAULT_RULES) -> bool:
    """R9a: an application on `today` comes after the cut-off day."""
    return today > renewal_cutoff(valid_until, rules)


def needs_ce_proof_for_first_registration(
    issued_on: date, today: date, rules: Rules = DEFAULT_RULES
) -> bool:
    """R7a: a first registration more than N years after the certificate's issue date
    (发证日期, printed on it) needs continuing-education proof. The caller refuses an
    unknown issue date rather than treating it as recent."""
    return add_years(issued_on, rules.first_registration_ce_years) < today
