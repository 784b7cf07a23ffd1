"""A throw-away test PKI made with ``cryptography``: root CA -> intermediate -> signers (RSA-2048).

Used by the signing tests (documents, services, CLI). Nothing here is a real ICP-Brasil
certificate: tests that need "ICP-like" behaviour pass this root as ``icp_roots``.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

PASSWORD = "senha-teste-123"
NOW = datetime.now(UTC)


@dataclass
class Identity:
    name: str
    key: rsa.RSAPrivateKey
    cert: x509.Certificate
    chain: list[x509.Certificate] = field(default_factory=list)
    p12: Path | None = None
    p12_legacy: Path | None = None

    @property
    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)


@dataclass
class SigningPki:
    folder: Path
    root: Identity
    intermediate: Identity
    signers: dict[str, Identity]
    other_root: Identity

    def __getitem__(self, key: str) -> Identity:
        return self.signers[key]

    @property
    def root_pem_path(self) -> Path:
        return self.folder / "root.pem"

    @property
    def other_root_pem_path(self) -> Path:
        return self.folder / "other-root.pem"


def _key(bits: int = 2048) -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


def _name(cn: str, org: str = "PKI de Teste SUAS") -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "BR"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
            x509.NameAttribute(NameOID.COMMON_NAME, cn),
        ]
    )


def _ca(cn: str, issuer: Identity | None, *, path_len: int | None) -> Identity:
    key = _key()
    subject = _name(cn)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.cert.subject if issuer else subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOW - timedelta(days=3650))
        .not_valid_after(NOW + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=path_len), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    if issuer is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()), critical=False
        )
    cert = builder.sign(issuer.key if issuer else key, hashes.SHA256())
    return Identity(cn, key, cert, [] if issuer is None else [issuer.cert, *issuer.chain])


def _leaf(
    cn: str,
    issuer: Identity,
    *,
    not_before: datetime,
    not_after: datetime,
    signing_usage: bool = True,
    bits: int = 2048,
    icp_policy: bool = False,
) -> Identity:
    key = _key(bits)
    usage = x509.KeyUsage(
        digital_signature=signing_usage,
        content_commitment=signing_usage,
        key_encipherment=not signing_usage,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(cn))
        .issuer_name(issuer.cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(usage, critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()), critical=False
        )
    )
    if icp_policy:
        builder = builder.add_extension(
            x509.CertificatePolicies(
                [x509.PolicyInformation(x509.ObjectIdentifier("2.16.76.1.2.1.99"), None)]
            ),
            critical=False,
        )
    cert = builder.sign(issuer.key, hashes.SHA256())
    return Identity(cn, key, cert, [issuer.cert, *issuer.chain])


def _save(identity: Identity, folder: Path, slug: str) -> None:
    chain = identity.chain[:1]  # the intermediate, as real A1 exports usually carry
    modern = pkcs12.serialize_key_and_certificates(
        slug.encode(),
        identity.key,
        identity.cert,
        chain,
        serialization.BestAvailableEncryption(PASSWORD.encode()),
    )
    legacy_enc = (
        serialization.PrivateFormat.PKCS12.encryption_builder()
        .kdf_rounds(2048)
        .key_cert_algorithm(pkcs12.PBES.PBESv1SHA1And3KeyTripleDESCBC)
        .hmac_hash(hashes.SHA1())
        .build(PASSWORD.encode())
    )
    legacy = pkcs12.serialize_key_and_certificates(
        slug.encode(), identity.key, identity.cert, chain, legacy_enc
    )
    identity.p12 = folder / f"{slug}.p12"
    identity.p12_legacy = folder / f"{slug}-3des.pfx"
    identity.p12.write_bytes(modern)
    identity.p12_legacy.write_bytes(legacy)


def rc2_pfx(identity: Identity, folder: Path) -> Path | None:
    """An RC2-40 .pfx like old Windows exports, made with ``openssl -legacy`` (None when unavailable)."""
    if shutil.which("openssl") is None:
        return None
    key = folder / "rc2-key.pem"
    crt = folder / "rc2-cert.pem"
    out = folder / "rc2.pfx"
    key.write_bytes(
        identity.key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    crt.write_bytes(identity.pem)
    result = subprocess.run(
        ["openssl", "pkcs12", "-export", "-legacy", "-certpbe", "PBE-SHA1-RC2-40", "-keypbe", "PBE-SHA1-3DES",
         "-inkey", str(key), "-in", str(crt), "-out", str(out), "-passout", f"pass:{PASSWORD}"],
        capture_output=True, check=False,
    )  # fmt: skip
    key.unlink()
    return out if result.returncode == 0 and out.is_file() else None


def build_pki(folder: Path) -> SigningPki:
    folder.mkdir(parents=True, exist_ok=True)
    root = _ca("Raiz de Teste SUAS", None, path_len=1)
    inter = _ca("AC Intermediária de Teste", root, path_len=0)
    year = timedelta(days=365)
    signers = {
        "ana": _leaf("Ana Maria Souza", inter, not_before=NOW - year, not_after=NOW + year),
        "jose": _leaf("José da Conceição", inter, not_before=NOW - year, not_after=NOW + year),
        "lucia": _leaf("Lúcia Antônia Brandão", inter, not_before=NOW - year, not_after=NOW + year),
        "expired": _leaf("Vencido da Silva", inter, not_before=NOW - 2 * year, not_after=NOW - timedelta(days=2)),
        "nosign": _leaf("Sem Uso de Assinatura", inter, not_before=NOW - year, not_after=NOW + year,
                        signing_usage=False),
        "weak": _leaf("Chave Fraca", inter, not_before=NOW - year, not_after=NOW + year, bits=1024),
        "icp_policy": _leaf("Titular com Política ICP:11144477735", inter, not_before=NOW - year,
                            not_after=NOW + year, icp_policy=True),
    }  # fmt: skip
    other_root = _ca("Raiz Desconhecida", None, path_len=0)
    signers["stranger"] = _leaf(
        "Estranho Sem Confiança", other_root, not_before=NOW - year, not_after=NOW + year
    )
    for slug, identity in signers.items():
        _save(identity, folder, slug)
    pki = SigningPki(folder, root, inter, signers, other_root)
    pki.root_pem_path.write_bytes(root.pem)
    pki.other_root_pem_path.write_bytes(other_root.pem)
    return pki
