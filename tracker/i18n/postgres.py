"""Messages of a group's database on PostgreSQL (admin, migrate-to): (Chinese, English)."""

MESSAGES: dict[str, tuple[str, str]] = {
    # --- the server and its errors
    "pg_url_required": ("需要 PostgreSQL 数据库地址（postgresql://用户@主机:端口/库名），收到的是“{value}”。请用 --url、--db 或 TRACKER_DB 指定；密码请放在 PGPASSWORD 或 ~/.pgpass 中",
                        "a PostgreSQL URL is needed (postgresql://USER@HOST:PORT/DB), got "
                        "\"{value}\". Give it with --url, --db or TRACKER_DB; keep the password in "
                        "PGPASSWORD or ~/.pgpass"),
    "case_changed_meanwhile": (
        "案件 {case_id} 在您查看之后已被其他人修改：本次操作未执行，未作任何修改。请重新查看该案件后再操作。",
        "case {case_id} was changed by someone else since you read it: this was not done "
        "and nothing was changed. Look at the case again, then retry."),
    "pg_backup_no_pg_dump": (
        "本机未安装 pg_dump，无法备份数据库服务器 {path}。请使用服务器自身的备份（由管理员或 IT 部门设置，如 pg_basebackup 或云服务的快照），或在本机安装 PostgreSQL 客户端（apt install postgresql-client）后再试。未作任何修改。",
        "pg_dump is not installed on this PC, so the database server {path} cannot be "
        "backed up from here. Use the server's own backups (set up by the administrator "
        "or IT: pg_basebackup, the provider's snapshots), or install the PostgreSQL "
        "client (apt install postgresql-client) and retry. Nothing was changed."),
    "pg_restore_refused": (
        "不能用 tracker restore 恢复数据库服务器：恢复会替换所有专员的数据，须由数据库管理员在通知各专员后用 pg_restore 进行（pg_restore --clean -d 数据库地址 {path}）。未作任何修改。",
        "tracker restore does not restore a database server: it would replace every "
        "officer's data. The database administrator does it with pg_restore, officers "
        "told first (pg_restore --clean -d URL {path}). Nothing was changed."),
    "verify_server_checks": (
        "数据库服务器：文件完整性、表结构与历史只增不改由服务器负责（触发器与权限）；PostgreSQL 上尚不计算哈希链",
        "database server: file integrity, the structure and append-only history are the "
        "server's (triggers and privileges); no hash chain is computed on PostgreSQL yet"),
    "backup_verified_server": ("数据库检查通过（{cases} 个案件的状态与其历史回放一致）",
                               "the database passed its check (the replay of {cases} cases)"),
    "pg_password_on_command_line": (
        "请不要在命令行中写入密码（本机其他用户可以看到）：请从地址中删去密码，改用 PGPASSWORD 环境变量或 ~/.pgpass 文件。未作任何修改。",
        "do not put the password on the command line (other users of this machine can "
        "read it): remove it from the URL and use the PGPASSWORD variable or ~/.pgpass. "
        "Nothing was changed."),
    "pg_bad_url": ("无法识别的 PostgreSQL 地址：“{value}”（应为 postgresql://用户@主机:端口/库名）",
                   "not a usable PostgreSQL URL: \"{value}\" (expected "
                   "postgresql://USER@HOST:PORT/DB)"),
    "pg_driver_missing": ("未安装 PostgreSQL 驱动：请运行 {detail}", "the PostgreSQL driver is not installed: run {detail}"),
    "pg_cannot_connect": ("无法连接数据库服务器 {path}：{detail}", "cannot connect to the database server {path}: {detail}"),
    "pg_permission_denied": ("数据库服务器拒绝了此操作（权限不足）：{detail}。未作任何修改。",
                             "the database server refused this (permission denied): {detail}. "
                             "Nothing was changed."),
    "pg_conflict": ("其他专员同时修改了相同的数据，本次操作未执行，未作任何修改，请重试。{detail}",
                    "another officer changed the same data at the same time; this was not "
                    "done and nothing was changed. Try again. {detail}"),
    "pg_engine_behind": ("此版本 tracker 尚不能在 PostgreSQL 上使用当前结构版本（{detail}），未作任何修改。",
                         "this tracker cannot use its current schema on PostgreSQL yet "
                         "({detail}); nothing was changed."),
    "pg_server_too_old": ("数据库服务器 {path} 版本过旧（{detail}），需要 PostgreSQL 15 或更新版本。",
                          "the database server {path} is too old ({detail}); PostgreSQL 15 or "
                          "later is needed."),
    "pg_missing": ("数据库服务器上没有该数据库：{path}（{detail}）",
                   "no such database on the server: {path} ({detail})"),
    "pg_not_tracker": ("{path} 还不是 tracker 数据库：请先运行 tracker admin init（{detail}）",
                       "{path} is not a tracker database yet: run tracker admin init first "
                       "({detail})"),
    # --- admin init and officers
    "pg_init_done": ("数据库 {url} 已就绪（结构版本 {version}）。专员角色组：{officer}；可查看所有公司的管理角色组：{manager}。下一步：tracker admin officer add 姓名 --company 公司",
                     "the database {url} is ready (schema {version}). Officer group role: "
                     "{officer}; manager group role (every company): {manager}. Next: "
                     "tracker admin officer add NAME --company COMPANY"),
    "pg_bad_officer_name": ("专员名称“{name}”不可用：不能为空、不能含控制字符，且不超过 63 字节（约 21 个汉字）",
                            "the officer name \"{name}\" cannot be used: it must not be empty "
                            "or contain control characters, and at most 63 bytes long (about "
                            "21 Chinese characters)"),
    "pg_officer_scope": ("请用 --company 指定该专员负责的公司（可重复），或用 --all 允许其查看所有公司（二者选一）",
                         "give the officer's companies with --company (repeatable), or --all "
                         "for every company (one or the other)"),
    "pg_password_prompt": ("{name} 的密码", "Password for {name}"),
    "pg_officer_created": ("已创建专员 {name}（登录角色）", "officer {name} created (a login role)"),
    "pg_officer_updated": ("专员 {name} 已存在，已更新其可查看的范围", "officer {name} already existed; what they see was updated"),
    "pg_officer_sees_all": ("可查看：所有公司", "sees: every company"),
    "pg_officer_company": ("可查看：{company}（目前 {n} 人）", "sees: {company} ({n} persons now)"),
    "pg_officer_company_empty": ("⚠ 该公司目前没有人员，请核对名称是否与花名册一致",
                                 "⚠ no person of this company yet: check the name is spelt as "
                                 "in the staff list"),
    # --- migrate-to
    "pg_target_not_empty": ("目标数据库 {path} 已有数据（{detail}），未复制任何内容。migrate-to 只写入空数据库。",
                            "the target database {path} already holds data ({detail}); "
                            "nothing was copied. migrate-to writes into an empty database "
                            "only."),
    "pg_migrate_row_refused": ("{table} 表第 {row} 行无法写入 PostgreSQL：{detail}。未复制任何内容，SQLite 文件未作修改。",
                               "row {row} of {table} cannot be written to PostgreSQL: "
                               "{detail}. Nothing was copied; the SQLite file is unchanged."),
    "pg_migrate_check_failed": ("复制后的核对未通过（{detail}），已全部撤销，未复制任何内容。",
                                "the check after copying failed ({detail}); everything was "
                                "rolled back, nothing was copied."),
    "pg_migrated_table": ("  {table}：{n} 行", "  {table}: {n} rows"),
    "pg_migrated": ("已复制到 {url}：行数一致，{cases} 个案件的历史重放与当前状态一致。SQLite 文件未作修改。",
                    "copied to {url}: the row counts match and the history of {cases} cases "
                    "replays to their current state. The SQLite file was not changed."),
}
