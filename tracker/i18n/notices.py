"""Messages of notices, deadlines, reminders, the sweep and the rules: (Chinese, English)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "sweep_flagged": ("需要跟进（{n} 项，不改变状态）", "To follow up ({n}, nothing moved)"),
    # --- the rules file
    "rules_file_unreadable": ("无法读取规则文件 {path}：", "cannot read the rules file {path}:"),
    "rules_file_invalid": ("规则文件 {path} 有误，未使用：",
                           "the rules file {path} has an error and was not used:"),
    "rules_title": ("生效规则", "Rules in force"),
    "rules_source_default": ("默认", "default"),
    "rules_user_file": ("用户规则文件：{path}", "user rules file: {path}"),
    "rules_user_file_missing": ("（尚不存在；在此创建 rules.toml 即可覆盖默认值，参见 tracker rules --format toml）",
                                "(not present; create rules.toml there to override the "
                                "defaults, see tracker rules --format toml)"),
    "col_rule": ("规则", "Rule"),
    "col_meaning": ("含义", "Meaning"),
    "col_value": ("值", "Value"),
    "col_source": ("来源", "Source"),
    # --- notices: errors
    "bad_date": ("日期无效：{value}（应为 YYYY-MM-DD）", "invalid date: {value} (expected YYYY-MM-DD)"),
    "unknown_notice": ("没有编号为 {id} 的通知", "no notice with id {id}"),
    "unknown_notice_kind": ("未知通知类型：{kind}（可用：{known}）",
                            "unknown notice kind: {kind} (known: {known})"),
    "notice_deadline_twice": ("截止日请只用 --deadline 或 --working-days 之一指定",
                              "give the deadline either with --deadline or with "
                              "--working-days, not both"),
    "notice_working_days_need_opens": ("--working-days 需要 --opens（从哪一天起算）",
                                       "--working-days needs --opens (the day the count "
                                       "starts from)"),
    "notice_working_days_positive": ("--working-days 至少为 1", "--working-days must be at least 1"),
    "notice_needs_deadline": ("{kind}需要截止日：--deadline YYYY-MM-DD，或 --opens YYYY-MM-DD --working-days N",
                              "a {kind} needs a deadline: --deadline YYYY-MM-DD, or --opens "
                              "YYYY-MM-DD --working-days N"),
    "notice_needs_sitting": ("考试通知需要考试日期：--sitting YYYY-MM-DD",
                             "an exam notice needs the sitting's date: --sitting YYYY-MM-DD"),
    "notice_sitting_only_exam": ("只有考试通知（--kind exam）才有考试日期（--sitting）",
                                 "only an exam notice (--kind exam) has a sitting date (--sitting)"),
    "notice_sitting_year": ("考试日期 {sitting} 不在 {year} 年度内",
                            "the sitting {sitting} is not in the exam year {year}"),
    "notice_sitting": ("{year} 年度考试日期：{sitting}；已合格科目的有效期与提醒据此计算",
                       "the {year} sitting is on {sitting}; passes and reminders are dated by it"),
    "notice_opens_after_deadline": ("开始日 {opens} 晚于截止日 {deadline}",
                                    "the opening day {opens} is after the deadline {deadline}"),
    # --- notices: results
    "notice_recorded": ("已登记通知 #{id}：{kind}，{year} 年度",
                        "notice #{id} recorded: {kind}, exam year {year}"),
    "notice_dry_run": ("（试运行，未登记，未修改）{kind}，{year} 年度",
                       "(dry run, nothing recorded or changed) {kind}, exam year {year}"),
    "notice_window": ("开始 {opens}，截止 {deadline}", "opens {opens}, deadline {deadline}"),
    "notice_deadline_counted": ("截止日：{opens} 起第 {n} 个工作日，即 {deadline}（{weekday}；已按法定节假日和调休上班日计算，开始当日不计入）",
                                "deadline: the {n}th working day after {opens}, i.e. "
                                "{deadline} ({weekday}; public holidays and adjusted working "
                                "weekends counted, the opening day not counted)"),
    "notice_applied": ("{event}：{applied} 个案件", "{event}: {applied} cases"),
    "notice_refused": ("{refused} 个案件被拒绝：", "{refused} cases refused:"),
    "notice_paper_applied": ("{applied} 个案件已设置纸质证书领取时间", "{applied} cases given the paper-collection window"),
    "notice_pending_updated": ("{n} 个已在待资格复核的案件截止日改为 {deadline}",
                               "{n} cases already in review now have the deadline {deadline}"),
    "notice_pending_left": ("注意：{year} 年度另有 {n} 个待资格复核案件的截止日与本通知不同，未作修改；若本通知取代了原截止日，请加 --update-pending 重新登记",
                            "note: {n} cases of exam year {year} already in review have "
                            "another deadline and were left alone; if this notice replaces "
                            "it, record it again with --update-pending"),
    "notice_without_year": ("注意：{n} 个处于本通知相关状态的案件没有考试年度，本通知未覆盖它们",
                            "note: {n} cases in the states this notice concerns have no exam "
                            "year; the notice did not reach them"),
    "notice_deadline_passed": ("注意：截止日 {deadline} 已过（今天 {today}）；tracker sweep 会把仍未提交材料的案件记为未参加复核",
                               "note: the deadline {deadline} has passed (today is {today}); "
                               "tracker sweep will mark the cases that did not submit as "
                               "review missed"),
    "notices_none": ("尚未登记任何通知", "no notices recorded yet"),
    "notices_title": ("官方通知", "Official notices"),
    "col_notice_id": ("通知", "Notice"),
    "col_kind": ("类型", "Kind"),
    "col_opens": ("开始", "Opens"),
    "col_deadline": ("截止", "Deadline"),
    "col_title": ("标题", "Title"),
    "col_ref": ("文号/链接", "Reference"),
    "col_applied": ("应用案件数", "Cases"),
    # --- deadlines and reminders
    "deadlines": ("期限", "Deadlines"),
    "col_detail": ("说明", "Detail"),
    "remind_none": ("没有需要提醒的期限（无逾期，提醒范围内也无到期）",
                    "nothing to remind of: nothing overdue, nothing due within the window"),
    "remind_title": ("期限提醒（{today}）", "Deadlines ({today})"),
    "remind_summary": ("共 {total} 项：逾期 {overdue} 项，7 天内到期 {soon} 项",
                       "{total} deadlines: {overdue} overdue, {soon} due within 7 days"),
    "remind_window_stages": ("提醒范围：全部逾期，及一般期限 {days} 天内、注册到期 {expiry_days} 天内到期的事项（--within 可改）",
                             "window: everything overdue, ordinary deadlines due within "
                             "{days} days, registration expiries within {expiry_days} days "
                             "(change with --within)"),
    "remind_window_days": ("提醒范围：全部逾期，及 {days} 天内到期的事项",
                           "window: everything overdue and everything due within {days} days"),
    "remind_more": ("只显示前 {shown} 项（共 {total} 项）：用 --limit、--within、--department 等缩小范围，或 --format json / ics 导出全部",
                    "only the first {shown} of {total} shown: narrow with --limit, --within, "
                    "--department…, or export everything with --format json or ics"),
    "ics_written": ("已写入 {path}（{events} 个日历事件，可导入 Outlook、Thunderbird 或手机日历）",
                    "written: {path} ({events} calendar events; import it into Outlook, "
                    "Thunderbird or a phone calendar)"),
    "list_due_conflict": ("--overdue 与 --due-within 请只用其一",
                          "use either --overdue or --due-within, not both"),
    # --- the sweep
    "sweep_done": ("巡检（{today}）：已执行 {applied} 个，拒绝 {refused} 个",
                   "sweep ({today}): {applied} applied, {refused} refused"),
    "sweep_dry_run": ("（试运行，未修改）巡检（{today}）：将执行 {applied} 个，将拒绝 {refused} 个",
                      "(dry run, nothing changed) sweep ({today}): {applied} would apply, "
                      "{refused} would be refused"),
    "sweep_nothing": ("巡检（{today}）：没有到期需处理的案件", "sweep ({today}): nothing is due"),
    "sweep_more": ("只列出前 {shown} 个（共 {total} 个）；--format json 列出全部",
                   "the first {shown} of {total} listed; --format json lists them all"),
    "sweep_event": ("{event}：{n} 个", "{event}: {n}"),
}
