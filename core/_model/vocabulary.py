"""A program's own words for people: the credentials trainees hold and the roles they play.

The core knows only that a person has *a credential* and may hold *roles*; which credentials
exist, which of them make someone a mental-health professional, and who counts as a certified
trainer are declared by each program (``[vocabulary]`` in program.toml):

```toml
[[vocabulary.credentials]]
key = "licensed"
title = "licensed mental-health professional"
roles = ["mental_health"]

[[vocabulary.roles]]
key = "certified_trainer"
title = "certified trainer"
by_certification = true      # people certified in this program hold it
```

A person holds a role when their credential grants it, when a ``person`` event (the cohort
file's ``[[staff]]``) lists it, or — for a role declared ``by_certification`` — when they are
certified in the program.

Definitions written before vocabularies existed declare none; they get `LEGACY_VOCABULARY`,
the four credentials that facilitrack 0.1 knew, so that trainees pinned to them answer as before.
"""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .ids import KEY_PATTERN


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class CredentialDef(_Frozen):
    """A professional credential a person may hold, and the roles it grants."""

    key: str = Field(pattern=KEY_PATTERN)
    title: str = ""
    roles: tuple[str, ...] = Field((), description="Roles everyone with this credential holds.")
    source: str | None = None
    note: str | None = None


class RoleDef(_Frozen):
    """A role in the program's rules: a mental-health professional, a certified trainer."""

    key: str = Field(pattern=KEY_PATTERN)
    title: str = ""
    by_certification: bool = Field(
        False, description="People certified in this program hold the role."
    )
    source: str | None = None
    note: str | None = None


class Vocabulary(_Frozen):
    """The credentials and roles a program's rules speak of."""

    credentials: tuple[CredentialDef, ...] = ()
    roles: tuple[RoleDef, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> Vocabulary:
        for label, keys in (("credential", [c.key for c in self.credentials]),
                            ("role", [r.key for r in self.roles])):
            dupes = sorted({k for k in keys if keys.count(k) > 1})
            if dupes:
                raise ValueError(f"{label} {dupes[0]!r} is declared twice")
        roles = self.role_keys()
        for credential in self.credentials:
            unknown = [r for r in credential.roles if r not in roles]
            if unknown:
                raise ValueError(
                    f"credential {credential.key!r} grants role {unknown[0]!r}, which"
                    " [[vocabulary.roles]] does not declare"
                )
        return self

    def credential_keys(self) -> list[str]:
        """Every credential key, in declared order."""
        return [c.key for c in self.credentials]

    def role_keys(self) -> list[str]:
        """Every role key, in declared order."""
        return [r.key for r in self.roles]

    def roles_of(self, credential: str | None) -> frozenset[str]:
        """The roles a credential grants (none for an unknown or missing credential)."""
        return next(
            (frozenset(c.roles) for c in self.credentials if c.key == credential), frozenset()
        )

    def credentials_with(self, role: str) -> list[str]:
        """The credentials that grant `role`."""
        return [c.key for c in self.credentials if role in c.roles]

    def role(self, key: str) -> RoleDef | None:
        """The declared role with this key."""
        return next((r for r in self.roles if r.key == key), None)

    def check_credentials(self, keys: Iterable[str], where: str) -> None:
        """Raise ValueError naming the first of `keys` that is not a declared credential."""
        known = self.credential_keys()
        for key in keys:
            if key not in known:
                raise ValueError(f"{where} names credential {key!r}; declared: {', '.join(known)}")

    def check_roles(self, keys: Iterable[str], where: str) -> None:
        """Raise ValueError naming the first of `keys` that is not a declared role."""
        known = self.role_keys()
        for key in keys:
            if key not in known:
                raise ValueError(f"{where} names role {key!r}; declared: {', '.join(known) or 'none'}")


#: The vocabulary of definitions that declare none: what facilitrack 0.1 knew, so that journals
#: pinned to those definitions answer exactly as they did. crc-faq.txt: "Our groups are
#: facilitated by pre-licensed and licensed mental health professionals and early childhood
#: specialists"; 0.1 counted the first two as mental-health professionals.
LEGACY_VOCABULARY = Vocabulary(
    credentials=(
        CredentialDef(key="licensed", title="licensed mental-health professional",
                      roles=("mental_health",)),
        CredentialDef(key="pre_licensed", title="pre-licensed mental-health professional",
                      roles=("mental_health",)),
        CredentialDef(key="early_childhood", title="early-childhood specialist"),
        CredentialDef(key="other", title="another profession"),
    ),
    roles=(
        RoleDef(key="mental_health", title="mental-health professional"),
        RoleDef(key="certified_trainer", title="certified trainer"),
    ),
)
