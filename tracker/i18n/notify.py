"""Messages of reminder delivery (R16): channels, the daily digest, `notify`, `daily`, and
the messages to staff about a notice: (Chinese, English)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "notify_running": ("另一个 notify 正在发送（{since} 开始），本次未发送任何内容；它结束后再运行即可。",
                       "another notify has been sending since {since}: nothing was sent by this "
                       "one; run it again once that one ends."),
    # --- channels: errors
    "channel_name_empty": ("渠道名称不能为空", "the channel needs a name"),
    "channel_bad_url": ("无法使用的通知地址：{url}（应为 Apprise 地址，如 mailtos://、wecombot://、dingtalk://、json://）",
                        "not a usable notification URL: {url} (expected an Apprise URL "
                        "such as mailtos://, wecombot://, dingtalk://, json://)"),
    "channel_bad_only": ("--only 的值无效：{only}（可用：{known}）",
                         "invalid --only: {only} (known: {known})"),
    "channel_exists": ("已有名为“{name}”的渠道；请换个名称，或先用 tracker channel remove 删除",
                       "a channel named “{name}” exists already: choose another name, or "
                       "remove it first with tracker channel remove"),
    "channel_unknown": ("没有名为“{name}”的渠道（已有：{known}）",
                        "no channel named “{name}” (known: {known})"),
    # --- channels: done
    "channel_added": ("已添加渠道“{name}”：{url}（语言 {language}，内容 {only}{departments}）",
                      "channel “{name}” added: {url} (language {language}, sends {only}"
                      "{departments})"),
    "channel_departments": ("，部门 {departments}", ", departments {departments}"),
    "channel_added_hint": ("用 tracker channel test {name} 发一条测试消息",
                           "send a test message with tracker channel test {name}"),
    "channel_removed": ("已删除渠道“{name}”（{url}）", "channel “{name}” removed ({url})"),
    "channels_none": ("尚未设置提醒渠道。添加：tracker channel add 名称 地址（见 tracker channel add --help）",
                      "no reminder channels yet. Add one: tracker channel add NAME URL (see "
                      "tracker channel add --help)"),
    "channels_title": ("提醒渠道", "Reminder channels"),
    "col_reminder_channel": ("渠道", "Channel"),
    "col_url_masked": ("地址（已隐去密钥）", "URL (secrets masked)"),
    "col_lang": ("语言", "Language"),
    "col_only": ("内容", "Sends"),
    "col_departments": ("部门", "Departments"),
    "col_last_sent": ("上次发送成功", "Last sent"),
    "col_failures": ("之后失败次数", "Failures since"),
    "col_last_error": ("上次错误", "Last error"),
    "only_all": ("全部", "all"),
    "only_due": ("即将到期与待跟进", "due and to follow up"),
    "only_overdue": ("已逾期与巡检处理", "overdue and sweep moves"),
    "channel_test_title": ("二级建造师跟踪 · 测试消息", "Grade-2 Constructor tracker · test message"),
    "channel_test_body": ("渠道“{name}”设置正确：每日提醒将发送到这里。（{at}）",
                          "The channel “{name}” works: the daily reminders will arrive "
                          "here. ({at})"),
    "channel_test_ok": ("测试消息已发送到“{name}”（{url}）", "test message sent to “{name}” ({url})"),
    "channel_test_failed": ("测试消息未能发送到“{name}”（{url}）：{error}",
                            "the test message could not be sent to “{name}” ({url}): {error}"),
    # --- the digest
    "digest_title": ("二级建造师 · 每日提醒 {today}", "Grade-2 Constructor · reminders {today}"),
    "digest_summary": ("已逾期 {overdue} · 巡检处理 {moved} · 待跟进 {flag} · 即将到期 {due}",
                       "overdue {overdue} · moved by the sweep {moved} · to follow up {flag}"
                       " · coming up {due}"),
    "digest_section_overdue": ("已逾期（{n}）", "Overdue ({n})"),
    "digest_section_moved": ("巡检已处理（{n}）", "Moved by the sweep ({n})"),
    "digest_section_flag": ("待跟进（{n}）", "To follow up ({n})"),
    "digest_section_due": ("即将到期（{n}）", "Coming up ({n})"),
    "digest_continued": ("{heading}（续）", "{heading} (continued)"),
    "digest_moved": ("{day} {event} → {state}", "{day} {event} → {state}"),
    # --- notify
    "notify_no_channels": ("尚未设置提醒渠道，未发送任何消息。添加：tracker channel add 名称 地址",
                           "no reminder channels: nothing sent. Add one: tracker channel add "
                           "NAME URL"),
    "notify_sent": ("“{name}”：已发送 {items} 项，共 {messages} 条消息（此前已发送 {skipped} 项）",
                    "“{name}”: {items} items sent, messages: {messages} ({skipped} sent "
                    "before)"),
    "notify_nothing_new": ("“{name}”：没有新的提醒（此前已发送 {skipped} 项）",
                           "“{name}”: nothing new ({skipped} sent before)"),
    "notify_failed": ("“{name}”：发送失败：{error}。已发送 {items} 项；其余 {failed} 项将在下次运行时发送",
                      "“{name}”: sending failed: {error}. {items} items sent; the other "
                      "{failed} go out on the next run"),
    "notify_waited": ("（按该服务每分钟 {per_minute} 条的限制，等待了 {seconds} 秒）",
                      "(waited {seconds} s for the service's limit of {per_minute} a minute)"),
    "notify_dry_run": ("预览（--dry-run）：“{name}” 将收到 {items} 项，共 {messages} 条消息（此前已发送 {skipped} 项）；不发送，不记录",
                       "preview (--dry-run): “{name}” would get {items} items, messages: "
                       "{messages} ({skipped} sent before); nothing sent or recorded"),
    "notify_message_header": ("—— 第 {n}/{total} 条，{bytes} 字节（上限 {limit}）——",
                              "—— message {n}/{total}, {bytes} bytes (limit {limit}) ——"),
    # --- messages to staff about a notice
    "staff_messages_none": ("通知 {id} 没有涉及任何人员，未生成消息",
                            "notice {id} concerns nobody: no messages written"),
    "staff_messages_written": ("已为通知 {id} 生成 {n} 条人员消息：{path}；已记录通知日期 {today}",
                               "{n} staff messages for notice {id} written to {path}; "
                               "told on {today} recorded"),
    "staff_messages_dry_run": ("（--dry-run：未记录通知日期）", "(--dry-run: nothing recorded)"),
    "col_text": ("消息内容", "Message"),
}
