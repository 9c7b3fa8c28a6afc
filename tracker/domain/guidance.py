"""What to do next, for every state of a case — written from the source guide.

The status sheet (exports) and the dashboard show the same advice, so it lives here, in
the domain, as `Text` in both languages with the rule ids of docs/domain.md it rests on.
It names the places and platforms the guide names: 上海一网通办 / 随申办 → 我的证照 /
电子证照 for the electronic certificate (R5); the city-level hall 上海市人事考试业务受理大厅,
by appointment, for paper — never a Minhang district office (R6, R12); the employer on
建设工程企业资质和从业人员监管平台 for registration (R7).

Two audiences (R17): a step's `body` and `items` speak to the person whose case it is —
what to do, where, with what — and go on the status sheet handed to them; what the HR
officer records in the tracker, and the rule ids, stay on the officer's screens
(`officer`, `rules`).

Nothing here invents a date: dates come from the case (which got them from an official
notice, R4) and from the configurable rules.

API::

    next_steps(state, case_row=None, *, today, materials=None, rules=DEFAULT_RULES,
               sittings=None) -> list[Step]
    RULE_TITLES["R5"] -> Text
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from . import reference
from .model import (
    Sittings,
    exempt_of,
    last_sitting_year,
    passes_of,
    required_subjects,
    voided_passes,
)
from .registration import ce_period_done
from .rules import DEFAULT_RULES, Rules, add_years
from .text import Text
from .workflow import REVIEW_EVIDENCE, STATES

#: What a step is: something to do, a warning to heed, or a fact worth knowing.
ACTION, WARNING, INFO = "action", "warning", "info"


@dataclass(frozen=True)
class Step:
    """One piece of advice: a title, a paragraph and bullet items for the person; what the
    officer records in the tracker; the rules it rests on."""

    title: Text
    body: Text
    rules: tuple[str, ...] = ()
    items: tuple[Text, ...] = ()
    kind: str = ACTION
    #: For the HR officer only: what to record in the tracker, and when (R17).
    officer: Text | None = None

    def to_dict(self, lang: str, *, officer: bool = True) -> dict[str, Any]:
        """As JSON; without `officer`, only what the person reads (no instructions for
        the tracker, no rule ids)."""
        result = {"title": self.title.get(lang), "body": self.body.get(lang),
                  "items": [i.get(lang) for i in self.items], "kind": self.kind}
        if officer:
            result["officer"] = self.officer.get(lang) if self.officer else None
            result["rules"] = list(self.rules)
        return result


#: Short titles of the rules cited (docs/domain.md), for the officer's legend.
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
    """"目前还缺：…。" for the items not in hand yet, "以上材料都已备齐。" when all are, None
    when it is not known."""
    if materials is None:
        return None
    received = set(materials)
    lacking = [reference.MATERIALS[k] for k in keys if k not in received]
    if not lacking:
        return Text("以上材料都已备齐。", "All of these are in hand.")
    return Text("目前还缺：" + "、".join(t.zh for t in lacking) + "。",
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


def _by(day: date) -> Text:
    """A last day, saying that the day itself still counts."""
    return Text(f"{day.isoformat()}（含当日）", f"{day.isoformat()} (that day included)")


def _subjects(keys: Iterable[str]) -> Text:
    labels = [reference.SUBJECTS[k] for k in keys]
    return Text("、".join(t.zh for t in labels) or "—", ", ".join(t.en for t in labels) or "—")


# --------------------------------------------------------------------------- per state

Advice = Callable[[dict, "set[str] | None", Rules, date, Sittings], list[Step]]
#: The advice for each `State.guidance` key.
ADVICE: dict[str, Advice] = {}


def advice(key: str) -> Callable[[Advice], Advice]:
    """Register the advice builder of a guidance key."""
    def register(builder: Advice) -> Advice:
        ADVICE[key] = builder
        return builder

    return register


def _exam_plan(row, rules, today, sittings) -> Text:
    """R2a: the passes that count, the subjects left, and the sitting they must be
    passed at — its day when the exam notice is recorded, else only its year."""
    passes = passes_of(row)
    void = voided_passes(passes, sittings, today, rules)
    in_force = {s: y for s, y in passes.items() if s not in void}
    exempt = exempt_of(row)
    remaining = [s for s in required_subjects(exempt) if s not in in_force]
    parts = []
    if in_force:
        zh = "、".join(f"{reference.SUBJECTS[s].zh}（{y} 年度）" for s, y in sorted(in_force.items()))
        en = ", ".join(f"{reference.SUBJECTS[s].en} ({y})" for s, y in sorted(in_force.items()))
        parts.append(Text(f"已合格且仍有效：{zh}。", f"Passed and still counting: {en}."))
    if exempt:
        parts.append(Text(f"免考：{_subjects(exempt).zh}。", f"Exempt: {_subjects(exempt).en}."))
    if void:
        parts.append(Text(f"已过期作废：{_subjects(void).zh}（须重新考）。",
                          f"No longer counting: {_subjects(void).en} (to be sat again)."))
    if in_force and remaining:
        last = last_sitting_year(min(in_force.values()), rules)
        sitting = sittings.get(last)
        when = (Text(f"{last} 年度考试（{sitting.isoformat()}）",
                     f"the {last} sitting ({sitting.isoformat()})") if sitting else
                Text(f"{last} 年度考试（考试日期以当年考试通知为准）",
                     f"the {last} sitting (its date is in that year's exam notice)"))
        parts.append(Text(f"其余科目（{_subjects(remaining).zh}）须在 {when.zh}中通过，"
                          "否则已合格的成绩作废。",
                          f"The other subjects ({_subjects(remaining).en}) must be passed at "
                          f"{when.en}, or the passes above stop counting."))
    elif remaining:
        parts.append(Text(f"须通过的科目：{_subjects(remaining).zh}。",
                          f"Subjects to pass: {_subjects(remaining).en}."))
    return _join(*parts)


@advice("exam_partial")
def _exam_partial(row, materials, rules, today, sittings):
    return [
        Step(Text("在有效的考试年度内通过其余科目", "Pass the remaining subjects in time"),
             _join(Text("全部科目（免考的除外）须在连续两个考试年度内通过。",
                        "Every subject not exempted must be passed within two consecutive "
                        "exam years."), _exam_plan(row, rules, today, sittings)),
             ("R2",),
             officer=Text("每次考试后登记：合格科目用“登记科目合格”，未通过或缺考用“登记科目未通过或缺考”；"
                          "每年考试通知发布后用 tracker notice add --kind exam 登记考试日期。",
                          "After each sitting record the results: “Record subject pass”, or "
                          "“Record subject failed or absent”; when a year's exam notice is "
                          "out, record its sitting with tracker notice add --kind exam.")),
        CONTACT, FRAUD,
    ]


@advice("exam_passed")
def _exam_passed(row, materials, rules, today, sittings):
    return [
        Step(Text("关注考后资格复核通知", "Watch for the post-exam review notice"),
             Text("复核通知只在上海市职业能力考试院官网（或上海市人社局官网）发布，会写明提交材料的方式和截止日。",
                  "The review notice is published only on the site of 上海市职业能力考试院 "
                  "(or of 上海市人社局); it states how to submit and the deadline."),
             ("R3", "R4"),
             officer=Text("通知发布后，用 tracker notice add --kind review 登记（或对本案件执行“开始资格复核”并录入截止日）。",
                          "When it is out, record it with tracker notice add --kind review "
                          "(or “Open review” on this case, with the deadline).")),
        Step(Text("提前准备复核材料", "Prepare the review evidence now"),
             _join(Text("复核审查学历、专业和工作年限，通常需要提交以下材料的扫描件，或到现场核验。",
                        "The review checks education, major and years of work; it usually "
                        "asks for scans of the following, or an in-person check."),
                   _missing_line(REVIEW_EVIDENCE, materials)),
             ("R3",), items=_labels(REVIEW_EVIDENCE)),
        CONTACT, FRAUD,
    ]


@advice("review_pending")
def _review_pending(row, materials, rules, today, sittings):
    deadline = _date(row, "review_deadline")
    when = (Text(f"截止日：{_by(deadline).zh}。", f"Deadline: {_by(deadline).en}.")
            if deadline else Text("截止日以复核通知为准。", "The deadline is the one in the notice."))
    return [
        Step(Text("在截止日前提交复核材料", "Submit the review evidence before the deadline"),
             _join(when, Text("按通知要求上传扫描件或到现场核验。", "Upload scans or attend the "
                              "in-person check as the notice says."),
                   _missing_line(REVIEW_EVIDENCE, materials)),
             ("R3", "R4"), items=_labels(REVIEW_EVIDENCE),
             officer=Text("收到材料后在材料清单中勾选；提交后执行“提交复核材料”。",
                          "Tick the materials as they arrive; after submitting, record "
                          "“Submit review evidence”.")),
        Step(Text("未参加复核就不能领证", "No review, no certificate"),
             Text("复核未通过或未参加复核的，即使考试全部合格也不能领取资格证书。",
                  "Whoever fails the review or does not take part gets no certificate, even "
                  "with every exam passed."),
             ("R3",), kind=WARNING),
        CONTACT, FRAUD,
    ]


@advice("review_submitted")
def _review_submitted(row, materials, rules, today, sittings):
    return [
        Step(Text("等待复核结果", "Wait for the review result"),
             Text("留意上海市职业能力考试院的通知和短信；如被要求补充材料（考后复核补充材料），请在新的截止日前补交。",
                  "Watch the notices of 上海市职业能力考试院 and text messages; if more "
                  "evidence is asked for (考后复核补充材料), hand it in by the new deadline."),
             ("R3", "R4", "R14"),
             officer=Text("结果公布后记录“复核通过”或“复核未通过”；收到补充材料的要求时记录“要求补充复核材料”并录入新的截止日。",
                          "When the result is out, record “Pass review” or “Fail review”; "
                          "when more evidence is asked for, record “Request review "
                          "supplement” with the new deadline.")),
        CONTACT, FRAUD,
    ]


@advice("review_passed")
def _review_passed(row, materials, rules, today, sittings):
    return [
        Step(Text("关注证书发放通知", "Watch for the certificate notice"),
             Text("复核通过即列入准予发证名单。上海市职业能力考试院会发布《二级建造师资格考试合格证书（电子证书）发放的通知》，"
                  "写明电子证书上线时间和纸质证书领取安排。",
                  "A passed review puts the person on the issuance list. 上海市职业能力考试院 "
                  "publishes the notice on issuing the certificates (electronic certificates), "
                  "with when they go online and how paper ones are collected."),
             ("R4", "R5"),
             officer=Text("通知发布后用 tracker notice add --kind certificate 登记（或执行“证书发布”）。",
                          "When it is out, record it with tracker notice add --kind "
                          "certificate (or “Publish certificate”).")),
        Step(Text("提前准备“一网通办”实名账号", "Get the 一网通办 account ready"),
             Text("在“上海一网通办”或“随申办”完成实名认证，账号上的姓名和身份证号必须与报名信息完全一致。",
                  "Verify your real name on “上海一网通办” or “随申办”: the account's name and "
                  "ID number must match the exam registration exactly."),
             ("R5",)),
        CITY_LEVEL, CONTACT, FRAUD,
    ]


def _stale(row, rules, today) -> Step | None:
    """R5a: published N days ago and still not collected."""
    published = _date(row, "certificate_available_on")
    if published is None or (today - published).days < rules.certificate_stale_days:
        return None
    return Step(Text("证书发布已久仍未领取", "Published a while ago, still not collected"),
                       Text(f"证书已于 {published.isoformat()} 发布。在“我的证照”中仍找不到时，先确认已通过考后复核，"
                            "再咨询上海市职业能力考试院。",
                            f"The certificate was published on {published.isoformat()}. If it is "
                            "still not in “我的证照”, first check that the review was passed, then "
                            "ask 上海市职业能力考试院."),
                       ("R5",), kind=WARNING)


def _ecert_step() -> Step:
    """R5: the electronic certificate, the recommended route."""
    return Step(Text("下载电子证书（推荐）", "Download the electronic certificate (recommended)"),
                Text("电子证书与纸质证书具有同等法律效力。登录“上海一网通办”（网页）或“随申办”APP / 微信小程序，"
                     "进入“我的证照”/“电子证照”，找到“二级建造师执业资格证书”，查看并下载 PDF，可打印。",
                     "The electronic certificate has the same legal force as paper. Log in to "
                     "“上海一网通办” (web) or the “随申办” app / WeChat mini program, open "
                     "“我的证照” / “电子证照” (my licences), find “二级建造师执业资格证书”, view it "
                     "and download the PDF; it can be printed."),
                ("R5",),
                items=(Text("账号须实名认证，姓名、身份证号与报名信息完全一致",
                            "a real-name account whose name and ID number match the registration"),
                       Text("未自动显示时点“添加证照”或“关联证照”，或搜索“专业技术人员职业资格证书”",
                            "if it is not listed, use “添加证照” / “关联证照” (add / link), or "
                            "search “专业技术人员职业资格证书”"),
                       Text("长时间查不到：先确认已通过考后复核，再咨询上海市职业能力考试院",
                            "not there for a long time: first check that the review was passed, "
                            "then ask 上海市职业能力考试院")),
                officer=Text("下载后记录“下载电子证书”，并录入证书编号和发证日期。",
                             "Then record “Download e-certificate” with the certificate number "
                             "and date."))


def _paper_step(row, materials) -> Step:
    """R6: the paper certificate at the city hall, by appointment."""
    appointment = (row or {}).get("appointment")
    booked = Text(f"已预约：{appointment}。", f"Booked: {appointment}.") if appointment else None
    return Step(Text("纸质证书：预约后到市级受理大厅领取", "Paper certificate: by appointment at the city hall"),
                _join(Text("仅在确需纸质证书时办理。先阅读纸质证书领取通知（时间、地点、材料、是否预约），"
                           "按通知电话或在线预约，在预约时段前往通知指定的市级受理点，如“上海市人事考试业务受理大厅”"
                           "（不是闵行区的人社局或建管委）；取号、排队、交材料审核、签字后领取。",
                           "Only if paper is really needed. Read the paper-collection notice "
                           "(time, place, materials, whether to book); book by phone or online as "
                           "it says; go in the booked slot to the city-level counter it names, "
                           "such as “上海市人事考试业务受理大厅” (not a Minhang district office); "
                           "take a number, queue, hand in the materials, sign and receive."), booked,
                      _missing_line(("id_card_original",), materials) if appointment else None),
                ("R6", "R12", "R4"), items=(
                    reference.MATERIALS["id_card_original"],
                    Text("准考证（遗失的可凭身份证号等信息核实，不是必需）",
                         "Admission ticket (not required: if lost, the ID details suffice)"),
                    Text("学历学位证书原件（以备查验）",
                         "Diploma and degree certificates, originals (in case they are checked)")),
                officer=Text("预约后记录“预约领取纸质证书”；领取后记录“领取纸质证书”。",
                             "Record “Book paper appointment” once booked, “Collect paper "
                             "certificate” once collected."))


@advice("certificate_available")
def _certificate_available(row, materials, rules, today, sittings):
    steps = [
        _ecert_step(),
        _paper_step(row, materials),
        Step(Text("邮寄", "By mail"),
             Text("通知提供邮寄服务时，可申请邮寄纸质证书；邮寄费是领证过程中唯一可能收取的费用。",
                  "When the notice offers mailing, the paper certificate can be sent by post; "
                  "the postage is the only fee collecting a certificate may ever cost."),
             ("R6", "R13"), kind=INFO,
             officer=Text("收到后记录“邮寄收到证书”并录入邮寄费。",
                          "When it arrives, record “Certificate received by mail” with the "
                          "postage.")),
        Step(Text("委托他人代领", "Collection by proxy"),
             Text("本人不能前往时可委托他人代领，具体要求以当年通知为准。代领人需带：",
                  "If you cannot go, an agent may collect for you; the year's notice has the "
                  "last word. The agent brings:"),
             ("R6",), items=(
                 Text("代领委托书（写明委托事项及双方身份证信息）",
                      "Letter of authorization (the matter, both ID numbers)"),
                 reference.MATERIALS["principal_id_copy"],
                 reference.MATERIALS["agent_id"])),
        Step(Text("当场核对证书信息", "Check the certificate on receipt"),
             Text("拿到证书（或下载电子证书）后立即核对姓名、身份证号、专业；如有错误，当场向工作人员提出。",
                  "On receipt (or download), check name, ID number and specialty at once; "
                  "report any error on the spot to the staff."),
             ("R6",), kind=WARNING,
             officer=Text("有错误时记录“报告证书信息错误”。",
                          "If something is wrong, record “Report certificate error”.")),
        FRAUD,
    ]
    stale = _stale(row, rules, today)
    return [stale, *steps] if stale else steps


def _registration_materials(row, materials, rules, today) -> tuple[tuple[str, ...], Text | None]:
    """The materials a registration needs, and why CE proof is among them (R7a, R9b): a
    re-registration always; a first registration when the certificate's issue date is more
    than N years back; an issue date not known yet is asked for, never taken as recent."""
    years = rules.first_registration_ce_years
    if row.get("period_from"):
        return (("labour_contract", "ce_proof"),
                Text("此前已注册过（注销或失效后），再次注册属于重新注册，需要本期的继续教育证明。",
                     "You were registered before (deregistered or expired): registering "
                     "again is a re-registration and needs continuing-education proof of "
                     "this period."))
    issued = _date(row, "certificate_issued_on")
    if issued is None:
        return (("labour_contract",),
                Text(f"请提供资格证书上印的发证日期：发证超过 {years} 年的，首次注册还需要继续教育证明。",
                     f"Please give the issue date printed on the certificate: more than "
                     f"{years} years after it, a first registration also needs "
                     "continuing-education proof."))
    if add_years(issued, years) < today:
        return (("labour_contract", "ce_proof"),
                Text(f"资格证书发证日期为 {issued.isoformat()}，已超过 {years} 年，首次注册还需要继续教育证明。",
                     f"The certificate was issued on {issued.isoformat()}, more than "
                     f"{years} years ago: a first registration also needs "
                     "continuing-education proof."))
    return ("labour_contract",), None


@advice("certified")
def _certified(row, materials, rules, today, sittings):
    row = row or {}
    keys, ce_line = _registration_materials(row, materials, rules, today)
    return [
        Step(Text("核对证书信息", "Check the certificate"),
             Text("核对证书上的姓名、身份证号、专业是否准确；如有错误，请联系发证机关更正。",
                  "Check name, ID number and specialty on the certificate; if anything is "
                  "wrong, have the issuing authority correct it."),
             ("R6",),
             officer=Text("有错误时记录“报告证书信息错误”。",
                          "If something is wrong, record “Report certificate error”.")),
        Step(Text("由聘用单位申请注册", "Registration: the employer applies"),
             _join(Text("取得资格证书后须注册才能以二级建造师名义执业。注册由聘用单位（须具有施工、勘察、设计、监理、"
                        "招标代理或造价咨询资质）登录上海市住房和城乡建设管理委员会的“建设工程企业资质和从业人员监管平台”在线申请，"
                        "需要以下材料。",
                        "Only a registered person may practise as a 二级建造师. The employer "
                        "(holding a construction, survey, design, supervision, tendering-agency "
                        "or cost-consulting qualification) applies online on the platform of "
                        "上海市住房和城乡建设管理委员会, “建设工程企业资质和从业人员监管平台”, "
                        "with the materials below."), ce_line, _missing_line(keys, materials)),
             ("R7", "R9"), items=(Text("资格证书信息", "Qualification certificate details"),
                                  *_labels(keys)),
             officer=Text("录入证书上的发证日期（--set certificate_issued_on=）；劳动合同按聘用单位登记"
                          "（tracker material … labour_contract --employer 单位）；单位提交申请后记录“申请注册”。",
                          "Record the issue date printed on the certificate (--set "
                          "certificate_issued_on=); record the labour contract for its "
                          "employer (tracker material … labour_contract --employer NAME); "
                          "when the employer has applied, record “Apply for registration”.")),
        SAFEKEEPING if row.get("channel") == "electronic" else Step(
            SAFEKEEPING.title,
            Text("纸质证书放在安全、干燥处，并扫描或拍照留存电子版，多处备份。",
                 "Keep the paper certificate dry and safe; scan or photograph it and keep the "
                 "copies in more than one place."), ("R8",), kind=INFO),
        LOSS_OR_CHANGE,
    ]


@advice("correction_pending")
def _correction_pending(row, materials, rules, today, sittings):
    return [
        Step(Text("跟进证书更正", "Follow up the correction"),
             Text("纸质证书有误时当场向工作人员提出；电子证书有误请联系上海市职业能力考试院。"
                  "若是姓名或身份证号本身发生了变更，需凭公安机关出具的变更证明申请。",
                  "Report an error on a paper certificate to the staff at the counter; for "
                  "an electronic one contact 上海市职业能力考试院. If the name or ID number "
                  "itself changed, apply with the police certificate of the change."),
             ("R6", "R10"),
             officer=Text("更正后记录“证书信息已更正”。", "When corrected, record “Certificate "
                          "corrected”.")),
        Step(Text("更正完成前暂缓注册", "Hold the registration until corrected"),
             Text("注册申请要用准确的证书信息；旧文件保留到新证书到手为止。",
                  "The registration needs correct certificate details; keep the old file "
                  "until the corrected certificate is in hand."),
             ("R7", "R8"), kind=INFO),
        FRAUD,
    ]


@advice("registration_applied")
def _registration_applied(row, materials, rules, today, sittings):
    return [
        Step(Text("跟进注册审批", "Follow the registration application"),
             Text("聘用单位在“建设工程企业资质和从业人员监管平台”跟进审批，按要求补正材料。批准前不得以二级建造师名义执业。",
                  "The employer follows the application on “建设工程企业资质和从业人员监管平台” "
                  "and supplies whatever is asked for. Until approval you may not practise "
                  "as a 二级建造师."),
             ("R7",)),
        Step(Text("批准后", "Once approved"),
             Text("下载电子版《二级建造师注册证书》，按规定刻制执业印章。",
                  "Download the electronic registration certificate and have the practice "
                  "seal (执业印章) made as the rules allow."),
             ("R7", "R8"),
             officer=Text("批准后记录“注册批准”：注册证书编号和批准文件上的批准日期"
                          "（--set approved_on=，有效期自该日起算；不填为今天）；刻章后记录“登记执业印章”。",
                          "Record “Approve registration” with the registration number and "
                          "the approval date on the approval (--set approved_on=; the "
                          "validity runs from it; today if not given); once the seal is "
                          "made, record “Record practice seal”.")),
        Step(Text("未获批准时", "If it is not approved"),
             Text("按审批意见补正后由单位重新提交。", "The employer corrects what the decision "
                  "names and applies again."),
             ("R7",), kind=INFO,
             officer=Text("未获批准时记录“注册未批准”。", "If refused, record “Reject "
                          "registration”.")),
    ]


def _renewal_dates(row, rules) -> Text | None:
    """R9a: when the renewal opens and its cut-off day, which still counts."""
    until = _date(row, "valid_until")
    if until is None:
        return None
    opens = until - timedelta(days=rules.renewal_window_days)
    cutoff = until - timedelta(days=rules.renewal_cutoff_days)
    return Text(f"注册有效期至 {until.isoformat()}；延续注册自 {opens.isoformat()} 起可以申请，"
                f"最迟须在 {_by(cutoff).zh}申请（到期前 {rules.renewal_cutoff_days} 天），"
                "此后即为逾期申请。",
                f"Valid until {until.isoformat()}; the renewal can be applied for from "
                f"{opens.isoformat()}, by {_by(cutoff).en} at the latest "
                f"({rules.renewal_cutoff_days} days before expiry); later is a late "
                "application.")


def _ce_line(row, rules) -> Text:
    """R9c: the hours of this period, and the requirement with its source — or, unset,
    that it is not configured (no figure presented as official)."""
    done = ce_period_done(row)
    required, source = rules.ce_hours_required, rules.ce_hours_source
    if required is None:
        return Text(f"本注册期已完成 {done:g} 学时。本单位尚未配置所需学时，请以住房和城乡建设管理部门的最新规定为准。",
                    f"Done this period: {done:g} hours. The required hours are not "
                    "configured here: follow the housing and construction authority's "
                    "current rule.")
    return Text(f"本注册期已完成 {done:g} / 要求 {required:g} 学时（依据：{source}）。",
                f"Done this period: {done:g} of {required:g} hours (per {source}).")


_CE_OFFICER = Text("课程用 tracker ce add 登记；学时要求及其来源在 rules.toml 中设置"
                   "（ce_hours_required、ce_hours_source），未设置时一律显示“未配置”。",
                   "Log each course with tracker ce add; set the required hours and their "
                   "source in rules.toml (ce_hours_required, ce_hours_source); unset, "
                   "every output says they are not configured.")


@advice("registered")
def _registered(row, materials, rules, today, sittings):
    row = row or {}
    return [
        Step(Text("完成本注册期的继续教育", "Complete this period's continuing education"),
             _join(Text("每个注册有效期（通常 3 年）内须完成规定学时的继续教育，这是延续注册的必要条件；"
                        "保留每门课程的学时证明。",
                        "Within each registration period (usually 3 years) the required "
                        "hours must be completed; it is a condition for renewal. Keep the "
                        "certificate of each course."), _ce_line(row, rules)),
             ("R9",), officer=_CE_OFFICER),
        Step(Text("按时延续注册", "Renew in time"),
             _join(_renewal_dates(row, rules),
                   Text("延续注册同样由聘用单位在监管平台申请。", "The employer applies for the "
                        "renewal on the platform too.")),
             ("R9", "R7")),
        Step(Text("执业印章", "Practice seal"),
             Text("注册批准后按规定刻制执业印章；印章上有聘用单位名称，更换单位后须重新刻制。",
                  "Have the practice seal made after approval; it names the employer, so a "
                  "new employer means a new seal."),
             ("R7",), kind=INFO,
             officer=Text("刻章后记录“登记执业印章”（--set seal_no=… seal_made_on=…）。",
                          "Once made, record “Record practice seal” (--set seal_no=… "
                          "seal_made_on=…).")),
        Step(Text("更换单位或离职时", "Changing employer or leaving"),
             Text("换到另一家符合条件的单位：由新单位办理变更注册，注册有效期不变，需要与新单位签订的劳动合同。"
                  "离职且暂无新单位：由原单位办理注销。",
                  "Moving to another qualifying employer: the new employer applies for a "
                  "change of registration (变更注册); the validity stays as it is; a labour "
                  "contract with the new employer is needed. Leaving without a new "
                  "employer: the employer deregisters you (注销)."),
             ("R7",), kind=INFO,
             officer=Text("换单位：先登记与新单位的劳动合同（--employer 新单位），再记录“变更注册”"
                          "（--set employer=新单位）；离职无新单位：记录“注销注册（离职）”。",
                          "New employer: record the labour contract for it (--employer NAME), "
                          "then “Change of registration” (--set employer=NAME); leaving "
                          "without one: “Deregister (left employer)”.")),
        SAFEKEEPING,
    ]


@advice("renewal_due")
def _renewal_due(row, materials, rules, today, sittings):
    row = row or {}
    # The checklist holds only this period's proof (R7d): an older one does not count.
    proof = (Text("本期的继续教育证明已收到。", "This period's continuing-education "
                  "certificate is in hand.")
             if materials is not None and "ce_proof" in materials else
             Text("还需取得本期的继续教育证明。", "This period's continuing-education "
                  "certificate is still needed.") if materials is not None else None)
    return [
        Step(Text("补足继续教育学时", "Complete the continuing-education hours"),
             _join(_ce_line(row, rules), proof),
             ("R9",), officer=_CE_OFFICER),
        Step(Text("由聘用单位申请延续注册", "The employer applies for renewal"),
             _join(_renewal_dates(row, rules),
                   Text("在“建设工程企业资质和从业人员监管平台”提交延续注册申请。",
                        "The application is made on “建设工程企业资质和从业人员监管平台”.")),
             ("R9", "R7"),
             officer=Text("申请后记录“申请延续注册”；截止日之后提交的，须登记为逾期申请"
                          "（--set late=true，并用 --note 说明原因）。",
                          "Record “Apply for renewal” once applied; after the cut-off day, "
                          "record it as late (--set late=true with a --note saying why).")),
    ]


@advice("renewal_applied")
def _renewal_applied(row, materials, rules, today, sittings):
    return [
        Step(Text("跟进延续注册审批", "Follow the renewal application"),
             Text("聘用单位在监管平台跟进审批；新有效期自原到期日起算。",
                  "The employer follows the application on the platform; the new validity "
                  "runs from the old expiry."),
             ("R9", "R7"),
             officer=Text("批准后记录“延续注册批准”（--set approved_on=）；未获批准时记录“延续注册未批准”"
                          "（已过有效期的即转为注册失效）。",
                          "Record “Approve renewal” when approved (--set approved_on=); if "
                          "refused, “Renewal rejected” (past the expiry it becomes "
                          "expired).")),
        SAFEKEEPING,
    ]


def _sit_again(reason: Text) -> list[Step]:
    return [
        Step(Text("本次不能领证，可重新报考", "No certificate this time; you may sit the exam again"),
             _join(reason, Text("符合报考条件的，可以重新报名参加考试，重新开始一个考试周期。",
                                "If you are eligible, you may register for the exam again "
                                "and start a new exam cycle.")),
             ("R3", "R4"), kind=WARNING,
             officer=Text("重新报考时记录“重新参加考试”：本次的记录保留在历史中。",
                          "When the person registers again, record “Sit the exam again”: "
                          "this attempt stays in the history.")),
        Step(FRAUD.title, Text("声称可以“补办复核”“内部渠道拿证”的都是诈骗。",
                               "Anyone offering to “fix the review” or “get the certificate "
                               "through an inside channel” is a fraud."), ("R13",),
             kind=WARNING),
    ]


@advice("review_failed")
def _review_failed(row, materials, rules, today, sittings):
    return _sit_again(Text("复核未通过，即使考试全部合格也不能领取资格证书。结果以上海市职业能力考试院公布的为准，"
                           "如有疑问可向其咨询。",
                           "The review was failed: no certificate, even with every exam "
                           "passed. The result published by 上海市职业能力考试院 is final; ask "
                           "them about it if in doubt. "))


@advice("review_missed")
def _review_missed(row, materials, rules, today, sittings):
    return _sit_again(Text("截止日前未提交复核材料，不在发证名单上。可向上海市职业能力考试院确认是否还有补救办法。",
                           "The evidence was not submitted by the deadline, so you are not on "
                           "the issuance list. Ask 上海市职业能力考试院 whether anything can still "
                           "be done. "))


@advice("registration_expired")
def _registration_expired(row, materials, rules, today, sittings):
    keys = ("labour_contract", "ce_proof")
    return [
        Step(Text("注册已失效，不得以二级建造师名义执业", "Registration expired: no practice"),
             Text("资格证书仍然有效，但注册已失效。",
                  "The qualification certificate stays valid, but the registration has "
                  "lapsed."),
             ("R1", "R7", "R9"), kind=WARNING),
        Step(Text("重新申请注册", "Register again"),
             _join(Text("如需再次执业，由聘用单位在“建设工程企业资质和从业人员监管平台”申请重新注册，"
                        "需要劳动合同和本期（失效之后取得）的继续教育证明。",
                        "To practise again, the employer applies anew (重新注册) on "
                        "“建设工程企业资质和从业人员监管平台”, with the labour contract and "
                        "continuing-education proof of this period (obtained after the "
                        "expiry)."), _missing_line(keys, materials)),
             ("R7", "R9"), items=_labels(keys),
             officer=Text("单位提交后记录“申请注册”：原注册作为“以往注册”保留在历史中。",
                          "When the employer has applied, record “Apply for registration”: "
                          "the expired registration stays in the history as an earlier "
                          "one.")),
        SAFEKEEPING,
    ]


@advice("certificate_revoked")
def _certificate_revoked(row, materials, rules, today, sittings):
    return [
        Step(Text("资格证书已被撤销", "The qualification was revoked"),
             Text("资格证书因违规被撤销后不再有效，不得以二级建造师名义执业。如对撤销决定有异议，请向发证机关咨询。",
                  "A qualification revoked for a violation is no longer valid: you may not "
                  "practise as a 二级建造师. If you dispute the decision, ask the issuing "
                  "authority."),
             ("R1",), kind=WARNING),
    ]


def next_steps(state: str, case_row: Mapping[str, Any] | None = None, *, today: date,
               materials: Iterable[str] | None = None, rules: Rules = DEFAULT_RULES,
               sittings: Sittings | None = None) -> list[Step]:
    """What to do next in `state` (its `State.guidance`), most important first.

    `case_row` (a case_view row) fills in the case's own dates (review deadline,
    appointment, validity, hours); `materials` (the keys received) adds "still missing"
    lines; `today` decides date-dependent advice (CE proof for a late first registration);
    `sittings` (the exam sittings recorded) dates the exam advice (R2a).
    Without them the advice is the general one for the state.
    """
    builder = ADVICE[STATES[state].guidance]
    return builder(dict(case_row or {}), None if materials is None else set(materials),
                   rules, today, sittings or {})


def rules_cited(steps: Iterable[Step]) -> list[str]:
    """The rule ids the steps cite, in numeric order, each once."""
    ids = {r for step in steps for r in step.rules}
    return sorted(ids, key=lambda r: int(r[1:]))
