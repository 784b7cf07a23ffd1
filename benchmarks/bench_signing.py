"""3. Signing and verifying the Dossiê de Transição versus bare pyHanko calls on the same file.

Input: the large demo's dossier (with its empty signature fields) and the test PKI of
``tests/signing_pki.py`` (RSA-2048 signer "Ana Maria Souza", .p12 with a password).

App sign: ``SignatureService.sign_file`` (load and check the A1 certificate, choose the first empty
field, certify, visible stamp with the embedded DejaVu font, atomic write, record in the database).
Bare sign: ``SimpleSigner.load_pkcs12`` + ``signers.sign_pdf`` into the same field, pyHanko's
defaults. App verify: ``SignatureService.verify_file`` with the test root as extra trust. Bare verify:
``validate_pdf_signature`` for each embedded signature with a ``ValidationContext`` trusting the test
root. Both verifications read the same app-signed file. One child; warm-up first; variants alternate.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from benchmarks.common import ACTOR, self_peak_rss_mb, timed

NAME = "signing"
SECTION = "3. Signing"


# ====================================================================== child
def child(data_dir: str, pdf: str, pki: str, out_dir: str, reps: int) -> dict[str, Any]:
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign import signers
    from pyhanko.sign.fields import enumerate_sig_fields
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    from suas_desktop.paths import DataDirSource, DataLayout
    from suas_desktop.services.signature_service import SignatureService
    from suas_desktop.services.workspace import open_workspace
    from tests.signing_pki import PASSWORD

    source, folder, out = Path(pdf), Path(pki), Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    p12, root_pem = folder / "ana.p12", folder / "root.pem"
    with open(source, "rb") as handle:
        first_field = next(
            name for name, value, _ in enumerate_sig_fields(PdfFileReader(handle)) if value is None
        )

    layout = DataLayout(Path(data_dir), DataDirSource.COMMAND_LINE)
    with open_workspace(layout, file_logging=False) as ws:
        service = SignatureService(ws)

        def app_sign(n: int) -> Path:
            target = out / f"app-{n}.pdf"
            service.sign_file(ACTOR, source, target, pfx_path=p12, password=PASSWORD)
            return target

        def app_verify(path: Path) -> bool:
            return bool(service.verify_file(path, [root_pem]).report.ok)  # type: ignore[attr-defined]

        def bare_sign(n: int) -> Path:
            target = out / f"bare-{n}.pdf"
            signer = signers.SimpleSigner.load_pkcs12(str(p12), passphrase=PASSWORD.encode())
            with open(source, "rb") as inp, open(target, "wb") as outp:
                writer = IncrementalPdfFileWriter(inp, strict=False)
                meta = signers.PdfSignatureMetadata(field_name=first_field)
                signers.sign_pdf(writer, meta, signer=signer, output=outp)
            return target

        def bare_verify(path: Path) -> bool:
            root = load_cert_from_pemder(str(root_pem))
            context = ValidationContext(trust_roots=[root], allow_fetching=False)
            with open(path, "rb") as handle:
                reader = PdfFileReader(handle, strict=False)
                return all(
                    validate_pdf_signature(sig, context).bottom_line for sig in reader.embedded_signatures
                )

        signed = app_sign(0)  # warm-up of every variant
        ok = {"app": app_verify(signed), "bare": bare_verify(signed)}
        bare_verify(bare_sign(0))
        times: dict[str, list[float]] = {"app_sign": [], "bare_sign": [], "app_verify": [], "bare_verify": []}
        for n in range(1, reps + 1):
            seconds, signed = timed(lambda n=n: app_sign(n))
            times["app_sign"].append(seconds)
            times["bare_sign"].append(timed(lambda n=n: bare_sign(n))[0])
            times["app_verify"].append(timed(lambda signed=signed: app_verify(signed))[0])
            times["bare_verify"].append(timed(lambda signed=signed: bare_verify(signed))[0])
    return {
        **times,
        "verified_ok": ok,
        "input_bytes": source.stat().st_size,
        "app_signed_bytes": signed.stat().st_size,
        "field": first_field,
        "rss_mb": self_peak_rss_mb(),
    }


# ====================================================================== parent
def measure(b: Any, data_dir: Path, pdf: Path, tag: str, reps: int) -> dict[str, Any]:
    from benchmarks.common import worker

    out_dir = b.workdir / f"signed-{tag}"
    run = worker(
        "bench_signing",
        "child",
        data_dir=str(data_dir),
        pdf=str(pdf),
        pki=str(b.data.pki()),
        out_dir=str(out_dir),
        reps=reps,
    )
    return run.check()


def run(b: Any) -> None:
    from benchmarks.common import Measure

    r = b.results
    pdf = b.data.dossier()
    result = measure(b, b.data.copy("signing"), pdf, "main", b.config.reps_cheap)
    kb = result["input_bytes"] / 1024
    r.add(
        Measure(
            "signing.app.sign",
            SECTION,
            f"App: SignatureService.sign_file, dossiê ({kb:.0f} KB)",
            result["app_sign"],
        )
    )
    r.add(
        Measure(
            "signing.bare.sign",
            SECTION,
            "Bare pyHanko: load_pkcs12 + sign_pdf, same file and field",
            result["bare_sign"],
        )
    )
    r.add(
        Measure(
            "signing.app.verify",
            SECTION,
            "App: SignatureService.verify_file (app-signed file)",
            result["app_verify"],
        )
    )
    r.add(
        Measure(
            "signing.bare.verify",
            SECTION,
            "Bare pyHanko: validate_pdf_signature, same file",
            result["bare_verify"],
        )
    )
    r.compare(SECTION, "Signing, app / bare pyHanko", "signing.app.sign", "signing.bare.sign")
    r.compare(SECTION, "Verifying, app / bare pyHanko", "signing.app.verify", "signing.bare.verify")
    ok = result["verified_ok"]
    r.note(
        SECTION,
        f"Field signed: “{result['field']}”. The app-signed file verified OK in the app: {ok['app']}, "
        f"with bare pyHanko (bottom line): {ok['bare']}. Peak RSS of the signing process: "
        f"{result['rss_mb']:.0f} MB.",
    )


if __name__ == "__main__":
    from benchmarks.common import worker_main

    worker_main({"child": child})
    sys.exit(0)
