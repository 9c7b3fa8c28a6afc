"""Messages of the dashboard's reminder channels screen (issue 13, item 5): the channels,
their last send and failures, "send now" with its preview, the test message:
(Chinese, English). What the command line says too (a channel's result, the dry run's
lines) comes from `notify`'s catalog."""

MESSAGES: dict[str, tuple[str, str]] = {
    # --- keys and palette
    "k_channels": ("渠道", "Channels"),
    "k_send_now": ("立即发送", "Send now"),
    "k_channel_test": ("测试", "Test"),
    "k_channels_long": ("提醒渠道：上次发送、失败、待发送", "Reminder channels: last send, failures, waiting"),
    "k_channel_keys": ("渠道界面：立即发送（先预览）/ 测试所选渠道",
                       "Channels: send now (preview first) / test the channel"),
    "cmd_channels": ("提醒渠道（通知发送记录与失败）",
                     "Reminder channels (notify: last send, failures)"),
    "cmd_notify": ("立即发送提醒通知（先预览）", "Send the reminders now: notify (preview first)"),
    "cmd_channel_test": ("向渠道发送测试消息：{name}", "Send a test message to the channel: {name}"),
    # --- the screen
    "tui_channel_filter": ("按渠道名称或部门筛选", "Filter by channel name or department"),
    "tui_channel_count": ("{n} 个渠道", "channels: {n}"),
    "tui_channel_count_of": ("{n} / {total} 个渠道（筛选中；立即发送只发给这些）",
                             "channels: {n} of {total} (filtered: send now sends to these only)"),
    "tui_channels_empty": (
        "尚未设置提醒渠道，每日提醒还不会发给任何人。\n"
        "在命令行添加一个：tracker channel add 名称 地址\n"
        "  企业微信群机器人：tracker channel add 人事群 wecombot://KEY\n"
        "  钉钉机器人（加签）：tracker channel add 经理 dingtalk://SECRET@TOKEN/ --only overdue\n"
        "  邮件（腾讯企业邮）：tracker channel add 人事邮箱 "
        "'mailtos://用户:授权码@smtp.exmail.qq.com:465?mode=ssl&to=hr@corp.cn'\n"
        "说明：tracker channel add --help。添加后这里会自动显示。",
        "No reminder channels yet: the daily reminders reach nobody.\n"
        "Add one on the command line: tracker channel add NAME URL\n"
        "  A WeCom group robot: tracker channel add hr-group wecombot://KEY\n"
        "  A signed DingTalk robot: tracker channel add manager dingtalk://SECRET@TOKEN/ "
        "--only overdue\n"
        "  E-mail (Tencent Exmail): tracker channel add hr-mail "
        "'mailtos://USER:CODE@smtp.exmail.qq.com:465?mode=ssl&to=hr@corp.cn'\n"
        "More: tracker channel add --help. A channel added shows here by itself."),
    "tui_channels_no_match": ("没有符合筛选的渠道", "No channel matches the filter"),
    "col_last_failure": ("上次失败", "Last failure"),
    "col_waiting": ("待发送", "Waiting"),
    "tui_channel_sends": ("{only}（{departments}）", "{only} ({departments})"),
    "tui_list_separator": ("、", ", "),
    "tui_channel_never": ("从未", "never"),
    "tui_channel_all_departments": ("全部部门", "all departments"),
    "tui_channel_heading": ("{name}  {url}", "{name}  {url}"),
    "tui_channel_settings": ("语言 {language} · 发送 {only} · {departments}",
                             "language {language} · sends {only} · {departments}"),
    "tui_channel_last_sent": ("上次发送成功：{when}", "Last sent: {when}"),
    "tui_channel_last_failure": ("上次失败：{when}（之后失败 {n} 次）：{error}",
                                 "Last failure: {when} (failures since the last send: {n}): "
                                 "{error}"),
    "tui_channel_no_failure": ("上次发送之后没有失败", "No failure since the last send"),
    "tui_channel_waiting": ("待发送：{n} 项（按“立即发送”先预览）",
                            "Waiting: {n} items (send now shows them first)"),
    "tui_channel_testing": ("正在向“{name}”发送测试消息…", "Sending a test message to “{name}”…"),
    # --- send now
    "tui_notify_title": ("立即发送提醒 · 预览", "Send the reminders now · preview"),
    "tui_notify_intro": ("以下是将发出的消息（与 tracker notify --dry-run 所示相同）。"
                         "按“发送”发出；已发送过的提醒不会重复发送。",
                         "These are the messages that would go out (as tracker notify "
                         "--dry-run shows them). Send sends them; nothing already sent goes "
                         "twice."),
    "tui_notify_nothing": ("现在没有要发送的新提醒：今天的提醒这些渠道都已收到，或者没有到期事项。",
                           "Nothing new to send now: these channels have had today's "
                           "reminders, or nothing is due."),
    "tui_notify_send": ("发送（{n} 条消息）", "Send ({n} messages)"),
    "tui_notify_sending": ("正在发送…", "Sending…"),
    "tui_notify_done": ("发送结果", "Result"),
    "tui_notify_preparing": ("正在准备预览…", "Preparing the preview…"),
}
