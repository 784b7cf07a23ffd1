"""Signing and verifying PDFs, the trust store and local certificates (issue 7).

The input file is never modified: the signed copy goes to another path through temp + fsync +
rename, so a failure (wrong PIN, token pulled out, full disk) never leaves a partial PDF. Every
signature made here is recorded (``signed_document``, audit action ``signature.create``).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from suas_desktop import log
from suas_desktop.atomic_files import atomic_write_bytes
from suas_desktop.domain.audit import AuditEntry
from suas_desktop.domain.clock import iso_utc, parse_iso_utc
from suas_desktop.domain.permissions import Permission
from suas_desktop.errors import UserError
from suas_desktop.services.authorization import require
from suas_desktop.services.workspace import Workspace
from suas_desktop.storage.audit_repository import AuditRepository
from suas_desktop.storage.signature_repository import SignatureRepository, SignedDocument, TrustedCertificate

#: How far behind the newest saved change the clock may be before we warn (clocks of other machines
#: whose changes were imported are never perfectly in step).
CLOCK_TOLERANCE = timedelta(minutes=5)

#: The stamp's second line for the fields the reports create (interfaces.md).
FIELD_ROLES = {
    "gestor_saida": "Gestor(a) que transmite o cargo",
    "gestor_entrada": "Gestor(a) que assume o cargo",
    "presidente_cmas": "Presidente do CMAS",
    "gestor": "Gestor(a) da Assistência Social",
    "contador": "Contador(a)",
    "controle_interno": "Controle Interno",
}


@dataclass(frozen=True)
class Pkcs11Options:
    """Where the A3 token is: its PKCS#11 library, the PIN and, when several fit, which one."""

    lib_path: str
    pin: str
    token_label: str | None = None
    key_label: str | None = None


@dataclass(frozen=True)
class SignResult:
    output_path: Path
    sha256: str
    field_name: str
    signer: str
    record_id: str
    certified: bool
    icp_brasil: bool
    local_certificate: bool
    clock_warning: str | None


@dataclass(frozen=True)
class FileVerification:
    report: object  # documents.signing.VerifyReport (kept untyped to keep the import lazy)
    sha256: str
    #: The file was signed here and its cycle was reopened afterwards.
    superseded: bool
    #: The file was signed on this installation (found by its SHA-256).
    recorded: bool


@dataclass(frozen=True)
class ImportResult:
    added: list[TrustedCertificate]
    already_present: int


@dataclass(frozen=True)
class IssuedCertificate:
    p12_path: Path
    cert_path: Path | None
    sha256: str
    trusted_id: str | None


def _read(path: Path, what: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise UserError(f"Não foi possível ler {what} \u201c{Path(path).name}\u201d.") from exc


def _same_file(a: Path, b: Path) -> bool:
    if a.resolve() == b.resolve():
        return True
    try:
        return b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def _kind_of(cert: x509.Certificate) -> str:
    try:
        is_ca = cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    except x509.ExtensionNotFound:
        is_ca = False
    if is_ca:
        return "root" if cert.subject == cert.issuer else "intermediate"
    return "local"


class SignatureService:
    def __init__(self, ws: Workspace) -> None:
        self._ws = ws
        self._repo = SignatureRepository(ws.db)

    # ------------------------------------------------------------------ clock honesty
    def clock_warning(self) -> str | None:
        """A pt-BR warning when the PC clock is earlier than the newest change saved in the database."""
        newest = self._repo.newest_update()
        if not newest:
            return None
        now = self._ws.clock.now()
        try:
            newest_dt = parse_iso_utc(newest)
        except ValueError:
            return None
        if now + CLOCK_TOLERANCE >= newest_dt:
            return None
        return (
            f"O relógio deste computador ({now.astimezone():%d/%m/%Y %H:%M}) está atrasado em relação à "
            f"última alteração gravada ({newest_dt.astimezone():%d/%m/%Y %H:%M}). A data da assinatura vem "
            "do relógio: acerte a data e a hora antes de assinar."
        )

    # ------------------------------------------------------------------ signing
    def sign_file(
        self,
        actor: str,
        input_path: Path,
        output_path: Path,
        *,
        pfx_path: Path | None = None,
        password: str | None = None,
        pkcs11: Pkcs11Options | None = None,
        field: str | None = None,
        reason: str | None = None,
        document_kind: str | None = None,
        cycle_id: str | None = None,
        signer_role: str | None = None,
        cpf: str | None = None,
        location: str | None = None,
        certify: bool | None = None,
    ) -> SignResult:
        """Sign ``input_path`` into ``output_path`` with an A1 file or an A3 token.

        ``certify`` defaults to "yes for the first signature of a document with signature fields":
        the first signer certifies, and afterwards only the remaining fields may be filled.
        """
        from suas_desktop.documents import signing

        require(self._ws, Permission.SIGN, entity="signed_document", record_id=cycle_id or "")
        input_path, output_path = Path(input_path), Path(output_path)
        if _same_file(input_path, output_path):
            raise UserError(
                "O arquivo assinado precisa ter outro nome: o original nunca é alterado.",
                hint="Escolha outro nome ou outra pasta para o arquivo assinado.",
            )
        if not output_path.parent.is_dir():
            raise UserError(f"A pasta de destino não existe: {output_path.parent}.")
        data = _read(input_path, "o arquivo")
        if (pfx_path is None) == (pkcs11 is None):
            raise UserError("Escolha um certificado: arquivo A1 (.pfx/.p12) ou token A3.")
        now = self._ws.clock.now()
        warning = self.clock_warning()
        fields_before = signing.signature_fields(data)
        if certify is None:
            # Certify only a document made for signing (pre-created fields): after a certification no
            # new field may be added, so a PDF without fields gets approval signatures only.
            certify = bool(fields_before) and not any(f.signed for f in fields_before)
        if pfx_path is not None:
            signer = signing.load_pkcs12_signer(pfx_path, password, now=now)
            closer = None
        else:
            assert pkcs11 is not None
            signer = signing.load_pkcs11_signer(
                pkcs11.lib_path,
                pkcs11.pin,
                token_label=pkcs11.token_label,
                key_label=pkcs11.key_label,
                now=now,
            )
            closer = signer.close
        try:
            cert = signer.signing_cert
            holder = signing.certificate_holder(cert)
            target = field or next((f.name for f in fields_before if not f.signed), None)
            role = signer_role
            if role is None:
                role = FIELD_ROLES.get(target or "", "")
                if not role and signing.is_local_certificate(cert):
                    role = signing.local_certificate_title(cert)
            signed = signing.sign_pdf(
                data,
                signer,
                field_name=field,
                reason=reason,
                location=location,
                signer_name=holder,
                signer_role=role,
                cpf=cpf,
                certify=certify,
                now=now,
            )
            icp = signing.signer_is_icp(signer)
            local = signing.is_local_certificate(cert)
        finally:
            if closer is not None:
                closer()
        after = [f for f in signing.signature_fields(signed) if f.signed]
        before = {f.name for f in fields_before if f.signed}
        field_name = next((f.name for f in after if f.name not in before), field or "")
        atomic_write_bytes(output_path, signed)
        digest = hashlib.sha256(signed).hexdigest()
        ctx = self._ws.write_context(actor)
        with self._ws.db.transaction():
            record_id = self._repo.record_signature(
                ctx,
                document_kind=document_kind or "pdf",
                cycle_id=cycle_id,
                sha256=digest,
                file_name=output_path.name,
                signer=holder,
                signed_at=iso_utc(now),
                field_name=field_name,
            )
        log.services.info(
            "signed a document (%s, field %s, record %s)", document_kind or "pdf", field_name, record_id
        )
        return SignResult(output_path, digest, field_name, holder, record_id, certify, icp, local, warning)

    # ------------------------------------------------------------------ verification
    def trust_anchors(self) -> tuple[list[x509.Certificate], list[x509.Certificate]]:
        """(anchors, intermediates) from the app trust store."""
        anchors, intermediates = [], []
        for item in self._repo.trusted():
            cert = x509.load_pem_x509_certificate(item.pem.encode("ascii"))
            (intermediates if item.kind == "intermediate" else anchors).append(cert)
        return anchors, intermediates

    def verify_file(
        self, path: Path, extra_trust_paths: tuple[Path, ...] | list[Path] = ()
    ) -> FileVerification:
        """Verify every signature of ``path`` against ICP-Brasil + the trust store + ``extra_trust_paths``.

        Raises :class:`~suas_desktop.documents.signing.UnreadablePdf` when the file cannot be read.
        """
        from suas_desktop.documents import signing

        extra: list[x509.Certificate] = []
        for trust_path in extra_trust_paths:
            certs = signing.load_certificates(_read(Path(trust_path), "o certificado"))
            if not certs:
                raise UserError(f"Nenhum certificado encontrado em \u201c{Path(trust_path).name}\u201d.")
            extra += certs
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise signing.UnreadablePdf(
                f"Não foi possível ler o arquivo \u201c{Path(path).name}\u201d."
            ) from exc
        anchors, intermediates = self.trust_anchors()
        report = signing.verify_pdf(
            data,
            extra_trust=[*anchors, *extra],
            extra_intermediates=intermediates,
            now=self._ws.clock.now(),
        )
        digest = hashlib.sha256(data).hexdigest()
        rows = self._repo.by_sha256(digest)
        return FileVerification(report, digest, any(r.superseded for r in rows), bool(rows))

    # ------------------------------------------------------------------ trust store
    def list_trusted(self) -> list[TrustedCertificate]:
        return self._repo.trusted()

    def import_certificates(self, actor: str, path: Path) -> ImportResult:
        """Add the certificates of a PEM, DER or PKCS#7 (.p7b) file to the trust store."""
        from suas_desktop.documents import signing

        require(self._ws, Permission.CERTIFICATES_MANAGE, doing="incluir certificados na lista de confiança")

        certs = signing.load_certificates(_read(Path(path), "o arquivo"))
        if not certs:
            raise UserError(
                f"Nenhum certificado encontrado em \u201c{Path(path).name}\u201d.",
                hint="Use um arquivo .pem, .cer, .crt, .der ou .p7b.",
            )
        ctx = self._ws.write_context(actor)
        added: list[TrustedCertificate] = []
        already = 0
        with self._ws.db.transaction():
            for cert in certs:
                fp = signing.fingerprint(cert)
                if self._repo.trusted_by_fingerprint(fp) is not None:
                    already += 1
                    continue
                kind = _kind_of(cert)
                cert_id = self._repo.add_trusted(
                    sha256=fp,
                    subject=cert.subject.rfc4514_string(),
                    pem=cert.public_bytes(serialization.Encoding.PEM).decode("ascii"),
                    kind=kind,
                    at=ctx.at,
                    actor=actor,
                )
                self._audit(ctx.at, actor, "trust.add", cert_id, f"{kind} sha256 {fp[:16]}")
                found = self._repo.trusted_by_id(cert_id)
                assert found is not None
                added.append(found)
        return ImportResult(added, already)

    def remove_trusted(self, actor: str, cert_id: str) -> None:
        require(
            self._ws,
            Permission.CERTIFICATES_MANAGE,
            doing="retirar certificados da lista de confiança",
            entity="trusted_certificate",
            record_id=cert_id,
        )
        ctx = self._ws.write_context(actor)
        with self._ws.db.transaction():
            found = self._repo.trusted_by_id(cert_id)
            if found is None:
                raise UserError("Este certificado não está mais na lista de confiança.")
            self._repo.remove_trusted(cert_id)
            self._audit(ctx.at, actor, "trust.remove", cert_id, f"{found.kind} sha256 {found.sha256[:16]}")

    def export_certificate(
        self,
        output_path: Path,
        *,
        trusted_id: str | None = None,
        pfx_path: Path | None = None,
        password: str | None = None,
    ) -> Path:
        """Write a certificate as PEM: one from the trust store, or the public part of an A1 file."""
        from suas_desktop.documents import signing

        require(self._ws, Permission.CERTIFICATES_MANAGE, doing="exportar certificados")

        if (trusted_id is None) == (pfx_path is None):
            raise UserError("Escolha qual certificado exportar.")
        if trusted_id is not None:
            found = self._repo.trusted_by_id(trusted_id)
            if found is None:
                raise UserError("Este certificado não está mais na lista de confiança.")
            pem = found.pem.encode("ascii")
        else:
            assert pfx_path is not None
            signer = signing.load_pkcs12_signer(pfx_path, password, now=self._ws.clock.now())
            pem = signing.to_crypto(signer.signing_cert).public_bytes(serialization.Encoding.PEM)
        output_path = Path(output_path)
        atomic_write_bytes(output_path, pem)
        return output_path

    # ------------------------------------------------------------------ local certificates
    def issue_local_certificate(
        self,
        actor: str,
        *,
        name: str,
        cpf: str | None,
        role: str,
        password: str,
        p12_path: Path,
        cert_path: Path | None = None,
        trust: bool = True,
        overwrite: bool = False,
    ) -> IssuedCertificate:
        """Make a local (non ICP-Brasil) certificate, save it where the user chose and trust it here."""
        from suas_desktop.documents import signing

        require(self._ws, Permission.CERTIFICATES_MANAGE, doing="emitir certificados locais")

        p12_path = Path(p12_path)
        for target in (p12_path, cert_path):
            if target is None:
                continue
            if not Path(target).parent.is_dir():
                raise UserError(f"A pasta de destino não existe: {Path(target).parent}.")
            if Path(target).exists() and not overwrite:
                raise UserError(
                    f"O arquivo \u201c{Path(target).name}\u201d já existe.", hint="Escolha outro nome."
                )
        p12, pem = signing.issue_local_certificate(name, cpf, role, password, now=self._ws.clock.now())
        atomic_write_bytes(p12_path, p12)
        if cert_path is not None:
            atomic_write_bytes(Path(cert_path), pem.encode("ascii"))
        cert = x509.load_pem_x509_certificate(pem.encode("ascii"))
        fp = signing.fingerprint(cert)
        ctx = self._ws.write_context(actor)
        trusted_id = None
        with self._ws.db.transaction():
            if trust:
                trusted_id = self._repo.add_trusted(
                    sha256=fp,
                    subject=cert.subject.rfc4514_string(),
                    pem=pem,
                    kind="local",
                    at=ctx.at,
                    actor=actor,
                )
            self._audit(ctx.at, actor, "certificate.issue", trusted_id or "", f"local sha256 {fp[:16]}")
        return IssuedCertificate(p12_path, Path(cert_path) if cert_path else None, fp, trusted_id)

    # ------------------------------------------------------------------ cycles
    def signed_documents(self, cycle_id: str | None = None) -> list[SignedDocument]:
        return self._repo.signed_documents(cycle_id=cycle_id)

    def mark_superseded(self, actor: str, cycle_id: str) -> int:
        """A concluded, signed cycle was reopened: its signed documents no longer reflect the data."""
        require(self._ws, Permission.CYCLE_MANAGE, doing="reabrir ciclos", entity="cycle", record_id=cycle_id)
        return self._repo.mark_superseded(self._ws.write_context(actor), cycle_id)

    def _audit(self, at: str, actor: str, action: str, record_id: str, detail: str) -> None:
        AuditRepository(self._ws.db).append(
            AuditEntry(
                at=at,
                actor=actor,
                action=action,
                origin=self._ws.installation_id,
                entity="trusted_certificate",
                record_id=record_id,
                detail=detail,
            )
        )
