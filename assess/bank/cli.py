"""``flask bank``: load, check and count the challenge bank.

flask --app wsgi bank load               validate, then bring the database in line
flask --app wsgi bank check              validate; prove every task in the sandbox
flask --app wsgi bank check --no-sandbox validate only (no Docker needed)
flask --app wsgi bank check --task SLUG  validate; prove one task
flask --app wsgi bank stats --json       counts of current items
flask --app wsgi bank calibrate          fit the item parameters from each organisation's data
"""

from __future__ import annotations

import json
from pathlib import Path

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import AppGroup

from assess.bank import fairness
from assess.bank.coverage import blueprint_gaps
from assess.bank.loader import load_bank
from assess.bank.proof import TaskProof, prove_tasks
from assess.bank.reader import read_bank
from assess.bank.russian import missing_russian
from assess.bank.sandbox_session import SandboxSession, SandboxUnavailableError
from assess.bank.snippets import check_code_outputs
from assess.bank.spec import Bank, TaskEntry
from assess.bank.stats import db_has_bank, stats_from_bank, stats_from_db
from assess.extensions import db
from assess.models import CodingTask, Organization
from assess.services import measurement

bank_cli = AppGroup("bank", help="Load, check and count the challenge bank (challenges/).")

root_option = click.option(
    "--root",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="The bank folder (default: the CHALLENGES_DIR setting).",
)


def _root(root: Path | None) -> Path:
    """The bank folder to use."""
    return root if root is not None else Path(current_app.config["CHALLENGES_DIR"])


def _report_issues(bank: Bank) -> None:
    """Print each issue as ``file:line: message`` to standard error."""
    for issue in sorted(bank.issues):
        click.echo(str(issue), err=True)


@bank_cli.command("load")
@root_option
def load_command(root: Path | None) -> None:
    """Validate the bank, then insert new versions and retire removed items."""
    bank = read_bank(_root(root))
    if not bank.ok:
        _report_issues(bank)
        raise click.ClickException(f"{len(bank.issues)} issue(s); nothing was loaded")
    try:
        report = load_bank(db.session, bank.root, bank)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    for kind, counts in report.kinds().items():
        click.echo(f"{kind:<13} {counts.line()}")


@bank_cli.command("fairness")
@root_option
def fairness_command(root: Path | None) -> None:
    """How far wording rules (pick the longest option, avoid the option that justifies
    itself) beat guessing: over the bank and per question file."""
    bank = read_bank(_root(root))
    overall = fairness.measure(bank.questions)
    if overall is None:
        raise click.ClickException("the bank has no choice questions")
    for name, figures in fairness.by_file(bank.questions).items():
        click.echo(f"{name}: {figures.line()}")
    for name, figures in fairness.by_file(bank.questions, "ru").items():
        click.echo(f"{name} (ru): {figures.line()}")
    click.echo(f"bank: {overall.line()}")
    problems = list(overall.problems())
    russian = fairness.measure(bank.questions, "ru")
    if russian is not None:
        click.echo(f"bank (ru): {russian.line()}")
        problems += [f"{problem} (ru)" for problem in russian.problems()]
    for problem in problems:
        click.echo(f"error: {problem}", err=True)
    if problems:
        raise SystemExit(1)


@bank_cli.command("check")
@root_option
@click.option("--no-sandbox", is_flag=True, help="Validate only; do not run tasks in Docker.")
@click.option("--task", "slug", default=None, help="Check and prove only this task.")
@click.option("--no-exec", is_flag=True, help="Do not run the code of code-output questions.")
def check_command(root: Path | None, no_sandbox: bool, slug: str | None, no_exec: bool) -> None:
    """Report every issue as file:line: message; prove tasks in the real sandbox.

    With ``--task SLUG`` only that task's folder is reported on and proved.
    """
    bank = read_bank(_root(root))
    bank.issues.extend(missing_russian(bank))
    if slug is not None:
        folder = f"/tasks/{slug}/"
        bank.issues = [i for i in bank.issues if folder in f"/{i.file}"]
        bank.tasks = [t for t in bank.tasks if t.slug == slug]
        if not bank.tasks and not bank.issues:
            raise click.ClickException(f"no task {slug!r} in the bank")
    else:
        if not no_exec:
            bank.issues.extend(check_code_outputs(bank.questions))
        for gap in blueprint_gaps(bank):
            click.echo(f"warning: {gap}", err=True)
    _report_issues(bank)
    click.echo(
        f"bank: {len(bank.questions)} questions, {len(bank.interview)} interview questions, "
        f"{len(bank.tasks)} valid tasks, {len(bank.issues)} issue(s)"
    )
    failed = not bank.ok
    for language, label in (("en", "wording"), ("ru", "wording (ru)")):
        figures = fairness.measure(bank.questions, language) if slug is None else None
        if figures is not None:
            click.echo(f"{label}: {figures.line()}")
            for problem in figures.problems():
                click.echo(f"error: {problem} (see flask bank fairness)", err=True)
                failed = True
    if not no_sandbox and bank.tasks:
        failed = _prove(bank.tasks) or failed
    if failed:
        raise SystemExit(1)


def _prove(entries: list[TaskEntry]) -> bool:
    """Prove ``entries`` in the sandbox, store golden data; True when anything failed."""
    try:
        with SandboxSession() as sandbox:
            proofs = prove_tasks(sandbox, entries, lambda p: click.echo(p.line()))
    except SandboxUnavailableError as exc:
        click.echo(f"error: the sandbox is unavailable, no task was proved: {exc}", err=True)
        return True
    try:
        stored = _store_golden(proofs)
    except sa.exc.SQLAlchemyError as exc:
        db.session.rollback()
        click.echo(f"warning: golden not stored, the database failed: {exc}".splitlines()[0])
        stored = 0
    good = sum(1 for p in proofs if p.ok)
    click.echo(f"tasks proved: {good}/{len(proofs)}; golden stored for {stored} in the database")
    return good != len(proofs)


def _store_golden(proofs: list[TaskProof]) -> int:
    """Keep each proved task's golden on its current row when the content hash matches."""
    if not sa.inspect(db.engine).has_table(CodingTask.__tablename__):
        return 0
    stored = 0
    for proof in proofs:
        if not proof.ok or proof.golden is None:
            continue
        row = db.session.scalar(
            sa.select(CodingTask).where(
                CodingTask.slug == proof.slug,
                CodingTask.is_current,
                CodingTask.content_hash == proof.content_hash,
            )
        )
        if row is not None:
            row.golden = proof.golden
            row.golden_image = proof.golden_image
            stored += 1
    db.session.commit()
    return stored


def _db_has_bank() -> bool:
    """Whether the configured database holds a loaded bank (False when unreachable)."""
    try:
        return db_has_bank(db.session)
    except sa.exc.SQLAlchemyError:
        db.session.rollback()
        return False


@bank_cli.command("stats")
@root_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--from-files", is_flag=True, help="Count the files even when the DB has items.")
def stats_command(root: Path | None, as_json: bool, from_files: bool) -> None:
    """Current items per competency and grade: from the database when it holds the bank,
    otherwise from the files (valid items only)."""
    if not from_files and _db_has_bank():
        stats, source = stats_from_db(db.session), "database"
    else:
        stats, source = stats_from_bank(read_bank(_root(root))), "files"
    if as_json:
        click.echo(json.dumps(stats))
        return
    click.echo(f"source: {source}")
    grades = list(stats["tasks"])
    click.echo(f"{'':8}{'questions':>24}   {'interview':>24}")
    click.echo(f"{'':8}" + "".join(f"{g:>8}" for g in grades) * 2)
    for code, counts in stats["questions"].items():
        row = "".join(f"{counts[g]:>8}" for g in grades)
        row += "".join(f"{stats['interview'][code][g]:>8}" for g in grades)
        click.echo(f"{code:<8}{row}")
    click.echo("tasks   " + "".join(f"{stats['tasks'][g]:>8}" for g in grades))
    for code, counts in stats["hands_on"].items():
        if any(counts.values()):
            click.echo(f"hands-on {code:<7}" + "".join(f"{counts[g]:>8}" for g in grades))


@bank_cli.command("calibrate")
@click.option(
    "--min-responses",
    type=click.IntRange(min=1),
    default=measurement.DEFAULT_MIN_RESPONSES,
    show_default=True,
    help="Responses an item needs to be calibrated; fewer keep the prior of its grade.",
)
@click.option("--organisation", "name", default=None, help="Only this organisation (its name).")
def calibrate_command(min_responses: int, name: str | None) -> None:
    """Fit the 2PL item parameters of every organisation's quiz items from its own closed
    attempts, and store them with their standard errors (run after new assessments close;
    scorecards use them from their next scoring)."""
    query = sa.select(Organization).order_by(Organization.name)
    if name is not None:
        query = query.where(Organization.name == name)
    organisations = db.session.scalars(query).all()
    if not organisations:
        raise click.ClickException(f"no organisation named {name!r}" if name else "no organisation")
    for organisation in organisations:
        report = measurement.calibrate(db.session, organisation.id, min_responses)
        db.session.commit()
        click.echo(
            f"{organisation.name}: {report.items} items in {report.competencies} competencies "
            f"from {report.attempts} attempts; {report.calibrated} calibrated, "
            f"{report.items - report.calibrated} keep the prior of their grade"
        )
