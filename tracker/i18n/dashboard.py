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
}
