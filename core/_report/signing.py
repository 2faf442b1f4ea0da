"""Signing and verifying credentials: Data Integrity proofs with the ``eddsa-jcs-2022`` cryptosuite.

W3C's VC Data Integrity EdDSA Cryptosuites v1.0: the credential and the proof's options are
each canonicalized with JCS (RFC 8785, `jcs`), hashed with SHA-256, and the two hashes (options
first) are signed with Ed25519. The issuer's key is a Multikey; its public half is named by a
``did:key`` identifier that carries the key itself, so a credential verifies offline, with no
key server and no JSON-LD context to fetch.

Needs the ``credentials`` extra (``cryptography``); only the commands that sign or verify
import this module.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .._errors import UserError
from .jcs import canonicalize

try:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    raise UserError(
        "signing credentials needs the `cryptography` package",
        fix="install the extra: pip install 'facilitrack[credentials]'",
    ) from exc

CRYPTOSUITE = "eddsa-jcs-2022"
#: Multicodec prefixes (varint-encoded) of an Ed25519 public and secret key.
ED25519_PUB = b"\xed\x01"
ED25519_PRIV = b"\x80\x26"
_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


# -- multibase (base58-btc) --------------------------------------------------------------------


def b58encode(data: bytes) -> str:
    """Bitcoin's base58 alphabet; leading zero bytes become ``1``."""
    n = int.from_bytes(data, "big")
    out = ""
    while n:
        n, r = divmod(n, 58)
        out = _B58[r] + out
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + out


def b58decode(text: str) -> bytes:
    """The inverse of `b58encode`; raises ValueError on a character outside the alphabet."""
    n = 0
    for ch in text:
        n = n * 58 + _B58.index(ch)
    body = n.to_bytes((n.bit_length() + 7) // 8, "big") if n else b""
    return b"\0" * (len(text) - len(text.lstrip("1"))) + body


def multibase(data: bytes) -> str:
    """``z`` + base58-btc: the multibase form Data Integrity proofs and Multikeys use."""
    return "z" + b58encode(data)


def from_multibase(text: str) -> bytes:
    """Bytes of a ``z``-prefixed base58-btc multibase string."""
    if not text.startswith("z"):
        raise ValueError("not a base58-btc multibase value (it must start with 'z')")
    return b58decode(text[1:])


# -- keys --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IssuerKey:
    """An Ed25519 key pair and the ``did:key`` that names its public half."""

    private: Ed25519PrivateKey

    @property
    def public_bytes(self) -> bytes:
        return self.private.public_key().public_bytes_raw()

    @property
    def public_multibase(self) -> str:
        return multibase(ED25519_PUB + self.public_bytes)

    @property
    def did(self) -> str:
        """``did:key:z6Mk...``: the key's own identifier, resolvable offline."""
        return f"did:key:{self.public_multibase}"

    @property
    def verification_method(self) -> str:
        return f"{self.did}#{self.public_multibase}"

    def to_json(self) -> dict[str, str]:
        """The key file's content: a Multikey, secret included (keep the file private)."""
        return {
            "type": "Multikey",
            "id": self.verification_method,
            "controller": self.did,
            "publicKeyMultibase": self.public_multibase,
            "secretKeyMultibase": multibase(ED25519_PRIV + self.private.private_bytes_raw()),
        }


def generate_key() -> IssuerKey:
    """A new random Ed25519 key."""
    return IssuerKey(Ed25519PrivateKey.generate())


def key_from_secret(secret_multibase: str) -> IssuerKey:
    """The key whose ``secretKeyMultibase`` (Ed25519 seed, multicodec 0x1300) is given."""
    raw = from_multibase(secret_multibase)
    if not raw.startswith(ED25519_PRIV) or len(raw) != 34:
        raise ValueError("not an Ed25519 secret key (multicodec 0x1300, 32 bytes)")
    return IssuerKey(Ed25519PrivateKey.from_private_bytes(raw[2:]))


def read_key(path: Path) -> IssuerKey:
    """The issuer key in the file `facilitrack keygen` wrote."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        secret = data.get("secretKeyMultibase") or data.get("privateKeyMultibase")
        key = key_from_secret(secret)
    except FileNotFoundError:
        raise UserError(
            "key file not found", where=path, fix="make one: facilitrack keygen --out issuer.key"
        ) from None
    except (OSError, ValueError, AttributeError, TypeError) as exc:
        raise UserError(f"not an issuer key file: {exc}", where=path,
                        fix="give the file `facilitrack keygen` wrote") from None
    if data.get("publicKeyMultibase") not in (None, key.public_multibase):
        raise UserError("the key file's public and secret keys do not match", where=path)
    return key


def public_key_of(method: str) -> Ed25519PublicKey:
    """The Ed25519 public key a ``did:key`` verification method (or did:key DID) names."""
    did = method.split("#", 1)[0]
    if not did.startswith("did:key:"):
        raise ValueError(f"cannot resolve {method!r} offline: only did:key methods carry their key")
    raw = from_multibase(did.removeprefix("did:key:"))
    if not raw.startswith(ED25519_PUB) or len(raw) != 34:
        raise ValueError(f"{did} is not an Ed25519 did:key")
    fragment = method.split("#", 1)[1] if "#" in method else None
    if fragment is not None and fragment != did.removeprefix("did:key:"):
        raise ValueError(f"{method}: the fragment does not name the DID's own key")
    return Ed25519PublicKey.from_public_bytes(raw[2:])


# -- proofs ------------------------------------------------------------------------------------


def _hash_data(document: dict[str, Any], proof_config: dict[str, Any]) -> bytes:
    """SHA-256 of the canonical proof configuration, then of the canonical document."""
    config = hashlib.sha256(canonicalize(proof_config)).digest()
    return config + hashlib.sha256(canonicalize(document)).digest()


def timestamp(moment: datetime | None = None) -> str:
    """An XML Schema dateTime in UTC, to the second (``2026-06-30T09:15:00Z``)."""
    moment = (moment or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    return moment.isoformat().replace("+00:00", "Z")


def sign(document: dict[str, Any], key: IssuerKey, *, created: datetime | None = None) -> dict[str, Any]:
    """`document` with a ``DataIntegrityProof`` (``eddsa-jcs-2022``) appended to its ``proof`` list."""
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    proof: dict[str, Any] = {
        "type": "DataIntegrityProof",
        "cryptosuite": CRYPTOSUITE,
        "created": timestamp(created),
        "verificationMethod": key.verification_method,
        "proofPurpose": "assertionMethod",
    }
    if "@context" in unsecured:
        proof["@context"] = unsecured["@context"]
    signature = key.private.sign(_hash_data(unsecured, proof))
    return {**unsecured, "proof": [{**proof, "proofValue": multibase(signature)}]}


@dataclass(frozen=True)
class Verification:
    """What checking a credential's proof found."""

    verified: bool
    reason: str
    method: str | None = None

    @property
    def signer(self) -> str | None:
        """The DID of the key that signed, when a proof names one."""
        return self.method.split("#", 1)[0] if self.method else None


def verify(document: dict[str, Any]) -> Verification:  # noqa: PLR0911 - one return per failure
    """Check the ``eddsa-jcs-2022`` proof of `document`, offline (the key is in its did:key)."""
    proofs = document.get("proof")
    if isinstance(proofs, dict):
        proofs = [proofs]
    if not isinstance(proofs, list) or not proofs:
        return Verification(False, "no proof: the credential is not signed")
    ours = [p for p in proofs if isinstance(p, dict) and p.get("cryptosuite") == CRYPTOSUITE]
    if not ours:
        return Verification(False, f"no {CRYPTOSUITE} proof to check")
    if len(proofs) != 1:
        return Verification(False, "several proofs: only a credential with one proof is checked")
    proof = ours[0]
    method = proof.get("verificationMethod")
    options = {k: v for k, v in proof.items() if k != "proofValue"}
    if options.get("type") != "DataIntegrityProof" or options.get("proofPurpose") != "assertionMethod":
        return Verification(False, "the proof is not a DataIntegrityProof for assertionMethod", method)
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    if "@context" in options:
        context, wanted = unsecured.get("@context"), options["@context"]
        if not isinstance(context, list) or not isinstance(wanted, list) or context[: len(wanted)] != wanted:
            return Verification(False, "the proof's @context does not match the credential's", method)
        unsecured["@context"] = wanted
    try:
        datetime.fromisoformat(str(options.get("created", "")).replace("Z", "+00:00"))
        key = public_key_of(str(method))
        signature = from_multibase(str(proof.get("proofValue", "")))
        key.verify(signature, _hash_data(unsecured, options))
    except InvalidSignature:
        return Verification(False, "the signature does not match: the credential was altered or signed"
                            " by another key", method)
    except (ValueError, TypeError) as exc:
        return Verification(False, f"the proof cannot be checked: {exc}", method)
    return Verification(True, "signature valid", method)


def check_credential(document: dict[str, Any], expected: str | None = None) -> Verification:
    """`verify`, and that the signer is who it should be: `expected` (a did:key) when given,
    and the issuer itself when the credential names a did:key issuer."""
    result = verify(document)
    if not result.verified:
        return result
    issuer = document.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    if expected and result.signer != expected:
        return Verification(False, f"signed by {result.signer}, not by {expected}", result.method)
    if isinstance(issuer_id, str) and issuer_id.startswith("did:key:") and result.signer != issuer_id:
        return Verification(False, f"the issuer is {issuer_id} but {result.signer} signed", result.method)
    return result


def read_credentials(path: Path) -> list[tuple[str, dict[str, Any]]]:
    """The credentials in `path` with where each sits: one JSON object, an array, or JSON Lines."""
    from .._toml import read_text

    text = read_text(path)
    try:
        data = json.loads(text)
        items = data if isinstance(data, list) else [data]
        found = [(f"{path}" + (f"[{i}]" if isinstance(data, list) else ""), c) for i, c in enumerate(items)]
    except json.JSONDecodeError:
        found = []
        for n, line in enumerate(text.splitlines(), 1):
            if line.strip():
                try:
                    found.append((f"{path}:{n}", json.loads(line)))
                except json.JSONDecodeError as exc:
                    raise UserError(f"not JSON: {exc.msg}", where=f"{path}:{n}",
                                    fix="give a credential file (JSON or JSON Lines)") from None
    for where, item in found:
        if not isinstance(item, dict):
            raise UserError("not a credential (a JSON object)", where=where,
                            fix="give a credential file (JSON or JSON Lines)")
    return found
