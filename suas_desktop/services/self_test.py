"""``suas-desktop self-test``: the whole chain, headless, in a temporary folder that is deleted afterwards.

Demo municipality -> transition dossier (PDF) -> two throw-away local certificates -> sign the fields
``gestor_saida`` and ``gestor_entrada`` -> verify (trusting those certificates) -> render page 1 with
pypdfium2 (the preview) -> export a full ``.suas`` package -> import it into a second data folder ->
``check`` on both folders. Used to smoke-test a frozen build (every data file and native library the
chain needs is touched) and by support on a user's PC: it never reads or writes the user's data folder.

Each step is reported as it finishes (:class:`StepResult`); after the first failure the remaining
steps are listed as not run. Qt is never imported here.
"""

from __future__ import annotations

import secrets
import shutil
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from suas_desktop import log
from suas_desktop.errors import SuasError
from suas_desktop.paths import DataDirSource, DataLayout

#: Actor recorded in the (temporary) audit trail.
ACTOR = "autoteste"
#: Prefix of the temporary folder (shown when ``keep`` is set).
TEMP_PREFIX = "suas-desktop-autoteste-"
#: The two signature fields of the dossier's "Termo de Transmissão e Recebimento" (interfaces.md).
FIELDS = ("gestor_saida", "gestor_entrada")


class SelfTestFailure(Exception):
    """A step ran but its result was not what the chain expects (message in pt-BR)."""


@dataclass(frozen=True)
class StepResult:
    number: int
    label: str
    #: True passed, False failed, None not run (an earlier step failed).
    ok: bool | None
    seconds: float = 0.0
    #: One line for the user: what was produced, or why it failed.
    detail: str = ""
    #: The traceback of an unexpected error (for the log and ``--verbose``), else "".
    trace: str = ""


@dataclass
class SelfTestReport:
    steps: list[StepResult] = field(default_factory=list)
    seconds: float = 0.0
    #: The temporary folder, when it was kept (``keep=True``); None when deleted.
    kept_folder: Path | None = None

    @property
    def ok(self) -> bool:
        return bool(self.steps) and all(step.ok for step in self.steps)


class _Chain:
    """The steps in order, sharing what earlier steps produced."""

    def __init__(self, root: Path, stack: ExitStack) -> None:
        self.root = root
        self.stack = stack
        self.source: Any = None
        self.target: Any = None
        self.dossier = root / "dossie-transicao.pdf"
        self.signed = [root / "dossie-assinado-1.pdf", root / "dossie-assinado-2.pdf"]
        self.certificates: list[tuple[Path, Path]] = []
        self.package = root / "pacote-completo.suas"
        # Throw-away secrets: they protect files that are deleted at the end of the run.
        self.cert_password = secrets.token_urlsafe(12)
        self.passphrase = " ".join(secrets.token_urlsafe(6) for _ in range(4))
        self.exported_records = 0

    def steps(self) -> list[tuple[str, Callable[[], str]]]:
        return [
            ("Criar a pasta de dados temporária e o banco de dados", self.open_source),
            ("Criar o município de demonstração", self.demo),
            ("Gerar o Dossiê de Transição (PDF)", self.report),
            ("Emitir dois certificados locais descartáveis", self.certificates_step),
            ("Assinar o campo gestor_saida (gestor que transmite)", lambda: self.sign(0)),
            ("Assinar o campo gestor_entrada (gestor que assume)", lambda: self.sign(1)),
            ("Verificar as assinaturas", self.verify),
            ("Pré-visualizar a 1ª página do PDF assinado", self.preview),
            ("Exportar o pacote completo (.suas)", self.export),
            ("Importar o pacote numa segunda pasta de dados", self.import_package),
            ("Verificar as duas pastas de dados (check)", self.check),
        ]

    # ------------------------------------------------------------------ steps
    def _open(self, name: str) -> Any:
        from suas_desktop.services.workspace import open_workspace

        ws = open_workspace(DataLayout(self.root / name, DataDirSource.COMMAND_LINE), file_logging=False)
        self.stack.callback(ws.close)
        return ws

    def open_source(self) -> str:
        self.source = self._open("dados-origem")
        return f"esquema versão {self.source.db.user_version}"

    def demo(self) -> str:
        from suas_desktop.services.demo import DemoSize, build_demo

        summary = build_demo(self.source, size=DemoSize.SMALL)
        return f"{sum(summary.records.values())} registros, {summary.attachments} anexos"

    def report(self) -> str:
        from suas_desktop.documents import signing
        from suas_desktop.services.report_service import ReportService
        from suas_desktop.services.template_catalog import load_catalog

        report = ReportService(self.source, load_catalog()).write("transition", self.dossier)
        names = {f.name for f in signing.signature_fields(self.dossier.read_bytes())}
        missing = [name for name in FIELDS if name not in names]
        if missing:
            raise SelfTestFailure(f"o dossiê não tem o(s) campo(s) de assinatura {', '.join(missing)}")
        return f"{report.page_count} páginas, {self.dossier.stat().st_size // 1024} KB"

    def certificates_step(self) -> str:
        from suas_desktop.services.signature_service import SignatureService

        service = SignatureService(self.source)
        people = (
            ("Gestora Que Transmite (AUTOTESTE)", "Gestora de Assistência Social"),
            ("Gestor Que Assume (AUTOTESTE)", "Gestor de Assistência Social"),
        )
        for index, (name, role) in enumerate(people, start=1):
            p12, pem = self.root / f"certificado-{index}.p12", self.root / f"certificado-{index}.pem"
            service.issue_local_certificate(
                ACTOR,
                name=name,
                cpf=None,
                role=role,
                password=self.cert_password,
                p12_path=p12,
                cert_path=pem,
            )
            self.certificates.append((p12, pem))
        return "RSA 2048, sem validade ICP-Brasil"

    def sign(self, index: int) -> str:
        from suas_desktop.services.signature_service import SignatureService

        source = self.dossier if index == 0 else self.signed[index - 1]
        result = SignatureService(self.source).sign_file(
            ACTOR,
            source,
            self.signed[index],
            pfx_path=self.certificates[index][0],
            password=self.cert_password,
            field=FIELDS[index],
            document_kind="transition",
        )
        if result.field_name != FIELDS[index]:
            raise SelfTestFailure(f"assinou o campo {result.field_name!r}, esperado {FIELDS[index]!r}")
        kind = "assinatura de certificação" if result.certified else "assinatura de aprovação"
        return f"{result.signer}, {kind}"

    def verify(self) -> str:
        from suas_desktop.services.signature_service import SignatureService

        trust = [pem for _, pem in self.certificates]
        report: Any = SignatureService(self.source).verify_file(self.signed[-1], trust).report
        fields = [sig.field for sig in report.signatures]
        if not report.ok or sorted(fields) != sorted(FIELDS):
            problems = "; ".join(f"{sig.field}: {sig.message_pt}" for sig in report.signatures if not sig.ok)
            raise SelfTestFailure(f"{report.summary_pt} {problems}".strip())
        return report.summary_pt

    def preview(self) -> str:
        import pypdfium2 as pdfium

        document = pdfium.PdfDocument(self.signed[-1].read_bytes())
        try:
            document.init_forms()
            pages = len(document)
            page = document[0]
            image = page.render(scale=72 / 72, may_draw_forms=True).to_pil()
            page.close()
        finally:
            document.close()
        low, high = image.convert("L").getextrema()
        if image.width < 100 or low == high:
            raise SelfTestFailure("a página renderizada saiu em branco")
        return f"{pages} páginas, página 1 com {image.width}×{image.height} px"

    def export(self) -> str:
        from suas_desktop.services.age_stream import MIN_LOG_N
        from suas_desktop.services.package_service import PackageService

        result = PackageService(self.source).export(
            self.package,
            actor=ACTOR,
            scope="full",
            passphrase=self.passphrase,
            # A throw-away package: the lightest key derivation the format allows keeps the run short.
            log_n=MIN_LOG_N,
            check_strength=False,
        )
        self.exported_records = sum(result.records.values())
        return f"{self.exported_records} registros, {result.attachments} anexos, {result.size // 1024} KB"

    def import_package(self) -> str:
        from suas_desktop.services.package_service import PackageService

        self.target = self._open("dados-destino")
        result = PackageService(self.target).import_package(
            self.package, passphrase=self.passphrase, actor=ACTOR, trust_signer=True
        )
        counts = result.plan.counts()
        if not result.applied or counts["conflicts"] or counts["created"] != self.exported_records:
            raise SelfTestFailure(
                f"importação incompleta: {counts['created']} de {self.exported_records} registros, "
                f"{counts['conflicts']} conflitos"
            )
        return f"{counts['created']} registros criados, sem conflitos"

    def check(self) -> str:
        from suas_desktop.services.check_service import run_check

        details = []
        for name, ws in (("origem", self.source), ("destino", self.target)):
            report = run_check(ws)
            if not report.ok:
                raise SelfTestFailure(f"pasta de {name}: {'; '.join(report.problems[:3])}")
            details.append(f"{name} ok")
        return ", ".join(details)


def _failure_text(exc: BaseException) -> str:
    if isinstance(exc, SuasError):
        return exc.user_text()
    if isinstance(exc, SelfTestFailure):
        return str(exc)
    return f"erro inesperado: {type(exc).__name__}: {exc}"


@contextmanager
def _temporary_folder(base: Path | None, keep: bool) -> Iterator[Path]:
    root = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX, dir=base))
    try:
        yield root
    finally:
        if not keep:
            shutil.rmtree(root, ignore_errors=True)


def run_self_test(
    *,
    on_step: Callable[[StepResult], None] | None = None,
    base: Path | None = None,
    keep: bool = False,
) -> SelfTestReport:
    """Run every step (see the module docstring); ``on_step`` is called after each one.

    Args:
        base: where to create the temporary folder (default: the system's temporary folder).
        keep: leave the temporary folder in place (its path is in ``kept_folder``).
    """
    started = time.perf_counter()
    report = SelfTestReport()

    def emit(step: StepResult) -> None:
        report.steps.append(step)
        if on_step is not None:
            on_step(step)

    with _temporary_folder(base, keep) as root:
        with ExitStack() as stack:
            chain = _Chain(root, stack)
            failed = False
            for number, (label, action) in enumerate(chain.steps(), start=1):
                if failed:
                    emit(StepResult(number, label, None))
                    continue
                step_started = time.perf_counter()
                try:
                    detail = action()
                except Exception as exc:
                    failed = True
                    seconds = time.perf_counter() - step_started
                    trace = "" if isinstance(exc, SelfTestFailure | SuasError) else traceback.format_exc()
                    log.services.error("self-test step %d failed: %s", number, _failure_text(exc))
                    emit(StepResult(number, label, False, seconds, _failure_text(exc), trace))
                else:
                    emit(StepResult(number, label, True, time.perf_counter() - step_started, detail))
        report.kept_folder = root if keep else None
    report.seconds = time.perf_counter() - started
    return report
