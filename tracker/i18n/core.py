"""Messages of the core commands: (Chinese, English)."""

MESSAGES: dict[str, tuple[str, str]] = {
    # --- framing
    "error": ("错误：", "Error:"),
    "none": ("无", "none"),
    "aborted": ("已取消。", "Aborted."),
    "allowed_now": ("当前可执行：{events}", "allowed now: {events}"),
    "internal_error": ("程序内部错误，数据库未被修改。详情已写入 {log}，请把该文件发给维护人员。",
                       "internal error; the database was not changed. Details are in {log}: "
                       "please send that file to the maintainers."),
    "needs_terminal": ("总览界面需要在终端中运行；脚本请使用子命令（tracker --help）",
                       "the dashboard needs a terminal; scripts use the commands (tracker --help)"),
    "bad_today": ("--today 日期无效：{value}（应为 YYYY-MM-DD）",
                  "--today: invalid date {value} (expected YYYY-MM-DD)"),
    # --- the database file
    "db_missing": ("数据库文件不存在：{path}", "database file not found: {path}"),
    "db_is_directory": ("数据库路径是一个文件夹：{path}", "the database path is a folder: {path}"),
    "db_cannot_create": ("无法创建数据库文件 {path}：{detail}",
                         "cannot create the database file {path}: {detail}"),
    "db_not_a_database": ("{path} 不是 tracker 数据库，或文件已损坏（{detail}）。可用 tracker restore 从备份恢复。",
                          "{path} is not a tracker database, or it is damaged ({detail}). "
                          "A backup can be restored with tracker restore."),
    "db_too_new": ("数据库 {path} 由更新版本的 tracker 创建（结构版本 {detail}），本版本不能打开；请升级 tracker。文件未作任何修改。",
                   "the database {path} was written by a newer tracker (schema {detail}); "
                   "upgrade tracker to open it. The file was not changed."),
    "db_read_only": ("数据库 {path} 只读，无法写入：请检查文件权限。{detail}",
                     "the database {path} is read-only: check the file's permissions. {detail}"),
    "db_locked": ("数据库正被其他程序长时间占用，请稍后重试。未作任何修改。",
                  "the database is busy in another program for too long; try again later. "
                  "Nothing was changed."),
    "db_error": ("数据库错误 {path}：{detail}", "database error {path}: {detail}"),
    "disk_full": ("磁盘空间不足，操作未完成，数据库保持不变。{path}",
                  "the disk is full; nothing was changed. {path}"),
    "os_error": ("文件错误 {path}：{detail}", "file error {path}: {detail}"),
    "file_not_regular": ("{path} 不是普通文件（是文件夹、设备或管道），不能写入",
                         "{path} is not a regular file (a folder, a device or a pipe): "
                         "nothing was written to it"),
    # --- validation and lookups
    "name_empty": ("姓名不能为空", "the name cannot be empty"),
    "bad_id_number": ("身份证号无效：{value}", "invalid ID number: {value}"),
    "unknown_specialty": ("未知专业：{value}", "unknown specialty: {value}"),
    "unknown_state": ("未知状态：{value}（可用：{known}）", "unknown state: {value} (known: {known})"),
    "case_exists": ("此人该专业已有案件：案件 {case_id}（{name}）",
                    "this person already has a case for that specialty: case {case_id} ({name})"),
    "unknown_case": ("找不到案件：{ref}（可用案件编号、工号或完整身份证号）",
                     "no such case: {ref} (use the case id, the employee number or the full "
                     "ID number)"),
    "ambiguous_case": ("“{ref}”对应多个案件：{ids}，请用案件编号",
                       "“{ref}” matches several cases: {ids}; use the case id"),
    "unknown_event": ("未知操作：{event}（可用：{known}）", "unknown event: {event} (known: {known})"),
    "unknown_field": ("操作 {event} 不能设置 {key}（可设置：{fields}）",
                      "{event} cannot set {key} (it can set: {fields})"),
    "bad_value": ("{key} 的值无效", "invalid value for {key}"),
    "bad_set": ("--set 应写成 KEY=VALUE：{pair}", "--set must be KEY=VALUE: {pair}"),
    "id_number_taken": ("该身份证号已属于另一人：{name}", "that ID number belongs to someone else: {name}"),
    "id_number_on_record": ("该身份证号已登记在“{name}”名下，不能再以“{given}”添加。如姓名确有变更，"
                            "请对原案件执行“个人信息变更”并登记公安机关变更证明。",
                            "that ID number is on record under “{name}”: it cannot be added "
                            "as “{given}”. If the name really changed, use “Change personal "
                            "data” on that person's case, with the police certificate of the "
                            "change."),
    "bad_phone": ("电话号码无效：{value}", "invalid phone number: {value}"),
    "event_refused": ("操作被拒绝（案件 {case_id}，{event}）：", "event refused (case {case_id}, {event}):"),
    "unknown_material": ("未知材料：{item}（可用：{known}）", "unknown item: {item} (known: {known})"),
    "nothing_to_undo": ("案件 {case_id} 没有可撤销的操作", "case {case_id} has nothing to undo"),
    "bulk_needs_selection": ("请用 --state、--ids-file 或 --search 选择案件",
                             "select the cases with --state, --ids-file or --search"),
    "demo_refuses_overwrite": ("{path} 不是演示数据库，不会覆盖它；请用 --path 指定其他位置",
                               "{path} is not a demo database and will not be overwritten; "
                               "choose another place with --path"),
    # --- results
    "added": ("已添加案件 {case_id}：{name}（{state}）", "added case {case_id}: {name} ({state})"),
    "shown_of": ("显示 {shown} / 共 {total} 个案件", "{shown} of {total} cases shown"),
    "case_no": ("案件 {case_id}", "case {case_id}"),
    "stage": ("阶段", "Stage"),
    "materials": ("材料", "Materials"),
    "allowed_events": ("当前可执行的操作", "Events allowed now"),
    "officer_next": ("下一步需要登记", "What to record next"),
    "history": ("历史记录", "History"),
    "fired": ("{name}：{event}，{from_} → {to}", "{name}: {event}, {from_} → {to}"),
    "bulk_done": ("{event}：已执行 {applied} 个，拒绝 {refused} 个",
                  "{event}: {applied} applied, {refused} refused"),
    "bulk_dry_run": ("（试运行，未修改）{event}：可执行 {applied} 个，将拒绝 {refused} 个",
                     "(dry run, nothing changed) {event}: {applied} would apply, "
                     "{refused} would be refused"),
    "refused": ("被拒绝", "Refused"),
    "material_added": ("已登记收到：{item}", "received: {item}"),
    "material_removed": ("已取消登记：{item}", "no longer received: {item}"),
    "material_unchanged": ("无变化：{item}", "unchanged: {item}"),
    "undone": ("已撤销“{event}”：{name} 回到 {state}", "undone “{event}”: {name} is back in {state}"),
    "written": ("已写入 {path}", "written: {path}"),
    # --- demo
    "demo_summary": ("演示数据：各状态案件数", "Demo data: cases per state"),
    "demo_built": ("演示数据库已生成：{path}（{total} 个案件，均为虚构人员）",
                   "demo database built: {path} ({total} cases, all fictitious)"),
    "demo_try": ("试试：tracker --db {path} list --search zw",
                 "try: tracker --db {path} list --search zw"),
    # --- column headers
    "col_at": ("时间", "When"),
    "col_event": ("操作", "Event"),
    "col_from": ("原状态", "From"),
    "col_to": ("新状态", "To"),
    "col_actor": ("操作人", "By"),
    "col_note": ("备注", "Note"),
    "col_reason": ("原因", "Reason"),
    "col_count": ("案件数", "Cases"),
}
