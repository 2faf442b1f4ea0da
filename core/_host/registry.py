"""The programs an engine knows: every registered version, and where each came from."""

from __future__ import annotations

from pathlib import Path

from .._errors import DefinitionError, UnknownKeyError, VersionNotInstalledError, did_you_mean
from .._model.program import Program, load_program
from .._model.tree import RequirementKinds


class ProgramRegistry:
    """Programs by key and version. One source (plugin or file) owns each key."""

    def __init__(self, kinds: RequirementKinds | None = None) -> None:
        self.kinds = kinds or RequirementKinds()
        self._versions: dict[str, dict[str, Program]] = {}
        self._sources: dict[str, str] = {}

    def add(self, program: Program, *, source: str) -> None:
        """Register `program` as coming from `source` (a plugin name or a file path)."""
        owner = self._sources.get(program.key)
        if owner is not None and owner != source:
            raise DefinitionError(
                f"program key {program.key!r} is claimed by both {owner} and {source}",
                where=source,
                fix="rename one program's `key`, or block one plugin (FACILITRACK_BLOCK_PLUGINS)",
            )
        versions = self._versions.setdefault(program.key, {})
        known = versions.get(program.version)
        if known is not None and known != program:
            raise DefinitionError(
                f"{program.ref} is registered twice with different content",
                where=source,
                fix="give the changed definition a new `version`",
            )
        versions[program.version] = program
        self._sources[program.key] = source

    def copy(self) -> ProgramRegistry:
        """A registry of the same programs and kinds, to add to without changing this one."""
        other = ProgramRegistry(self.kinds)
        other._versions = {key: dict(versions) for key, versions in self._versions.items()}
        other._sources = dict(self._sources)
        return other

    def discard(self, source: str) -> None:
        """Forget every program `source` registered."""
        for key in [k for k, s in self._sources.items() if s == source]:
            del self._sources[key], self._versions[key]

    def load_file(self, path: str | Path) -> Program:
        """Read a program TOML file and register it under its path."""
        program = load_program(path, kinds=self.kinds)
        self.add(program, source=str(path))
        return program

    def get(self, key: str, version: str | None = None) -> Program:
        """A definition: the pinned `version`, or the latest when None."""
        versions = self._versions.get(key)
        if versions is None:
            raise UnknownKeyError(
                f"unknown program {key!r}",
                fix=f"{did_you_mean(key, self.keys())} (`facilitrack programs` lists them)",
            )
        if version is None:
            return max(versions.values(), key=lambda p: p.version_tuple)
        program = versions.get(version)
        if program is None:
            installed = ", ".join(sorted(versions, key=lambda v: versions[v].version_tuple))
            raise VersionNotInstalledError(
                f"program {key}@{version} is not installed (installed: {installed})",
                fix=f"install the plugin release that provides {key} {version}"
                " (a journal's enrolments keep the version they started under)",
            )
        return program

    def __contains__(self, key: object) -> bool:
        return key in self._versions

    def keys(self) -> list[str]:
        """Registered program keys, sorted."""
        return sorted(self._versions)

    def versions(self, key: str) -> list[Program]:
        """Every registered version of `key`, oldest first."""
        return sorted(self._versions.get(key, {}).values(), key=lambda p: p.version_tuple)

    def latest(self) -> list[Program]:
        """The newest version of every program, by key."""
        return [self.get(key) for key in self.keys()]

    def source(self, key: str) -> str:
        """The plugin or file a program came from."""
        return self._sources[key]
