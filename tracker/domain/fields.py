"""The one vocabulary of a case's data: what each field is called, in Chinese and English.

`tracker show`, the dashboard, the status sheet, the register's column headers, the
history ("what was recorded"), the importer's column names and the event forms all
take a field's name from here, so the same datum is called the same everywhere.
"""
from __future__ import annotations

from .text import Text

LABELS: dict[str, Text] = {
    # the case and the person
    "case_id": Text("案件", "Case"),
    "name": Text("姓名", "Name"),
    "employee_no": Text("工号", "Employee no."),
    "id_number": Text("身份证号", "ID number"),
    "company": Text("公司", "Company"),
    "department": Text("部门", "Department"),
    "phone": Text("手机", "Phone"),
    "specialty": Text("专业", "Specialty"),
    "stage": Text("阶段", "Stage"),
    "state_label": Text("状态", "Status"),
    "state": Text("状态代码", "State key"),
    # exam and review
    "exam_year": Text("考试年度", "Exam year"),
    "exam_passed_on": Text("考试合格日期", "Exam passed on"),
    "subjects": Text("合格科目", "Subjects passed"),
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
    "certificate_date": Text("取得证书日期", "Certificate date"),
    "channel": Text("领取渠道", "Channel"),
    "channel_proxy": Text("委托他人代领", "Collected by proxy"),
    # registration and renewal
    "employer": Text("聘用单位", "Employer"),
    "registration_applied_on": Text("注册申请日期", "Registration applied on"),
    "registration_no": Text("注册证书编号", "Registration no."),
    "valid_from": Text("注册有效期起", "Valid from"),
    "valid_until": Text("注册有效期至", "Valid until"),
    "ce_hours": Text("继续教育学时", "CE hours"),
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
