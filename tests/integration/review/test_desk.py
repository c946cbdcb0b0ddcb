"""The interviewer's desk: the evidence of an attempt, inert candidate code, re-grading."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import sqlalchemy as sa
from flask.testing import FlaskClient

from assess.extensions import db
from assess.models import (
    AttemptItem,
    AuditEvent,
    CodingTask,
    GradingRun,
    Submission,
    SubmissionState,
    User,
)
from assess.services import blueprints, review, scorecards
from tests.conftest import csrf_token
from tests.integration.review import builders
from tests.integration.review.conftest import Desk


def test_desk_shows_answers_with_the_key_and_the_explanation(
    desk: Desk, sign_in: Callable[[User], FlaskClient]
) -> None:
    """Each question shows the candidate's answer, the correct one and the explanation."""
    page = sign_in(desk.interviewer).get(f"/review/attempts/{desk.ada.id}").text
    assert page.count("Correct answer") == 4
    assert page.count("Because.") == 4
    assert "Candidate&#39;s answer" in page or "Candidate's answer" in page
    assert "Pick a and c." in page


def test_desk_shows_probes_resources_history_and_capped_logs(
    app: object, factory: object, desk: Desk, sign_in: Callable[[User], FlaskClient]
) -> None:
    """Per-probe outcomes by name, CPU time, memory, the run history and a capped log."""
    long_output = "x" * 10_000
    carol = builders.finished_attempt(
        desk.position,
        desk.recruiter,
        "Carol Coder",
        seed=3,
        results=(
            builders.run_result(1),
            builders.run_result(4, stdout=long_output, flags=("patches sys.modules",)),
        ),
    )
    builders.assign(carol, desk.interviewer, desk.recruiter)
    page = sign_in(desk.interviewer).get(f"/review/attempts/{carol.id}").text
    for probe in builders.PROBES:
        assert probe in page
    assert "0.123" in page
    assert "14.2" in page
    assert "Grading history (2 runs)" in page
    assert "first 4000 of 10000 characters" in page
    assert "x" * 4001 not in page
    assert "patches sys.modules" in page
    assert "What changed in the last re-grade" in page
    changed = re.findall(r"<li><code>(\w+)</code>: failed → passed</li>", page)
    assert changed == ["ties_alphabetical", "case_folding", "empty_text"]


def test_hostile_code_is_shown_inert_everywhere(
    desk: Desk, sign_in: Callable[[User], FlaskClient]
) -> None:
    """``<script>`` and template syntax in code and output are escaped on every page."""
    evil = builders.finished_attempt(
        desk.position,
        desk.recruiter,
        "<b>Eve</b> {{ 7*7 }}",
        seed=4,
        code=builders.HOSTILE_CODE,
        results=(
            builders.run_result(
                0, stdout="<script>alert(2)</script>{{ 6*7 }}", probes=("<script>probe</script>",)
            ),
        ),
    )
    builders.assign(evil, desk.interviewer, desk.recruiter)
    builders.finished_attempt(
        desk.position, desk.recruiter, "Twin", seed=5, code=builders.HOSTILE_CODE
    )
    interviewer = sign_in(desk.interviewer)
    recruiter = sign_in(desk.recruiter)
    pages = [
        interviewer.get(f"/review/attempts/{evil.id}").text,
        interviewer.get("/review").text,
        interviewer.get(f"/review/attempts/{evil.id}/interview").text,
        interviewer.get(f"/insights/attempts/{evil.id}/scorecard").text,
        interviewer.get(f"/insights/attempts/{evil.id}/scorecard/print").text,
        recruiter.get(f"/insights/positions/{desk.position.id}").text,
        recruiter.get(f"/insights/positions/{desk.position.id}/compare?a={evil.id}").text,
        recruiter.get(f"/review/attempts/{evil.id}/assign").text,
    ]
    for page in pages:
        assert "<script>alert" not in page
        assert "<script>probe" not in page
        assert "<b>Eve</b>" not in page
        assert "<img src=x" not in page
        assert "{{ 7*7 }}" in page  # the name's template syntax is shown, not evaluated
    desk_page = pages[0]
    assert "&lt;script&gt;alert(&#34;pwned&#34;)&lt;/script&gt;" in desk_page
    assert "{{ 7 * 7 }}" in desk_page
    assert "&lt;script&gt;alert(2)&lt;/script&gt;{{ 6*7 }}" in desk_page
    assert "Most similar submission: Twin" in desk_page


def test_similar_submission_is_named_and_marked(
    desk: Desk, sign_in: Callable[[User], FlaskClient]
) -> None:
    """A renamed copy is found as the most similar submission, shared lines marked."""
    renamed = builders.GOOD_CODE.replace("counts", "tally").replace("words", "tokens")
    copy = builders.finished_attempt(
        desk.position, desk.recruiter, "Copy Cat", seed=6, code=renamed
    )
    builders.assign(copy, desk.interviewer, desk.recruiter)
    page = sign_in(desk.interviewer).get(f"/review/attempts/{copy.id}").text
    assert re.search(r"Most similar submission: (Ada Lovelace|Bob Builder) \(Backend\), 100%", page)
    assert page.count('class="code-line shared"') >= 8


def test_regrade_queues_the_submission_and_the_history_shows_the_change(
    desk: Desk, sign_in: Callable[[User], FlaskClient]
) -> None:
    """Re-grading requeues the counted submission (audited); the next run is compared."""
    client = sign_in(desk.interviewer)
    page = client.get(f"/review/attempts/{desk.bob.id}")
    assert page.status_code == 404
    builders.assign(desk.bob, desk.interviewer, desk.recruiter)
    page = client.get(f"/review/attempts/{desk.bob.id}").text
    submission = db.session.scalar(
        sa.select(Submission).where(Submission.attempt_id == desk.bob.id)
    )
    assert submission is not None
    response = client.post(
        f"/review/attempts/{desk.bob.id}/submissions/{submission.id}/regrade",
        data={"csrf_token": csrf_token(page)},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert submission.state is SubmissionState.QUEUED
    assert submission.tries == 0
    event = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.action == "submission.regraded")
    )
    assert event is not None
    assert event.actor_id == desk.interviewer.id
    again = client.post(
        f"/review/attempts/{desk.bob.id}/submissions/{submission.id}/regrade",
        data={"csrf_token": csrf_token(page)},
        follow_redirects=True,
    )
    assert "cannot be re-graded now" in again.text
    # the runner appends a run with the fixed bank's verdict
    result = builders.run_result(5)
    db.session.add(
        GradingRun(
            submission_id=submission.id, task_version=1, verdict="passed", score=1.0, result=result
        )
    )
    submission.state, submission.score, submission.verdict = SubmissionState.DONE, 1.0, "passed"
    scorecards.recompute(db.session, desk.bob)
    db.session.commit()
    page = client.get(f"/review/attempts/{desk.bob.id}").text
    assert "score 40% → 100%" in page
    assert re.findall(r"<li><code>(\w+)</code>: failed → passed</li>", page) == [
        "case_folding",
        "empty_text",
        "large_input",
    ]


def test_regrade_moves_to_the_fixed_task_version(desk: Desk) -> None:
    """After a bank fix (a new current version), the re-grade targets the new version and
    the attempt's item follows, so the new verdict counts."""
    old = builders.word_task()
    fixed = CodingTask(
        slug=old.slug,
        title=old.title,
        grade=old.grade,
        kind=old.kind,
        weights=old.weights,
        statement_md=old.statement_md,
        starter_code=old.starter_code,
        visible_tests=old.visible_tests,
        spec=old.spec,
        content_hash="fixed",
        version=2,
    )
    old.is_current = False
    db.session.add(fixed)
    db.session.commit()
    submission = db.session.scalar(
        sa.select(Submission).where(Submission.attempt_id == desk.ada.id)
    )
    assert submission is not None
    review.regrade(db.session, desk.ada, submission.id, desk.admin)
    db.session.commit()
    assert submission.task_id == fixed.id
    item = db.session.scalar(
        sa.select(AttemptItem).where(
            AttemptItem.attempt_id == desk.ada.id, AttemptItem.task_id.is_not(None)
        )
    )
    assert item is not None
    assert item.task_id == fixed.id
    event = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.action == "submission.regraded")
    )
    assert event is not None
    assert event.details["to_version"] == 2


def test_a_project_submission_shows_its_changes_to_the_starter(
    desk: Desk, sign_in: Callable[[User], FlaskClient]
) -> None:
    """A project's submission is shown file by file as a diff against the starter project
    (added, changed, deleted; unchanged files left out; the candidate's text inert), and the
    similarity check compares the changed Python files, so a renamed copy is still found."""
    task = builders.word_task()
    starter = {
        "wc/core.py": "def count(text):\n    return 0\n",
        "wc/__init__.py": "from wc.core import count\n",
        "tests/test_core.py": "def test_nothing():\n    assert True\n",
        "README.md": "Counts words.\n",
    }
    task.kind = "project"
    task.starter_code = json.dumps({"files": starter})
    blueprint = blueprints.default_for(db.session, task.grade)
    assert blueprint is not None
    blueprint.task_kinds = [*blueprint.task_kinds, "project"]
    db.session.commit()
    core = (
        "def count(text):\n"
        "    words = [w for w in text.split() if w]\n"
        "    seen = {}\n"
        "    for word in words:\n"
        "        seen[word.lower()] = seen.get(word.lower(), 0) + 1\n"
        "    return len(seen)  # <script>alert(1)</script>\n"
    )
    helper = "def clean(word):\n    return word.strip('.,;:!?').lower()\n"
    files = {**starter, "wc/core.py": core, "wc/clean.py": helper}
    del files["tests/test_core.py"]
    pat = builders.finished_attempt(
        desk.position, desk.recruiter, "Pat Project", seed=7, code=json.dumps({"files": files})
    )
    twin_files = {
        **files,
        "wc/core.py": core.replace("words", "tokens").replace("seen", "tally"),
        "wc/clean.py": helper.replace("word", "token"),
    }
    builders.finished_attempt(
        desk.position, desk.recruiter, "Sam Twin", seed=8, code=json.dumps({"files": twin_files})
    )
    builders.assign(pat, desk.interviewer, desk.recruiter)
    page = sign_in(desk.interviewer).get(f"/review/attempts/{pat.id}").text
    assert "3 files differ from the starter project." in page
    summaries = re.findall(r"<summary><code>([^<]+)</code> <span class=\"badge badge-(\w+)\"", page)
    assert summaries == [("tests/test_core.py", "deleted"), ("wc/clean.py", "added"),
                         ("wc/core.py", "changed")]  # fmt: skip
    assert "README.md" not in re.sub(r"<pre class=\"code-view\".*?</pre>", "", page, flags=re.S)
    assert '<span class="diff-line diff-del">-    return 0</span>' in page
    assert '<span class="diff-line diff-add">+def clean(word):</span>' in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page
    assert re.search(r"Most similar submission: Sam Twin \(Backend\), \d+%", page)
    assert "# wc/core.py" in page and page.count('class="code-line shared"') >= 5
