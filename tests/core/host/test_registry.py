"""The programs an engine knows: every registered version, where it came from, the rules for adding one."""

from __future__ import annotations

import pytest
from facilitrack import DefinitionError, Program, ProgramRegistry, UnknownKeyError, VersionNotInstalledError


def test_two_sources_cannot_claim_one_key(demo_program: Program) -> None:
    """Two plugins claiming one program key is an error naming both."""
    registry = ProgramRegistry()
    registry.add(demo_program, source="plugin a")
    with pytest.raises(DefinitionError) as info:
        registry.add(demo_program, source="plugin b")
    assert "plugin a" in info.value.what
    assert "plugin b" in info.value.what


def test_registry_keeps_versions_and_serves_latest(demo_program: Program) -> None:
    """Several versions of one program coexist; the latest is the default."""
    newer = demo_program.model_copy(update={"version": "1.10"})
    registry = ProgramRegistry()
    registry.add(newer, source="p")
    registry.add(demo_program, source="p")
    assert "1.10" == registry.get("demo").version
    assert "1.0" == registry.get("demo", "1.0").version
    assert ["1.0", "1.10"] == [p.version for p in registry.versions("demo")]


def test_same_version_with_other_content_is_refused(demo_program: Program) -> None:
    """A changed definition must carry a new version."""
    registry = ProgramRegistry()
    registry.add(demo_program, source="p")
    with pytest.raises(DefinitionError, match="new `version`"):
        registry.add(demo_program.model_copy(update={"name": "Changed"}), source="p")


def test_unknown_program_and_version_errors(demo_program: Program) -> None:
    """Unknown keys suggest the nearest; a pinned missing version names itself."""
    registry = ProgramRegistry()
    registry.add(demo_program, source="p")
    with pytest.raises(UnknownKeyError, match="did you mean 'demo'"):
        registry.get("demp")
    with pytest.raises(VersionNotInstalledError, match=r"demo@2\.0"):
        registry.get("demo", "2.0")
