"""Messages of the case detail's continuing-education panel (R9c) and its form to add a
course: (Chinese, English). The summary's own words (the period, hours done of those
required, "not configured") come from `renewal` and the domain."""

MESSAGES: dict[str, tuple[str, str]] = {
    "k_ce_add": ("登记学时", "Add CE course"),
    "k_ce_add_long": ("案件里：登记一门继续教育课程（学时）",
                      "In a case: add a continuing-education course (hours)"),
    "cmd_ce_add": ("为当前案件登记继续教育课程（学时）",
                   "Add a continuing-education course (hours) to this case"),
    "tui_ce_course": ("{day}  {hours} 学时  {provider}", "{day}  {hours} h  {provider}"),
    "tui_ce_not_counted": ("（不在本注册期，不计入）", " (outside this period: not counted)"),
    "tui_ce_more": ("……另有 {n} 条较早的记录（tracker ce list 查看全部）",
                    "… {n} earlier entries (tracker ce list shows them all)"),
    "tui_ce_add_hint": ("按 h 登记一门课程", "h adds a course"),
    "tui_ce_form_title": ("登记继续教育课程：{name}", "Add a continuing-education course: {name}"),
    "tui_ce_hours": ("学时", "Hours"),
    "tui_ce_day": ("课程日期", "Day of the course"),
    "tui_ce_provider": ("培训机构", "Provider"),
    "tui_ce_certificate": ("学时证明编号（可不填）", "Certificate no. (optional)"),
    "tui_ce_provider_empty": ("请填写培训机构", "Enter the provider of the course"),
}
