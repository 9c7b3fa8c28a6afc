"""Reference lists of the process: specialties, exam subjects, materials, channels.

Keys are stable English snake_case (stored in the database, used in scripts); every
entry has a Chinese and an English label.
"""
from __future__ import annotations

import unicodedata

from .text import Text

#: The six specialties (专业) of the Grade-2 Constructor.
SPECIALTIES: dict[str, Text] = {
    "building": Text("建筑工程", "Building construction"),
    "municipal": Text("市政公用工程", "Municipal public works"),
    "mechanical_electrical": Text("机电工程", "Mechanical and electrical"),
    "highway": Text("公路工程", "Highway engineering"),
    "water_conservancy": Text("水利水电工程", "Water conservancy and hydropower"),
    "mining": Text("矿业工程", "Mining engineering"),
}

#: The three exam subjects (R2).
SUBJECTS: dict[str, Text] = {
    "management": Text("建设工程施工管理", "Construction management"),
    "regulations": Text("建设工程法规及相关知识", "Construction law and regulations"),
    "practice": Text("专业工程管理与实务", "Professional engineering practice"),
}

#: Items a case can have received (materials checklist).
MATERIALS: dict[str, Text] = {
    "education_report": Text("学历认证报告", "Education verification report"),
    "work_years_proof": Text("工作年限证明", "Proof of years of work"),
    "id_card_original": Text("身份证原件", "ID card (original)"),
    "admission_ticket": Text("准考证", "Admission ticket"),
    "diploma_original": Text("学历学位证书原件", "Diploma and degree certificates (originals)"),
    "proxy_authorization": Text("委托书", "Letter of authorization (proxy)"),
    "principal_id_copy": Text("委托人身份证复印件", "Copy of the candidate's ID card"),
    "agent_id": Text("受托人身份证原件及复印件", "Agent's ID card, original and copy"),
    "labour_contract": Text("劳动合同", "Labour contract"),
    "ce_proof": Text("继续教育证明", "Continuing-education certificate"),
    "police_certificate": Text("公安机关变更证明", "Police certificate of the change"),
}

#: How the qualification certificate was obtained (R5, R6).
CHANNELS: dict[str, Text] = {
    "electronic": Text("电子证书（一网通办/随申办）", "Electronic (一网通办 / 随申办)"),
    "paper": Text("纸质证书（市级受理大厅）", "Paper (city-level hall)"),
    "mail": Text("纸质证书（邮寄）", "Paper (by mail)"),
}


#: Said after the channel of a paper certificate collected by an agent (代领, R6).
BY_PROXY = Text("（代领）", " (by proxy)")


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", str(text)).strip().lower().replace(" ", "")


def resolve(table: dict[str, Text], value: str) -> str | None:
    """The key whose name or either label matches `value` (ignoring case, spaces, width)."""
    wanted = _fold(value)
    for key, label in table.items():
        if wanted in (_fold(key), _fold(label.zh), _fold(label.en)):
            return key
    return None


def known_specialties() -> Text:
    """The six specialties by name in the reader's language (Chinese names are accepted in
    both languages, so the English text gives them too) — never by internal key."""
    known_zh = "、".join(label.zh for label in SPECIALTIES.values())
    known_en = ", ".join(label.en for label in SPECIALTIES.values())
    return Text(f"可用：{known_zh}", f"known: {known_en}; or in Chinese {known_zh}")


def unknown_specialty(value: str) -> Text:
    """Why `value` is not a specialty, in one line."""
    known = known_specialties()
    return Text(f"未知专业：{value}（{known.zh}）", f"unknown specialty: {value} ({known.en})")


def resolve_specialty(value: str) -> str | None:
    """Accepts the key, the Chinese name, or the English label; also 建筑 for 建筑工程."""
    key = resolve(SPECIALTIES, value)
    if key:
        return key
    wanted = _fold(value)
    matches = [k for k, label in SPECIALTIES.items() if wanted and label.zh.startswith(wanted)]
    return matches[0] if len(matches) == 1 else None
