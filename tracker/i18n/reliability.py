"""Messages of backups, restore and the audit trail: (Chinese, English)."""

MESSAGES: dict[str, tuple[str, str]] = {
    # --- backups
    "backup_written": ("已备份到 {path}", "backup written: {path}"),
    "backup_failed": ("无法写入备份 {path}：{detail}", "cannot write the backup {path}: {detail}"),
    "backup_auto_failed": ("操作前无法在 {path} 创建自动备份（{detail}），操作未执行，数据库未作修改。"
                           "请腾出磁盘空间或检查文件夹权限后重试。",
                           "could not take the automatic snapshot in {path} ({detail}); the "
                           "action was not started and nothing was changed. Free some disk "
                           "space or check the folder's permissions, then try again."),
    "backup_list_title": ("{path} 中的备份", "Backups in {path}"),
    "backup_none": ("{path} 中还没有备份", "no backups in {path} yet"),
    "backup_col_file": ("文件", "File"),
    "backup_col_taken": ("时间", "Taken"),
    "backup_col_reason": ("原因", "Why"),
    "backup_col_size": ("大小", "Size"),
    "backup_reason_import": ("导入前自动备份", "before an import"),
    "backup_reason_bulk": ("批量操作前自动备份", "before a bulk event"),
    "backup_reason_restore": ("恢复前的原数据库", "replaced by a restore"),
    "backup_reason_damaged": ("恢复前的原数据库（已损坏，原样保存）",
                              "replaced by a restore (damaged, kept as it was)"),
    "backup_reason_manual": ("手动备份", "manual"),
    "backup_keep_note": ("自动备份保留最近 {keep} 份（规则 backups_keep）；手动备份不会被自动删除。",
                         "the newest {keep} automatic snapshots are kept (rule backups_keep); "
                         "manual backups are never deleted automatically."),
    # --- restore
    "restore_missing": ("找不到备份文件：{path}", "backup file not found: {path}"),
    "restore_unreadable": ("无法读取备份文件 {path}：{detail}",
                           "cannot read the backup file {path}: {detail}"),
    "restore_same_file": ("{path} 就是当前数据库本身，无需恢复",
                          "{path} is the database itself; there is nothing to restore"),
    "restore_not_a_database": ("{path} 不是数据库文件（{detail}）：未恢复，现有数据库未作修改。",
                               "{path} is not a database file ({detail}): nothing restored, "
                               "the database was not changed."),
    "restore_damaged": ("{path} 未通过完整性检查，文件已损坏（{detail}）：未恢复，现有数据库未作修改。"
                        "请选择另一份备份（tracker backup --list）。",
                        "{path} failed the integrity check, the file is damaged ({detail}): "
                        "nothing restored, the database was not changed. Choose another "
                        "backup (tracker backup --list)."),
    "restore_too_new": ("{path} 由更新版本的 tracker 创建（结构版本 {version}，本版本支持 {current}）：未恢复，"
                        "现有数据库未作修改。请升级 tracker 后再恢复。",
                        "{path} was written by a newer tracker (schema {version}; this one "
                        "knows {current}): nothing restored, the database was not changed. "
                        "Upgrade tracker to restore it."),
    "restore_not_tracker": ("{path} 不是完整的 tracker 数据库（缺少：{detail}）：未恢复，现有数据库未作修改。",
                            "{path} is not a complete tracker database (missing: {detail}): "
                            "nothing restored, the database was not changed."),
    "restore_failed": ("恢复到 {path} 失败（{detail}），数据库未作修改。",
                       "restoring into {path} failed ({detail}); the database was not "
                       "changed."),
    "restore_done": ("已从 {source} 恢复数据库 {path}（{cases} 个案件，结构版本 {version}）。",
                     "restored {path} from {source} ({cases} cases, schema {version})."),
    "restore_migrated": ("该备份来自旧版本，已升级到当前结构版本 {current}。",
                         "the backup came from an older version and was upgraded to schema "
                         "{current}."),
    "restore_saved": ("被替换的数据库已保存为 {path}", "the database it replaced is kept as {path}"),
    "restore_saved_damaged": ("被替换的数据库已损坏，已原样保存为 {path}",
                              "the database it replaced was damaged; its bytes are kept as "
                              "{path}"),
    # --- the audit trail
    "history_needs_case": ("请指定案件，或用 --all 导出全部历史记录",
                           "name a CASE, or use --all for the whole audit trail"),
    "history_case_or_all": ("案件和 --all 只能选一个", "give either a CASE or --all, not both"),
    "history_since_needs_all": ("--since 只能与 --all 一起使用", "--since goes with --all"),
    "bad_since": ("--since 日期无效：{value}（应为 YYYY-MM-DD）",
                  "--since: invalid date {value} (expected YYYY-MM-DD)"),
    "history_table_needs_case": ("全部历史记录请用 --format csv 或 --format json 导出",
                                 "export the whole audit trail with --format csv or json"),
}
