"""Checks the host makes itself on a project's files: no container runs them, so nothing the
candidate's code does at run time can change their answer.

A project task lists them in task.yaml::

    project:
      checks:
        - {file: Dockerfile, kind: dockerfile, rules: [non-root-user, healthcheck], weight: 1}

Each rule becomes one hidden check called ``<file>:<rule>`` (``Dockerfile:healthcheck``) of
``weight``, observed on the reference when golden observations are recorded (the reference
must satisfy every listed rule) and on each submission when it is graded. An observation is
``True`` or ``False``, or ``{"missing": file}`` when the submission has no such file.

The Dockerfile rules, each judged on the text alone (no image is built; a registry is not
needed), read the *final* stage (from its last ``FROM``) unless they say otherwise:

``non-root-user``
    The final stage's last ``USER`` names a user other than ``root`` or ``0`` (a ``$VAR`` is
    resolved from the stage's ``ARG``/``ENV`` defaults; an unresolved one does not count).
``healthcheck``
    The final stage has a ``HEALTHCHECK ... CMD ...`` (``HEALTHCHECK NONE`` does not count).
``exec-form``
    The final stage has an ``ENTRYPOINT`` or a ``CMD``, and each it has is a JSON array of
    strings (exec form: the process gets signals, no shell in between).
``deps-before-source``
    Some ``RUN`` installs Python dependencies (``pip install``), and every such ``RUN`` comes
    before the first ``COPY`` of the whole build context (a source of ``.``, ``./`` or
    ``*``), so that a change of the code does not reinstall them.
``no-secrets-in-env``
    No ``ENV`` and no ``ARG`` with a default, in any stage, defines a variable whose name
    contains ``PASSWORD``, ``SECRET``, ``TOKEN`` or ``API_KEY`` (any case).
``pinned-base``
    Every ``FROM`` names an earlier stage, ``scratch``, or an image with a tag other than
    ``latest`` or a digest.
``no-add``
    No ``ADD`` instruction in any stage (``COPY`` copies; ``ADD`` also fetches and unpacks).
``apt-lists-removed``
    Every ``RUN`` that runs ``apt-get install`` also removes ``/var/lib/apt/lists``.
"""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

SECRET_NAME = re.compile(r"PASSWORD|SECRET|TOKEN|API_KEY", re.IGNORECASE)
VARIABLE = re.compile(r"\$(?:\{(\w+)\}|(\w+))")
ROOT_USERS = frozenset({"root", "0"})
WHOLE_CONTEXT = frozenset({".", "./", "*"})
PIP_INSTALL = re.compile(r"\bpip3?\s+install\b|-m\s+pip\s+install\b")
APT_INSTALL = re.compile(r"apt-get\s+(\S+\s+)*install")
APT_LISTS_REMOVED = re.compile(r"rm\s+-\w*\s*(\S+\s+)*/var/lib/apt/lists")


@dataclass(frozen=True)
class Instruction:
    """One Dockerfile instruction: its keyword (upper case), its argument text, its line."""

    keyword: str
    arguments: str
    line: int

    def json_form(self) -> list[str] | None:
        """The arguments as an exec-form list of strings, or None when in shell form."""
        if not self.arguments.startswith("["):
            return None
        try:
            value = json.loads(self.arguments)
        except ValueError:
            return None
        if isinstance(value, list) and all(isinstance(part, str) for part in value):
            return value
        return None

    def words(self) -> list[str]:
        """The arguments split as a shell would (flags such as ``--chown=`` included)."""
        form = self.json_form()
        if form is not None:
            return form
        try:
            return shlex.split(self.arguments, comments=False)
        except ValueError:
            return self.arguments.split()


def parse_dockerfile(text: str) -> list[Instruction]:
    """The instructions of a Dockerfile: comments and blank lines dropped, backslash
    continuations joined (comment and blank lines inside one skipped, as Docker does),
    heredoc bodies (``<<EOF`` ... ``EOF``) kept with their instruction."""
    instructions: list[Instruction] = []
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        start = index
        raw = lines[index].strip()
        index += 1
        if not raw or raw.startswith("#"):
            continue
        parts = [raw]
        while parts[-1].endswith("\\"):
            parts[-1] = parts[-1][:-1].rstrip()
            while index < len(lines) and lines[index].strip()[:1] in ("#", ""):
                index += 1  # comment and blank lines inside a continuation are skipped
            if index == len(lines):
                break
            parts.append(lines[index].strip())
            index += 1
        joined = " ".join(part for part in parts if part)
        heredoc = re.search(r"<<-?['\"]?(\w+)['\"]?", joined)
        if heredoc:
            marker = heredoc.group(1)
            body: list[str] = []
            while index < len(lines) and lines[index].strip() != marker:
                body.append(lines[index])
                index += 1
            index += 1
            joined = joined + "\n" + "\n".join(body)
        keyword, _, arguments = joined.partition(" ")
        instructions.append(Instruction(keyword.upper(), arguments.strip(), start + 1))
    return instructions


def stages(instructions: list[Instruction]) -> list[list[Instruction]]:
    """The instructions grouped by build stage, each group starting at its ``FROM``
    (instructions before the first ``FROM``, such as a global ``ARG``, form no stage)."""
    groups: list[list[Instruction]] = []
    for instruction in instructions:
        if instruction.keyword == "FROM":
            groups.append([instruction])
        elif groups:
            groups[-1].append(instruction)
    return groups


def _defaults(stage: list[Instruction]) -> dict[str, str]:
    """Variables a stage's ``ARG name=value`` and ``ENV name=value`` give defaults for."""
    values: dict[str, str] = {}
    for instruction in stage:
        if instruction.keyword in ("ARG", "ENV"):
            values.update(_assignments(instruction))
    return values


def _assignments(instruction: Instruction) -> dict[str, str]:
    """``name=value`` pairs of an ARG or ENV (``ENV name value``, the legacy form, too)."""
    words = instruction.words()
    if instruction.keyword == "ENV" and len(words) >= 2 and "=" not in words[0]:
        return {words[0]: " ".join(words[1:])}
    pairs: dict[str, str] = {}
    for word in words:
        name, sign, value = word.partition("=")
        pairs[name] = value if sign else ""
    return pairs


def _final(instructions: list[Instruction]) -> list[Instruction]:
    """The final stage's instructions (none when there is no ``FROM``)."""
    groups = stages(instructions)
    return groups[-1] if groups else []


def non_root_user(instructions: list[Instruction]) -> bool:
    """See the module's rule ``non-root-user``."""
    stage = _final(instructions)
    users = [i for i in stage if i.keyword == "USER"]
    if not users:
        return False
    values = _defaults(stage)
    name = users[-1].arguments.split(":")[0].strip()
    resolved = VARIABLE.sub(lambda m: values.get(m.group(1) or m.group(2), "$?"), name)
    return bool(resolved) and "$" not in resolved and resolved not in ROOT_USERS


def healthcheck(instructions: list[Instruction]) -> bool:
    """See the module's rule ``healthcheck``."""
    for instruction in _final(instructions):
        if instruction.keyword == "HEALTHCHECK":
            words = instruction.words()
            if words and words[0].upper() == "NONE":
                return False
            return "CMD" in (word.upper() for word in words)
    return False


def exec_form(instructions: list[Instruction]) -> bool:
    """See the module's rule ``exec-form``."""
    launchers = [i for i in _final(instructions) if i.keyword in ("ENTRYPOINT", "CMD")]
    return bool(launchers) and all(i.json_form() for i in launchers)


def deps_before_source(instructions: list[Instruction]) -> bool:
    """See the module's rule ``deps-before-source``."""
    installs = [
        n
        for n, i in enumerate(instructions)
        if i.keyword == "RUN"
        and re.search(r"\bpip3?\s+install\b|-m\s+pip\s+install\b", i.arguments)
    ]
    copies = [
        n
        for n, i in enumerate(instructions)
        if i.keyword == "COPY"
        and WHOLE_CONTEXT & {w for w in i.words()[:-1] if not w.startswith("--")}
    ]
    if not installs:
        return False
    return not copies or max(installs) < min(copies)


def no_secrets_in_env(instructions: list[Instruction]) -> bool:
    """See the module's rule ``no-secrets-in-env``."""
    for instruction in instructions:
        if instruction.keyword not in ("ENV", "ARG"):
            continue
        for name, value in _assignments(instruction).items():
            defines = instruction.keyword == "ENV" or value != ""
            if defines and SECRET_NAME.search(name):
                return False
    return True


def pinned_base(instructions: list[Instruction]) -> bool:
    """See the module's rule ``pinned-base``."""
    named: set[str] = set()
    for instruction in instructions:
        if instruction.keyword != "FROM":
            continue
        words = [w for w in instruction.words() if not w.startswith("--")]
        if not words:
            return False
        image = words[0]
        if len(words) >= 3 and words[1].upper() == "AS":
            named.add(words[2].lower())
        if image.lower() in named or image == "scratch" or "@sha256:" in image:
            continue
        tag = image.rpartition("/")[2].partition(":")[2]
        if not tag or tag == "latest" or "$" in tag:
            return False
    return True


def no_add(instructions: list[Instruction]) -> bool:
    """See the module's rule ``no-add``."""
    return not any(i.keyword == "ADD" for i in instructions)


def apt_lists_removed(instructions: list[Instruction]) -> bool:
    """See the module's rule ``apt-lists-removed``."""
    return not any(
        i.keyword == "RUN"
        and APT_INSTALL.search(i.arguments)
        and not APT_LISTS_REMOVED.search(i.arguments)
        for i in instructions
    )


Rule = Callable[[list[Instruction]], bool]
DOCKERFILE_RULES: dict[str, Rule] = {
    "non-root-user": non_root_user,
    "healthcheck": healthcheck,
    "exec-form": exec_form,
    "deps-before-source": deps_before_source,
    "no-secrets-in-env": no_secrets_in_env,
    "pinned-base": pinned_base,
    "no-add": no_add,
    "apt-lists-removed": apt_lists_removed,
}
# A check kind: how its file is read, and the rules it offers.
KINDS: dict[str, tuple[Callable[[str], Any], dict[str, Rule]]] = {
    "dockerfile": (parse_dockerfile, DOCKERFILE_RULES),
}


def check_ids(checks: list[dict[str, Any]]) -> dict[str, float]:
    """The hidden checks ``checks`` (task.yaml's ``project.checks``) add, with weights."""
    return {f"{c['file']}:{rule}": float(c["weight"]) for c in checks for rule in c["rules"]}


def observe(checks: list[dict[str, Any]], files: dict[str, str]) -> dict[str, Any]:
    """Each check's observation on a project's ``files`` (path -> text)."""
    seen: dict[str, Any] = {}
    for check in checks:
        reader, rules = KINDS[check["kind"]]
        text = files.get(check["file"])
        parsed = None if text is None else reader(text)
        for rule in check["rules"]:
            key = f"{check['file']}:{rule}"
            seen[key] = {"missing": check["file"]} if parsed is None else rules[rule](parsed)
    return seen


def describe(check_id: str, seen: Any) -> str:
    """Why a failed check failed, in words for the candidate."""
    file, _, rule = check_id.rpartition(":")
    if isinstance(seen, dict) and "missing" in seen:
        return f"{file} is missing"
    return f"{file} does not meet the rule {rule}"
