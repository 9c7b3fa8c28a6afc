"""Messages of the working-day calendar (R15): recorded arrangements, provisional counts,
recounts and the early warning: (Chinese, English)."""

MESSAGES: dict[str, tuple[str, str]] = {
    # --- provisional deadlines, wherever they are shown
    "provisional_mark": ("暂定", "provisional"),
    "provisional_label": ("{label}（暂定）", "{label} (provisional)"),
    "provisional_advice": ("暂定日期：跨入尚无节假日安排的年份，按周一至周五计算；国务院公布该年安排后，请用 tracker calendar import 录入，期限会自动重算",
                           "provisional date: counted Monday to Friday across a year whose "
                           "holiday arrangement is not recorded yet; when the State Council "
                           "publishes it, record it with tracker calendar import and the "
                           "deadline is recomputed"),
    # The status sheet speaks to the employee (R17): what it means, not what to run.
    "provisional_note_staff": ("暂定日期：按周一至周五计算，国务院公布该年节假日安排后可能调整",
                               "provisional date: counted Monday to Friday; it may move when "
                               "the State Council publishes that year's holiday arrangement"),
    "notice_deadline_provisional": ("截止日（暂定）：{opens} 起第 {n} 个工作日，即 {deadline}（{weekday}）。{years} 年的节假日安排尚未录入，该年按周一至周五计算；国务院公布后请用 tracker calendar import 录入，截止日会自动重算，并告诉您哪些期限变了",
                                    "deadline (provisional): the {n}th working day after "
                                    "{opens}, i.e. {deadline} ({weekday}). The holiday "
                                    "arrangement of {years} is not recorded yet, so that year "
                                    "is counted Monday to Friday; when the State Council "
                                    "publishes it, record it with tracker calendar import: "
                                    "the deadline is recomputed and you are told what moved"),
    # --- the early warning (remind, sweep, dashboard; once a day)
    "calendar_missing": ("{years} 年的节假日安排尚未录入：跨入该年的“N 个工作日”期限只能按周一至周五暂算。国务院公布后（通常在 11 月至 12 月），请用 tracker calendar import 文件 录入（holiday-cn 的 JSON 或 TOML），暂定期限会自动重算",
                         "the holiday arrangement of {years} is not recorded yet: deadlines in "
                         "working days that run into it can only be counted Monday to Friday "
                         "(provisional). When the State Council publishes it (usually in "
                         "November or December), record it with tracker calendar import FILE "
                         "(holiday-cn JSON or TOML); provisional deadlines are then "
                         "recomputed"),
    "calendar_recount_pending": ("{n} 个通知的截止日按现行日历计算会不同（chinese-calendar 已升级？）：请运行 tracker calendar recount",
                                 "{n} notices count differently on the calendar in force "
                                 "(chinese-calendar upgraded?): run tracker calendar recount"),
    # --- reading a file
    "calendar_file_invalid": ("节假日安排文件 {path} 有误，未录入任何内容：",
                              "the holiday arrangement in {path} was refused, nothing was "
                              "recorded:"),
    "calendar_file_unreadable": ("无法读取 {path}：{detail}", "cannot read {path}: {detail}"),
    "calendar_nothing_to_undo": ("{year} 年没有可撤销的录入", "nothing recorded for {year} to undo"),
    # --- import, undo, recount
    "calendar_dry_run": ("（试运行，未修改）", "(dry run, nothing changed)"),
    "calendar_recorded": ("已录入 {year} 年节假日安排（版本 #{version}；此前：{before}）",
                          "the {year} holiday arrangement is recorded (version #{version}; "
                          "before: {before})"),
    "calendar_record_dry_run": ("（试运行，未修改）将录入 {year} 年节假日安排（此前：{before}）",
                                "(dry run, nothing changed) would record the {year} holiday "
                                "arrangement (before: {before})"),
    "calendar_undo_dry_run": ("（试运行，未修改）将撤销 {year} 年的录入 #{undone}；之后：{after}",
                              "(dry run, nothing changed) would undo the {year} record "
                              "#{undone}; then: {after}"),
    "calendar_days": ("放假日 {holidays} 天，调休上班日 {workdays} 天；来源：{source}",
                      "{holidays} days off, {workdays} adjusted working days; source: "
                      "{source}"),
    "calendar_library_differs": ("与 chinese-calendar 不同的日子：{n} 天（{days}）；以录入的为准",
                                 "differs from chinese-calendar on {n} days ({days}); the "
                                 "recorded arrangement is used"),
    "calendar_library_same": ("与 chinese-calendar 的数据一致", "the same as chinese-calendar"),
    "calendar_unchanged": ("{year} 年的这份节假日安排已经录入，未作修改",
                           "this {year} holiday arrangement is already recorded; nothing "
                           "changed"),
    "calendar_undone": ("已撤销 {year} 年的录入 #{undone}（新版本 #{version}）；现在：{after}",
                        "the {year} record #{undone} is undone (new version #{version}); "
                        "now: {after}"),
    "calendar_recount_title": ("按工作日计算的截止日：", "Deadlines counted in working days:"),
    "calendar_recount_done": ("已按现行日历重新计算按工作日计算的截止日：",
                              "deadlines in working days counted again on the calendar in "
                              "force:"),
    "calendar_nothing_moves": ("没有截止日变动", "no deadline moves"),
    "calendar_notice": ("通知 #{id}（{kind}，{year} 年度）", "notice #{id} ({kind}, exam year {year})"),
    "calendar_moved": ("{notice}：{old} → {new}，{n} 个案件 {cases}",
                       "{notice}: {old} → {new}, {n} cases {cases}"),
    "calendar_missed_check": ("注意：案件 {cases} 已在原截止日后被记为未参加复核，而截止日现在更晚：请核实，如按时提交可用 tracker undo 撤销",
                              "note: cases {cases} were marked review missed after the old "
                              "deadline, which is now later: check them, and undo with "
                              "tracker undo if they submitted in time"),
    "calendar_confirmed": ("{notice}：{date} 不变，不再是暂定日期",
                           "{notice}: {date} confirmed, no longer provisional"),
    "calendar_provisional_again": ("{notice}：{date} 不变，重新成为暂定日期",
                                   "{notice}: {date} unchanged, provisional again"),
    "calendar_recount_note": ("按 {year} 年节假日安排重新计算截止日",
                              "deadline recounted on the {year} holiday arrangement"),
    "calendar_undo_note": ("撤销 {year} 年节假日安排录入 #{version}，重新计算截止日",
                           "the {year} holiday arrangement record #{version} undone; deadline "
                           "recounted"),
    "calendar_recount_library": ("按现行日历（chinese-calendar 已升级）重新计算截止日",
                                 "deadline recounted on the calendar in force (chinese-calendar "
                                 "upgraded)"),
    # --- calendar show
    "calendar_show_title": ("{year} 年工作日安排：{source}", "Working days of {year}: {source}"),
    "calendar_library": ("chinese-calendar {version} 内置 {first}–{last} 年的安排",
                         "chinese-calendar {version} knows {first}–{last}"),
    "calendar_recorded_by": ("版本 #{version}，{at} 由 {actor} 录入，文件 {file}",
                             "version #{version}, recorded {at} by {actor} from {file}"),
    "calendar_source": ("依据：{source}", "source: {source}"),
    "calendar_provisional_year": ("{year} 年的安排无人知道：该年的“N 个工作日”按周一至周五暂算，期限标为暂定。国务院公布后请用 tracker calendar import 录入",
                                  "nothing knows the {year} arrangement: working days in "
                                  "{year} are counted Monday to Friday and the deadlines are "
                                  "marked provisional. When the State Council publishes it, "
                                  "record it with tracker calendar import"),
    "calendar_holidays": ("放假日（{n} 天）", "Days off ({n})"),
    "calendar_workdays": ("调休上班日（{n} 天）", "Adjusted working days ({n})"),
    "calendar_versions": ("录入记录", "Records"),
    "calendar_action_import": ("录入", "import"),
    "calendar_action_undo": ("撤销", "undo"),
    "col_date": ("日期", "Date"),
    "col_weekday": ("星期", "Weekday"),
    "col_holiday_name": ("名称", "Name"),
    "col_version": ("版本", "Version"),
    "col_action": ("操作", "Action"),
    "col_file": ("文件", "File"),
    "col_moved": ("变动的通知", "Notices moved"),
    # --- the dashboard
    "tui_provisional_legend": ("* 暂定日期：按周一至周五计算", "* provisional: counted Mon–Fri"),
    "tui_provisional_detail": ("* 暂定：按周一至周五计算；录入该年节假日安排后重算",
                               "* provisional: counted Mon–Fri; recomputed when the year's "
                               "holiday arrangement is recorded"),
}
