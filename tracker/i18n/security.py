"""Messages of the guards at the edges (issue 17): the browser mode, opening and checking
the database, tamper evidence, values refused on the command line: (Chinese, English)."""

MESSAGES: dict[str, tuple[str, str]] = {
    # --- values refused on the command line
    "today_out_of_range": ("--today 日期超出范围：{value}（应在 1900-01-01 至 2100-12-31 之间）",
                           "--today out of range: {value} (must lie between 1900-01-01 and "
                           "2100-12-31)"),
    "db_empty": ("--db 不能为空：请给出数据库文件的路径", "--db cannot be empty: give the "
                 "path of a database file"),
    "undecodable_argument": (
        "第 {position} 个参数含有无法识别的字节（不是 UTF-8 文本）：{shown}。"
        "请在 UTF-8 终端中输入，或把文件改成 UTF-8 名称；数据库未作修改。",
        "argument {position} holds bytes that are not text (not UTF-8): {shown}. Type it in "
        "a UTF-8 terminal, or rename the file; nothing was changed."),
    "pinned_write": (
        "注意：今天被固定为 {day}（--today）。期限等按 {day} 计算；历史记录的时间为实际记录时间，"
        "固定日期另记为 as_of。",
        "note: today is pinned to {day} (--today). Deadlines and the like were computed for "
        "{day}; the history records the real time, with the pinned day kept as as_of."),
    # --- opening and restoring: is it ours, exactly?
    "db_not_ours": (
        "{path} 是其他程序的 SQLite 数据库，不是 tracker 数据库（{detail}）：未打开，文件未作任何修改。"
        "请用 --db 指定 tracker 的数据库文件。",
        "{path} is another program's SQLite database, not a tracker database ({detail}): it "
        "was not opened and nothing in it was changed. Give the tracker's database with --db."),
    "db_schema_mismatch": (
        "{path} 的结构与 tracker 该版本应有的结构不符（{detail}）：可能被其他程序修改或被篡改，"
        "未打开，文件未作任何修改。可用 tracker restore 从备份恢复，或用 tracker verify 检查备份。",
        "the structure of {path} is not the one the tracker builds for its version ({detail}): "
        "another program changed it, or someone tampered with it. It was not opened and "
        "nothing was changed. Restore a backup with tracker restore (tracker verify checks "
        "one)."),
    "db_read_only_fs": (
        "数据库 {path} 所在的文件、文件夹或磁盘只能读取（例如只读挂载、光盘、写保护的 U 盘）：可以查看，"
        "不能修改。要修改，请把它复制到可写的文件夹，再用 --db 指定副本。{detail}",
        "the database {path} is on a file, folder or disk that can only be read (a read-only "
        "mount, a CD, a write-protected USB stick): it can be read, not changed. To change "
        "it, copy it to a folder you can write to and give the copy with --db. {detail}"),
    "restore_schema_mismatch": (
        "{path} 的结构与 tracker 该版本应有的结构不符（{detail}）：可能被修改或篡改，未恢复，现有数据库未作修改。",
        "the structure of {path} is not the one the tracker builds for its version ({detail}): "
        "it was changed or tampered with. Nothing restored, the database was not changed."),
    # --- tracker verify
    "verify_integrity_ok": ("文件完整（SQLite integrity_check）", "the file is sound (SQLite "
                            "integrity_check)"),
    "verify_integrity_bad": ("文件已损坏（integrity_check：{detail}）", "the file is damaged "
                             "(integrity_check: {detail})"),
    "verify_schema_ok": ("表、索引、触发器和视图与本版本完全一致（包括历史只可追加的触发器）",
                         "tables, indexes, triggers and views are exactly this version's "
                         "(the append-only triggers among them)"),
    "verify_schema_bad": ("结构被改动：{detail}", "the structure was changed: {detail}"),
    "verify_chain_ok": ("历史记录的哈希链完整（{rows} 行）", "the history's hash chain holds "
                        "({rows} rows)"),
    "verify_chain_mismatch": (
        "历史记录第 {id} 行（案件 {case}，{at}，{event}）的哈希不符：这一行或它之前的记录在写入后被改动过",
        "history row {id} (case {case}, {at}, {event}) does not match its hash: it, or a row "
        "before it, was changed after it was written"),
    "verify_chain_missing": (
        "历史记录第 {id} 行（案件 {case}，{at}，{event}）没有哈希：它不是由 tracker 写入的",
        "history row {id} (case {case}, {at}, {event}) has no hash: the tracker did not "
        "write it"),
    "verify_replay_ok": ("每个案件的状态都与其历史回放一致（{cases} 个案件）",
                         "every case's state is the replay of its history ({cases} cases)"),
    "verify_replay_bad": (
        "{count} 个案件的状态与历史回放不符；第一个：案件 {case} 为 {state}，历史回放得 {replayed} {detail}",
        "{count} cases are not in the state their history leads to; the first: case {case} is "
        "{state}, its history leads to {replayed} {detail}"),
    "verify_failed": ("检查未通过：请保留此数据库（作为证据），并用 tracker restore 恢复检查通过的备份。",
                      "the check failed: keep this database (it is evidence) and restore a "
                      "backup that passes with tracker restore."),
    "backup_verify_failed": ("备份已写入，但数据库检查未通过：", "the backup was written, but the "
                             "database failed its check:"),
    "backup_verified": ("数据库检查通过（{rows} 行历史记录的哈希链、{cases} 个案件的回放、结构与文件完整性）",
                        "the database passed its check (hash chain of {rows} history rows, "
                        "replay of {cases} cases, structure, file integrity)"),
    # --- tracker serve
    "serve_url": ("在浏览器中打开下面的地址（只显示这一次；打开后浏览器会记住登录，Ctrl+C 停止）：\n{url}",
                  "Open this address in a browser (shown this once; the browser then keeps "
                  "the session; Ctrl+C stops):\n{url}"),
    "serve_exposed": (
        "警告：正在监听 {host}，不是本机回环地址，数据中含有身份证号。已要求密码；但浏览器与本机之间的"
        "连接没有加密：请在前面放一个提供 TLS（https）的反向代理（见文档“安全”一节）。",
        "Warning: listening on {host}, not loopback, and the data holds ID numbers. A "
        "password is required, but the connection between the browser and this machine is "
        "not encrypted: put a reverse proxy with TLS (https) in front (see the Security "
        "page of the manual)."),
    "serve_needs_password": (
        "监听 {host}（不是本机回环地址）需要密码：用 --password 输入，或设置环境变量 {env}；"
        "并在前面放一个提供 TLS 的反向代理。未启动。",
        "listening on {host} (not loopback) needs a password: give one with --password, or "
        "set the environment variable {env}; and put a reverse proxy with TLS in front. "
        "Nothing was started."),
    "serve_password_short": ("密码至少需要 {min} 个字符。未启动。", "the password needs at least "
                             "{min} characters. Nothing was started."),
    "serve_password_prompt": ("浏览器登录密码", "Password for the browser"),
    "serve_import_folder": ("网页中的导入只能读取此文件夹中的文件：{path}", "Imports in the "
                            "browser can read files in this folder only: {path}"),
    "serve_page_title": ("二建跟踪", "Grade-2 tracker"),
    "serve_page_locked": (
        "请打开运行 tracker serve 的终端中显示的地址（带 token），或输入密码。",
        "Open the address shown in the terminal where tracker serve runs (the one with the "
        "token), or give the password."),
    "serve_page_password": ("密码", "Password"),
    "serve_page_wrong_password": ("密码不正确。", "Wrong password."),
    "serve_page_too_many": ("同时打开的会话已达上限（{max} 个）：请先关闭另一个窗口。",
                            "The limit of {max} sessions at once is reached: close another "
                            "window first."),
    "serve_page_refused": ("此请求来自其他网站或其他地址，已拒绝。", "This request comes from "
                           "another site or address and was refused."),
    # --- the import folder
    "import_outside_folder": (
        "{path} 不在允许导入的文件夹 {folder} 中：请先把文件放进该文件夹。",
        "{path} is not in the folder imports may read, {folder}: put the file there first."),
}
