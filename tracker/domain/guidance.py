"""What to do next, for every state of a case — written from the source guide.

The status sheet (exports) and the dashboard show the same advice, so it lives here, in
the domain, as `Text` in both languages with the rule ids of docs/domain.md it
rests on. It names the places and platforms the guide names: 上海一网通办 / 随申办 →
我的证照 / 电子证照 for the electronic certificate (R5); the city-level hall
上海市人事考试业务受理大厅, by appointment, for paper — never a Minhang district office
(R6, R12); the employer on 建设工程企业资质和从业人员监管平台 for registration (R7).

Nothing here invents a date: dates come from the case (which got them from an official
notice, R4) and from the configurable rules.

API::

    next_steps(state, case_row=None, *, today, materials=None, rules=DEFAULT_RULES)
    RULE_TITLES["R5"] -> Text
"""
from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from . import reference
from .rules import DEFAULT_RULES, Rules, add_years, exam_window_years
from .text import Text
from .workflow import REVIEW_EVIDENCE, STATES

#: What a step is: something to do, a warning to heed, or a fact worth knowing.
ACTION, WARNING, INFO = "action", "warning", "info"


@dataclass(frozen=True)
class Step:
    """One piece of advice: a title, a paragraph, optional bullet items, and its rules."""

    title: Text
    body: Text
    rules: tuple[str, ...] = ()
    items: tuple[Text, ...] = ()
    kind: str = ACTION

    def to_dict(self, lang: str) -> dict[str, Any]:
        return {"title": self.title.get(lang), "body": self.body.get(lang),
                "items": [i.get(lang) for i in self.items], "rules": list(self.rules),
                "kind": self.kind}


#: Short titles of the rules cited (docs/domain.md), for a legend under the advice.
RULE_TITLES: dict[str, Text] = {
    "R1": Text("资格证书与注册证书是两本不同的证书", "Qualification and registration are two certificates"),
    "R2": Text("连续两个考试年度内通过全部科目", "All subjects within two consecutive exam years"),
    "R3": Text("考后资格复核：截止日前提交材料", "Post-exam review: evidence before the deadline"),
    "R4": Text("只以上海市职业能力考试院的官方通知为准", "Only the official notice counts"),
    "R5": Text("电子证书：一网通办 / 随申办", "Electronic certificate: 一网通办 / 随申办"),
    "R6": Text("纸质证书：市级受理大厅预约领取", "Paper certificate: city-level hall, by appointment"),
    "R7": Text("注册：由聘用单位在监管平台申请", "Registration: the employer applies on the platform"),
    "R8": Text("证书妥善保管、多处备份", "Keep certificates safe, backed up"),
    "R9": Text("继续教育是延续注册的条件", "Continuing education is a condition for renewal"),
    "R10": Text("姓名、身份证号变更向发证机关申请", "Name or ID changes go to the issuing authority"),
    "R11": Text("证书遗失或损坏可补办", "Lost or damaged certificates can be reissued"),
    "R12": Text("闵行区考生按市级统一安排，区级部门不发证", "Minhang follows the city: districts do not issue"),
    "R13": Text("谨防诈骗，只认官方平台", "Beware of fraud: official platforms only"),
    "R14": Text("保持联系电话和地址有效", "Keep phone number and address valid"),
}

# --------------------------------------------------------------------------- shared advice

FRAUD = Step(
    Text("谨防诈骗", "Beware of fraud"),
    Text("只相信上海市人力资源和社会保障局官网、上海市职业能力考试院官网和“上海一网通办”发布的信息；"
         "不要轻信个人短信、陌生电话或不明链接。凡是“交钱包过”“高价代领证书”“内部渠道提前拿证”都是诈骗。"
         "领证除可选的邮寄费外不收任何费用。",
         "Trust only the official sites (上海市人力资源和社会保障局, 上海市职业能力考试院) and "
         "“上海一网通办”; not private text messages, unknown callers or links. Offers to "
         "“pay and pass”, “collect the certificate for a high fee” or “get it early through an "
         "inside channel” are fraud. Apart from an optional postage fee, collecting the "
         "certificate costs nothing."),
    ("R13", "R4"), kind=WARNING)

CONTACT = Step(
    Text("保持联系方式有效", "Keep contact data valid"),
    Text("报名时填写的手机号和通讯地址要保持有效：复核补充材料、纸质证书领取方式调整等重要通知可能以短信发送。"
         "“一网通办”上的个人信息也要及时更新。",
         "The phone number and address given at exam registration must stay valid: the "
         "authority may send text messages about review supplements or changed collection "
         "arrangements. Keep the personal data on “一网通办” up to date too."),
    ("R14",), kind=INFO)

CITY_LEVEL = Step(
    Text("按市级统一安排办理", "Follow the city-level arrangements"),
    Text("资格证书由上海市统一发放。闵行区人社局、闵行区建管委等区级部门不制作、不发放证书，"
         "请勿前往区级窗口领证。",
         "Certificates are issued by the city of Shanghai. District offices (闵行区人社局, "
         "闵行区建管委) neither make nor hand out certificates: do not go to a district "
         "counter to collect one."),
    ("R12", "R4"), kind=INFO)

SAFEKEEPING = Step(
    Text("妥善保管证书", "Keep the certificates safe"),
    Text("电子证书（PDF）在不止一处备份（如公司档案盘和个人邮箱）；纸质证书放在安全、干燥处，并拍照或扫描留存。"
         "打印件可用于多数场合，需要验真时出示带二维码的电子原件。",
         "Back up the electronic certificate (PDF) in more than one place (e.g. the company "
         "archive and the person's mailbox); keep a paper certificate dry and safe, and scan "
         "or photograph it. A print-out serves most purposes; show the electronic original "
         "with its QR code when it has to be verified."),
    ("R8", "R5"), kind=INFO)

LOSS_OR_CHANGE = Step(
    Text("信息变更或遗失", "Changes of data, loss"),
    Text("姓名、身份证号变更：凭公安机关出具的变更证明向发证机关申请资格证书信息变更。"
         "纸质证书遗失或损坏可申请补办，现在一般补发电子证书或电子证明；具体流程以上海市职业能力考试院规定为准。",
         "A change of name or ID number is applied for at the issuing authority with the "
         "police certificate of the change. A lost or damaged paper certificate can be "
         "reissued, nowadays usually as an electronic certificate or proof; the procedure is "
         "set by 上海市职业能力考试院."),
    ("R10", "R11"), kind=INFO)



def _labels(keys: Iterable[str]) -> tuple[Text, ...]:
    return tuple(reference.MATERIALS[k] for k in keys)


def _missing_line(keys: Iterable[str], materials: Iterable[str] | None) -> Text | None:
    """'Still missing: …' for the keys not received, or None (also when unknown)."""
    if materials is None:
        return None
    received = set(materials)
    lacking = [reference.MATERIALS[k] for k in keys if k not in received]
    if not lacking:
        return Text("材料已齐。", "All of these are in hand.")
    return Text("尚缺：" + "、".join(t.zh for t in lacking) + "。",
                "Still missing: " + ", ".join(t.en for t in lacking) + ".")


def _date(row: Mapping[str, Any] | None, key: str) -> date | None:
    value = (row or {}).get(key)
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _join(*parts: Text | None) -> Text:
    present = [p for p in parts if p is not None]
    return Text("".join(p.zh for p in present), " ".join(p.en for p in present))


# --------------------------------------------------------------------------- per state

Advice = Callable[[dict, "set[str] | None", Rules, date], list[Step]]
#: The advice for each `State.guidance` key.
ADVICE: dict[str, Advice] = {}


def advice(key: str) -> Callable[[Advice], Advice]:
    """Register the advice builder of a guidance key."""
    def register(builder: Advice) -> Advice:
        ADVICE[key] = builder
        return builder

    return register



@advice("exam_partial")
def _exam_partial(row, materials, rules, today):
    subjects = (row or {}).get("subjects")
    if isinstance(subjects, str):
        try:
            subjects = json.loads(subjects) if subjects else {}
        except ValueError:
            subjects = {}
    subjects = dict(subjects or {})
    remaining = [reference.SUBJECTS[s] for s in reference.SUBJECTS if s not in subjects]
    detail = None
    if subjects:
        latest = max(int(y) for y in subjects.values())
        window = exam_window_years(latest, rules)
        last_year = min(int(y) for y in subjects.values()) + rules.exam_window_years - 1
        detail = Text(f"已合格科目的有效年度：{window.start}–{window.stop - 1}；"
                      f"其余科目须在 {last_year} 年度考试中通过，否则最早的合格成绩作废。",
                      f"Passes count for exam years {window.start}–{window.stop - 1}; the "
                      f"remaining subjects must be passed by the {last_year} exam, or the "
                      f"oldest pass no longer counts.")
    return [
        Step(Text("在两个连续考试年度内通过其余科目", "Pass the remaining subjects within the window"),
             _join(Text("全部三个科目（或未免考的科目）必须在连续两个考试年度内通过。",
                        "All three subjects (or those not exempted) must be passed within "
                        "two consecutive exam years."), detail),
             ("R2",), items=tuple(remaining)),
        CONTACT, FRAUD,
    ]


@advice("exam_passed")
def _exam_passed(row, materials, rules, today):
    return [
        Step(Text("关注考后资格复核通知", "Watch for the post-exam review notice"),
             Text("复核通知只在上海市职业能力考试院官网（或上海市人社局官网）发布，会写明提交材料的方式和截止日。"
                  "通知发布后，在本系统执行“开始资格复核”并录入截止日。",
                  "The review notice is published only on the site of 上海市职业能力考试院 "
                  "(or of 上海市人社局); it states how to submit and the deadline. When it is "
                  "out, record it here with “Open review” and the deadline."),
             ("R3", "R4")),
        Step(Text("提前准备复核材料", "Prepare the review evidence now"),
             _join(Text("复核审查学历、专业和工作年限；通常需提交以下材料的扫描件或现场核验。",
                        "The review checks education, major and years of work; it usually "
                        "asks for scans of the following, or an in-person check."),
                   _missing_line(REVIEW_EVIDENCE, materials)),
             ("R3",), items=_labels(REVIEW_EVIDENCE)),
        CONTACT, FRAUD,
    ]


@advice("review_pending")
def _review_pending(row, materials, rules, today):
    deadline = _date(row, "review_deadline")
    when = (Text(f"截止日：{deadline.isoformat()}。", f"Deadline: {deadline.isoformat()}.")
            if deadline else Text("截止日以复核通知为准。", "The deadline is the one in the notice."))
    return [
        Step(Text("在截止日前提交复核材料", "Submit the review evidence before the deadline"),
             _join(when, Text("按通知要求上传扫描件或到现场核验。", "Upload scans or attend the "
                              "in-person check as the notice says."),
                   _missing_line(REVIEW_EVIDENCE, materials)),
             ("R3", "R4"), items=_labels(REVIEW_EVIDENCE)),
        Step(Text("未参加复核就不能领证", "No review, no certificate"),
             Text("复核未通过或未参加复核的，即使考试全部合格也不能领取资格证书。",
                  "Whoever fails the review or does not take part gets no certificate, even "
                  "with every exam passed."),
             ("R3",), kind=WARNING),
        CONTACT, FRAUD,
    ]


@advice("review_submitted")
def _review_submitted(row, materials, rules, today):
    return [
        Step(Text("等待复核结果", "Wait for the review result"),
             Text("留意上海市职业能力考试院的通知和短信；如要求补充材料，按时补交。"
                  "结果公布后，在本系统记录“复核通过”或“复核未通过”。",
                  "Watch the notices of 上海市职业能力考试院 and text messages; if supplements "
                  "are requested, hand them in on time. When the result is out, record "
                  "“Pass review” or “Fail review” here."),
             ("R3", "R4", "R14")),
        CONTACT, FRAUD,
    ]


@advice("review_passed")
def _review_passed(row, materials, rules, today):
    return [
        Step(Text("关注证书发放通知", "Watch for the certificate notice"),
             Text("复核通过即列入准予发证名单。上海市职业能力考试院会发布《二级建造师资格考试合格证书（电子证书）发放的通知》，"
                  "写明电子证书上线时间和纸质证书领取安排。通知发布后，在本系统执行“证书发布”。",
                  "A passed review puts the person on the issuance list. 上海市职业能力考试院 "
                  "publishes the notice on issuing the certificates (electronic certificates), "
                  "with when they go online and how paper ones are collected. When it is out, "
                  "record “Publish certificate” here."),
             ("R4", "R5")),
        Step(Text("提前准备“一网通办”实名账号", "Get the 一网通办 account ready"),
             Text("本人在“上海一网通办”或“随申办”完成实名认证，账号上的姓名和身份证号必须与报名信息完全一致。",
                  "The person needs a real-name verified account on “上海一网通办” or "
                  "“随申办”, whose name and ID number match the exam registration exactly."),
             ("R5",)),
        CITY_LEVEL, CONTACT, FRAUD,
    ]


@advice("certificate_available")
def _certificate_available(row, materials, rules, today):
    appointment = (row or {}).get("appointment")
    booked = (Text(f"已预约：{appointment}。", f"Booked: {appointment}.")
              if appointment else None)
    return [
        Step(Text("下载电子证书（推荐）", "Download the electronic certificate (recommended)"),
             Text("电子证书与纸质证书具有同等法律效力。登录“上海一网通办”（网页）或“随申办”APP / 微信小程序，"
                  "进入“我的证照”/“电子证照”，找到“二级建造师执业资格证书”，查看并下载 PDF，可打印。"
                  "下载后在本系统执行“下载电子证书”。",
                  "The electronic certificate has the same legal force as paper. Log in to "
                  "“上海一网通办” (web) or the “随申办” app / WeChat mini program, open "
                  "“我的证照” / “电子证照” (my licences), find “二级建造师执业资格证书”, view it "
                  "and download the PDF; it can be printed. Then record “Download "
                  "e-certificate” here."),
             ("R5",),
             items=(Text("账号须实名认证，姓名、身份证号与报名信息完全一致",
                         "a real-name account whose name and ID number match the registration"),
                    Text("未自动显示时点“添加证照”或“关联证照”，或搜索“专业技术人员职业资格证书”",
                         "if it is not listed, use “添加证照” / “关联证照” (add / link), or "
                         "search “专业技术人员职业资格证书”"),
                    Text("长时间查不到：先确认已通过考后复核，再咨询上海市职业能力考试院",
                         "not there for a long time: first check that the review was passed, "
                         "then ask 上海市职业能力考试院"))),
        Step(Text("纸质证书：预约后到市级受理大厅领取", "Paper certificate: by appointment at the city hall"),
             _join(Text("仅在确需纸质证书时办理。先阅读纸质证书领取通知（时间、地点、材料、是否预约），"
                        "按通知电话或在线预约，在预约时段前往通知指定的市级受理点，如“上海市人事考试业务受理大厅”"
                        "（不是闵行区的人社局或建管委）；取号、排队、交材料审核、签字后领取。可能提供邮寄服务（收邮寄费）。",
                        "Only if paper is really needed. Read the paper-collection notice "
                        "(time, place, materials, whether to book); book by phone or online as "
                        "it says; go in the booked slot to the city-level counter it names, "
                        "such as “上海市人事考试业务受理大厅” (not a Minhang district office); "
                        "take a number, queue, hand in the materials, sign and receive. Mailing "
                        "may be offered for a postage fee."), booked,
                   _missing_line(("id_card_original",), materials)),
             ("R6", "R12", "R4"), items=(
                 reference.MATERIALS["id_card_original"],
                 Text("准考证（遗失的可凭身份证号等信息核实）",
                      "Admission ticket (if lost, the ID details suffice)"),
                 Text("学历学位证书原件（以备查验）",
                      "Diploma and degree certificates, originals (in case they are checked)"))),
        Step(Text("委托他人代领", "Collection by proxy"),
             Text("本人不能前往时可委托他人代领，具体要求以当年通知为准。代领人需带：",
                  "If the person cannot go, an agent may collect; the year's notice has the "
                  "last word. The agent brings:"),
             ("R6",), items=(
                 Text("代领委托书（写明委托事项及双方身份证信息）",
                      "Letter of authorization (the matter, both ID numbers)"),
                 reference.MATERIALS["principal_id_copy"],
                 reference.MATERIALS["agent_id"])),
        Step(Text("当场核对证书信息", "Check the certificate on receipt"),
             Text("拿到证书（或下载电子证书）后立即核对姓名、身份证号、专业；如有错误，当场向工作人员提出，"
                  "并在本系统记录“报告证书信息错误”。",
                  "On receipt (or download), check name, ID number and specialty at once; "
                  "report any error on the spot to the staff, and record “Report certificate "
                  "error” here."),
             ("R6",), kind=WARNING),
        FRAUD,
    ]


@advice("certified")
def _certified(row, materials, rules, today):
    row = row or {}
    channel = row.get("channel")
    issued = _date(row, "certificate_date")
    ce_needed = bool(issued and add_years(issued, rules.first_registration_ce_years)
                     < today)
    keys = ("labour_contract", "ce_proof") if ce_needed else ("labour_contract",)
    ce_line = (Text(f"证书取得已超过 {rules.first_registration_ce_years} 年，首次注册需继续教育证明。",
                    f"The certificate is more than {rules.first_registration_ce_years} years old: "
                    "a first registration needs continuing-education proof.")
               if ce_needed else None)
    steps = [
        Step(Text("核对证书信息", "Check the certificate"),
             Text("核对证书上的姓名、身份证号、专业是否准确；如有错误，在本系统记录“报告证书信息错误”并联系发证机关更正。",
                  "Check name, ID number and specialty on the certificate; if anything is "
                  "wrong, record “Report certificate error” here and have the issuing "
                  "authority correct it."),
             ("R6",)),
        Step(Text("由聘用单位申请注册", "Registration: the employer applies"),
             _join(Text("取得资格证书后须注册才能以二级建造师名义执业。注册由聘用单位（须具有施工、勘察、设计、监理、"
                        "招标代理或造价咨询资质）登录上海市住房和城乡建设管理委员会的“建设工程企业资质和从业人员监管平台”在线申请。"
                        "所需材料：",
                        "Only a registered person may practise as a 二级建造师. The employer "
                        "(holding a construction, survey, design, supervision, tendering-agency "
                        "or cost-consulting qualification) applies online on the platform of "
                        "上海市住房和城乡建设管理委员会, “建设工程企业资质和从业人员监管平台”. "
                        "Materials:"), ce_line, _missing_line(keys, materials)),
             ("R7", "R9"), items=(
                 Text("资格证书信息", "Qualification certificate details"),
                 reference.MATERIALS["labour_contract"],
                 Text("继续教育证明（如需）", "Continuing-education proof (where required)"))),
        SAFEKEEPING if channel != "paper" else Step(
            SAFEKEEPING.title,
            Text("纸质证书放在安全、干燥处，并扫描或拍照留存电子版，多处备份。",
                 "Keep the paper certificate dry and safe; scan or photograph it and keep the "
                 "copies in more than one place."), ("R8",), kind=INFO),
        LOSS_OR_CHANGE,
    ]
    return steps


@advice("correction_pending")
def _correction_pending(row, materials, rules, today):
    return [
        Step(Text("跟进证书更正", "Follow up the correction"),
             Text("证书信息有误时当场向工作人员提出（纸质证书），电子证书信息有误请联系上海市职业能力考试院。"
                  "若是姓名或身份证号本身发生了变更，需凭公安机关出具的变更证明申请。更正后在本系统执行“证书信息已更正”。",
                  "Report an error on a paper certificate to the staff at the counter; for "
                  "an electronic one contact 上海市职业能力考试院. If the name or ID number "
                  "itself changed, apply with the police certificate of the change. When "
                  "corrected, record “Certificate corrected” here."),
             ("R6", "R10")),
        Step(Text("更正完成前暂缓注册", "Hold the registration until corrected"),
             Text("注册申请要用准确的证书信息；旧文件保留到新证书到手为止。",
                  "The registration needs correct certificate details; keep the old file "
                  "until the corrected certificate is in hand."),
             ("R7", "R8"), kind=INFO),
        FRAUD,
    ]


@advice("registration_applied")
def _registration_applied(row, materials, rules, today):
    return [
        Step(Text("跟进注册审批", "Follow the registration application"),
             Text("聘用单位在“建设工程企业资质和从业人员监管平台”跟进审批，按要求补正材料。批准前不得以二级建造师名义执业。",
                  "The employer follows the application on “建设工程企业资质和从业人员监管平台” "
                  "and supplies whatever is asked for. Until approval the person may not "
                  "practise as a 二级建造师."),
             ("R7",)),
        Step(Text("批准后", "Once approved"),
             Text("下载电子版《二级建造师注册证书》，按规定刻制执业印章；在本系统执行“注册批准”并录入注册证书编号和有效期。",
                  "Download the electronic registration certificate and have the practice "
                  "seal (执业印章) made as the rules allow; record “Approve registration” here "
                  "with the registration number and validity."),
             ("R7", "R8")),
    ]


@advice("registered")
def _registered(row, materials, rules, today):
    row = row or {}
    until = _date(row, "valid_until")
    done = float(row.get("ce_hours") or 0)
    required = rules.ce_hours_required
    validity = None
    if until:
        opens = until - timedelta(days=rules.renewal_window_days)
        cutoff = until - timedelta(days=rules.renewal_cutoff_days)
        validity = Text(f"注册有效期至 {until.isoformat()}；延续注册窗口自 {opens.isoformat()} 起，"
                        f"最迟须在 {cutoff.isoformat()}（到期前 {rules.renewal_cutoff_days} 天）前申请。",
                        f"Valid until {until.isoformat()}; the renewal window opens on "
                        f"{opens.isoformat()}; apply by {cutoff.isoformat()} at the latest "
                        f"({rules.renewal_cutoff_days} days before expiry).")
    return [
        Step(Text("完成本注册期的继续教育", "Complete this period's continuing education"),
             Text(f"每个注册有效期（通常 3 年）内须完成规定学时的继续教育，这是延续注册的必要条件。"
                  f"已完成 {done:g} / {required:g} 学时。",
                  f"Within each registration period (usually 3 years) the required hours "
                  f"must be completed; it is a condition for renewal. Done: {done:g} of "
                  f"{required:g} hours."),
             ("R9",)),
        Step(Text("按时延续注册", "Renew in time"),
             _join(validity,
                   Text("延续注册同样由聘用单位在监管平台申请。", "The employer applies for the "
                        "renewal on the platform too.")),
             ("R9", "R7")),
        Step(Text("离职时", "If the person leaves"),
             Text("人员离开聘用单位时应办理注销（本系统“注销注册”），由新单位重新申请注册。",
                  "When the person leaves the employer, the registration is cancelled "
                  "(“Deregister” here) and the new employer applies again."),
             ("R7",), kind=INFO),
        SAFEKEEPING,
    ]


@advice("renewal_due")
def _renewal_due(row, materials, rules, today):
    row = row or {}
    until = _date(row, "valid_until")
    done = float(row.get("ce_hours") or 0)
    required = rules.ce_hours_required
    when = None
    if until:
        cutoff = until - timedelta(days=rules.renewal_cutoff_days)
        when = Text(f"注册有效期至 {until.isoformat()}，最迟于 {cutoff.isoformat()} 前申请。",
                    f"Valid until {until.isoformat()}; apply by {cutoff.isoformat()}.")
    return [
        Step(Text("补足继续教育学时", "Complete the continuing-education hours"),
             _join(Text(f"已完成 {done:g} / {required:g} 学时。", f"Done: {done:g} of {required:g} "
                        "hours."), Text("取得继续教育证明。", "Obtain the continuing-education "
                                        "certificate."), _missing_line(("ce_proof",), materials)),
             ("R9",)),
        Step(Text("由聘用单位申请延续注册", "The employer applies for renewal"),
             _join(when, Text("在“建设工程企业资质和从业人员监管平台”提交延续注册申请；申请后在本系统执行“申请延续注册”。",
                              "Apply on “建设工程企业资质和从业人员监管平台”; then record "
                              "“Apply for renewal” here.")),
             ("R9", "R7")),
    ]


@advice("renewal_applied")
def _renewal_applied(row, materials, rules, today):
    return [
        Step(Text("跟进延续注册审批", "Follow the renewal application"),
             Text("聘用单位在监管平台跟进审批；批准后在本系统执行“延续注册批准”，新有效期自原到期日起算。",
                  "The employer follows the application on the platform; when approved, "
                  "record “Approve renewal” here: the new validity runs from the old expiry."),
             ("R9", "R7")),
        SAFEKEEPING,
    ]


@advice("review_failed")
def _review_failed(row, materials, rules, today):
    return [
        Step(Text("本次不能领证", "No certificate this time"),
             Text("复核未通过，即使考试全部合格也不能领取资格证书。请以上海市职业能力考试院公布的结果为准，"
                  "如有疑问向其咨询；以后如符合报考条件可重新报考。",
                  "The review was failed: no certificate, even with every exam passed. The "
                  "result published by 上海市职业能力考试院 is final; ask them about it if in "
                  "doubt. The person may sit the exam again once eligible."),
             ("R3", "R4"), kind=WARNING),
        Step(FRAUD.title, Text("声称可以“补办复核”“内部渠道拿证”的都是诈骗。",
                               "Anyone offering to “fix the review” or “get the certificate "
                               "through an inside channel” is a fraud."), ("R13",), kind=WARNING),
    ]


@advice("review_missed")
def _review_missed(row, materials, rules, today):
    return [
        Step(Text("错过复核，本次不能领证", "Review missed: no certificate this time"),
             Text("截止日前未提交复核材料，不在发证名单上。请向上海市职业能力考试院确认是否还有补救办法；"
                  "以后如符合报考条件可重新报考。",
                  "The evidence was not submitted by the deadline, so the person is not on the "
                  "issuance list. Ask 上海市职业能力考试院 whether anything can still be done; "
                  "the person may sit the exam again once eligible."),
             ("R3", "R4"), kind=WARNING),
        Step(FRAUD.title, Text("声称可以“补办复核”“内部渠道拿证”的都是诈骗。",
                               "Anyone offering to “fix the review” or “get the certificate "
                               "through an inside channel” is a fraud."), ("R13",), kind=WARNING),
    ]


@advice("registration_expired")
def _registration_expired(row, materials, rules, today):
    return [
        Step(Text("注册已失效，不得以二级建造师名义执业", "Registration expired: no practice"),
             Text("资格证书仍然有效，但注册已失效。如需再次执业，由聘用单位在“建设工程企业资质和从业人员监管平台”重新申请注册，"
                  "通常需继续教育证明。",
                  "The qualification certificate stays valid, but the registration has "
                  "lapsed. To practise again, the employer applies anew on "
                  "“建设工程企业资质和从业人员监管平台”, usually with continuing-education "
                  "proof."),
             ("R1", "R7", "R9"), kind=WARNING),
        SAFEKEEPING,
    ]


def next_steps(state: str, case_row: Mapping[str, Any] | None = None, *, today: date,
               materials: Iterable[str] | None = None, rules: Rules = DEFAULT_RULES
               ) -> list[Step]:
    """What to do next in `state` (its `State.guidance`), most important first.

    `case_row` (a case_view row) fills in the case's own dates (review deadline,
    appointment, validity, hours); `materials` (the keys received) adds "still missing"
    lines; `today` decides date-dependent advice (CE proof for a late first registration).
    Without them the advice is the general one for the state.
    """
    builder = ADVICE[STATES[state].guidance]
    return builder(dict(case_row or {}), None if materials is None else set(materials),
                   rules, today)


def rules_cited(steps: Iterable[Step]) -> list[str]:
    """The rule ids the steps cite, in numeric order, each once."""
    ids = {r for step in steps for r in step.rules}
    return sorted(ids, key=lambda r: int(r[1:]))
