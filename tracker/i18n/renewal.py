"""Messages of registration, renewal and continuing education (R7a–R7d, R9a–R9c):
(Chinese, English)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "rules_unset": ("未配置", "not configured"),
    # --- materials by employer and period (R7d)
    "material_employer_only": ("只有劳动合同按聘用单位登记：{item} 不能指定 --employer",
                               "only a labour contract is recorded for an employer: "
                               "--employer does not apply to {item}"),
    "material_employer_empty": ("--employer 不能为空", "--employer cannot be empty"),
    "material_for": ("（{scope}）", " ({scope})"),
    "materials_earlier": ("不计入本期的材料（其他单位或较早的注册期）",
                          "Materials that do not count now (another employer or an "
                          "earlier period)"),
    # --- registration (R7a–R7c)
    "approved_on_default": ("批准日期按今天记录：{day}；如批准文件另有日期，请撤销后用 "
                            "--set approved_on=YYYY-MM-DD 重新登记（有效期自批准日期起算）",
                            "approval date recorded as today: {day}; if the approval is "
                            "dated otherwise, undo and record it again with --set "
                            "approved_on=YYYY-MM-DD (the validity runs from it)"),
    "registration_current": ("当前注册", "Current registration"),
    "registration_expired_mark": ("（已失效）", " (expired)"),
    "registration_earlier": ("以往注册", "Earlier registrations"),
    "registration_line": ("{number} · {employer} · 批准 {approved} · 有效期 {start} 至 {end}",
                          "{number} · {employer} · approved {approved} · valid {start} to "
                          "{end}"),
    "registration_seal": ("执业印章 {seal}（{made}刻制）", "practice seal {seal} (made {made})"),
    "registration_ended": ("{day} 结束：{reason}", "ended {day}: {reason}"),
    # --- continuing education (R9c)
    "ce_bad_hours": ("学时应为大于 0、不超过 500 的数字：{value}",
                     "the hours must be a number above 0 and at most 500: {value}"),
    "ce_future_day": ("课程日期 {day} 晚于今天（{today}）：只能登记已完成的课程",
                      "the course day {day} is after today ({today}): only a course taken "
                      "can be recorded"),
    "ce_provider_empty": ("需要培训机构：--provider …", "the provider is needed: --provider …"),
    "ce_duplicate_certificate": ("学时证明编号 {number} 已登记（{day}，{provider}）",
                                 "certificate no. {number} is recorded already ({day}, "
                                 "{provider})"),
    "ce_total_not_a_number": ("学时应为有限的数字：{value}", "the hours must be a finite number: {value}"),
    "ce_total_negative": ("学时合计不能为负数：{total}", "the hours cannot go below zero: {total}"),
    "ce_added": ("{name}：已登记继续教育 {hours} 学时（{day}，{provider}）{counted}",
                 "{name}: {hours} hours of continuing education recorded ({day}, "
                 "{provider}){counted}"),
    "ce_counted": ("，计入本注册期", ", counted for this period"),
    "ce_not_counted": ("，不在本注册期内（不计入）", ", outside this period (not counted)"),
    "ce_title": ("继续教育：{name}", "Continuing education: {name}"),
    "ce_period": ("本注册期：{period}", "This period: {period}"),
    "ce_none": ("尚无继续教育记录", "no continuing education recorded"),
    "ce_col_day": ("日期", "Day"),
    "ce_col_hours": ("学时", "Hours"),
    "ce_col_provider": ("培训机构", "Provider"),
    "ce_col_certificate": ("学时证明编号", "Certificate no."),
    "ce_col_counted": ("计入本期", "This period"),
    "ce_not_configured_hint": ("学时要求未配置：在 rules.toml 中同时设置 ce_hours_required 和 "
                               "ce_hours_source（文件文号）后才会检查学时",
                               "the required hours are not configured: set both "
                               "ce_hours_required and ce_hours_source (the document) in "
                               "rules.toml to have them checked"),
    "ce_total_recorded": ("{name}：继续教育学时合计 {before} → {after}；{status}",
                          "{name}: continuing-education hours {before} → {after}; {status}"),
    "ce_section": ("继续教育", "Continuing education"),
}
