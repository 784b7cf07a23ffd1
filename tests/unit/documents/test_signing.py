"""PDF signing and verification: A1/A3 loading, PAdES AD-RB attributes, multiple signers, tampering."""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.writer import PageObject

from suas_desktop.documents import signing
from suas_desktop.documents.report_pdf import ReportBuilder, ReportMeta
from suas_desktop.documents.signature_fields import add_signature_fields
from suas_desktop.paths import resources_dir
from tests.signing_pki import NOW, PASSWORD, SigningPki, build_pki, rc2_pfx

SOFTHSM_LIB = next(
    (
        p
        for p in (
            "/usr/lib/softhsm/libsofthsm2.so",
            "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
            "/usr/local/lib/softhsm/libsofthsm2.so",
        )
        if Path(p).is_file()
    ),
    None,
)
SIGNED_ATTRS_AD_RB = {
    "content_type",
    "message_digest",
    "signing_certificate_v2",
    "signature_policy_identifier",
}


# ---------------------------------------------------------------- fixtures
@pytest.fixture(scope="session")
def pki(tmp_path_factory) -> SigningPki:
    return build_pki(tmp_path_factory.mktemp("pki"))


def make_pdf(fields: list[tuple[str, str, str]]) -> bytes:
    builder = ReportBuilder(
        ReportMeta(
            title="Dossiê de Transição da Assistência Social",
            municipality="Vereda Grande – MG",
            cycle_title="Transição 2028→2029",
            document_code="SUAS-TESTE-TR-2028",
            generated_at=datetime(2028, 12, 20, 10, 0, tzinfo=UTC),
        )
    )
    builder.heading("Termo de Transmissão e Recebimento")
    builder.paragraph("Declaramos a entrega da documentação da gestão: ação, emoção, coração.")
    if fields:
        builder.signature_boxes(fields)
    pdf = builder.render()
    return add_signature_fields(pdf, builder.signature_slots) if fields else pdf


DOSSIER_FIELDS = [
    ("gestor_saida", "José da Conceição", "Gestor(a) que sai"),
    ("gestor_entrada", "Ana Maria Souza", "Gestora que entra"),
    ("presidente_cmas", "Lúcia Antônia Brandão", "Presidente do CMAS"),
]


@pytest.fixture(scope="session")
def dossier() -> bytes:
    return make_pdf(DOSSIER_FIELDS)


def sign(
    data: bytes, signer, *, field=None, certify=False, now=NOW, icp_roots=None, role="Gestor(a)", cpf=None
):
    return signing.sign_pdf(
        data,
        signer,
        field_name=field,
        reason="Transmissão do cargo",
        location="Vereda Grande – MG",
        signer_name=None,
        signer_role=role,
        cpf=cpf,
        certify=certify,
        now=now,
        icp_roots=icp_roots,
    )


def load(pki: SigningPki, who: str, *, legacy: bool = False):
    identity = pki[who]
    return signing.load_pkcs12_signer(identity.p12_legacy if legacy else identity.p12, PASSWORD, now=NOW)


@pytest.fixture(scope="session")
def chain_of_three(pki, dossier):
    """The dossier after each of the three signers (certification first), ICP-like for the first."""
    one = sign(dossier, load(pki, "jose"), field="gestor_saida", certify=True, icp_roots=[pki.root.cert],
               cpf="11144477735")  # fmt: skip
    two = sign(one, load(pki, "ana", legacy=True), field="gestor_entrada")
    three = sign(two, load(pki, "lucia"), field=None)  # the first (and only) empty field left
    return one, two, three


def verify(pki: SigningPki, data: bytes, **kwargs):
    kwargs.setdefault("extra_trust", [pki.root.cert])
    return signing.verify_pdf(data, icp_roots=kwargs.pop("icp_roots", [pki.root.cert]), now=NOW, **kwargs)


def signed_attr_names(data: bytes) -> list[tuple[set[str], object]]:
    reader = PdfFileReader(io.BytesIO(data))
    result = []
    for emb in reader.embedded_signatures:
        info = emb.signer_info
        result.append(({a["type"].native for a in info["signed_attrs"]}, info))
    return result


# ---------------------------------------------------------------- shipped artefacts
def _published_hashes() -> dict[str, str]:
    readme = (resources_dir() / "icp-brasil" / "README.md").read_text(encoding="utf-8")
    return dict(re.findall(r"`([\w.-]+\.der)`.*?`([0-9a-f]{64})`", readme))


def test_shipped_icp_files_match_published_sha256():
    expected = {
        "PA_PAdES_AD_RB_v1_3.der": "23da544aef71f7a75dc85fa6e17a83875741e4baef41ec178258a5c86ace54dd",
        "ICP-Brasil-raiz-v5.der": "caa53fc6091c6951887c976e378f6ef89aa6377c55d97b6475422b71ed7e9b17",
        "ICP-Brasil-raiz-v12.der": "d8478e37ce19c690cf657381e68fe600e4e1a042536830f06847e03e554c4b01",
    }
    assert _published_hashes() == expected  # the README says the same
    for name, digest in expected.items():
        assert hashlib.sha256((resources_dir() / "icp-brasil" / name).read_bytes()).hexdigest() == digest


def test_policy_internal_hash_computed_from_the_shipped_der():
    data = (resources_dir() / "icp-brasil" / signing.POLICY_FILE).read_bytes()
    oid, digest, stored = signing.policy_internal_hash(data)
    assert oid == "2.16.76.1.7.1.11.1.3"
    assert digest.hex() == "23e4be4b9b362172e4ebb0e72b86a133ece5aad843d8651c6e38a0ba3f08fc60"
    assert stored == digest
    assert digest.hex() != hashlib.sha256(data).hexdigest()  # NOT the file hash
    policy = signing.load_icp_policy()
    assert (policy.oid, policy.internal_hash) == (oid, digest)
    assert policy.uri.startswith("http://")


def test_shipped_roots_are_v5_and_v12():
    names = sorted(r.subject.rfc4514_string() for r in signing.icp_brasil_roots())
    assert len(names) == 2
    assert any("v5" in n for n in names)
    assert any("v12" in n for n in names)


def test_stamp_font_has_1000_units_per_em():
    from fontTools.ttLib import TTFont

    font = TTFont(str(signing.stamp_font_path()))
    assert font["head"].unitsPerEm == 1000
    cmap = font.getBestCmap()
    assert all(ord(ch) in cmap for ch in "ãçéêíóôõúÁÇÉÍÓÚ—")


# ---------------------------------------------------------------- loading certificates
@pytest.mark.parametrize("legacy", [False, True], ids=["aes", "3des"])
def test_load_pkcs12_modern_and_legacy(pki, legacy):
    signer = load(pki, "jose", legacy=legacy)
    assert signing.certificate_holder(signer.signing_cert) == "José da Conceição"
    assert any("Intermediária" in str(c.subject.native) for c in signer.cert_registry)


def test_load_rc2_40_pfx_like_old_windows_exports(pki, tmp_path):
    path = rc2_pfx(pki["ana"], tmp_path)
    if path is None:
        pytest.skip("openssl without the legacy provider (RC2)")
    signer = signing.load_pkcs12_signer(path, PASSWORD, now=NOW)
    assert signing.certificate_holder(signer.signing_cert) == "Ana Maria Souza"


def test_wrong_password(pki):
    with pytest.raises(signing.SigningRefused, match=r"^Senha do certificado incorreta\.$"):
        signing.load_pkcs12_signer(pki["ana"].p12, "errada", now=NOW)
    with pytest.raises(signing.SigningRefused, match="Senha do certificado incorreta"):
        signing.load_pkcs12_signer(pki["ana"].p12_legacy, "", now=NOW)


def test_unreadable_certificate_files(tmp_path):
    with pytest.raises(signing.SigningRefused, match="Não foi possível ler"):
        signing.load_pkcs12_signer(tmp_path / "nao-existe.pfx", "x", now=NOW)
    junk = tmp_path / "lixo.pfx"
    junk.write_bytes(b"isto nao e um certificado")
    with pytest.raises(signing.SigningRefused, match="não é um certificado A1"):
        signing.load_pkcs12_signer(junk, "x", now=NOW)


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("expired", "O certificado venceu em"),
        ("nosign", "não é de assinatura digital"),
        ("weak", r"fraca demais \(RSA de 1024 bits"),
    ],
)
def test_refused_certificates(pki, who, message):
    with pytest.raises(signing.SigningRefused, match=message):
        load(pki, who)


@pytest.mark.parametrize("encoding", ["octet", "printable"])
def test_cpf_from_an_e_cpf_subject_alternative_name(encoding):
    """ICP-Brasil e-CPF: otherName 2.16.76.1.3.1 = birth date (8) + CPF (11) + NIS + ..."""
    from asn1crypto import core
    from cryptography.hazmat.primitives.asymmetric import rsa

    text = "01011980" + "11144477735" + "0" * 11
    value = core.OctetString(text.encode()) if encoding == "octet" else core.PrintableString(text)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(x509.oid.NameOID.COMMON_NAME, "FULANO DE TAL")])
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(NOW)
        .not_valid_after(NOW + timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.OtherName(x509.ObjectIdentifier("2.16.76.1.3.1"), value.dump())]
            ),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    assert signing.certificate_cpf(cert) == "11144477735"
    assert signing.certificate_holder(cert) == "FULANO DE TAL"


def test_is_icp_brasil_follows_the_chain(pki):
    ana = load(pki, "ana")
    intermediates = list(ana.cert_registry)
    assert signing.is_icp_brasil(ana.signing_cert, [pki.root.cert], intermediates=intermediates)
    assert not signing.is_icp_brasil(ana.signing_cert, [pki.root.cert])  # no chain, no proof
    assert not signing.is_icp_brasil(ana.signing_cert, [pki.other_root.cert], intermediates=intermediates)
    assert not signing.is_icp_brasil(ana.signing_cert)  # the real roots never issued test certificates


# ---------------------------------------------------------------- signing
def test_round_trip_with_accented_signer(pki, chain_of_three, dossier):
    one, _, _ = chain_of_three
    assert one.startswith(dossier)
    report = verify(pki, one)
    assert report.ok, report.as_json()
    (sig,) = report.signatures
    assert sig.field == "gestor_saida"
    assert sig.signer == "José da Conceição"
    assert sig.intact and sig.valid and sig.trusted and sig.bottom_line
    assert sig.certification
    assert sig.coverage == "ENTIRE_FILE"
    assert sig.issuer_chain == ["Raiz de Teste SUAS", "AC Intermediária de Teste", "José da Conceição"]
    assert sig.icp_brasil and not sig.local_certificate
    assert sig.message_pt == "Assinatura válida (ICP-Brasil)."


def test_icp_like_signature_has_exactly_the_four_ad_rb_attributes(chain_of_three):
    one, _, _ = chain_of_three
    (attrs, info), *_ = signed_attr_names(one)
    assert attrs == SIGNED_ATTRS_AD_RB
    assert "signing_time" not in attrs
    assert not info["unsigned_attrs"].native
    policy = next(a for a in info["signed_attrs"] if a["type"].native == "signature_policy_identifier")
    value = policy["values"][0].native
    assert value["sig_policy_id"] == "2.16.76.1.7.1.11.1.3"
    assert value["sig_policy_hash"]["digest_algorithm"]["algorithm"] == "sha256"
    assert value["sig_policy_hash"]["digest"].hex() == signing.POLICY_INTERNAL_SHA256
    assert info["digest_algorithm"]["algorithm"].native == "sha256"
    reader = PdfFileReader(io.BytesIO(one))
    sig_dict = reader.embedded_signatures[0].sig_object
    assert sig_dict["/SubFilter"] == "/ETSI.CAdES.detached"
    assert sig_dict["/Filter"] == "/Adobe.PPKLite"
    assert "/Cert" not in sig_dict and "/R" not in sig_dict and "/Prop_AuthType" not in sig_dict
    cms_certs = reader.embedded_signatures[0].signed_data["certificates"]
    assert any("José" in str(c.chosen.subject.native) for c in cms_certs)


def test_non_icp_signature_is_pades_without_policy(chain_of_three):
    _, two, _ = chain_of_three
    (_, _), (attrs, info) = signed_attr_names(two)
    assert attrs == {"content_type", "message_digest", "signing_certificate_v2"}
    assert not info["unsigned_attrs"].native


def test_icp_certificate_policy_oid_alone_declares_the_policy(pki, dossier):
    """A real e-CPF whose .pfx lacks the chain still gets AD-RB (its 2.16.76.1.2.* policy)."""
    signer = load(pki, "icp_policy")
    assert signing.signer_is_icp(signer)
    out = sign(dossier, signer)
    (attrs, _), *_ = signed_attr_names(out)
    assert attrs == SIGNED_ATTRS_AD_RB
    assert signing.certificate_cpf(signer.signing_cert) == "11144477735"
    assert signing.certificate_holder(signer.signing_cert) == "Titular com Política ICP"


def test_three_signers_in_order_keep_earlier_bytes(pki, chain_of_three, dossier):
    one, two, three = chain_of_three
    assert one.startswith(dossier)
    assert two.startswith(one)
    assert three.startswith(two)
    report = verify(pki, three)
    assert report.ok, report.as_json()
    assert [s.field for s in report.signatures] == ["gestor_saida", "gestor_entrada", "presidente_cmas"]
    assert [s.signer for s in report.signatures] == [
        "José da Conceição",
        "Ana Maria Souza",
        "Lúcia Antônia Brandão",
    ]
    first, second, last = report.signatures
    assert first.certification and not second.certification and not last.certification
    assert first.modification_level == "FORM_FILLING" and first.coverage == "ENTIRE_REVISION"
    assert second.modification_level == "FORM_FILLING"
    assert last.coverage == "ENTIRE_FILE" and last.modification_level == "NONE"
    assert not any(s.modified_after_signing for s in report.signatures)
    assert report.unsupported_count == 0 and report.signed_field_count == 3


def test_certification_allows_only_form_filling(pki, chain_of_three):
    reader = PdfFileReader(io.BytesIO(chain_of_three[0]))
    assert reader.embedded_signatures[0].docmdp_level.name == "FILL_FORMS"


def test_refuses_signed_field_unknown_field_and_second_certification(pki, chain_of_three):
    one, _, _ = chain_of_three
    ana = load(pki, "ana")
    with pytest.raises(signing.SigningRefused, match="“gestor_saida” já está assinado"):
        sign(one, ana, field="gestor_saida")
    with pytest.raises(signing.SigningRefused, match="“prefeito” não existe") as info:
        sign(one, ana, field="prefeito")
    assert "gestor_entrada" in info.value.hint
    with pytest.raises(signing.SigningRefused, match="só a primeira pode ser de certificação"):
        sign(one, ana, certify=True)


def test_without_fields_a_new_field_is_made_on_the_last_page(pki):
    plain = make_pdf([])
    out = sign(plain, load(pki, "ana"))
    assert out.startswith(plain)
    report = verify(pki, out)
    assert report.ok
    assert report.signatures[0].field == "assinatura_1"
    again = sign(out, load(pki, "jose"))
    report = verify(pki, again)
    assert [s.field for s in report.signatures] == ["assinatura_1", "assinatura_2"]
    assert report.ok, report.as_json()


def test_certified_document_without_empty_field_refuses_a_new_signature(pki):
    """A new field after a certification would break it (DocMDP allows only filling existing fields)."""
    certified = sign(make_pdf([]), load(pki, "ana"), certify=True)
    assert verify(pki, certified).ok
    with pytest.raises(signing.SigningRefused, match="certificado e não tem campo de assinatura vazio"):
        sign(certified, load(pki, "jose"))


def test_stamp_text():
    text = signing._stamp_text(
        "José da Conceição", "Gestor(a) que sai", "11144477735", datetime(2028, 12, 20, 15, 5, tzinfo=UTC),
        local=False,
    )  # fmt: skip
    lines = text.split("\n")
    assert lines[0] == "Assinado digitalmente por José da Conceição"
    assert lines[1] == "Gestor(a) que sai"
    assert lines[2] == "CPF ***.444.777-**"
    assert re.fullmatch(r"Data: 20/12/2028 \d\d:05", lines[3])
    local = signing._stamp_text("Ana", "", None, datetime(2028, 12, 20, tzinfo=UTC), local=True)
    assert local.endswith("Certificado local, sem validade ICP-Brasil")
    assert "CPF" not in local


def _appearance_fonts(data: bytes, field_name: str) -> list:
    reader = PdfFileReader(io.BytesIO(data))
    for ref in reader.root["/AcroForm"]["/Fields"]:
        field = ref.get_object()
        if field["/T"] == field_name:
            stack, fonts = [field["/AP"]["/N"]], []
            while stack:
                xobj = stack.pop().get_object()
                resources = xobj.get("/Resources", generic.DictionaryObject())
                fonts += [f.get_object() for f in resources.get("/Font", generic.DictionaryObject()).values()]
                stack += list(resources.get("/XObject", generic.DictionaryObject()).values())
            return fonts
    raise AssertionError(field_name)


def test_stamp_uses_the_embedded_1000_upem_font(chain_of_three):
    fonts = _appearance_fonts(chain_of_three[0], "gestor_saida")
    assert fonts
    for font in fonts:
        assert "DejaVu" in str(font["/BaseFont"])
        descendant = font["/DescendantFonts"][0].get_object()
        assert "/FontFile2" in descendant["/FontDescriptor"]  # embedded, not a base-14 Courier


# ---------------------------------------------------------------- tampering
def _incremental(data: bytes, change) -> bytes:
    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _overlay_content(writer):
    stream = writer.add_object(generic.StreamObject(stream_data=b"q 1 0 0 rg 100 400 300 60 re f Q"))
    writer.add_stream_to_page(0, stream)


def _add_page(writer):
    empty = writer.add_object(generic.StreamObject(stream_data=b""))
    writer.insert_page(PageObject(contents=empty, media_box=generic.ArrayObject([0, 0, 595, 842])))


def _add_annotation(writer):
    page_ref = writer.find_page_for_modification(0)[0]
    annot = generic.DictionaryObject(
        {
            generic.pdf_name("/Type"): generic.pdf_name("/Annot"),
            generic.pdf_name("/Subtype"): generic.pdf_name("/Text"),
            generic.pdf_name("/Rect"): generic.ArrayObject(
                [generic.NumberObject(v) for v in (100, 100, 120, 120)]
            ),
            generic.pdf_name("/Contents"): generic.pdf_string("PAGO"),
        }
    )
    writer.register_annotation(page_ref, writer.add_object(annot))


def _remove_signature(writer):
    for ref in writer.root["/AcroForm"]["/Fields"]:
        field = ref.get_object()
        if field["/T"] == "gestor_entrada":
            del field["/V"]
            writer.update_container(field)


def _flip_in_signed_range(data: bytes) -> bytes:
    reader = PdfFileReader(io.BytesIO(data))
    byte_range = reader.embedded_signatures[-1].byte_range
    start, length = int(byte_range[0]), int(byte_range[1])
    position = data.index(b"stream", start + length // 3) + 20
    return data[:position] + bytes([data[position] ^ 0x55]) + data[position + 1 :]


TAMPERS = {
    "byte-flip": _flip_in_signed_range,
    "truncated-half": lambda d: d[: len(d) // 2],
    "truncated-tail": lambda d: d[:-40],
    "new-page-content": lambda d: _incremental(d, _overlay_content),
    "page-added": lambda d: _incremental(d, _add_page),
    "annotation-added": lambda d: _incremental(d, _add_annotation),
    "signature-removed": lambda d: _incremental(d, _remove_signature),
}


@pytest.mark.parametrize("tamper", list(TAMPERS), ids=list(TAMPERS))
def test_tamper_corpus_is_always_reported_bad(pki, chain_of_three, tamper):
    _, two, _ = chain_of_three
    assert verify(pki, two).ok
    forged = TAMPERS[tamper](two)
    try:
        report = verify(pki, forged)
    except signing.UnreadablePdf:
        return  # exit code 2: also "bad"
    assert not report.ok, report.as_json()
    assert any(not s.ok for s in report.signatures) or not report.signatures


def test_unsupported_signature_type_is_never_reported_as_unsigned(pki, chain_of_three):
    """SIG-5: a /Sig value pyHanko skips (unknown SubFilter) is counted on our own."""
    one, _, _ = chain_of_three
    forged = one.replace(b"/ETSI.CAdES.detached", b"/adbe.x509.rsa_sha1X", 1)
    assert len(forged) == len(one)
    report = verify(pki, forged)
    assert report.signed_field_count == 1
    assert report.unsupported_count == 1
    assert not report.ok
    assert "tipo não suportado" in report.summary_pt


def test_unreadable_pdf_raises(pki):
    with pytest.raises(signing.UnreadablePdf):
        verify(pki, b"%PDF-1.7\n garbage")
    with pytest.raises(signing.UnreadablePdf, match="não é um PDF"):
        verify(pki, b"hello")


def test_unsigned_pdf_is_not_ok(pki, dossier):
    report = verify(pki, dossier)
    assert not report.ok and report.signatures == [] and report.signed_field_count == 0
    assert report.summary_pt == "Documento sem assinatura digital."


# ---------------------------------------------------------------- trust and time
def test_untrusted_root_is_not_ok(pki, dossier):
    out = sign(dossier, load(pki, "stranger"))
    report = verify(pki, out)
    (sig,) = report.signatures
    assert sig.intact and sig.valid and not sig.trusted and not report.ok
    assert "não é de uma autoridade confiável" in sig.message_pt


def test_no_extra_trust_means_untrusted(pki, chain_of_three):
    report = signing.verify_pdf(chain_of_three[0], now=NOW)
    assert not report.ok
    assert all(s.intact and not s.trusted for s in report.signatures)


def test_after_expiry_valid_at_signing_time_without_timestamp(pki, dossier):
    """SIG-7: an AD-RB signature checked after the certificate expired."""
    ana = load(pki, "ana")
    out = sign(dossier, ana)
    later = ana.signing_cert.not_valid_after + timedelta(days=30)
    report = signing.verify_pdf(out, extra_trust=[pki.root.cert], now=later)
    (sig,) = report.signatures
    assert not sig.trusted and not report.ok
    assert sig.valid_at_signing_time
    assert "Válida na data declarada da assinatura" in sig.message_pt
    assert "sem carimbo de tempo" in sig.message_pt


# ---------------------------------------------------------------- local certificates
def test_local_certificate_round_trip(tmp_path, dossier):
    p12, pem = signing.issue_local_certificate(
        "Maria das Dores", "11144477735", "Gestora Municipal", "segredo1", now=NOW
    )
    cert = x509.load_pem_x509_certificate(pem.encode())
    assert signing.LOCAL_CERT_MARKER in cert.subject.rfc4514_string()
    assert cert.public_key().key_size == 2048
    assert cert.subject == cert.issuer
    assert "11144477735" not in cert.subject.rfc4514_string()  # only the masked CPF
    path = tmp_path / "maria.p12"
    path.write_bytes(p12)
    signer = signing.load_pkcs12_signer(path, "segredo1", now=NOW)
    out = signing.sign_pdf(
        dossier, signer, field_name="gestor_entrada", reason=None, location=None, signer_name=None,
        signer_role="Gestora Municipal", cpf=None, certify=True, now=NOW,
    )  # fmt: skip
    trusted = signing.verify_pdf(out, extra_trust=[cert], now=NOW)
    assert trusted.ok
    (sig,) = trusted.signatures
    assert sig.local_certificate and not sig.icp_brasil
    assert "certificado local, sem validade ICP-Brasil" in sig.message_pt
    untrusted = signing.verify_pdf(out, now=NOW)
    assert not untrusted.ok
    assert "certificado local" in untrusted.signatures[0].message_pt
    (attrs, _), *_ = signed_attr_names(out)
    assert "signature_policy_identifier" not in attrs


def test_issue_local_certificate_validates_input():
    with pytest.raises(signing.UserError, match="CPF inválido"):
        signing.issue_local_certificate("Ana", "12345678900", "x", "segredo1", now=NOW)
    with pytest.raises(signing.UserError, match="pelo menos 6"):
        signing.issue_local_certificate("Ana", None, "x", "123", now=NOW)


def test_load_certificates_pem_der_p7b(pki):
    from cryptography.hazmat.primitives.serialization import pkcs7

    pem = pki.root.pem + pki.intermediate.pem
    assert len(signing.load_certificates(pem)) == 2
    assert len(signing.load_certificates(pki.root.cert.public_bytes(serialization.Encoding.DER))) == 1
    p7b = pkcs7.serialize_certificates([pki.root.cert, pki.intermediate.cert], serialization.Encoding.DER)
    assert len(signing.load_certificates(p7b)) == 2
    p7b_pem = pkcs7.serialize_certificates([pki.root.cert], serialization.Encoding.PEM)
    assert len(signing.load_certificates(p7b_pem)) == 1
    assert signing.load_certificates(b"nada") == []


# ---------------------------------------------------------------- independent checkers
def test_pdfsig_validates_both_signatures(tmp_path, chain_of_three):
    if shutil.which("pdfsig") is None:
        pytest.skip("pdfsig (poppler-utils) not installed")
    path = tmp_path / "duas.pdf"
    path.write_bytes(chain_of_three[1])
    result = subprocess.run(["pdfsig", "-nocert", str(path)], capture_output=True, text=True, check=False)
    assert result.stdout.count("Signature is Valid") == 2, result.stdout + result.stderr


def test_pdfium_renders_the_signed_page(chain_of_three):
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(chain_of_three[2])
    pdf.init_forms()
    image = pdf[0].render(scale=1, may_draw_forms=True).to_pil()
    assert image.size[0] > 500
    pdf.close()


# ---------------------------------------------------------------- A3 token (SoftHSM2)
@pytest.fixture(scope="module")
def softhsm(tmp_path_factory, pki):
    """Two SoftHSM tokens: "suas-a" with one key+certificate (and the CA chain), "suas-b" with two."""
    if SOFTHSM_LIB is None or shutil.which("softhsm2-util") is None:
        pytest.skip("SoftHSM2 not installed (scripts/system-deps.sh installs softhsm2)")
    import pkcs11
    from asn1crypto import keys as asn1_keys
    from cryptography.hazmat.primitives.serialization import load_der_public_key
    from pkcs11 import Attribute, CertificateType, KeyType, ObjectClass
    from pkcs11.util.rsa import encode_rsa_public_key

    folder = tmp_path_factory.mktemp("softhsm")
    (folder / "tokens").mkdir()
    conf = folder / "softhsm2.conf"
    conf.write_text(
        f"directories.tokendir = {folder / 'tokens'}\nobjectstore.backend = file\nlog.level = ERROR\n"
    )
    previous = os.environ.get("SOFTHSM2_CONF")
    os.environ["SOFTHSM2_CONF"] = str(conf)
    pkcs11.unload(SOFTHSM_LIB)  # another module may have initialised it with another configuration
    for label in ("suas-a", "suas-b"):
        subprocess.run(
            ["softhsm2-util", "--init-token", "--free", "--label", label, "--pin", "1234", "--so-pin", "5678"],
            check=True, capture_output=True, env={**os.environ},
        )  # fmt: skip
    lib = pkcs11.lib(SOFTHSM_LIB)

    def add_identity(session, label: str, key_id: bytes, cn: str) -> None:
        pub, _ = session.generate_keypair(KeyType.RSA, 2048, store=True, label=label, id=key_id)
        info = asn1_keys.PublicKeyInfo(
            {
                "algorithm": {"algorithm": "rsa"},
                "public_key": asn1_keys.RSAPublicKey.load(encode_rsa_public_key(pub)),
            }
        )
        inter = pki.intermediate
        cert = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(x509.oid.NameOID.COMMON_NAME, cn)]))
            .issuer_name(inter.cert.subject)
            .public_key(load_der_public_key(info.dump()))
            .serial_number(x509.random_serial_number())
            .not_valid_before(NOW - timedelta(days=30))
            .not_valid_after(NOW + timedelta(days=300))
            .add_extension(
                x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True
            )
            .sign(inter.key, hashes.SHA256())
        )
        store_cert(session, cert, label, key_id)

    def store_cert(session, cert, label: str, key_id: bytes) -> None:
        session.create_object(
            {
                Attribute.CLASS: ObjectClass.CERTIFICATE,
                Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
                Attribute.TOKEN: True,
                Attribute.LABEL: label,
                Attribute.ID: key_id,
                Attribute.SUBJECT: cert.subject.public_bytes(),
                Attribute.VALUE: cert.public_bytes(serialization.Encoding.DER),
            }
        )

    with lib.get_token(token_label="suas-a").open(rw=True, user_pin="1234") as session:
        add_identity(session, "ana", b"\x01", "Ana Token da Conceição")
        store_cert(session, pki.intermediate.cert, "AC intermediária", b"\x09")
    with lib.get_token(token_label="suas-b").open(rw=True, user_pin="1234") as session:
        add_identity(session, "assinatura", b"\x01", "Titular Um")
        add_identity(session, "autenticacao", b"\x02", "Titular Dois")
    yield SOFTHSM_LIB
    pkcs11.unload(SOFTHSM_LIB)
    if previous is None:
        os.environ.pop("SOFTHSM2_CONF", None)
    else:
        os.environ["SOFTHSM2_CONF"] = previous


def test_pkcs11_sign_and_verify(softhsm, pki, dossier):
    with signing.load_pkcs11_signer(softhsm, "1234", token_label="suas-a", now=NOW) as signer:
        out = sign(dossier, signer, certify=True)
    assert out.startswith(dossier)
    report = verify(pki, out)
    assert report.ok, report.as_json()
    assert report.signatures[0].signer == "Ana Token da Conceição"


def test_pkcs11_wrong_pin(softhsm):
    with pytest.raises(signing.SigningRefused, match=r"^PIN incorreto\.$"):
        signing.load_pkcs11_signer(softhsm, "0000", token_label="suas-a", now=NOW)


def test_pkcs11_several_tokens_and_certificates_ask_which(softhsm, pki, dossier):
    with pytest.raises(signing.ChoiceRequired) as tokens:
        signing.load_pkcs11_signer(softhsm, "1234", now=NOW)
    assert tokens.value.kind == "token"
    assert sorted(tokens.value.options) == ["suas-a", "suas-b"]
    with pytest.raises(signing.ChoiceRequired) as certs:
        signing.load_pkcs11_signer(softhsm, "1234", token_label="suas-b", now=NOW)
    assert certs.value.kind == "certificate"
    assert sorted(certs.value.options) == ["assinatura", "autenticacao"]
    with signing.load_pkcs11_signer(
        softhsm, "1234", token_label="suas-b", key_label="autenticacao", now=NOW
    ) as s:
        out = sign(dossier, s)
    assert verify(pki, out).signatures[0].signer == "Titular Dois"


def test_pkcs11_missing_library_and_token(softhsm, tmp_path):
    with pytest.raises(signing.SigningRefused, match=r"Biblioteca do token .* não encontrada"):
        signing.load_pkcs11_signer(tmp_path / "nao-existe.so", "1234")
    with pytest.raises(signing.SigningRefused, match="Token “outro” não encontrado"):
        signing.load_pkcs11_signer(softhsm, "1234", token_label="outro", now=NOW)
    bogus = tmp_path / "falso.so"
    bogus.write_bytes(b"not a library")
    with pytest.raises(signing.SigningRefused, match="Não foi possível carregar a biblioteca"):
        signing.load_pkcs11_signer(bogus, "1234")


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")  # python-pkcs11 __del__
def test_pkcs11_session_dropped_mid_signing_writes_nothing(softhsm, dossier):
    signer = signing.load_pkcs11_signer(softhsm, "1234", token_label="suas-a", now=NOW)
    signer.close()  # as if the token were pulled out after the PIN was accepted
    with pytest.raises(signing.SigningRefused, match="O token não respondeu durante a assinatura"):
        sign(dossier, signer)


class _FakeToken:
    def __init__(self, label: str, error: Exception | None = None) -> None:
        import pkcs11

        self.label = label
        self.flags = pkcs11.TokenFlag.TOKEN_INITIALIZED
        self._error = error

    def open(self, **_kwargs):
        raise self._error


class _FakeSlot:
    def __init__(self, token: _FakeToken) -> None:
        self._token = token

    def get_token(self) -> _FakeToken:
        return self._token


@pytest.mark.parametrize(
    ("error", "message"),
    [
        ("PinLocked", r"^PIN bloqueado\.$"),
        ("PinIncorrect", r"^PIN incorreto\.$"),
        ("PinExpired", "PIN do token expirou"),
        ("TokenNotPresent", "token foi desconectado"),
    ],
)
def test_pkcs11_token_errors_in_portuguese(monkeypatch, tmp_path, error, message):
    """Failures SoftHSM cannot simulate (it never locks a PIN), through a stand-in library."""
    import pkcs11
    from pkcs11 import exceptions as p11e

    token = _FakeToken("token-falso", getattr(p11e, error)())

    class _FakeLib:
        def get_slots(self, token_present=False):
            return [_FakeSlot(token)]

    monkeypatch.setattr(pkcs11, "lib", lambda _path: _FakeLib())
    library = tmp_path / "fabricante.so"
    library.write_bytes(b"")
    with pytest.raises(signing.SigningRefused, match=message):
        signing.load_pkcs11_signer(library, "1234")


def test_pkcs11_no_token_connected(monkeypatch, tmp_path):
    import pkcs11

    class _EmptyLib:
        def get_slots(self, token_present=False):
            return []

    monkeypatch.setattr(pkcs11, "lib", lambda _path: _EmptyLib())
    library = tmp_path / "fabricante.so"
    library.write_bytes(b"")
    with pytest.raises(signing.SigningRefused, match=r"^Nenhum token encontrado\.$"):
        signing.load_pkcs11_signer(library, "1234")
