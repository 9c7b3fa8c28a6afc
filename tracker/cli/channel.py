"""Reminders that reach people (R16): `channel add/list/remove/test`, `notify`, `daily`."""
from __future__ import annotations

import click

from .. import i18n
from ..errors import EXIT_OK, EXIT_REFUSED, outcome_code
from ..i18n import t
from ..services import channels as service
from ..services import notify as notify_service
from ..services.sweep import sweep as run_sweep
from .app import State, cli
from .output import console, echo, err_console, escape, print_json, table


def _lang() -> str:
    return i18n.get_lang()


@cli.group()
def channel():
    """Where the daily reminders go (提醒渠道): e-mail, WeCom, DingTalk, webhooks.

    A channel is an Apprise URL. Its secret (an authorisation code, a robot key) is kept
    in the database and shown masked everywhere.
    """


@channel.command("add")
@click.argument("name")
@click.argument("url")
@click.option("--lang", "channel_lang", type=click.Choice(["zh", "en"]),
              help="Language of its messages (default: the tracker's).")
@click.option("--only", type=click.Choice(list(service.ONLY)), default="all",
              show_default=True,
              help="overdue: overdue items and the sweep's moves (e.g. for a manager); "
                   "due: what is coming and the flags; all: everything.")
@click.option("--departments", metavar="D,…",
              help="Only the cases of these departments (comma-separated).")
@click.pass_obj
def channel_add(state: State, name, url, channel_lang, only, departments):
    """Add a channel NAME sending to URL (an Apprise URL).

    \b
    E-mail (腾讯企业邮, port 465, the authorisation code as password):
      mailtos://USER:CODE@smtp.exmail.qq.com:465?mode=ssl&from=hr@corp.cn&to=boss@corp.cn
    WeCom group robot (企业微信群机器人, the key of its webhook):  wecombot://KEY
    DingTalk robot, signed (钉钉机器人, 加签):  dingtalk://SECRET@TOKEN/
    A webhook: json://host/path or form://host/path (jsons:// and forms:// for https)
    """
    ctx = state.context()
    row = service.add_channel(ctx, name, url, lang=channel_lang, only=only,
                              departments=departments)
    obj = service.channel_object(row)
    shown = (t("channel_departments", departments=", ".join(obj["departments"]))
             if obj["departments"] else "")
    console.print(t("channel_added", name=escape(obj["name"]), url=escape(obj["url"]),
                    language=obj["lang"], only=t(f"only_{obj['only']}"),
                    departments=escape(shown)), soft_wrap=True)
    console.print(t("channel_added_hint", name=escape(obj["name"])), soft_wrap=True)


@channel.command("list")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.pass_obj
def channel_list(state: State, fmt):
    """The channels, their last send and the failures since (URLs masked)."""
    objects = service.channels_overview(state.context())
    if fmt == "json":
        print_json(objects)
        return
    if not objects:
        console.print(t("channels_none"))
        return
    header = [t(k) for k in ("col_reminder_channel", "col_url_masked", "col_lang", "col_only",
                             "col_departments", "col_last_sent", "col_failures",
                             "col_last_error")]
    console.print(table(t("channels_title"), header, (
        [o["name"], o["url"], o["lang"], t(f"only_{o['only']}"),
         ", ".join(o["departments"]), o["last_sent"], o["failures"] or "",
         o["last_error"] if o["last_ok"] is False else ""] for o in objects)))


@channel.command("remove")
@click.argument("name")
@click.pass_obj
def channel_remove(state: State, name):
    """Remove the channel NAME (what was sent to it stays in the log)."""
    row = service.remove_channel(state.context(), name)
    console.print(t("channel_removed", name=escape(row["name"]),
                    url=escape(service.mask_url(row["url"]))), soft_wrap=True)


@channel.command("test")
@click.argument("name")
@click.pass_obj
def channel_test(state: State, name):
    """Send one test message to NAME. Exit code 0 when the service accepted it, 2 (with
    the service's error) when not."""
    ctx = state.context()
    row = service.get_channel(ctx, name)
    error = notify_service.send_test(ctx, name)
    url = escape(service.mask_url(row["url"]))
    if error is None:
        console.print(t("channel_test_ok", name=escape(row["name"]), url=url), soft_wrap=True)
        return
    err_console.print(f"[bold red]{t('error')}[/] " + t(
        "channel_test_failed", name=escape(row["name"]), url=url, error=escape(error)))
    click.get_current_context().exit(EXIT_REFUSED)


# --------------------------------------------------------------------------- notify


def _print_run(run: notify_service.ChannelRun, dry_run: bool) -> None:
    plan = run.plan
    name = escape(plan.channel["name"])
    skipped = len(plan.skipped)
    if dry_run:
        for kind, line in notify_service.preview_lines(plan):
            if kind == "heading":
                console.print(escape(line), soft_wrap=True)
            else:
                echo(line)
        return
    if run.error:
        err_console.print(f"[bold red]{t('error')}[/] " + t(
            "notify_failed", name=name, error=escape(run.error), items=len(run.sent),
            failed=len(run.failed)))
    elif plan.messages:
        console.print(t("notify_sent", name=name, items=len(run.sent),
                        messages=run.delivered, skipped=skipped), soft_wrap=True)
    else:
        console.print(t("notify_nothing_new", name=name, skipped=skipped), soft_wrap=True)
    if run.waited >= 1:
        console.print("  " + t("notify_waited", seconds=f"{run.waited:.0f}",
                               per_minute=plan.service.per_minute))


def _notify(ctx, dry_run: bool, fmt: str, names) -> tuple[int, dict]:
    """Run notify and print it as text (JSON: the object is returned for the caller)."""
    lang = _lang()
    result = notify_service.notify(ctx, dry_run=dry_run, names=list(names) or None)
    obj = {"today": result.today, "dry_run": dry_run,
           "channels": [notify_service.run_object(r, lang, texts=dry_run)
                        for r in result.runs]}
    if fmt == "text":
        if not result.runs:
            console.print(t("notify_no_channels"))
        for run in result.runs:
            _print_run(run, dry_run)
    return result.exit_code, obj


@cli.command()
@click.option("--dry-run", is_flag=True,
              help="Print the messages; send nothing and record nothing.")
@click.option("--channel", "names", multiple=True, metavar="NAME",
              help="Only this channel; repeatable (default: every channel).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.pass_obj
def notify(state: State, dry_run, names, fmt):
    """Send each channel its digest (每日提醒): what reached a reminder stage, what is
    newly overdue, the flags, and what the sweep moved — each item once.

    Messages are split to each service's size and paced to its rate (WeCom and DingTalk
    robots: 20 a minute). Exit code 1 when a channel failed: its items go out on the
    next run. Running it again the same day sends nothing new.
    """
    code, obj = _notify(state.context(), dry_run, fmt, names)
    if fmt == "json":
        print_json(obj)
    click.get_current_context().exit(code)


@cli.command()
@click.option("--dry-run", is_flag=True, help="Change nothing, send nothing: report both.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.pass_obj
def daily(state: State, dry_run, fmt):
    """The daily run for cron, a systemd timer or Windows Task Scheduler: `sweep`, then
    `notify`. Exit code: the worse of the two (0 done, 1 in part, 2 nothing done)."""
    from .notices import _print_sweep, _refused_rows

    ctx = state.context()
    lang = _lang()
    result = run_sweep(ctx, dry_run=dry_run)
    sweep_code = outcome_code(result.applied, result.refused)
    if fmt == "text":
        _print_sweep(ctx, result, dry_run, lang)
    code, obj = _notify(ctx, dry_run, fmt, ())
    if fmt == "json":
        print_json({"sweep": {
            "today": result.today, "dry_run": dry_run,
            "events": {event: {"applied": [r.case_id for r in bulk.applied],
                               "refused": [{"case": c, "name": n, "reason": why}
                                           for c, n, why in _refused_rows(bulk.refused, lang)]}
                       for event, bulk in result.results.items()}},
            "notify": obj})
    click.get_current_context().exit(max(sweep_code, code, EXIT_OK))


__all__ = ["channel", "daily", "notify"]
