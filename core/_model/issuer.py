"""Who issues a cohort's certificates, and how a trainee is reached: data a certificate names.

`Issuer` is the cohort file's ``[issuer]`` table (and the ``--issuer FILE.toml`` of the store
commands); `Contact` is the part of a ``[[trainees]]`` row a certificate or a statement needs.
Both are optional for tracking: nothing the engine decides depends on them.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

#: An http(s) URL.
URL_PATTERN = r"^https?://[^\s/$.?#][^\s]*$"
#: A URL or a DID (``did:method:identifier``), as Open Badges 3.0 allows for an issuer's id.
URI_PATTERN = r"^(https?://[^\s/$.?#][^\s]*|did:[a-z0-9]+:[A-Za-z0-9._:%-]+(#[^\s]*)?)$"
#: An e-mail address: one ``@``, no spaces (deliverability is the mail system's business).
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


class Issuer(BaseModel):
    """``[issuer]``: the organisation that issues the certificates of completion."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1, description="The organisation's name, as certificates show it.")
    url: str | None = Field(None, pattern=URL_PATTERN, description="Its web site (https://...).")
    id: str | None = Field(
        None, pattern=URI_PATTERN,
        description="Its identifier: a URL or a DID (did:web:..., did:key:...); default: `url`.",
    )
    email: str | None = Field(None, pattern=EMAIL_PATTERN, description="Where earners write to.")

    @model_validator(mode="after")
    def _identified(self) -> Issuer:
        if self.id is None and self.url is None:
            raise ValueError("give the issuer an `id` (a URL or a DID) or a `url`")
        return self

    @property
    def uri(self) -> str:
        """The issuer's identifier: `id`, else `url`."""
        uri = self.id or self.url
        assert uri is not None  # the validator guarantees one
        return uri


class Contact(BaseModel):
    """A trainee as a certificate addresses them: never needed for tracking."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    name: str | None = None
    given_name: str | None = None
    family_name: str | None = None
    email: str | None = None

    @property
    def display_name(self) -> str:
        """The name to print: `name`, else given and family names, else the id."""
        if self.name:
            return self.name
        parts = [p for p in (self.given_name, self.family_name) if p]
        return " ".join(parts) if parts else self.id
