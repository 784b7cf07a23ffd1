"""Digital signatures on PDFs: load A1 (.pfx/.p12) and A3 (PKCS#11 token) signers, sign, verify.

Everything here is offline (signatures-icp-brasil.md):

* signatures are PAdES B-B (``/SubFilter /ETSI.CAdES.detached``, SHA-256, no timestamp, no
  revocation data). For ICP-Brasil certificates the CMS also carries the signature-policy-identifier
  of **PA_PAdES_AD_RB_v1_3** with the policy's INTERNAL hash (DOC-ICP-15.03 Anexo 1, Nota 2), so the
  signed attributes are exactly contentType, messageDigest, signingCertificateV2 and sigPolicyId;
* every signature after the first is an incremental update: the bytes of the earlier revision stay
  exactly as they were (checked before returning);
* verification is judged by pyHanko's ``bottom_line`` plus the modification level after signing
  (DocMDP), never by ``intact`` alone (platform.md §4), and ``/Sig`` fields with a value are counted
  independently of pyHanko so that an unsupported signature is never reported as "no signature".

Messages for people are pt-BR (:class:`~suas_desktop.errors.UserError`); nothing here prints.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import logging
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from asn1crypto import core as asn1_core
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.name import _ASN1Type
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils import generic, layout
from pyhanko.pdf_utils.font.opentype import GlyphAccumulator, GlyphAccumulatorFactory
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, signers
from pyhanko.sign.ades import cades_asn1
from pyhanko.sign.ades.api import CAdESSignedAttrSpec
from pyhanko.sign.general import SigningError as PyHankoSigningError
from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.sign.validation.status import ModificationLevel
from pyhanko.stamp import TextStampStyle
from pyhanko_certvalidator import ValidationContext

from suas_desktop.domain.register_fields import cpf_is_valid, mask_cpf
from suas_desktop.errors import KnownError, UserError
from suas_desktop.paths import resources_dir

# ---------------------------------------------------------------- shipped ICP-Brasil artefacts
ICP_FOLDER = "icp-brasil"
POLICY_FILE = "PA_PAdES_AD_RB_v1_3.der"
#: SHA-256 of the policy FILE (integrity of the shipped copy; equals the LPA digest).
POLICY_FILE_SHA256 = "23da544aef71f7a75dc85fa6e17a83875741e4baef41ec178258a5c86ace54dd"
#: PA_PAdES_AD_RB_v1_3: the policy every ICP-Brasil signature declares.
POLICY_OID = "2.16.76.1.7.1.11.1.3"
#: The policy's INTERNAL signPolicyHash (what goes in the signature, not the file hash).
POLICY_INTERNAL_SHA256 = "23e4be4b9b362172e4ebb0e72b86a133ece5aad843d8651c6e38a0ba3f08fc60"
#: Exactly as published (``http``, not ``https``; VALIDAR rejects anything else). Not embedded: optional.
POLICY_URI = "http://politicas.icpbrasil.gov.br/PA_PAdES_AD_RB_v1_3.der"
ROOT_FILES = {
    "ICP-Brasil-raiz-v5.der": "caa53fc6091c6951887c976e378f6ef89aa6377c55d97b6475422b71ed7e9b17",
    "ICP-Brasil-raiz-v12.der": "d8478e37ce19c690cf657381e68fe600e4e1a042536830f06847e03e554c4b01",
}
#: Certificate policies of ICP-Brasil end-entity certificates (DOC-ICP-04: 2.16.76.1.2.<tipo>.<n>).
ICP_CERT_POLICY_PREFIX = "2.16.76.1.2."

#: DejaVu Sans rescaled to 1000 units per em, unhinted (platform.md §4: pyHanko writes /W in font units,
#: so the 2048-upem original comes out letter-spaced). Built once with fontTools: subset U+0020–U+20FF
#: with hinting off and all layout features, then ``fontTools.ttLib.scaleUpem.scale_upem(font, 1000)``.
STAMP_FONT_FILE = "DejaVuSans-1000upem.ttf"
#: Organizational unit of every certificate this app issues; verification labels such signatures.
LOCAL_CERT_MARKER = "SUAS Desktop — certificado local"
LOCAL_CERT_LABEL = "certificado local, sem validade ICP-Brasil"
LOCAL_CERT_YEARS = 5
MIN_RSA_BITS = 2048
MIN_EC_BITS = 256

_PYHANKO_LOGGERS = ("pyhanko", "pyhanko_certvalidator", "pyhanko.sign", "fontTools")
_ICP_NAME_CPF = re.compile(r"^(?P<name>.*?):(?P<cpf>\d{11})$")


# ---------------------------------------------------------------- errors
class SigningRefused(UserError):
    """The signature cannot be made (bad certificate, wrong password, field problems); nothing written."""


class UnreadablePdf(UserError):
    """The file is not a PDF we can parse (the CLI exits 2)."""


class ChoiceRequired(SigningRefused):
    """Several tokens or certificates fit: the user must choose one of ``options`` (labels)."""

    def __init__(self, message: str, *, kind: str, options: Sequence[str], hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.kind = kind
        self.options = list(options)


# ---------------------------------------------------------------- shipped resources
@dataclass(frozen=True)
class SignaturePolicy:
    oid: str
    internal_hash: bytes
    uri: str


def _icp_dir() -> Path:
    return resources_dir() / ICP_FOLDER


def policy_internal_hash(policy_der: bytes) -> tuple[str, bytes, bytes]:
    """(policy OID, SHA-256 over DER(signPolicyHashAlg) ‖ DER(signPolicyInfo), the stored hash)."""
    outer = asn1_core.Sequence.load(policy_der)
    alg, info, stored = outer[0], outer[1], outer[2]
    digest = hashlib.sha256(alg.dump() + info.dump()).digest()
    oid = asn1_core.Sequence.load(info.dump())[0]
    return asn1_core.ObjectIdentifier.load(oid.dump()).dotted, digest, bytes(stored.native)


@functools.cache
def load_icp_policy() -> SignaturePolicy:
    """The shipped AD-RB v1.3 policy, checked against its published hashes."""
    try:
        data = (_icp_dir() / POLICY_FILE).read_bytes()
    except OSError as exc:
        raise KnownError(
            "Arquivo da política de assinatura ICP-Brasil ausente.", hint="Reinstale o SUAS Desktop."
        ) from exc
    if hashlib.sha256(data).hexdigest() != POLICY_FILE_SHA256:
        raise KnownError(
            "Arquivo da política de assinatura ICP-Brasil alterado.", hint="Reinstale o SUAS Desktop."
        )
    oid, digest, stored = policy_internal_hash(data)
    if oid != POLICY_OID or digest != stored or digest.hex() != POLICY_INTERNAL_SHA256:
        raise KnownError("Política de assinatura ICP-Brasil inconsistente.", hint="Reinstale o SUAS Desktop.")
    return SignaturePolicy(oid, digest, POLICY_URI)


@functools.cache
def icp_brasil_roots() -> tuple[x509.Certificate, ...]:
    """Roots v5 and v12 (the trust anchors of AD-RB v1.2/v1.3), checked against their fingerprints."""
    roots = []
    for name, expected in ROOT_FILES.items():
        try:
            data = (_icp_dir() / name).read_bytes()
        except OSError as exc:
            raise KnownError(
                "Certificado raiz da ICP-Brasil ausente.", hint="Reinstale o SUAS Desktop."
            ) from exc
        if hashlib.sha256(data).hexdigest() != expected:
            raise KnownError("Certificado raiz da ICP-Brasil alterado.", hint="Reinstale o SUAS Desktop.")
        roots.append(x509.load_der_x509_certificate(data))
    return tuple(roots)


def stamp_font_path() -> Path:
    return resources_dir() / "fonts" / STAMP_FONT_FILE


# ---------------------------------------------------------------- certificate helpers
Cert = x509.Certificate | asn1_x509.Certificate


def to_crypto(cert: Cert) -> x509.Certificate:
    if isinstance(cert, x509.Certificate):
        return cert
    return x509.load_der_x509_certificate(cert.dump())


def to_asn1(cert: Cert) -> asn1_x509.Certificate:
    if isinstance(cert, asn1_x509.Certificate):
        return cert
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def fingerprint(cert: Cert) -> str:
    return to_crypto(cert).fingerprint(hashes.SHA256()).hex()


def _name_attr(name: x509.Name, oid: x509.ObjectIdentifier) -> str:
    values = name.get_attributes_for_oid(oid)
    return str(values[0].value) if values else ""


def certificate_holder(cert: Cert) -> str:
    """The person's name: CN without the ":CPF" suffix ICP-Brasil e-CPF certificates carry."""
    c = to_crypto(cert)
    cn = _name_attr(c.subject, NameOID.COMMON_NAME) or c.subject.rfc4514_string()
    match = _ICP_NAME_CPF.match(cn)
    return match["name"] if match else cn


def display_name(name: x509.Name) -> str:
    cn = _name_attr(name, NameOID.COMMON_NAME)
    if cn:
        match = _ICP_NAME_CPF.match(cn)
        return match["name"] if match else cn
    return name.rfc4514_string()


def certificate_cpf(cert: Cert) -> str | None:
    """The CPF of an ICP-Brasil e-CPF (CN "NOME:CPF" or SAN otherName 2.16.76.1.3.1), else None."""
    c = to_crypto(cert)
    match = _ICP_NAME_CPF.match(_name_attr(c.subject, NameOID.COMMON_NAME))
    if match and cpf_is_valid(match["cpf"]):
        return match["cpf"]
    with contextlib.suppress(Exception):  # a malformed extension only means "no CPF found"
        san = c.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        for other in san.get_values_for_type(x509.OtherName):
            if other.type_id.dotted_string == "2.16.76.1.3.1":
                raw = asn1_core.load(other.value).native
                text = raw.decode("latin-1") if isinstance(raw, bytes) else str(raw)
                candidate = text[8:19]
                if cpf_is_valid(candidate):
                    return candidate
    return None


def local_certificate_title(cert: Cert) -> str:
    """The role written into a local certificate (X.520 title), or ""."""
    return _name_attr(to_crypto(cert).subject, NameOID.TITLE)


def is_local_certificate(cert: Cert) -> bool:
    c = to_crypto(cert)
    return any(
        LOCAL_CERT_MARKER in str(attr.value)
        for attr in c.subject.get_attributes_for_oid(NameOID.ORGANIZATIONAL_UNIT_NAME)
    )


def _issued_by(cert: x509.Certificate, issuer: x509.Certificate) -> bool:
    if cert.issuer != issuer.subject:
        return False
    try:
        cert.verify_directly_issued_by(issuer)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def is_icp_brasil(
    cert: Cert, trust_roots: Iterable[Cert] | None = None, *, intermediates: Iterable[Cert] = ()
) -> bool:
    """Whether ``cert`` chains (signature by signature) to one of ``trust_roots`` (default: v5/v12)."""
    roots = [to_crypto(r) for r in (icp_brasil_roots() if trust_roots is None else trust_roots)]
    pool = [to_crypto(c) for c in intermediates]
    current = to_crypto(cert)
    root_fps = {r.fingerprint(hashes.SHA256()) for r in roots}
    for _ in range(10):
        if current.fingerprint(hashes.SHA256()) in root_fps:
            return True
        if any(_issued_by(current, root) for root in roots):
            return True
        parent = next((c for c in pool if c is not current and _issued_by(current, c)), None)
        if parent is None or parent.subject == current.subject:
            return False
        current = parent
    return False


def has_icp_certificate_policy(cert: Cert) -> bool:
    """An end-entity certificate issued under an ICP-Brasil certificate policy (2.16.76.1.2.*)."""
    try:
        policies = to_crypto(cert).extensions.get_extension_for_class(x509.CertificatePolicies).value
    except (x509.ExtensionNotFound, ValueError):
        return False
    return any(p.policy_identifier.dotted_string.startswith(ICP_CERT_POLICY_PREFIX) for p in policies)


def check_signing_certificate(cert: Cert, *, now: datetime) -> None:
    """Refuse certificates that cannot make an acceptable signature (pt-BR reason)."""
    c = to_crypto(cert)
    if c.not_valid_after_utc < now:
        raise SigningRefused(
            f"O certificado venceu em {c.not_valid_after_utc.astimezone():%d/%m/%Y}.",
            hint="Renove o certificado digital e tente de novo.",
        )
    if c.not_valid_before_utc > now:
        raise SigningRefused(
            f"O certificado só é válido a partir de {c.not_valid_before_utc.astimezone():%d/%m/%Y}.",
            hint="Confira a data e a hora do computador.",
        )
    try:
        usage = c.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        usage = None
    if usage is not None and not (usage.digital_signature or usage.content_commitment):
        raise SigningRefused(
            "Este certificado não é de assinatura digital (uso da chave não permite assinar documentos).",
            hint="Use um certificado de pessoa física (e-CPF) ou de assinatura.",
        )
    key = c.public_key()
    if isinstance(key, rsa.RSAPublicKey) and key.key_size < MIN_RSA_BITS:
        raise SigningRefused(
            f"A chave do certificado é fraca demais (RSA de {key.key_size} bits; o mínimo é {MIN_RSA_BITS}).",
            hint="Use um certificado mais recente.",
        )
    if isinstance(key, ec.EllipticCurvePublicKey) and key.key_size < MIN_EC_BITS:
        raise SigningRefused(
            f"A chave do certificado é fraca demais (curva de {key.key_size} bits).",
            hint="Use um certificado mais recente.",
        )
    if not isinstance(
        key, rsa.RSAPublicKey | ec.EllipticCurvePublicKey | ed25519.Ed25519PublicKey | ed448.Ed448PublicKey
    ):
        raise SigningRefused("Tipo de chave do certificado não suportado.")


# ---------------------------------------------------------------- A1: PKCS#12
def _looks_like_pfx(data: bytes) -> bool:
    try:
        outer = asn1_core.Sequence.load(data, strict=True)
        return int(outer[0].native) == 3
    except (ValueError, TypeError, KeyError, IndexError):
        return False


def load_pkcs12_signer(
    path: str | Path, password: str | bytes | None, *, now: datetime | None = None
) -> signers.SimpleSigner:
    """An A1 certificate (.pfx/.p12, modern AES or legacy 3DES/RC2) as a pyHanko signer.

    Raises :class:`SigningRefused` (pt-BR) for an unreadable file, a wrong password, an expired or
    not-yet-valid certificate, a certificate without a signing key usage, or a weak key.
    """
    now = now or datetime.now(UTC)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise SigningRefused(
            "Não foi possível ler o arquivo do certificado.",
            hint="Confira se o arquivo .pfx/.p12 existe e se você tem acesso a ele.",
        ) from exc
    if not _looks_like_pfx(data):
        raise SigningRefused(
            "O arquivo não é um certificado A1 (.pfx ou .p12) válido.",
            hint="Escolha o arquivo do certificado digital exportado com a chave privada.",
        )
    secret = password.encode("utf-8") if isinstance(password, str) else password
    attempts = [secret] if secret else [secret, b"", None]
    loaded = None
    for attempt in dict.fromkeys(attempts):
        try:
            loaded = pkcs12.load_pkcs12(data, attempt)
            break
        except (ValueError, TypeError):
            continue
    if loaded is None:
        raise SigningRefused(
            "Senha do certificado incorreta.", hint="Digite a senha de novo, com atenção a maiúsculas."
        )
    if loaded.key is None or loaded.cert is None:
        raise SigningRefused(
            "O arquivo não contém a chave privada do certificado.",
            hint="Exporte o certificado de novo marcando \u201cexportar a chave privada\u201d.",
        )
    check_signing_certificate(loaded.cert.certificate, now=now)
    others = [to_asn1(c.certificate) for c in loaded.additional_certs]
    try:
        signer = signers.SimpleSigner.load_pkcs12_data(data, other_certs=others, passphrase=attempt)
    except ValueError as exc:  # pragma: no cover - loaded just above with the same password
        raise SigningRefused("Senha do certificado incorreta.") from exc
    return signer


# ---------------------------------------------------------------- A3: PKCS#11 token
def _token_signer_class() -> type:
    from pyhanko.sign.pkcs11 import PKCS11Signer

    class _TokenSigner(PKCS11Signer):
        """A PKCS#11 signer that owns its session: close it (or use ``with``) when done."""

        def close(self) -> None:
            with contextlib.suppress(Exception):
                self.pkcs11_session.close()

        def __enter__(self) -> _TokenSigner:
            return self

        def __exit__(self, *exc: object) -> None:
            self.close()

    return _TokenSigner


def load_pkcs11_signer(
    lib_path: str | Path,
    pin: str,
    *,
    token_label: str | None = None,
    key_label: str | None = None,
    now: datetime | None = None,
) -> Any:
    """An A3 token (smart card or USB token) through its PKCS#11 library, as a pyHanko signer.

    The returned signer keeps a session open: call ``close()`` (or use it in ``with``) when done.
    Raises :class:`SigningRefused` (pt-BR) for a missing library, no token, a wrong or locked PIN,
    no usable certificate; :class:`ChoiceRequired` lists the labels when several tokens or
    certificates fit and none was chosen.
    """
    import pkcs11
    from pkcs11 import Attribute, ObjectClass
    from pkcs11 import exceptions as p11e

    now = now or datetime.now(UTC)
    lib_file = Path(lib_path)
    if not lib_file.is_file():
        raise SigningRefused(
            f"Biblioteca do token (PKCS#11) não encontrada: {lib_file}.",
            hint="Instale o driver do token ou do cartão e indique o arquivo da biblioteca (.dll/.so).",
        )
    try:
        lib = pkcs11.lib(str(lib_file))
    except (RuntimeError, OSError) as exc:
        raise SigningRefused(
            "Não foi possível carregar a biblioteca do token (PKCS#11).",
            hint="Confira se o arquivo é o driver PKCS#11 do fabricante, na versão de 64 bits.",
        ) from exc
    try:
        slots = lib.get_slots(token_present=True)
        tokens = [slot.get_token() for slot in slots]
        # Readers also list blank tokens (SoftHSM always shows one); they cannot hold a certificate.
        tokens = [t for t in tokens if t.flags & pkcs11.TokenFlag.TOKEN_INITIALIZED]
    except p11e.PKCS11Error as exc:
        raise SigningRefused(
            "Não foi possível consultar o token.", hint="Reconecte o token e tente de novo."
        ) from exc
    if token_label is not None:
        tokens = [t for t in tokens if t.label.strip() == token_label.strip()]
    if not tokens:
        raise SigningRefused(
            "Nenhum token encontrado."
            if token_label is None
            else f"Token \u201c{token_label}\u201d não encontrado.",
            hint="Conecte o token ou insira o cartão e tente de novo.",
        )
    if len(tokens) > 1:
        raise ChoiceRequired(
            "Há mais de um token conectado; escolha qual usar.",
            kind="token",
            options=[t.label.strip() for t in tokens],
        )
    token = tokens[0]
    try:
        session = token.open(user_pin=pin)
    except p11e.PinLocked as exc:
        raise SigningRefused(
            "PIN bloqueado.", hint="Desbloqueie o token com o PUK, usando o programa do fabricante."
        ) from exc
    except (p11e.PinIncorrect, p11e.PinInvalid, p11e.PinLenRange) as exc:
        raise SigningRefused(
            "PIN incorreto.", hint="Atenção: após algumas tentativas erradas o token bloqueia."
        ) from exc
    except p11e.PinExpired as exc:
        raise SigningRefused(
            "O PIN do token expirou.", hint="Troque o PIN no programa do fabricante."
        ) from exc
    except (p11e.TokenNotPresent, p11e.DeviceRemoved) as exc:
        raise SigningRefused("O token foi desconectado.", hint="Conecte o token e tente de novo.") from exc
    except p11e.PKCS11Error as exc:
        raise SigningRefused(
            "Não foi possível abrir o token.", hint="Reconecte o token e tente de novo."
        ) from exc
    try:
        candidates = []  # (label, key id, key label, certificate)
        keys = list(session.get_objects({Attribute.CLASS: ObjectClass.PRIVATE_KEY}))
        certs = list(session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE}))
        all_certs = [x509.load_der_x509_certificate(bytes(c[Attribute.VALUE])) for c in certs]
        for obj, cert in zip(certs, all_certs, strict=True):
            cid = _attr(obj, Attribute.ID)
            clabel = _attr(obj, Attribute.LABEL) or ""
            match = next((k for k in keys if cid and _attr(k, Attribute.ID) == cid), None)
            if match is None:
                match = next((k for k in keys if clabel and _attr(k, Attribute.LABEL) == clabel), None)
            if match is None:
                continue
            candidates.append((clabel, _attr(match, Attribute.ID), _attr(match, Attribute.LABEL), cert))
        if key_label is not None:
            candidates = [c for c in candidates if key_label in (c[0], c[2])]
        if not candidates:
            raise SigningRefused(
                "Nenhum certificado com chave de assinatura encontrado no token."
                if key_label is None
                else f"Certificado \u201c{key_label}\u201d não encontrado no token.",
                hint="Confira se o certificado foi instalado neste token.",
            )
        if len(candidates) > 1:
            raise ChoiceRequired(
                "O token tem mais de um certificado; escolha qual usar.",
                kind="certificate",
                options=[c[0] or display_name(c[3].subject) for c in candidates],
            )
        _label, key_id, key_lbl, cert = candidates[0]
        check_signing_certificate(cert, now=now)
        others = [to_asn1(c) for c in all_certs if c != cert]
        cls = _token_signer_class()
        signer = cls(
            session,
            signing_cert=to_asn1(cert),
            ca_chain=others,
            key_id=key_id or None,
            key_label=None if key_id else key_lbl,
            other_certs_to_pull=(),
        )
        _ = signer.signing_cert  # finds the key handle now, while errors still mean "this token"
    except BaseException:
        with contextlib.suppress(Exception):
            session.close()
        raise
    return signer


def _attr(obj: Any, attribute: Any) -> Any:
    try:
        value = obj[attribute]
    except Exception:
        return None
    return bytes(value) if isinstance(value, bytes | bytearray | memoryview) else value


# ---------------------------------------------------------------- local certificates
def issue_local_certificate(
    name: str, cpf: str | None, role: str, password: str, *, now: datetime
) -> tuple[bytes, str]:
    """A self-signed RSA-2048 certificate for municipalities without ICP-Brasil (``(pkcs12, cert_pem)``).

    Its subject carries ":data:`LOCAL_CERT_MARKER`" so stamps and verification say it is a local
    certificate without ICP-Brasil validity. Only the masked CPF goes into the certificate.
    """
    name = " ".join((name or "").split())
    if not name:
        raise UserError("Informe o nome do titular do certificado.")
    if not password or len(password) < 6:
        raise UserError("A senha do certificado precisa ter pelo menos 6 caracteres.")
    if cpf and not cpf_is_valid(cpf):
        raise UserError("CPF inválido.")
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    attrs = [
        x509.NameAttribute(NameOID.COMMON_NAME, name[:64]),
        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, LOCAL_CERT_MARKER),
    ]
    if role.strip():
        attrs.append(x509.NameAttribute(NameOID.TITLE, " ".join(role.split())[:64]))
    if cpf:
        attrs.append(x509.NameAttribute(NameOID.SERIAL_NUMBER, mask_cpf(cpf), _type=_ASN1Type.UTF8String))
    subject = x509.Name(attrs)
    ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=365 * LOCAL_CERT_YEARS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(ski, critical=False)
        .sign(key, hashes.SHA256())
    )
    p12 = pkcs12.serialize_key_and_certificates(
        name.encode("utf-8"), key, cert, None, serialization.BestAvailableEncryption(password.encode("utf-8"))
    )
    return p12, cert.public_bytes(serialization.Encoding.PEM).decode("ascii")


def load_certificates(data: bytes) -> list[x509.Certificate]:
    """Certificates from PEM (one or many), DER or PKCS#7 (.p7b, PEM or DER)."""
    certs: list[x509.Certificate] = []
    stripped = data.lstrip()
    if stripped.startswith(b"-----BEGIN"):
        if b"-----BEGIN PKCS7-----" in data:
            certs += serialization.pkcs7.load_pem_pkcs7_certificates(data)
        if b"-----BEGIN CERTIFICATE-----" in data:
            certs += x509.load_pem_x509_certificates(data)
        return certs
    with contextlib.suppress(ValueError):
        return [x509.load_der_x509_certificate(data)]
    with contextlib.suppress(ValueError):
        return list(serialization.pkcs7.load_der_pkcs7_certificates(data))
    return []


# ---------------------------------------------------------------- signing
@dataclass(frozen=True)
class SignatureFieldInfo:
    name: str
    signed: bool


def _open_reader(data: bytes) -> PdfFileReader:
    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise UnreadablePdf("O arquivo não é um PDF.")
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        _ = reader.root  # forces the trailer/catalog to parse
    except Exception as exc:
        raise UnreadablePdf(
            "O PDF está danificado ou não pôde ser lido.", hint="Peça uma nova cópia do documento."
        ) from exc
    if reader.encrypted:
        raise UnreadablePdf("O PDF está protegido por senha; não é possível assinar ou verificar.")
    return reader


def signature_fields(data: bytes) -> list[SignatureFieldInfo]:
    """The document's signature fields in form order, and whether each is filled."""
    reader = _open_reader(data)
    with _quiet_pyhanko():
        return [
            SignatureFieldInfo(name, value is not None)
            for name, value, _ in fields.enumerate_sig_fields(reader)
        ]


def _stamp_text(signer_name: str, signer_role: str, cpf: str | None, when: datetime, *, local: bool) -> str:
    lines = [f"Assinado digitalmente por {signer_name}"]
    if signer_role.strip():
        lines.append(signer_role.strip())
    if cpf:
        masked = cpf if "*" in cpf else mask_cpf(cpf)
        if masked:
            lines.append(f"CPF {masked}")
    lines.append(f"Data: {when.astimezone():%d/%m/%Y %H:%M}")
    if local:
        lines.append(LOCAL_CERT_LABEL[:1].upper() + LOCAL_CERT_LABEL[1:])
    return "\n".join(lines)


@functools.cache
def _font_bytes(path: str) -> bytes:
    return Path(path).read_bytes()


@dataclass(frozen=True)
class _InMemoryFontFactory(GlyphAccumulatorFactory):
    """pyHanko's factory opens the font file and never closes it (a ResourceWarning per signature)."""

    def create_font_engine(self, writer: Any, obj_stream: Any = None) -> GlyphAccumulator:
        if obj_stream is None and writer.stream_xrefs and self.create_objstream_if_needed:
            obj_stream = writer.prepare_object_stream()
        return GlyphAccumulator(
            writer=writer,
            font_handle=io.BytesIO(_font_bytes(self.font_file)),
            font_size=self.font_size,
            ot_script_tag=self.ot_script_tag,
            ot_language_tag=self.ot_language_tag,
            writing_direction=self.writing_direction,
            bcp47_lang_code=self.bcp47_lang_code,
            obj_stream=obj_stream,
        )


def _stamp_style() -> TextStampStyle:
    return TextStampStyle(
        stamp_text="%(stamp)s",
        text_box_style=TextBoxStyle(
            font=_InMemoryFontFactory(str(stamp_font_path()), font_size=7), font_size=7, leading=9
        ),
        background=None,
        border_width=1,
        inner_content_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MIN,
            y_align=layout.AxisAlignment.ALIGN_MID,
            # top 12 pt: the report prints "Assinatura digital" in the top-left corner of the box
            margins=layout.Margins(left=6, right=6, top=12, bottom=4),
            inner_content_scaling=layout.InnerScaling.SHRINK_TO_FIT,
        ),
    )


def _policy_attr_spec(policy: SignaturePolicy) -> CAdESSignedAttrSpec:
    spi = cades_asn1.SignaturePolicyIdentifier(
        {
            "signature_policy_id": {
                "sig_policy_id": policy.oid,
                "sig_policy_hash": {
                    "digest_algorithm": {"algorithm": "sha256"},
                    "digest": policy.internal_hash,
                },
            }
        }
    )
    return CAdESSignedAttrSpec(signature_policy_identifier=spi)


def signer_is_icp(signer: signers.Signer, icp_roots: Sequence[Cert] | None = None) -> bool:
    """Whether the signature must declare the ICP-Brasil policy.

    True when the signer's certificate chains to the ICP roots (``icp_roots``; default the shipped
    v5/v12) through the certificates the signer carries; with the shipped roots, also when the
    chain is not available but the certificate was issued under an ICP-Brasil certificate policy.
    """
    cert = signer.signing_cert
    if cert is None:
        return False
    pool = list(signer.cert_registry) if signer.cert_registry is not None else []
    if is_icp_brasil(cert, icp_roots, intermediates=pool):
        return True
    return icp_roots is None and has_icp_certificate_policy(cert)


def _is_certified(reader: PdfFileReader) -> bool:
    """A certification (DocMDP) signature is present: only its permitted changes may follow."""
    with contextlib.suppress(Exception):
        perms = reader.root.get("/Perms")
        return perms is not None and "/DocMDP" in perms.get_object()
    return False


class _ClockedPdfSigner(signers.PdfSigner):
    """PdfSigner whose ``/M`` and stamp time come from the app clock instead of the system clock."""

    def __init__(self, *args: Any, system_time: datetime, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._system_time = system_time

    def init_signing_session(self, pdf_out: Any, existing_fields_only: bool = False) -> Any:
        session = super().init_signing_session(pdf_out, existing_fields_only)
        session.system_time = self._system_time
        return session


def _new_field_box(reader: PdfFileReader, page_index: int) -> tuple[float, float, float, float]:
    """A 230×62 pt box at the bottom right of the page, above the usual footer."""
    try:
        media = reader.find_page_for_modification(page_index)[0].get_object()["/MediaBox"]
        width = float(media[2]) - float(media[0])
        x0, y0 = float(media[0]), float(media[1])
    except Exception:
        width, x0, y0 = 595.0, 0.0, 0.0
    right = x0 + width - 57
    return (round(right - 230, 2), round(y0 + 48, 2), round(right, 2), round(y0 + 110, 2))


def sign_pdf(
    data: bytes,
    signer: signers.Signer,
    *,
    field_name: str | None,
    reason: str | None,
    location: str | None,
    signer_name: str | None,
    signer_role: str,
    cpf: str | None,
    certify: bool,
    now: datetime,
    icp_roots: Sequence[Cert] | None = None,
) -> bytes:
    """Sign ``data`` and return the new file: the input bytes followed by one incremental update.

    ``field_name`` names an existing EMPTY signature field; without it the first empty field is
    used, else a new field is made on the last page. ``certify`` makes this a certification
    signature with DocMDP "form filling" (only filling the remaining signature fields is allowed
    afterwards); it is refused when the document already has a signature.
    """
    try:
        return _sign_pdf(
            data,
            signer,
            field_name=field_name,
            reason=reason,
            location=location,
            signer_name=signer_name,
            signer_role=signer_role,
            cpf=cpf,
            certify=certify,
            now=now,
            icp_roots=icp_roots,
        )
    except (SigningRefused, UnreadablePdf):
        raise
    except PyHankoSigningError as exc:
        if "forbids all changes" in str(exc):
            raise SigningRefused(
                "O documento não permite mais assinaturas ou alterações.",
                hint="Ele foi certificado sem permitir novas assinaturas.",
            ) from exc
        raise SigningRefused("Não foi possível assinar este documento.") from exc
    except Exception as exc:
        if type(exc).__module__.startswith("pkcs11"):
            raise SigningRefused(
                "O token não respondeu durante a assinatura; nada foi gravado.",
                hint="Reconecte o token e tente de novo.",
            ) from exc
        raise


def _sign_pdf(
    data: bytes,
    signer: signers.Signer,
    *,
    field_name: str | None,
    reason: str | None,
    location: str | None,
    signer_name: str | None,
    signer_role: str,
    cpf: str | None,
    certify: bool,
    now: datetime,
    icp_roots: Sequence[Cert] | None = None,
) -> bytes:
    reader = _open_reader(data)
    with _quiet_pyhanko():
        existing = [(name, value is not None) for name, value, _ in fields.enumerate_sig_fields(reader)]
        signed_count = sum(1 for _, filled in existing if filled)
        if field_name is not None:
            match = [filled for name, filled in existing if name == field_name]
            if not match:
                available = ", ".join(name for name, filled in existing if not filled) or "nenhum"
                raise SigningRefused(
                    f"O campo de assinatura \u201c{field_name}\u201d não existe neste documento.",
                    hint=f"Campos vazios disponíveis: {available}.",
                )
            if match[0]:
                raise SigningRefused(f"O campo de assinatura \u201c{field_name}\u201d já está assinado.")
            target, new_spec = field_name, None
        else:
            empty = [name for name, filled in existing if not filled]
            if empty:
                target, new_spec = empty[0], None
            else:
                if _is_certified(reader):
                    raise SigningRefused(
                        "O documento foi certificado e não tem campo de assinatura vazio.",
                        hint="Uma nova assinatura invalidaria a certificação: peça um documento com o "
                        "campo de assinatura já criado.",
                    )
                taken = {name for name, _ in existing}
                target = next(f"assinatura_{n}" for n in range(1, 1000) if f"assinatura_{n}" not in taken)
                last_page = int(reader.root["/Pages"]["/Count"]) - 1
                new_spec = fields.SigFieldSpec(
                    sig_field_name=target, on_page=last_page, box=_new_field_box(reader, last_page)
                )
        if certify and signed_count:
            raise SigningRefused(
                "O documento já tem assinatura; só a primeira pode ser de certificação.",
                hint="Assine sem certificar (assinatura de aprovação).",
            )
        cert = signer.signing_cert
        local = cert is not None and is_local_certificate(cert)
        if signer_name is None:
            signer_name = certificate_holder(cert) if cert is not None else ""
        if cpf is None and cert is not None:
            cpf = certificate_cpf(cert)
            if cpf is None and local:
                cpf = _name_attr(to_crypto(cert).subject, NameOID.SERIAL_NUMBER) or None
        attr_spec = _policy_attr_spec(load_icp_policy()) if signer_is_icp(signer, icp_roots) else None
        meta = signers.PdfSignatureMetadata(
            field_name=target,
            md_algorithm="sha256",
            subfilter=fields.SigSeedSubFilter.PADES,
            reason=reason or None,
            location=location or None,
            name=signer_name or None,
            certify=certify,
            docmdp_permissions=fields.MDPPerm.FILL_FORMS,
            cades_signed_attr_spec=attr_spec,
        )
        pdf_signer = _ClockedPdfSigner(
            meta, signer=signer, stamp_style=_stamp_style(), new_field_spec=new_spec, system_time=now
        )
        writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
        out = io.BytesIO()
        text = _stamp_text(signer_name, signer_role, cpf, now, local=local)
        pdf_signer.sign_pdf(
            writer,
            existing_fields_only=new_spec is None,
            appearance_text_params={"stamp": text},
            output=out,
        )
    result = out.getvalue()
    if not result.startswith(data):  # pragma: no cover - an invariant of incremental signing
        raise RuntimeError("incremental signing changed earlier bytes")
    return result


# ---------------------------------------------------------------- verification
@dataclass(frozen=True)
class SignatureCheck:
    field: str
    signer: str
    issuer_chain: list[str]
    signing_time_claimed: datetime | None
    intact: bool
    valid: bool
    trusted: bool
    coverage: str
    modification_level: str
    modified_after_signing: bool
    bottom_line: bool
    local_certificate: bool
    icp_brasil: bool
    certification: bool
    policy_oid: str | None
    valid_at_signing_time: bool
    message_pt: str

    @property
    def ok(self) -> bool:
        return (
            self.bottom_line
            and self.intact
            and self.valid
            and self.trusted
            and not self.modified_after_signing
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "signer": self.signer,
            "intact": self.intact,
            "valid": self.valid,
            "trusted": self.trusted,
            "modified_after_signing": self.modified_after_signing,
            "ok": self.ok,
            "bottom_line": self.bottom_line,
            "coverage": self.coverage,
            "modification_level": self.modification_level,
            "issuer_chain": self.issuer_chain,
            "signing_time_claimed": self.signing_time_claimed.isoformat()
            if self.signing_time_claimed
            else None,
            "local_certificate": self.local_certificate,
            "icp_brasil": self.icp_brasil,
            "certification": self.certification,
            "policy_oid": self.policy_oid,
            "valid_at_signing_time": self.valid_at_signing_time,
            "message": self.message_pt,
        }


@dataclass(frozen=True)
class VerifyReport:
    signatures: list[SignatureCheck] = field(default_factory=list)
    #: ``/Sig`` fields with a value that pyHanko did not recognise as a signature it can check.
    unsupported_count: int = 0
    #: Signed fields counted independently of pyHanko.
    signed_field_count: int = 0

    @property
    def ok(self) -> bool:
        return bool(self.signatures) and self.unsupported_count == 0 and all(s.ok for s in self.signatures)

    @property
    def summary_pt(self) -> str:
        if self.unsupported_count:
            return (
                f"{self.unsupported_count} assinatura(s) de tipo não suportado: "
                "não foi possível verificá-la(s) aqui."
            )
        if not self.signatures:
            return "Documento sem assinatura digital."
        if self.ok:
            return (
                f"{len(self.signatures)} assinatura(s) válida(s); o documento não foi alterado após assinado."
            )
        bad = sum(1 for s in self.signatures if not s.ok)
        return f"{bad} de {len(self.signatures)} assinatura(s) com problema."

    def as_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "signatures": [s.as_json() for s in self.signatures],
            "unsupported_count": self.unsupported_count,
            "signed_field_count": self.signed_field_count,
            "summary": self.summary_pt,
        }


@contextlib.contextmanager
def _quiet_pyhanko() -> Iterator[None]:
    """pyHanko logs full tracebacks for every failed check; silence them while we work."""
    saved = {}
    for name in _PYHANKO_LOGGERS:
        logger = logging.getLogger(name)
        saved[name] = logger.level
        logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for name, level in saved.items():
            logging.getLogger(name).setLevel(level)


def count_signed_fields(reader: PdfFileReader) -> int:
    """``/Sig`` fields that carry a value, counted by walking the AcroForm ourselves."""
    try:
        form = reader.root.get("/AcroForm")
        if form is None:
            return 0
        form = form.get_object()
        top = form.get("/Fields")
        if top is None:
            return 0
        top = top.get_object()
    except Exception:
        return 0
    seen: set[tuple[int, int]] = set()
    count = 0

    def walk(items: Any, inherited_ft: Any, depth: int) -> None:
        nonlocal count
        if depth > 32:
            return
        for item in items:
            key = (item.idnum, item.generation) if isinstance(item, generic.IndirectObject) else None
            if key is not None:
                if key in seen:
                    continue
                seen.add(key)
            node = None
            with contextlib.suppress(Exception):
                node = item.get_object()
            if not isinstance(node, generic.DictionaryObject):
                continue
            ft = node.get("/FT", inherited_ft)
            kids = node.get("/Kids")
            kid_fields = []
            if kids is not None:
                with contextlib.suppress(Exception):
                    kid_fields = [k for k in kids.get_object() if "/T" in k.get_object()]
            if kid_fields:
                walk(kid_fields, ft, depth + 1)
                continue
            value = node.get("/V")
            if ft == "/Sig" and value is not None and not isinstance(value, generic.NullObject):
                count += 1

    walk(top, None, 0)
    return count


@dataclass(frozen=True)
class _Trust:
    roots: list[asn1_x509.Certificate]
    others: list[asn1_x509.Certificate]
    icp_fingerprints: frozenset[str]

    def context(self, moment: datetime | None) -> ValidationContext:
        return ValidationContext(
            trust_roots=self.roots,
            other_certs=self.others,
            allow_fetching=False,
            revocation_mode="soft-fail",
            moment=moment,
        )


def _unique(certs: Iterable[Cert]) -> list[asn1_x509.Certificate]:
    seen: dict[str, asn1_x509.Certificate] = {}
    for cert in certs:
        seen.setdefault(fingerprint(cert), to_asn1(cert))
    return list(seen.values())


_KEY_USAGE = KeyUsageConstraints(
    key_usage={"digital_signature", "non_repudiation"}, match_all_key_usages=False
)
_ALLOWED_AFTER = (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES, ModificationLevel.FORM_FILLING)


def _policy_oid(embedded: Any) -> str | None:
    with contextlib.suppress(Exception):
        for attr in embedded.signer_info["signed_attrs"]:
            if attr["type"].dotted == "1.2.840.113549.1.9.16.2.15":
                native = attr["values"][0].native
                return str(native["sig_policy_id"]) if isinstance(native, dict) else None
    return None


def verify_pdf(
    data: bytes,
    *,
    extra_trust: Iterable[Cert] = (),
    extra_intermediates: Iterable[Cert] = (),
    icp_roots: Sequence[Cert] | None = None,
    now: datetime | None = None,
) -> VerifyReport:
    """Check every signature of ``data``. Raises :class:`UnreadablePdf` when the file cannot be parsed.

    Trust anchors = the shipped ICP-Brasil roots + ``extra_trust`` (the app trust store and
    ``--trust``); ``extra_intermediates`` only help build chains. ``icp_roots`` replaces the shipped
    roots as "ICP-Brasil" anchors (tests pass their own root). ``now`` is the validation time.
    """
    icp = [to_crypto(c) for c in (icp_brasil_roots() if icp_roots is None else icp_roots)]
    trust = _Trust(
        roots=_unique([*icp, *extra_trust]),
        others=_unique(extra_intermediates),
        icp_fingerprints=frozenset(fingerprint(c) for c in icp),
    )
    with _quiet_pyhanko():
        reader = _open_reader(data)
        try:
            embedded_all = list(reader.embedded_signatures)
        except Exception as exc:
            raise UnreadablePdf("O PDF está danificado; as assinaturas não puderam ser lidas.") from exc
        raw = count_signed_fields(reader)
        checks = [_check_one(emb, trust, now) for emb in embedded_all]
    unsupported = max(0, raw - len(embedded_all))
    return VerifyReport(checks, unsupported, raw)


def _check_one(emb: Any, trust: _Trust, now: datetime | None) -> SignatureCheck:
    name = str(emb.field_name or "")
    if emb.sig_object_type == "/DocTimeStamp":
        return _check_timestamp(emb, name, trust, now)
    try:
        cert = emb.signer_cert
        signer = certificate_holder(cert)
        local = is_local_certificate(cert)
    except Exception:
        cert, signer, local = None, "(desconhecido)", False
    claimed = None
    with contextlib.suppress(Exception):
        claimed = emb.self_reported_timestamp
    certification = False
    with contextlib.suppress(Exception):
        certification = emb.docmdp_level is not None
    policy = _policy_oid(emb)
    try:
        status = validate_pdf_signature(emb, trust.context(now), key_usage_settings=_KEY_USAGE)
    except Exception:
        return SignatureCheck(
            name, signer, [], claimed, False, False, False, "", "", True, False, local, False, certification,
            policy, False, "Assinatura danificada: não foi possível verificá-la.",
        )  # fmt: skip
    chain: list[str] = []
    anchor_icp = False
    if status.validation_path is not None:
        with contextlib.suppress(Exception):
            chain = [
                display_name(to_crypto(c).subject)
                for c in status.validation_path.iter_certs(include_root=True)
            ]
        with contextlib.suppress(Exception):
            anchor = status.validation_path.trust_anchor.authority.certificate
            anchor_icp = fingerprint(anchor) in trust.icp_fingerprints
    if not chain and cert is not None:
        chain = [display_name(to_crypto(cert).issuer), signer]
    level = status.modification_level
    modified = (
        level is None or level not in _ALLOWED_AFTER or status.docmdp_ok is False or status.coverage is None
    )
    valid_then = False
    if status.intact and status.valid and not status.trusted and claimed is not None and cert is not None:
        c = to_crypto(cert)
        if c.not_valid_after_utc < (now or datetime.now(UTC)) and c.not_valid_before_utc <= claimed:
            with contextlib.suppress(Exception):
                again = validate_pdf_signature(emb, trust.context(claimed), key_usage_settings=_KEY_USAGE)
                valid_then = bool(again.trusted)
    message = _message(
        status,
        modified=modified,
        local=local,
        icp=anchor_icp,
        valid_then=valid_then,
        claimed=claimed,
        cert=cert,
        now=now,
    )
    return SignatureCheck(
        field=name,
        signer=signer,
        issuer_chain=chain,
        signing_time_claimed=claimed,
        intact=bool(status.intact),
        valid=bool(status.valid),
        trusted=bool(status.trusted),
        coverage=status.coverage.name if status.coverage is not None else "",
        modification_level=level.name if level is not None else "",
        modified_after_signing=modified,
        bottom_line=bool(status.bottom_line),
        local_certificate=local,
        icp_brasil=anchor_icp,
        certification=certification,
        policy_oid=policy,
        valid_at_signing_time=valid_then,
        message_pt=message,
    )


def _check_timestamp(emb: Any, name: str, trust: _Trust, now: datetime | None) -> SignatureCheck:
    try:
        status = validate_pdf_timestamp(emb, validation_context=trust.context(now))
        intact, valid, trusted = bool(status.intact), bool(status.valid), bool(status.trusted)
        level = status.modification_level
        modified = level is None or level not in _ALLOWED_AFTER
        when = status.timestamp
    except Exception:
        intact = valid = trusted = False
        modified, level, when = True, None, None
    good = intact and valid and trusted and not modified
    return SignatureCheck(
        name, "carimbo de tempo do documento", [], when, intact, valid, trusted, "",
        level.name if level is not None else "", modified, good, False, False, False, None, False,
        "Carimbo de tempo válido." if good else "Carimbo de tempo inválido ou não confiável.",
    )  # fmt: skip


def _message(
    status: Any,
    *,
    modified: bool,
    local: bool,
    icp: bool,
    valid_then: bool,
    claimed: datetime | None,
    cert: Any,
    now: datetime | None,
) -> str:
    if not status.intact:
        return "Assinatura inválida: o conteúdo assinado foi alterado."
    if not status.valid:
        return "Assinatura inválida: a assinatura criptográfica não confere."
    if modified:
        return "O documento foi alterado depois desta assinatura de forma não permitida."
    if valid_then and claimed is not None:
        expiry = to_crypto(cert).not_valid_after_utc.astimezone()
        return (
            f"Válida na data declarada da assinatura ({claimed.astimezone():%d/%m/%Y}), "
            f"sem carimbo de tempo; o certificado do signatário venceu em {expiry:%d/%m/%Y}."
        )
    if not status.trusted:
        if cert is not None and to_crypto(cert).not_valid_after_utc < (now or datetime.now(UTC)):
            return "Certificado do signatário vencido."
        if local:
            return (
                f"Assinatura íntegra, mas com {LOCAL_CERT_LABEL} que não está na lista de confiança "
                "deste computador."
            )
        return "Assinatura íntegra, mas o certificado não é de uma autoridade confiável."
    if local:
        return f"Assinatura válida ({LOCAL_CERT_LABEL})."
    if icp:
        return "Assinatura válida (ICP-Brasil)."
    return "Assinatura válida (certificado da lista de confiança deste computador)."
