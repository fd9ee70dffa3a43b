"""Commands: create-admin, demo-data, the reminders (coverage, mentoring, monitoring-digest,
performance), accounts-sync, deliver (the outbox's worker), backup and restore."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import click
from flask import Flask, current_app

from .accounts import services as account_services
from .extensions import db


def register_cli(app: Flask) -> None:
    app.cli.add_command(create_admin)
    app.cli.add_command(demo_data)
    app.cli.add_command(coverage_reminders)
    app.cli.add_command(mentoring_reminders)
    app.cli.add_command(monitoring_digest)
    app.cli.add_command(performance_reminders)
    app.cli.add_command(review_reminders)
    app.cli.add_command(accounts_sync)
    app.cli.add_command(deliver_command)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)


@click.command("create-admin")
@click.option("--email", prompt=True, help="Login email of the coordinator.")
@click.option("--name", prompt=True, help="Full name.")
@click.option(
    "--generate-password",
    is_flag=True,
    help="Generate a strong password and print it once, instead of asking for one.",
)
def create_admin(email: str, name: str, generate_password: bool) -> None:
    """Create a Diskominfo coordinator account. There is no default password."""
    if generate_password:
        password = account_services.generate_password()
    else:
        password = click.prompt(
            f"Password (at least {account_services.MIN_PASSWORD_LENGTH} characters)",
            hide_input=True,
            confirmation_prompt=True,
        )
    try:
        user = account_services.create_user(email, name, password, is_coordinator=True)
    except account_services.AccountError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"Coordinator {user.email} created.")
    if generate_password:
        click.echo(f"Password (shown once): {password}")


@click.command("demo-data")
@click.option("--password", help="Password for every demo login; generated when omitted.")
@click.option(
    "--only-if-empty",
    is_flag=True,
    help="Succeed without loading anything when the database holds other data.",
)
def demo_data(password: str | None, only_if_empty: bool) -> None:
    """Fill an empty database with a fictional kabupaten; does nothing if it is already there.
    (Data at a whole region's size, for benchmarks: `python -m bench.scale kabupaten`.)"""
    from . import demo

    state = demo.state()
    if state == "present":
        click.echo("Demo data is already loaded; nothing changed.")
        _echo_logins_file()
        return
    if state == "other-data" and only_if_empty:
        click.echo("The database already holds data; demo data not loaded.")
        return
    if state == "other-data":
        raise click.ClickException("The database already holds other data; demo data not loaded.")
    generated = password is None
    if password is None:
        password = account_services.generate_password()
    if len(password) < account_services.MIN_PASSWORD_LENGTH:
        raise click.ClickException(
            f"The password needs at least {account_services.MIN_PASSWORD_LENGTH} characters."
        )
    summary = demo.load(password)
    db.session.commit()
    lines = [
        f"Demo data loaded: {summary['units']} units, {summary['items']} content items, "
        f"{summary['events']} agenda events.",
        "",
    ]
    lines += ["Demo logins (open http://127.0.0.1:5000):"]
    lines += [f"  {email:32} {role}" for email, role in demo.LOGINS]
    if generated:
        lines.append(f"  password for all: {password}")
        _write_logins_file(lines)
    click.echo("\n".join(lines))


def _logins_file() -> Path:
    return Path(current_app.instance_path) / "demo-logins.txt"


def _write_logins_file(lines: list[str]) -> None:
    """Keep the generated demo logins beside the local database, readable by this user only."""
    path = _logins_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write("\n".join(lines[2:]) + "\n")


def _echo_logins_file() -> None:
    path = _logins_file()
    if path.exists() and "sqlite" in current_app.config["SQLALCHEMY_DATABASE_URI"]:
        sys.stdout.write(path.read_text())


def _run_job(name: str, noun: str = "reminder(s)") -> None:
    """A reminder job under its lock (calendarapp/jobs.py): a run elsewhere at this moment wins."""
    from . import jobs

    sent = jobs.run(name)
    if sent is None:
        click.echo(f"{name} is running elsewhere; nothing done.")
    else:
        click.echo(f"{sent} {noun} sent.")


@click.command("coverage-reminders")
def coverage_reminders() -> None:
    """Tell contributors whose accepted coverage is due within a day or overdue."""
    _run_job("coverage-reminders")


@click.command("mentoring-reminders")
def mentoring_reminders() -> None:
    """Tell the owners and unit admins of RTL that became overdue, once each."""
    _run_job("mentoring-reminders")


@click.command("performance-reminders")
def performance_reminders() -> None:
    """On a month's last days, unit admins hear which accounts have no follower figure yet
    (once per person, unit and month)."""
    _run_job("performance-reminders")


@click.command("review-reminders")
def review_reminders() -> None:
    """Items waiting in review: their reviewer after a day, the unit's admins after two."""
    _run_job("review-reminders")


@click.command("accounts-sync")
def accounts_sync() -> None:
    """Read every unit's Instagram professional account through the Graph API (optional: needs
    META_IG_USER_ID and META_ACCESS_TOKEN); run daily. Each account is saved as it is read."""
    from .clock import now
    from .performance import connector

    try:
        settings = connector.Settings.from_app()
    except connector.ConnectorOff as off:
        raise click.ClickException(str(off)) from off
    read = failed = 0
    with connector.client() as http:
        for account in connector.accounts_to_read():
            synced = connector.sync_account(account, http, settings, now())
            db.session.commit()
            if synced.error:
                failed += 1
                click.echo(f"@{account.handle}: {connector.reason(synced.error)}")
            else:
                read += 1
                click.echo(
                    f"@{account.handle}: {synced.followers} followers, {synced.matched} posts "
                    f"matched, {synced.unplanned} unplanned, {synced.waiting} to confirm"
                )
            if synced.stop:
                click.echo("Stopped: the rest is read next time.")
                break
    click.echo(f"{read} account(s) read, {failed} not.")


@click.command("deliver")
@click.option("--once", is_flag=True, help="Send what is due, then stop (for cron).")
@click.option("--interval", default=5.0, show_default=True, help="Seconds between looks.")
@click.option(
    "--jobs/--no-jobs", default=True, help="Also run the reminders when due (the default)."
)
@click.option("--batch", default=50, show_default=True, help="Deliveries claimed at a time.")
def deliver_command(once: bool, interval: float, jobs: bool, batch: int) -> None:
    """Send the notices waiting in the outbox (phones, e-mail, the region's gateway), and run the
    scheduled reminders when they are due. Runs until stopped; --once for cron."""
    from . import jobs as scheduled
    from .delivery import worker

    if current_app.config.get("SMTP_URL") and not current_app.config.get("PUBLIC_URL"):
        raise click.ClickException("Set PUBLIC_URL: e-mails link to the site's pages.")
    while True:
        ran = scheduled.run_due() if jobs else []
        tally = worker.run_once(max(1, batch))
        if ran or tally.sent or tally.failed or tally.retried or tally.expired:
            click.echo(
                f"jobs {', '.join(ran) or '-'}; sent {tally.sent}, retry {tally.retried}, "
                f"failed {tally.failed}, expired {tally.expired}"
            )
        if once:
            return
        time.sleep(interval)


@click.command("monitoring-digest")
def monitoring_digest() -> None:
    """The weekly Pantauan digest: coordinators and unit admins hear of the flags."""
    _run_job("monitoring-digest", "digest notification(s)")


@click.command("backup")
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(target: Path) -> None:
    """Copy the whole database into TARGET while the app keeps running."""
    from .backup import BackupError, backup

    try:
        backup(target)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Backup written to {target}.")


@click.command("restore")
@click.argument("source", type=click.Path(dir_okay=False, exists=True, path_type=Path))
def restore_command(source: Path) -> None:
    """Restore a backup into an empty database (made with `flask db upgrade` or createdb)."""
    from .backup import BackupError, restore

    try:
        restore(source)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Restored from {source}.")
