"""SignatureService: signing files (input untouched, atomic output, records, audit), trust store,
local certificates, superseded documents and the clock-honesty warning."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs7

from suas_desktop.documents import signing
from suas_desktop.documents.report_pdf import ReportBuilder, ReportMeta
from suas_desktop.documents.signature_fields import add_signature_fields
from suas_desktop.domain.clock import FixedClock
from suas_desktop.domain.template import CycleKind
from suas_desktop.errors import UserError
from suas_desktop.services.signature_service import SignatureService
from suas_desktop.storage.audit_repository import AuditFilter, AuditRepository
from tests.signing_pki import NOW, PASSWORD, SigningPki, build_pki


@pytest.fixture(scope="module")
def pki(tmp_path_factory) -> SigningPki:
    return build_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture
def clock() -> FixedClock:
    """The test certificates are made around the real "now"; the app clock follows them."""
    return FixedClock(NOW)


@pytest.fixture
def service(workspace) -> SignatureService:
    return SignatureService(workspace)


@pytest.fixture(scope="module")
def dossier_bytes() -> bytes:
    builder = ReportBuilder(
        ReportMeta(
            title="Relatório de Encerramento",
            municipality="Vereda Grande – MG",
            cycle_title="Encerramento 2026",
            document_code="SUAS-TESTE-EN-2026",
            generated_at=NOW,
        )
    )
    builder.heading("Assinaturas")
    builder.signature_boxes(
        [
            ("gestor", "José da Conceição", "Gestor(a)"),
            ("contador", "Ana Maria Souza", "Contador(a)"),
            ("controle_interno", "Lúcia Antônia Brandão", "Controle Interno"),
        ]
    )
    return add_signature_fields(builder.render(), builder.signature_slots)


@pytest.fixture
def dossier(tmp_path, dossier_bytes) -> Path:
    path = tmp_path / "encerramento.pdf"
    path.write_bytes(dossier_bytes)
    return path


def _trust_root(service, pki, tmp_path) -> None:
    pem = tmp_path / "raiz.pem"
    pem.write_bytes(pki.root.pem)
    service.import_certificates("admin", pem)


# ---------------------------------------------------------------- signing
def test_sign_file_records_and_audits(service, workspace, pki, dossier, tmp_path):
    before = dossier.read_bytes()
    out = tmp_path / "assinado.pdf"
    result = service.sign_file("maria", dossier, out, pfx_path=pki["jose"].p12, password=PASSWORD)
    assert dossier.read_bytes() == before  # the input is never modified
    signed = out.read_bytes()
    assert signed.startswith(before)
    assert result.sha256 == hashlib.sha256(signed).hexdigest()
    assert result.field_name == "gestor"
    assert result.signer == "José da Conceição"
    assert result.certified  # first signature on a document with pre-created fields
    assert not result.local_certificate
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".partial")] == []
    (row,) = service.signed_documents()
    assert (row.sha256, row.field_name, row.signer, row.file_name) == (result.sha256, "gestor", result.signer,
                                                                     "assinado.pdf")  # fmt: skip
    assert row.document_kind == "pdf" and not row.superseded
    audit = AuditRepository(workspace.db).entries(AuditFilter(action_prefix="signature."))
    assert [(a.entry.action, a.entry.actor, a.entry.record_id) for a in audit] == [
        ("signature.create", "maria", result.record_id)
    ]
    assert "José" not in audit[0].entry.detail  # no personal data in the audit trail


def test_second_and_third_signers_in_order(service, pki, dossier, tmp_path):
    one, two, three = (tmp_path / f"{n}.pdf" for n in ("um", "dois", "tres"))
    service.sign_file("a", dossier, one, pfx_path=pki["jose"].p12, password=PASSWORD)
    second = service.sign_file("b", one, two, pfx_path=pki["ana"].p12_legacy, password=PASSWORD,
                               field="contador")  # fmt: skip
    third = service.sign_file("c", two, three, pfx_path=pki["lucia"].p12, password=PASSWORD)
    assert not second.certified and not third.certified
    assert third.field_name == "controle_interno"
    assert two.read_bytes().startswith(one.read_bytes())
    assert three.read_bytes().startswith(two.read_bytes())
    _trust_root(service, pki, tmp_path)
    report = service.verify_file(three).report
    assert report.ok, report.as_json()
    assert [s.field for s in report.signatures] == ["gestor", "contador", "controle_interno"]


def test_output_equal_to_input_is_refused(service, pki, dossier):
    with pytest.raises(UserError, match="precisa ter outro nome"):
        service.sign_file("a", dossier, dossier, pfx_path=pki["ana"].p12, password=PASSWORD)
    other_spelling = dossier.parent / "." / dossier.name
    with pytest.raises(UserError, match="precisa ter outro nome"):
        service.sign_file("a", dossier, other_spelling, pfx_path=pki["ana"].p12, password=PASSWORD)


@pytest.mark.parametrize(
    ("who", "password", "message"),
    [
        ("ana", "errada", "Senha do certificado incorreta"),
        ("expired", PASSWORD, "venceu"),
        ("nosign", PASSWORD, "não é de assinatura digital"),
    ],
)
def test_refusals_write_nothing(service, pki, dossier, tmp_path, who, password, message):
    before = sorted(p.name for p in tmp_path.iterdir())
    out = tmp_path / "saida.pdf"
    with pytest.raises(UserError, match=message):
        service.sign_file("a", dossier, out, pfx_path=pki[who].p12, password=password)
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert service.signed_documents() == []


def test_signed_field_and_unknown_field_are_refused(service, pki, dossier, tmp_path):
    one = tmp_path / "um.pdf"
    service.sign_file("a", dossier, one, pfx_path=pki["jose"].p12, password=PASSWORD)
    with pytest.raises(UserError, match="já está assinado"):
        service.sign_file(
            "a", one, tmp_path / "x.pdf", pfx_path=pki["ana"].p12, password=PASSWORD, field="gestor"
        )
    with pytest.raises(UserError, match="não existe"):
        service.sign_file(
            "a", one, tmp_path / "y.pdf", pfx_path=pki["ana"].p12, password=PASSWORD, field="nada"
        )
    assert not (tmp_path / "x.pdf").exists() and not (tmp_path / "y.pdf").exists()


def test_a_certificate_source_is_required(service, dossier, tmp_path):
    with pytest.raises(UserError, match="Escolha um certificado"):
        service.sign_file("a", dossier, tmp_path / "o.pdf")


def test_missing_input_and_missing_output_folder(service, pki, tmp_path, dossier):
    with pytest.raises(UserError, match="Não foi possível ler"):
        service.sign_file(
            "a", tmp_path / "nada.pdf", tmp_path / "o.pdf", pfx_path=pki["ana"].p12, password=PASSWORD
        )
    with pytest.raises(UserError, match="pasta de destino não existe"):
        service.sign_file(
            "a", dossier, tmp_path / "nao" / "o.pdf", pfx_path=pki["ana"].p12, password=PASSWORD
        )


# ---------------------------------------------------------------- verification and trust store
def test_trust_store_decides_trust(service, workspace, pki, dossier, tmp_path):
    out = tmp_path / "assinado.pdf"
    service.sign_file("a", dossier, out, pfx_path=pki["ana"].p12, password=PASSWORD)
    assert not service.verify_file(out).report.ok  # test root unknown
    extra = tmp_path / "raiz.pem"
    extra.write_bytes(pki.root.pem)
    checked = service.verify_file(out, [extra])
    assert checked.report.ok and checked.recorded and not checked.superseded
    result = service.import_certificates("admin", extra)
    assert [c.kind for c in result.added] == ["root"]
    assert service.verify_file(out).report.ok
    (trusted,) = service.list_trusted()
    assert trusted.sha256 == signing.fingerprint(pki.root.cert)
    service.remove_trusted("admin", trusted.id)
    assert not service.verify_file(out).report.ok
    actions = [
        a.entry.action for a in AuditRepository(workspace.db).entries(AuditFilter(action_prefix="trust."))
    ]
    assert actions == ["trust.add", "trust.remove"]


def test_import_der_p7b_duplicates_and_kinds(service, pki, tmp_path):
    der = tmp_path / "raiz.cer"
    der.write_bytes(pki.root.cert.public_bytes(serialization.Encoding.DER))
    p7b = tmp_path / "cadeia.p7b"
    p7b.write_bytes(
        pkcs7.serialize_certificates([pki.root.cert, pki.intermediate.cert], serialization.Encoding.DER)
    )
    assert [c.kind for c in service.import_certificates("a", der).added] == ["root"]
    again = service.import_certificates("a", p7b)
    assert [c.kind for c in again.added] == ["intermediate"]
    assert again.already_present == 1
    junk = tmp_path / "lixo.pem"
    junk.write_text("nada aqui")
    with pytest.raises(UserError, match="Nenhum certificado encontrado"):
        service.import_certificates("a", junk)
    with pytest.raises(UserError, match="não está mais na lista"):
        service.remove_trusted("a", "0" * 36)


def test_intermediate_only_helps_build_the_chain(service, pki, tmp_path, dossier):
    """An imported intermediate is not a trust anchor by itself."""
    inter = tmp_path / "ac.pem"
    inter.write_bytes(pki.intermediate.pem)
    service.import_certificates("a", inter)
    out = tmp_path / "assinado.pdf"
    service.sign_file("a", dossier, out, pfx_path=pki["ana"].p12, password=PASSWORD)
    assert not service.verify_file(out).report.ok


def test_verify_unreadable_file(service, tmp_path):
    with pytest.raises(signing.UnreadablePdf):
        service.verify_file(tmp_path / "nada.pdf")
    junk = tmp_path / "lixo.pdf"
    junk.write_bytes(b"%PDF-1.7\nlixo")
    with pytest.raises(signing.UnreadablePdf):
        service.verify_file(junk)


def test_export_certificate(service, pki, tmp_path):
    root = tmp_path / "raiz.pem"
    root.write_bytes(pki.root.pem)
    (added,) = service.import_certificates("a", root).added
    exported = service.export_certificate(tmp_path / "exportado.pem", trusted_id=added.id)
    assert x509.load_pem_x509_certificate(exported.read_bytes()) == pki.root.cert
    mine = service.export_certificate(tmp_path / "meu.pem", pfx_path=pki["ana"].p12, password=PASSWORD)
    assert x509.load_pem_x509_certificate(mine.read_bytes()) == pki["ana"].cert


# ---------------------------------------------------------------- local certificates
def test_issue_local_certificate_sign_and_verify(service, workspace, tmp_path, dossier):
    p12 = tmp_path / "maria.p12"
    pem = tmp_path / "maria.pem"
    issued = service.issue_local_certificate(
        "admin", name="Maria das Dores", cpf="11144477735", role="Gestora Municipal", password="segredo1",
        p12_path=p12, cert_path=pem,
    )  # fmt: skip
    assert p12.is_file() and pem.is_file()
    assert issued.trusted_id is not None
    (trusted,) = service.list_trusted()
    assert trusted.kind == "local"
    out = tmp_path / "assinado.pdf"
    result = service.sign_file("maria", dossier, out, pfx_path=p12, password="segredo1")
    assert result.local_certificate and not result.icp_brasil
    report = service.verify_file(out).report
    assert report.ok
    assert report.signatures[0].local_certificate
    with pytest.raises(UserError, match="já existe"):
        service.issue_local_certificate(
            "admin", name="Outra", cpf=None, role="", password="segredo1", p12_path=p12
        )
    actions = [
        a.entry.action for a in AuditRepository(workspace.db).entries(AuditFilter(action_prefix="cert"))
    ]
    assert actions == ["certificate.issue"]


# ---------------------------------------------------------------- cycles and clock
def test_mark_superseded_when_a_signed_cycle_is_reopened(
    service, workspace, pki, dossier, tmp_path, checklists
):
    cycle = checklists.start_cycle(actor="ana", kind=CycleKind.CLOSING, reference_year=2026)
    out = tmp_path / "assinado.pdf"
    service.sign_file("a", dossier, out, pfx_path=pki["ana"].p12, password=PASSWORD,
                      document_kind="closing", cycle_id=cycle.id)  # fmt: skip
    (row,) = service.signed_documents(cycle.id)
    assert row.document_kind == "closing" and not row.superseded
    assert service.mark_superseded("ana", cycle.id) == 1
    assert service.mark_superseded("ana", cycle.id) == 0  # idempotent
    assert service.signed_documents(cycle.id)[0].superseded
    assert service.verify_file(out).superseded
    updates = AuditRepository(workspace.db).entries(AuditFilter(action_prefix="signature.update"))
    assert [u.entry.fields for u in updates] == [("superseded",)]


def test_clock_warning_when_the_pc_clock_goes_back(service, workspace, pki, dossier, tmp_path):
    assert service.clock_warning() is None
    service.sign_file("a", dossier, tmp_path / "a.pdf", pfx_path=pki["ana"].p12, password=PASSWORD)
    assert service.clock_warning() is None
    workspace.clock.moment = NOW - timedelta(hours=3)
    warning = service.clock_warning()
    assert warning is not None and "relógio deste computador" in warning and "atrasado" in warning
    workspace.clock.moment = NOW - timedelta(minutes=2)  # small skews between machines are tolerated
    assert service.clock_warning() is None


def test_pdf_without_fields_gets_approval_signatures(service, pki, tmp_path):
    builder = ReportBuilder(
        ReportMeta(
            title="Ofício",
            municipality="Vereda Grande – MG",
            cycle_title="Avulso",
            document_code="SUAS-TESTE-OF",
            generated_at=NOW,
        )
    )
    builder.paragraph("Sem campos de assinatura.")
    plain = tmp_path / "oficio.pdf"
    plain.write_bytes(builder.render())
    first = service.sign_file("a", plain, tmp_path / "um.pdf", pfx_path=pki["ana"].p12, password=PASSWORD)
    second = service.sign_file("b", tmp_path / "um.pdf", tmp_path / "dois.pdf", pfx_path=pki["jose"].p12,
                               password=PASSWORD)  # fmt: skip
    assert not first.certified and not second.certified
    assert (first.field_name, second.field_name) == ("assinatura_1", "assinatura_2")
    _trust_root(service, pki, tmp_path)
    assert service.verify_file(tmp_path / "dois.pdf").report.ok
