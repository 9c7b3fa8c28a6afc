"""Messages of the exports (status sheet, register, diagram): (Chinese, English)."""

MESSAGES: dict[str, tuple[str, str]] = {
    # --- the status sheet
    "sheet_title": ("二级建造师办证状态表", "Grade-2 Constructor status sheet"),
    "sheet_generated": ("生成日期：{today}", "Generated on {today}"),
    "sheet_person": ("人员信息", "Person"),
    "sheet_progress": ("办理进度（考试 → 注册）", "Progress from exam to registration"),
    "sheet_current": ("当前状态", "Where the case stands"),
    "sheet_case_data": ("证书与注册信息", "Certificate and registration"),
    "sheet_next": ("下一步怎么做", "What to do next"),
    "sheet_deadlines": ("期限", "Deadlines"),
    "sheet_no_deadlines": ("目前没有待办期限。", "No open deadlines."),
    "sheet_materials": ("材料清单", "Materials checklist"),
    "sheet_received_on": ("已收到（{on}）", "received ({on})"),
    "sheet_not_received": ("未收到", "not received"),
    "sheet_needed_now": ("下一步需要", "needed next"),
    "sheet_history": ("办理记录", "History"),
    "sheet_no_history": ("暂无记录。", "No history yet."),
    "sheet_footer": ("一切日期以上海市职业能力考试院等官方通知为准。如有疑问，请联系公司人事部门。",
                     "Every date follows the official notices of 上海市职业能力考试院 and the "
                     "other authorities. Questions: ask your company's HR department."),
    "sheet_exam": ("考试情况", "The exam"),
    "sheet_registration": ("注册与继续教育", "Registration and continuing education"),
    "sheet_last_told": ("上次通知本人：{when}", "Last told: {when}"),
    "sheet_exam_missing": ("还需通过：{subjects}", "Still to pass: {subjects}"),
    "sheet_exam_failed": ("{year} 年度考试未通过：{subjects}", "{year} sitting, not passed: {subjects}"),
    "sheet_exam_absent": ("{year} 年度考试缺考：{subjects}", "{year} sitting, absent: {subjects}"),
    "sheet_exam_earlier": ("此前一次报考（{year} 年度）以“{ended}”结束，{on} 起重新参加考试",
                           "An earlier attempt ({year} sitting) ended as “{ended}”; the exam "
                           "was started again on {on}"),
    "sheet_id_masked": ("身份证号已部分隐藏。", "The ID number is partly hidden."),
    "sheet_id_full": ("本表含完整身份证号，请妥善保管。", "This sheet shows the full ID number: "
                      "keep it safe."),
    "sheet_line_done": ("已完成", "done"),
    "sheet_line_current": ("当前", "now"),
    "sheet_line_todo": ("未到", "to come"),
    "sheet_line_stopped": ("已终止", "stopped"),
    "sheet_line_off": ("不适用", "no longer applies"),
    "sheet_kind_action": ("办理", "To do"),
    "sheet_kind_warning": ("注意", "Warning"),
    "sheet_kind_info": ("提示", "Note"),
    "export_col_changes": ("记录内容", "Recorded"),
    "export_col_item": ("材料", "Item"),
    "export_col_status": ("状态", "Status"),
    # --- the register
    "register_sheet": ("登记表", "Register"),
    # --- command results and refusals
    "export_written": ("已写入 {path}", "written: {path}"),
    "export_written_many": ("已写入 {count} 份状态表到 {path}", "{count} status sheets written to {path}"),
    "export_all_written": ("已导出 {count} 个案件到 {path}", "{count} cases exported to {path}"),
    "export_not_a_folder": ("{path} 是一个文件：导出多个案件时 -o 须是文件夹",
                            "{path} is a file: with several cases, -o must be a folder"),
    "export_stdout_one_case": ("-o - （输出到终端）只能用于一个案件",
                               "-o - (to the terminal) takes exactly one case"),
    "export_binary_needs_file": ("XLSX 是二进制文件，不能输出到终端：请用 -o 指定文件名",
                                 "XLSX is a binary file and cannot go to the terminal: name a "
                                 "file with -o"),
    "export_full_id_warning": ("注意：导出内容含完整身份证号，请妥善保管该文件。",
                               "Note: the export contains full ID numbers; keep the file safe."),
    "diagram_dot_missing": ("生成 SVG 需要 Graphviz 的 dot 程序，但未找到。请安装 Graphviz（Debian/Ubuntu：apt install graphviz；"
                    "Windows：winget install graphviz；macOS：brew install graphviz），或改用 --format mermaid。",
                    "SVG needs the dot program of Graphviz, which was not found. Install "
                    "Graphviz (Debian/Ubuntu: apt install graphviz; Windows: winget install "
                    "graphviz; macOS: brew install graphviz), or use --format mermaid."),
    "diagram_dot_failed": ("Graphviz 生成 SVG 失败：{detail}", "Graphviz could not draw the SVG: {detail}"),
}
