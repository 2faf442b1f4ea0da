"""A program definition as a person reads it (`facilitrack show`): stages, requirement trees,
vocabulary and group rules, each number marked as cited or as an assumption, in 80 columns."""

from __future__ import annotations

import textwrap

from .._model.group_rules import describe_rules
from .._model.program import CertificateSpec, Program
from .._model.requirements import Node, Requirement
from .._model.tree import Combination

WIDTH = 80


def describe_program(program: Program, *, origin: str, versions: list[str] | None = None) -> str:
    """The definition in words: what each stage asks for, where each number comes from."""
    out: list[str] = [f"{program.key} {program.version}: {program.name}"]
    out += _field("organisation", program.organisation, 2)
    out += _field("from", origin, 2)
    if versions and versions != [program.version]:
        out += _field("installed versions", ", ".join(versions), 2)
    if program.tracks:
        tracks = ", ".join(f"{t.key} ({t.title})" for t in program.tracks)
        out += _field("tracks", tracks, 2)
    out += _field("source", program.source, 2)
    out += _field("note", program.note, 2)
    if program.description:
        out += ["", *_wrap(program.description, 2, 2)]
    words = program.words
    legacy = " (facilitrack 0.1's, none declared)" if program.vocabulary is None else ""
    out += ["", f"vocabulary{legacy}:"]
    declared = program.vocabulary is not None
    for credential in words.credentials:
        roles = f" — {', '.join(credential.roles)}" if credential.roles else ""
        out += _wrap(f"- credential {credential.key}: {credential.title or credential.key}{roles}", 2, 4)
        out += _cited(credential.source, credential.note, 4) if declared else []
    for role in words.roles:
        how = "; certified people hold it" if role.by_certification else ""
        out += _wrap(f"- role {role.key}: {role.title or role.key}{how}", 2, 4)
        out += _cited(role.source, role.note, 4) if declared else []
    if program.groups is not None:
        out += ["", "groups (what `facilitrack groups` and `check` judge a cohort's groups by):"]
        out += _field("source", program.groups.source, 2)
        out += _field("note", program.groups.note, 2)
        for line in describe_rules(program.groups):
            out += _wrap(f"- {line.rule}: {line.text}", 2, 4)
            out += _cited(line.source, line.note, 4) if line.rule != "credits" else []
    out += ["", "stages:"]
    for number, stage in enumerate(program.stages, 1):
        out += _wrap(f"{number}. {stage.key}: {stage.title}", 2, 5)
        if stage.opens_when:
            out += _field("opens", f"when {stage.opens_when} is met (before the stage before it ends)", 5)
        out += _certificate(stage.certificate, 5)
        out += _cited(stage.source, stage.note, 5)
        for node in stage.requirements:
            out += _node(node, 5)
    out += _wrap(f"{len(program.stages) + 1}. certified", 2, 5)
    return "\n".join(out)


def _certificate(spec: CertificateSpec | None, indent: int) -> list[str]:
    if spec is None:
        return []
    valid = f", valid {spec.valid_for.describe()}" if spec.valid_for else ""
    lines = _field("certificate", spec.title + valid, indent)
    lines += _cited(spec.source, spec.note, indent + 4)
    if spec.renewal:
        lines += _wrap("renewed by:", indent + 4, indent + 4)
        for node in spec.renewal:
            lines += _node(node, indent + 4)
    return lines


def _node(node: Node, indent: int) -> list[str]:
    tags = node.kind if node.node_key == node.kind else f"{node.kind} {node.node_key}"
    if node.waivable:
        tags += ", waivable"
    if isinstance(node, Combination):
        n = getattr(node, "n", None)
        head = {"all_of": "all of", "any_of": "any one of"}.get(node.kind, f"{n} of")
        lines = _wrap(f"- {head}: {node.label()} [{tags}]", indent, indent + 2)
    else:
        assert isinstance(node, Requirement)
        counted = node.count != 1 or bool(node.watches())
        head = f"{node.count:g} x {node.label()}" if counted else node.label()
        lines = _wrap(f"- {head} [{tags}]", indent, indent + 2)
        extra = [name for name in type(node).model_fields if name not in Requirement.model_fields]
        for name in extra:  # a kind's own fields (status, allowed, ...), as the TOML names them
            value = getattr(node, name)
            if value in (None, (), {}, ""):
                continue
            shown = ", ".join(str(v) for v in value) if isinstance(value, tuple | list) else str(value)
            lines += _field(name, shown, indent + 4)
    if node.window is not None:
        lines += _field("window", node.window.describe(), indent + 4)
    if node.opens_when:
        lines += _field("opens", f"when {node.opens_when} is met", indent + 4)
    lines += _cited(node.source, node.note, indent + 4)
    if isinstance(node, Combination):
        for child in node.requirements:
            lines += _node(child, indent + 2)
    return lines


def _cited(source: str | None, note: str | None, indent: int) -> list[str]:
    """``cited: SOURCE`` and/or ``assumption: NOTE``: every number says which it is."""
    lines: list[str] = []
    if source:
        lines += _field("cited", source, indent)
    if note:
        assumption = note.lstrip().lower().startswith("assumption")
        text = note.split(":", 1)[1].strip() if assumption and ":" in note else note
        lines += _field("assumption" if assumption else "note", text, indent)
    if not source and not note:
        lines += _field("uncited", "no source and no labelled assumption", indent)
    return lines


def _field(label: str, value: str | None, indent: int) -> list[str]:
    if not value:
        return []
    return _wrap(f"{label}: {value}", indent, indent + 4)


def _wrap(text: str, indent: int, hang: int) -> list[str]:
    return textwrap.wrap(
        " ".join(text.split()), width=WIDTH, initial_indent=" " * indent,
        subsequent_indent=" " * hang, break_long_words=True, break_on_hyphens=False,
    )
