"""flask commands: `content load|check|stats`, `users create`, `demo setup`."""
from __future__ import annotations

import json
import secrets
import sys

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from .content.files import ContentError, read_content
from .content.sync import load_bundle
from .content.validate import stats, validate
from .extensions import db
from .models import ROLES, User
from .services.accounts import create_user

content_cli = AppGroup("content", help="读取、检查和统计 content/ 中的教学内容与题库。")
users_cli = AppGroup("users", help="管理用户账号。")
demo_cli = AppGroup("demo", help="演示环境。")
attempts_cli = AppGroup("attempts", help="作答记录。")


@attempts_cli.command("close-expired")
def attempts_close_expired():
    """按服务器时间关闭所有已过截止时间的考试并自动评分。"""
    from .services.exams import close_expired

    click.echo(f"已自动交卷：{close_expired()} 份。")


def _read_and_check(path):
    try:
        bundle = read_content(path)
    except ContentError as exc:
        return None, [exc]
    return bundle, validate(bundle)


def _print_problems(problems):
    for problem in problems:
        click.echo(f"错误 {problem}", err=True)
    click.echo(f"共 {len(problems)} 个问题，未写入任何内容。", err=True)


@content_cli.command("check")
@click.option("--path", default=None, help="内容目录（默认 content/）")
def content_check(path):
    """只检查，不写数据库：有任何问题时以非零状态退出。"""
    bundle, problems = _read_and_check(path or current_app.config["CONTENT_DIR"])
    if problems:
        _print_problems(problems)
        sys.exit(1)
    s = stats(bundle)
    click.echo(f"检查通过：{s['lessons']} 门课程，{s['sections']} 个小节，{s['questions']} 道试题。")


@content_cli.command("load")
@click.option("--path", default=None, help="内容目录（默认 content/）")
def content_load(path):
    """检查并载入内容：全部成功才写入，任何问题都不写入。"""
    bundle, problems = _read_and_check(path or current_app.config["CONTENT_DIR"])
    if problems:
        _print_problems(problems)
        sys.exit(1)
    report = load_bundle(bundle)
    click.echo("载入完成。" + report.summary())


@content_cli.command("stats")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出")
@click.option("--path", default=None)
def content_stats(as_json, path):
    """统计课程、小节、各题型试题、案例题和采分点数量。"""
    try:
        bundle = read_content(path or current_app.config["CONTENT_DIR"])
    except ContentError as exc:
        _print_problems([exc])
        sys.exit(1)
    s = stats(bundle)
    if as_json:
        click.echo(json.dumps(s, ensure_ascii=False, indent=2, sort_keys=True))
    else:
        for key, value in s.items():
            click.echo(f"{key}: {value}")


@users_cli.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice(list(ROLES)), default="trainee", show_default=True)
@click.option("--password", default=None, help="不提供时会提示输入")
@click.option("--name", "display_name", default="", help="显示名")
def users_create(username, role, password, display_name):
    """创建用户账号。"""
    if password is None:
        password = click.prompt("密码", hide_input=True, confirmation_prompt=True)
    try:
        user = create_user(username, role, password, display_name)
    except ValueError as exc:
        click.echo(f"错误：{exc}", err=True)
        sys.exit(1)
    click.echo(f"已创建{user.role_label}账号：{user.username}")


DEMO_ACCOUNTS = [("admin", "admin", "演示管理员"), ("teacher", "instructor", "演示讲师"),
                 ("student", "trainee", "演示学员")]


@demo_cli.command("setup")
def demo_setup():
    """首次运行时创建三个演示账号并打印一次随机密码（之后不再打印）。"""
    created = []
    for username, role, name in DEMO_ACCOUNTS:
        if db.session.scalar(select(User).where(User.username == username)):
            continue
        password = secrets.token_urlsafe(9)
        create_user(username, role, password, name)
        created.append((username, role, password))
    if not created:
        click.echo("演示账号已存在（密码只在首次创建时显示；可用 flask --app run users create 新建账号）。")
        return
    click.echo("=" * 56)
    click.echo("演示账号（密码只显示这一次，请记下）：")
    for username, role, password in created:
        click.echo(f"  {ROLES[role]:<4} 用户名 {username:<8} 密码 {password}")
    click.echo("=" * 56)


def register_cli(app):
    app.cli.add_command(content_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(attempts_cli)
