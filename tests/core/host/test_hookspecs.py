"""Every hook a plugin can implement is documented: its parameters, and which programs it is called for."""

from __future__ import annotations


def test_every_hook_is_documented() -> None:
    """Each hookspec has a docstring naming each of its parameters."""
    import inspect

    from facilitrack._host import hookspecs

    specs = [f for n, f in vars(hookspecs).items() if n.startswith("facilitrack_")]
    assert specs
    for spec in specs:
        doc = inspect.getdoc(spec) or ""
        for param in inspect.signature(spec).parameters:
            assert f":param {param}:" in doc, f"{spec.__name__} does not document {param}"


def test_hooks_called_for_every_program_say_so() -> None:
    """Each hook given a `program` says it is called for every program and to filter by its key."""
    import inspect

    from facilitrack._host import hookspecs

    specs = [f for n, f in vars(hookspecs).items() if n.startswith("facilitrack_")]
    per_program = [f for f in specs if "program" in inspect.signature(f).parameters]
    assert 7 == len(per_program)
    for spec in per_program:
        doc = " ".join((inspect.getdoc(spec) or "").split())
        assert "for every program" in doc, spec.__name__
        assert 'if program.key != "duet": return None' in doc, spec.__name__
