"""A case's data: what each field is called (the one vocabulary, in Chinese and English),
and the values an event can record (`--set name=value`) with how each is read.

`tracker show`, the dashboard, the status sheet, the register's column headers, the
history ("what was recorded"), the importer's column names and the event forms all
take a field's name from here, so the same datum is called the same everywhere.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from . import reference
from .contact import InvalidPhone, normalise_phone
from .text import Text

LABELS: dict[str, Text] = {
    # the case and the person
    "case_id": Text("案件", "Case"),
    "name": Text("姓名", "Name"),
    "employee_no": Text("工号", "Employee no."),
    "id_number": Text("身份证号", "ID number"),
    "company": Text("公司", "Company"),
    "department": Text("部门", "Department"),
    "phone": Text("电话", "Phone"),
    "address": Text("通讯地址", "Postal address"),
    "contact_confirmed_on": Text("联系方式确认日期", "Contact data confirmed on"),
    "specialty": Text("专业", "Specialty"),
    "stage": Text("阶段", "Stage"),
    "state_label": Text("状态", "Status"),
    "state": Text("状态代码", "State key"),
    # exam and review
    "exam_year": Text("考试年度", "Exam year"),
    "exam_passed_on": Text("考试合格日期", "Exam passed on"),
    "subjects": Text("合格科目", "Subjects passed"),
    "exempt": Text("免考科目", "Exempt subjects"),
    "failed_subjects": Text("未通过科目", "Subjects not passed"),
    "absent": Text("缺考", "Absent"),
    "voided": Text("作废的合格成绩", "Passes no longer valid"),
    "sitting": Text("考试日期", "Exam sitting"),
    "review_deadline": Text("复核截止日", "Review deadline"),
    "submitted_on": Text("提交日期", "Submitted on"),
    "review_submitted_on": Text("复核材料提交日期", "Review evidence submitted on"),
    "review_result_on": Text("复核结果日期", "Review result on"),
    # the qualification certificate
    "certificate_available_on": Text("证书可领取日期", "Certificate available on"),
    "paper_opens": Text("纸质证书领取开始", "Paper collection opens"),
    "paper_closes": Text("纸质证书领取截止", "Paper collection closes"),
    "appointment": Text("预约时段", "Appointment"),
    "certificate_no": Text("资格证书编号", "Certificate no."),
    # R7a: the day printed on the certificate decides the first registration; the day it
    # was downloaded or collected is only when it came into hand.
    "certificate_issued_on": Text("发证日期", "Certificate issued on"),
    "certificate_date": Text("证书下载或领取日期", "Certificate downloaded or collected on"),
    "channel": Text("领取渠道", "Channel"),
    "channel_proxy": Text("委托他人代领", "Collected by proxy"),
    "postage": Text("邮寄费", "Postage"),
    "paper_collected_on": Text("纸质证书领取日期", "Paper certificate collected on"),
    "correction_open": Text("证书信息更正中", "Certificate correction open"),
    # registration and renewal
    "employer": Text("聘用单位", "Employer"),
    "registration_applied_on": Text("注册申请日期", "Registration applied on"),
    "registration_no": Text("注册证书编号", "Registration no."),
    "approved_on": Text("注册批准日期", "Approved on"),
    "valid_from": Text("注册有效期起", "Valid from"),
    "valid_until": Text("注册有效期至", "Valid until"),
    "period_from": Text("本期起算日", "Current period counted from"),
    "seal_no": Text("执业印章编号", "Practice seal no."),
    "seal_made_on": Text("执业印章刻制日期", "Practice seal made on"),
    "late": Text("逾期申请", "Late application"),
    "deregistered_on": Text("注销日期", "Deregistered on"),
    "ce_hours": Text("继续教育学时（合计登记）", "CE hours (recorded total)"),
    "ce_period_hours": Text("本注册期继续教育学时", "CE hours this period"),
    # bookkeeping and what is computed when read
    "updated_at": Text("更新时间", "Updated"),
    "deadline_kind": Text("期限", "Deadline"),
    "due_on": Text("到期日", "Due on"),
    "next_deadline": Text("下一期限", "Next deadline"),
    "next_deadline_on": Text("下一期限日期", "Next deadline on"),
    "days_left": Text("剩余天数", "Days left"),
}


def label(key: str) -> Text:
    """The name of field `key` (the key itself for a field this vocabulary lacks)."""
    return LABELS.get(key) or Text(key, key)


# --------------------------------------------------------------------------- event data


@dataclass(frozen=True)
class Field:
    """A value an event can record (`--set name=value`), with its type; its name in both
    languages comes from the one vocabulary (`tracker.domain.fields`)."""

    name: str
    kind: str  # date | datetime | text | bool | number | int | subjects | channel | phone
    required: bool = False

    @property
    def label(self) -> Text:
        return label(self.name)


class DataError(ValueError):
    """A `--set` value that does not parse; carries its reason in both languages."""

    def __init__(self, reason: Text):
        super().__init__(reason.en)
        self.reason = reason


FIELDS: dict[str, Field] = {
    f.name: f
    for f in (
        Field("exam_year", "int"),
        Field("subjects", "subjects"),
        Field("review_deadline", "date"),
        Field("submitted_on", "date"),
        Field("appointment", "datetime"),
        Field("certificate_no", "text"),
        Field("certificate_date", "date"),
        Field("certificate_issued_on", "date"),
        Field("approved_on", "date"),
        Field("seal_no", "text", required=True),
        Field("seal_made_on", "date"),
        Field("late", "bool"),
        Field("deregistered_on", "date"),
        Field("channel_proxy", "bool"),
        Field("employer", "text"),
        Field("registration_no", "text"),
        Field("valid_from", "date"),
        Field("valid_until", "date"),
        Field("ce_hours", "number"),
        Field("name", "text"),
        Field("id_number", "text"),
        Field("channel", "channel"),
        Field("exempt", "subjects"),
        Field("failed_subjects", "subjects"),
        Field("absent", "bool"),
        Field("postage", "number"),
        Field("phone", "phone"),
        Field("address", "text"),
        Field("contact_confirmed_on", "date"),
    )
}

#: Fields any event may also record with `--set` (data that is kept up to date over time;
#: the exemptions (免考) are recorded on any event, R2a; the certificate's issue date as
#: soon as it is known, R7a).
GENERAL_FIELDS = ("employer", "ce_hours", "certificate_no", "exempt", "certificate_issued_on")

_TRUE = {"1", "true", "yes", "y", "是", "对", "on"}
_FALSE = {"0", "false", "no", "n", "否", "off", ""}


#: Every date the tracker takes lies in these years: a career, a notice and a pinned
#: "today" all do, and the date arithmetic of the rules stays far from date.max.
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2100, 12, 31)


def check_day(day: date, text: str = "") -> date:
    """`day`, or DataError when it lies outside FIRST_DAY … LAST_DAY."""
    if FIRST_DAY <= day <= LAST_DAY:
        return day
    shown = text or day.isoformat()
    raise DataError(Text(f"日期超出范围：{shown!r}（应在 1900-01-01 至 2100-12-31 之间）",
                         f"date out of range: {shown!r} (must lie between 1900-01-01 and"
                         " 2100-12-31)"))


def parse_date(value: str) -> date:
    text = str(value).strip()
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d"):
        try:
            day = datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        return check_day(day, text)
    raise DataError(Text(f"日期无效：{text!r}（应为 YYYY-MM-DD）",
                         f"invalid date: {text!r} (expected YYYY-MM-DD)"))


def parse_datetime(text: str) -> str:
    for fmt in ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d"):
        try:
            moment = datetime.strptime(text, fmt)
        except ValueError:
            continue
        check_day(moment.date(), text)
        return moment.strftime(fmt.replace("T", " "))
    raise DataError(Text(f"时间无效：{text!r}（应为 YYYY-MM-DD HH:MM）",
                         f"invalid time: {text!r} (expected YYYY-MM-DD HH:MM)"))


def parse_value(fld: Field, raw: str) -> Any:
    """Turn the text of `--set name=raw` into the stored value, or raise DataError."""
    text = str(raw).strip()
    if fld.kind == "date":
        return parse_date(text).isoformat()
    if fld.kind == "datetime":
        return parse_datetime(text)
    if fld.kind == "bool":
        low = text.lower()
        if low in _TRUE:
            return True
        if low in _FALSE:
            return False
        raise DataError(Text(f"{fld.label.zh} 应为 是/否（true/false）：{text!r}",
                             f"{fld.label.en} must be true or false: {text!r}"))
    if fld.kind in ("number", "int"):
        try:
            number = float(text) if fld.kind == "number" else int(text)
        except ValueError:
            raise DataError(Text(f"{fld.label.zh} 应为数字：{text!r}",
                                 f"{fld.label.en} must be a number: {text!r}")) from None
        if number < 0:
            raise DataError(Text(f"{fld.label.zh} 不能为负数", f"{fld.label.en} cannot be negative"))
        if number != number or number in (float("inf"), float("-inf")):
            raise DataError(Text(f"{fld.label.zh} 应为有限的数字：{text!r}",
                                 f"{fld.label.en} must be a finite number: {text!r}"))
        return number
    if fld.kind == "subjects":
        if text.lower() in ("all", "全部"):
            return list(reference.SUBJECTS)
        keys = []
        for part in text.replace("，", ",").split(","):
            key = reference.resolve(reference.SUBJECTS, part)
            if key is None:
                names = ", ".join(reference.SUBJECTS)
                raise DataError(Text(f"未知科目：{part!r}（可用：{names}、all）",
                                     f"unknown subject: {part!r} (use: {names}, all)"))
            keys.append(key)
        return keys
    if fld.kind == "channel":
        key = reference.resolve(reference.CHANNELS, text)
        if key is None:
            names = ", ".join(reference.CHANNELS)
            raise DataError(Text(f"未知渠道：{text!r}（可用：{names}）",
                                 f"unknown channel: {text!r} (use: {names})"))
        return key
    if fld.kind == "phone":
        try:
            return normalise_phone(text)
        except InvalidPhone as error:
            raise DataError(error.reason) from None
    if not text and fld.required:
        raise DataError(Text(f"{fld.label.zh} 不能为空", f"{fld.label.en} cannot be empty"))
    return text
