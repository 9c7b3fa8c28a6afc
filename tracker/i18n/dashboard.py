"""Messages of the dashboard added with issue 14 (keys, palette, layout, forms):
(Chinese, English)."""

MESSAGES: dict[str, tuple[str, str]] = {
    # --- the command palette
    "tui_palette_placeholder": ("输入命令或人名、拼音、工号、身份证号…",
                                "Type a command, or a name, pinyin, employee or ID number…"),
    "cmd_search_cases": ("搜索案件（姓名 / 拼音 / 工号 / 身份证号）",
                         "Search cases (name / pinyin / employee no. / ID number)"),
    "cmd_theme": ("更换配色主题", "Change the colour theme"),
    "cmd_export_all": ("导出案件登记表（按当前筛选）", "Export the register (current filters)"),
    "cmd_quit": ("退出", "Quit"),
    "cmd_screenshot": ("保存屏幕截图（SVG）", "Save a screenshot (SVG)"),
    "cmd_maximize": ("放大当前部件", "Maximize the focused widget"),
    "cmd_minimize": ("恢复正常大小", "Restore the normal size"),
    "cmd_materials": ("材料清单（勾选已收到的材料）", "Materials checklist (tick what was received)"),
    "cmd_material_on": ("材料已收到：{item}", "Material received: {item}"),
    "cmd_material_off": ("材料未收到（取消勾选）：{item}", "Material not received (untick): {item}"),
    "cmd_export_ics": ("导出提醒为日历文件（.ics）", "Export the reminders as a calendar (.ics)"),
    # --- notices corrected or withdrawn (issue 14, item 7)
    "notice_withdrawn": ("通知 #{id} 已于 {at} 撤回，不能再更正或撤回",
                         "notice #{id} was withdrawn on {at}: it cannot be corrected or "
                         "withdrawn again"),
    "notice_nothing_to_correct": ("通知 #{id} 没有可更正的截止日（证书发布通知不设截止日）",
                                  "notice #{id} has no deadline to correct (a certificate "
                                  "notice sets none)"),
    "notice_same_deadline": ("更正后的日期与原日期相同：{deadline}",
                             "the corrected date is the date already recorded: {deadline}"),
    "notice_correct_done": ("通知 #{id} 已更正：{before} → {after}；{moved} 个案件改用新日期，"
                            "{kept} 个保持不变",
                            "notice #{id} corrected: {before} → {after}; {moved} cases given "
                            "the new date, {kept} left as they are"),
    "notice_correct_dry_run": ("预演：通知 #{id} 将更正为 {before} → {after}；{moved} 个案件将改用"
                               "新日期，{kept} 个保持不变（未作任何修改）",
                               "dry run: notice #{id} would be corrected {before} → {after}; "
                               "{moved} cases would get the new date, {kept} left as they are "
                               "(nothing changed)"),
    "notice_withdraw_done": ("通知 #{id} 已撤回：{moved} 个案件已恢复原状，{kept} 个此后已有"
                             "其他记录、保持不变",
                             "notice #{id} withdrawn: {moved} cases moved back, {kept} touched "
                             "since and left as they are"),
    "notice_withdraw_dry_run": ("预演：撤回通知 #{id} 将恢复 {moved} 个案件，{kept} 个保持不变"
                                "（未作任何修改）",
                                "dry run: withdrawing notice #{id} would move {moved} cases "
                                "back and leave {kept} as they are (nothing changed)"),
    "notice_withdrawn_mark": ("（已撤回）", "(withdrawn)"),
    # --- the notices screen
    "k_notice_correct": ("更正", "Correct"),
    "k_notice_withdraw": ("撤回", "Withdraw"),
    "tui_notice_sitting": ("考试日期", "Sitting day"),
    "tui_notice_days_hint": ("可不填：开始后的工作日数", "optional: working days after opening"),
    "tui_notice_needs_deadline": ("{kind}需要截止日：请填“截止日期”，或填“开始日期”和工作日数",
                                  "a {kind} needs a deadline: fill in the deadline, or the "
                                  "opening day and the number of working days"),
    "tui_notice_deadline_twice": ("请只填“截止日期”或工作日数之一",
                                  "fill in either the deadline or the working days, not both"),
    "tui_notice_days_need_opens": ("按工作日计算截止日需要“开始日期”（从哪一天起算）",
                                   "counting working days needs the opening day (the day "
                                   "the count starts from)"),
    "tui_notice_days_positive": ("工作日数至少为 1", "the working days must be at least 1"),
    "tui_notice_needs_sitting": ("考试通知需要考试日期", "an exam notice needs the sitting day"),
    "tui_notice_will_sitting": ("{kind}（{year} 年度）：考试日期 {sitting}；不改变任何案件的状态，"
                                "已合格科目的有效期与提醒据此计算。确定登记吗？",
                                "{kind} ({year}): sitting on {sitting}; no case changes state, "
                                "the passes in force and the reminders are dated by it. "
                                "Record it?"),
    "tui_correct_title": ("更正通知 #{id}（{kind}，{year} 年度）",
                          "Correct notice #{id} ({kind}, {year})"),
    "tui_correct_now": ("现为：{value}", "Now: {value}"),
    "tui_empty_hint": ("还没有任何案件。按 i 导入员工花名册（CSV 或 Excel，可先“试导入”检查），"
                       "或在命令行运行 tracker import 文件名；想先看看效果，运行 tracker demo。",
                       "No cases yet. Press i to import a staff list (CSV or Excel; try it "
                       "first with the dry run), or run tracker import FILE; to look around "
                       "first, run tracker demo."),
    # --- exports and import words
    "tui_export_replace": ("文件已存在：{path}\n要覆盖它吗？", "The file exists: {path}\nReplace it?"),
    "tui_export_folder": ("默认保存到：{folder}（可用环境变量 TRACKER_EXPORTS 指定）",
                          "Saved by default to: {folder} (set TRACKER_EXPORTS to change)"),
    "tui_exported_rejected": ("已导出 {n} 行被拒绝的记录：{path}",
                              "Exported {n} rejected rows: {path}"),
    "tui_import_confirm_rows": ("导入 {file}？通过检查的行在一个事务中一起导入（中途出错则什么也不改）；"
                                "有问题的行不导入，会逐行列出原因。",
                                "Import {file}? The rows that pass the checks are imported "
                                "together, in one transaction (if it fails midway, nothing "
                                "changes); rows with problems are not imported and are listed "
                                "with their reasons."),
    # --- the keyboard model (help screen, README)
    "tui_help_model": (
        "单个字母的按键用于切换界面和操作，不会输入到文本框里。进入文本框：按 / 进入搜索框，或用鼠标点击、"
        "Tab 键；在文本框里输入的字母就是文字。离开文本框：Esc 或 Enter；在搜索框里按 ↓ 或 Tab 直接进入"
        "下面的列表。表格有焦点时，空格键标记当前行。",
        "Single-letter keys switch screens and act; they never type into a text box. A box is "
        "entered with / (the search), a click or Tab; in a box, letters are text. Esc or Enter "
        "leaves it; from the search, Down or Tab goes into the table below. Wherever a table "
        "has the focus, Space marks its row."),
    "k_palette_long": ("命令面板：人员、操作、导出、界面、语言、主题（中英文都能搜）",
                       "Command palette: people, events, exports, screens, language, theme "
                       "(found in either language)"),
    "k_leave_box": ("离开文本框，回到列表", "Leave a text box for the table"),
    "k_box_to_table": ("从搜索框进入列表", "From the search into the table"),
    "k_notice_keys": ("通知界面：更正 / 撤回所选通知", "Notices: correct / withdraw the notice"),
    "k_language_long": ("切换中文 / English", "Switch 中文 / English"),
    "k_sort_long": ("列表：换一列排序 / 倒序", "Lists: sort by the next column / reverse"),
    "k_pages_long": ("列表：下一页 / 上一页", "Lists: next page / previous page"),
    "k_case_keys": ("案件里：执行操作", "In a case: fire an event"),
    "k_undo_long": ("案件里：撤销最近一步", "In a case: undo the last step"),
    "k_reveal_long": ("案件里：显示 / 隐藏完整身份证号", "In a case: show / hide the full ID number"),
    "k_materials_long": ("案件里：材料清单（空格勾选）", "In a case: the materials (Space ticks)"),
    "k_export_long": ("导出（列表、案件状态表、提醒日历）",
                      "Export (the list, a case's sheet, the reminders calendar)"),
    "k_mark_long": ("列表：标记当前行（批量操作用）", "Lists: mark the row (for a bulk event)"),
}
