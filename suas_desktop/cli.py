"""Command line (interfaces.md): the scriptable twin of the desktop app.

Without a subcommand it opens the desktop app. Messages are pt-BR; subcommands and options English.
Exit codes: 0 ok, 1 refused or problems found, 2 usage error (argparse) or unreadable input.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from typing import TextIO

from suas_desktop import APP_NAME, __version__, log
from suas_desktop.errors import Cancelled, DatabaseCorrupt, SuasError
from suas_desktop.paths import ENV_DATA_DIR, resolve_data_layout

EXIT_OK = 0
EXIT_REFUSED = 1


class _PortugueseParser(argparse.ArgumentParser):
    """argparse with its fixed messages in Portuguese."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: erro: {message}\n")


def _data_dir_parent() -> argparse.ArgumentParser:
    # SUPPRESS lets --data-dir appear before or after the subcommand without one overwriting the other.
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument(
        "--data-dir",
        metavar="PASTA",
        default=argparse.SUPPRESS,
        help=f"pasta de dados (senão ${ENV_DATA_DIR}, o modo portátil ou a pasta do usuário)",
    )
    return parent


def build_parser() -> argparse.ArgumentParser:
    parent = _data_dir_parent()
    parser = _PortugueseParser(
        prog="suas-desktop",
        description=f"{APP_NAME}: encerramento do exercício e transição de mandato da Assistência Social.",
        parents=[parent],
    )
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMANDO", parser_class=_PortugueseParser)
    check = sub.add_parser(
        "check",
        parents=[parent],
        help="verifica a integridade do banco de dados, da trilha de auditoria e dos anexos",
        description="Verifica a integridade do banco de dados, das referências, da trilha de auditoria "
        "e de cada anexo. Sai com 0 se tudo estiver certo e 1 se encontrar problemas.",
    )
    check.add_argument("--json", action="store_true", help="saída em JSON")
    demo = sub.add_parser(
        "demo",
        parents=[parent],
        help="cria um município fictício de demonstração numa pasta de dados vazia",
        description="Preenche uma pasta de dados VAZIA com um município fictício do norte de Minas, "
        "marcado como DEMONSTRAÇÃO em todos os relatórios: todos os cadastros, um encerramento do "
        "exercício e uma transição de mandato em andamento, com anexos. Sai com 0 se criou e 1 se a "
        "pasta já tem dados.",
    )
    demo.add_argument(
        "--size",
        choices=("small", "large"),
        default="small",
        help="small: município de Pequeno Porte I (padrão); large: Grande Porte, com milhares de registros",
    )
    demo.add_argument(
        "--seed",
        type=int,
        default=2026,
        metavar="N",
        help="semente dos dados: a mesma semente gera o mesmo conteúdo (padrão: 2026)",
    )
    report = sub.add_parser(
        "report",
        parents=[parent],
        help="gera um relatório em PDF (dossiê de transição, encerramento, pendências ou regional)",
        description="Gera o relatório KIND em PDF: transition (Dossiê de Transição), closing (Relatório de "
        "Encerramento do Exercício), pending (Pendências) ou regional (Relatório Regional). Sem --cycle, usa "
        "o ciclo mais recente do tipo (pendências: o ciclo em aberto mais recente). Sai com 0 se gravou e 1 "
        "se recusou.",
    )
    report.add_argument("kind", metavar="KIND", help="transition, closing, pending ou regional")
    report.add_argument("--out", required=True, metavar="ARQUIVO.pdf", help="onde gravar o PDF")
    report.add_argument("--cycle", metavar="ID", help="identificador do ciclo (padrão: o mais recente)")
    _add_signature_commands(sub, parent)
    _add_package_commands(sub, parent)
    _add_self_test_command(sub)
    return parser


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None, err: TextIO | None = None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    args = build_parser().parse_args(argv)
    data_dir = getattr(args, "data_dir", None)
    if args.command is None:
        from suas_desktop.app import main as gui_main

        return gui_main(data_dir=data_dir)
    try:
        return _COMMANDS[args.command](args, data_dir, out)
    except Cancelled:
        return EXIT_REFUSED
    except DatabaseCorrupt as exc:
        print(f"Erro: {exc.message}", file=err)
        if exc.backup:
            print(f"Cópia de segurança mais recente: {exc.backup}", file=err)
            print("Abra o SUAS Desktop para restaurá-la (ele oferece a restauração ao abrir).", file=err)
        elif exc.hint:
            print(exc.hint, file=err)
        return EXIT_REFUSED
    except SuasError as exc:
        print(f"Erro: {exc.user_text()}", file=err)
        return EXIT_REFUSED
    except Exception:
        log.init.exception("unexpected error in command %s", args.command)
        print(
            "Erro inesperado. Os detalhes técnicos foram gravados na pasta de registros (logs) "
            "da pasta de dados.",
            file=err,
        )
        return EXIT_REFUSED


def _cmd_check(args: argparse.Namespace, data_dir: str | None, out: TextIO) -> int:
    from suas_desktop.services.check_service import run_check
    from suas_desktop.services.workspace import open_workspace

    layout = resolve_data_layout(data_dir, environ=os.environ)
    with open_workspace(layout) as ws:
        report = run_check(ws)
    if args.json:
        json.dump(
            {
                "ok": report.ok,
                "problems": report.problems,
                "checked": report.checked,
                "data_dir": str(layout.root),
            },
            out,
            ensure_ascii=False,
        )
        out.write("\n")
    else:
        print(f"Pasta de dados: {layout.root}", file=out)
        for item in report.checked:
            print(f"  verificado: {item}", file=out)
        if report.ok:
            print("Nenhum problema encontrado.", file=out)
        else:
            print(f"{len(report.problems)} problema(s) encontrado(s):", file=out)
            for problem in report.problems:
                print(f"  - {problem}", file=out)
    return EXIT_OK if report.ok else EXIT_REFUSED


def _cmd_demo(args: argparse.Namespace, data_dir: str | None, out: TextIO) -> int:
    from suas_desktop.domain.registers import REGISTERS
    from suas_desktop.services.demo import DemoSize, build_demo
    from suas_desktop.services.workspace import open_workspace

    layout = resolve_data_layout(data_dir, environ=os.environ)
    with open_workspace(layout) as ws:
        summary = build_demo(ws, size=DemoSize(args.size), seed=args.seed)
    print(f"Demonstração criada na pasta de dados: {layout.root}", file=out)
    print(f"Município fictício: {summary.municipality} — MG", file=out)
    print(f"Registros ({sum(summary.records.values())}):", file=out)
    for name, count in summary.records.items():
        print(f"  {REGISTERS[name].label}: {count}", file=out)
    print(f"Ciclos: {'; '.join(summary.cycles)}", file=out)
    print(f"Anexos: {summary.attachments}", file=out)
    print("Todos os relatórios desta pasta sairão marcados como DEMONSTRAÇÃO.", file=out)
    return EXIT_OK


def _cmd_report(args: argparse.Namespace, data_dir: str | None, out: TextIO) -> int:
    from pathlib import Path

    from suas_desktop.services.report_service import ReportService
    from suas_desktop.services.template_catalog import load_catalog
    from suas_desktop.services.workspace import open_workspace

    layout = resolve_data_layout(data_dir, environ=os.environ)
    target = Path(args.out).expanduser().absolute()
    with open_workspace(layout) as ws:
        report = ReportService(ws, load_catalog()).write(args.kind, target, args.cycle)
    print(f"Arquivo gravado: {target} ({report.title}, {report.page_count} páginas).", file=out)
    return EXIT_OK


_COMMANDS = {"check": _cmd_check, "demo": _cmd_demo, "report": _cmd_report}


# ---------------------------------------------------------------- sign / verify (issue 7)
ENV_PFX_PASSWORD = "SUAS_DESKTOP_PFX_PASSWORD"  # noqa: S105 - the name of a variable, not a secret
EXIT_UNREADABLE = 2


def _add_signature_commands(sub: argparse._SubParsersAction, parent: argparse.ArgumentParser) -> None:
    sign = sub.add_parser(
        "sign",
        parents=[parent],
        help="assina um PDF com certificado A1 (.pfx/.p12); o arquivo original não é alterado",
        description="Assina IN.pdf com um certificado A1 e grava a cópia assinada em --out. Usa o campo "
        "de assinatura indicado em --field, senão o primeiro campo vazio, senão cria um campo na última "
        "página. A senha vem de --password-file, senão da variável SUAS_DESKTOP_PFX_PASSWORD, senão é "
        "perguntada. Sai com 0 se assinou e 1 se recusou.",
    )
    sign.add_argument("input", metavar="IN.pdf", help="PDF a assinar (nunca é alterado)")
    sign.add_argument("--out", required=True, metavar="OUT.pdf", help="onde gravar o PDF assinado")
    sign.add_argument("--pfx", required=True, metavar="CERT.p12", help="certificado A1 (.pfx ou .p12)")
    sign.add_argument("--password-file", metavar="ARQUIVO", help="arquivo cuja primeira linha é a senha")
    sign.add_argument("--field", metavar="NOME", help="nome do campo de assinatura vazio a preencher")
    sign.add_argument("--reason", metavar="TEXTO", help="motivo da assinatura (gravado no PDF)")
    verify = sub.add_parser(
        "verify",
        parents=[parent],
        help="verifica as assinaturas digitais de um PDF",
        description="Verifica cada assinatura: íntegra, válida, confiável (raízes ICP-Brasil, lista de "
        "confiança do aplicativo e --trust) e sem alteração proibida depois de assinada. Sai com 0 se "
        "todas estão boas, 1 se alguma tem problema ou se não há assinatura, 2 se o arquivo não pôde "
        "ser lido.",
    )
    verify.add_argument("input", metavar="ARQUIVO.pdf", help="PDF a verificar")
    verify.add_argument(
        "--trust",
        action="append",
        default=[],
        metavar="CERT.pem",
        help="certificado adicional em que confiar nesta verificação (pode repetir)",
    )
    verify.add_argument("--json", action="store_true", help="saída em JSON")


def _read_pfx_password(args: argparse.Namespace) -> str:
    if args.password_file:
        from pathlib import Path

        try:
            text = Path(args.password_file).read_text(encoding="utf-8")
        except OSError as exc:
            from suas_desktop.errors import UserError

            raise UserError("Não foi possível ler o arquivo da senha.") from exc
        return text.splitlines()[0] if text else ""
    if os.environ.get(ENV_PFX_PASSWORD) is not None:
        return os.environ[ENV_PFX_PASSWORD]
    import getpass

    try:
        return getpass.getpass("Senha do certificado: ")
    except (EOFError, KeyboardInterrupt) as exc:
        raise Cancelled() from exc


def _cmd_sign(args: argparse.Namespace, data_dir: str | None, out: TextIO) -> int:
    from pathlib import Path

    from suas_desktop.services.signature_service import SignatureService
    from suas_desktop.services.workspace import open_workspace

    password = _read_pfx_password(args)
    layout = resolve_data_layout(data_dir, environ=os.environ)
    with open_workspace(layout) as ws:
        service = SignatureService(ws)
        warning = service.clock_warning()
        if warning:
            print(f"Atenção: {warning}", file=sys.stderr)
        result = service.sign_file(
            "linha de comando",
            Path(args.input),
            Path(args.out),
            pfx_path=Path(args.pfx),
            password=password,
            field=args.field,
            reason=args.reason,
        )
    kind = "certificação" if result.certified else "aprovação"
    print(f"Assinado por {result.signer} no campo \u201c{result.field_name}\u201d ({kind}).", file=out)
    if result.local_certificate:
        print("Certificado local, sem validade ICP-Brasil.", file=out)
    elif result.icp_brasil:
        print("Certificado ICP-Brasil: política PAdES AD-RB v1.3.", file=out)
    print(f"Arquivo assinado: {result.output_path}", file=out)
    print(f"SHA-256: {result.sha256}", file=out)
    return EXIT_OK


def _cmd_verify(args: argparse.Namespace, data_dir: str | None, out: TextIO) -> int:
    from pathlib import Path

    from suas_desktop.documents.signing import UnreadablePdf
    from suas_desktop.errors import DataFolderInUse
    from suas_desktop.services.signature_service import SignatureService
    from suas_desktop.services.workspace import open_workspace

    layout = resolve_data_layout(data_dir, environ=os.environ)
    trust = [Path(p) for p in args.trust]
    try:
        try:
            with open_workspace(layout) as ws:
                result = SignatureService(ws).verify_file(Path(args.input), trust)
        except DataFolderInUse:
            # The app is open on this folder: verify without its trust store rather than refuse.
            print(
                "Atenção: a pasta de dados está em uso; a lista de confiança do aplicativo não foi usada.",
                file=sys.stderr,
            )
            result = _verify_without_workspace(Path(args.input), trust)
    except UnreadablePdf as exc:
        if args.json:
            json.dump({"ok": False, "signatures": [], "error": exc.message}, out, ensure_ascii=False)
            out.write("\n")
        print(f"Erro: {exc.user_text()}", file=sys.stderr)
        return EXIT_UNREADABLE
    report = result.report
    if args.json:
        payload = report.as_json()
        payload["file"] = str(args.input)
        payload["sha256"] = result.sha256
        payload["superseded"] = result.superseded
        json.dump(payload, out, ensure_ascii=False, indent=2)
        out.write("\n")
    else:
        _print_verification(args.input, result, out)
    return EXIT_OK if report.ok else EXIT_REFUSED


def _verify_without_workspace(path, trust):
    """Shipped ICP-Brasil roots + ``--trust`` only; returns a ``FileVerification``."""
    import hashlib

    from suas_desktop.documents import signing
    from suas_desktop.services.signature_service import FileVerification

    extra = []
    for trust_path in trust:
        extra += signing.load_certificates(trust_path.read_bytes())
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise signing.UnreadablePdf(f"Não foi possível ler o arquivo \u201c{path.name}\u201d.") from exc
    report = signing.verify_pdf(data, extra_trust=extra)
    return FileVerification(report, hashlib.sha256(data).hexdigest(), superseded=False, recorded=False)


def _print_verification(name: str, result, out: TextIO) -> None:
    """The pt-BR listing of ``result`` (a ``FileVerification``), one block per signature."""
    report = result.report
    yes_no = {True: "sim", False: "não"}
    print(f"Arquivo: {name}", file=out)
    for number, sig in enumerate(report.signatures, start=1):
        print(f"Assinatura {number} — campo \u201c{sig.field}\u201d", file=out)
        print(f"  Signatário: {sig.signer}", file=out)
        if sig.issuer_chain:
            print(f"  Cadeia: {' → '.join(sig.issuer_chain)}", file=out)
        if sig.signing_time_claimed is not None:
            when = sig.signing_time_claimed.astimezone()
            print(f"  Data declarada: {when:%d/%m/%Y %H:%M} (sem carimbo de tempo)", file=out)
        print(
            f"  Íntegra: {yes_no[sig.intact]}; confiável: {yes_no[sig.trusted]}; "
            f"alterado depois de assinado: {yes_no[sig.modified_after_signing]}",
            file=out,
        )
        print(f"  {'OK' if sig.ok else 'PROBLEMA'}: {sig.message_pt}", file=out)
    if result.superseded:
        print(
            "Atenção: o ciclo deste documento foi reaberto depois da assinatura (documento substituído).",
            file=out,
        )
    print(report.summary_pt, file=out)


_COMMANDS.update(sign=_cmd_sign, verify=_cmd_verify)


# ---------------------------------------------------------------- export, import, backup, restore (issue 8)
ENV_PASSPHRASE = "SUAS_DESKTOP_PASSPHRASE"  # noqa: S105 - the name of a variable, not a secret
EXIT_CONFLICTS = 3
CLI_ACTOR = "linha-de-comando"


def _add_package_commands(sub: argparse._SubParsersAction, parent: argparse.ArgumentParser) -> None:
    help_text = "arquivo cuja 1ª linha é a senha (senão SUAS_DESKTOP_PASSPHRASE, senão é perguntada)"
    export = sub.add_parser(
        "export",
        parents=[parent],
        help="grava um pacote .suas para outra máquina (completo) ou para a associação (regional)",
        description="Grava um pacote de transferência. full: todos os dados e anexos, para outra máquina do "
        "mesmo município, sempre protegido por senha; regional: só totais, sem dados pessoais, para a "
        "associação regional. O pacote é assinado com a chave desta instalação, conferido e gravado de "
        "forma segura (nunca fica um arquivo pela metade com o nome final). Sai com 0 se gravou e 1 se "
        "recusou.",
    )
    export.add_argument("--out", required=True, metavar="ARQUIVO.suas", help="onde gravar o pacote")
    export.add_argument(
        "--scope", choices=("full", "regional"), default="full", help="tipo de pacote (padrão: full)"
    )
    export.add_argument("--passphrase-file", metavar="ARQUIVO", help=help_text)
    imp = sub.add_parser(
        "import",
        parents=[parent],
        help="confere e incorpora um pacote .suas",
        description="Confere o pacote (senha, integridade, assinatura, município) e incorpora as mudanças "
        "numa única transação, depois de uma cópia de segurança automática. Registros alterados dos dois "
        "lados viram conflitos para revisão. Sai com 0 se importou (ou não havia nada novo), 1 se recusou "
        "(nada foi alterado) e 3 se importou com conflitos a revisar.",
    )
    imp.add_argument("package", metavar="ARQUIVO.suas", help="pacote a importar")
    imp.add_argument("--passphrase-file", metavar="ARQUIVO", help=help_text)
    imp.add_argument("--dry-run", action="store_true", help="só mostra o que mudaria, sem gravar nada")
    imp.add_argument("--json", action="store_true", help="saída em JSON")
    imp.add_argument(
        "--trust-signer",
        action="store_true",
        help="confia na chave que assinou o pacote (confira antes a impressão digital com quem enviou)",
    )
    backup = sub.add_parser(
        "backup",
        parents=[parent],
        help="grava uma cópia de segurança completa (banco de dados e anexos) num único arquivo",
        description="Grava uma cópia de segurança completa e protegida por senha (ela leva dados pessoais "
        "para fora da pasta de dados). Sai com 0 se gravou e 1 se recusou.",
    )
    backup.add_argument("--out", required=True, metavar="ARQUIVO", help="onde gravar a cópia")
    backup.add_argument("--passphrase-file", metavar="ARQUIVO", help=help_text)
    restore = sub.add_parser(
        "restore",
        parents=[parent],
        help="restaura uma cópia de segurança (o estado atual é guardado antes)",
        description="Confere a cópia de segurança, guarda o estado atual em backups/ e substitui o banco de "
        "dados pelo da cópia (os anexos da cópia são acrescentados). Sai com 0 se restaurou e 1 se recusou "
        "(nada foi alterado).",
    )
    restore.add_argument("backup_file", metavar="ARQUIVO", help="cópia de segurança a restaurar")
    restore.add_argument("--passphrase-file", metavar="ARQUIVO", help=help_text)


def _passphrase(args: argparse.Namespace, *, ask: bool = True, confirm: bool = False) -> str | None:
    """--passphrase-file, else $SUAS_DESKTOP_PASSPHRASE, else a prompt (or None when ``ask`` is false)."""
    from suas_desktop.errors import UserError

    if getattr(args, "passphrase_file", None):
        from pathlib import Path

        try:
            text = Path(args.passphrase_file).read_text(encoding="utf-8")
        except OSError as exc:
            raise UserError("Não foi possível ler o arquivo da senha.") from exc
        return text.splitlines()[0] if text else ""
    if os.environ.get(ENV_PASSPHRASE):
        return os.environ[ENV_PASSPHRASE]
    if not ask:
        return None
    import getpass

    try:
        first = getpass.getpass("Senha do pacote: ")
        if confirm and getpass.getpass("Repita a senha: ") != first:
            raise UserError("As senhas digitadas não conferem.")
    except (EOFError, KeyboardInterrupt) as exc:
        raise Cancelled() from exc
    return first


def _cmd_export(args: argparse.Namespace, data_dir: str | None, out: TextIO) -> int:
    from pathlib import Path

    from suas_desktop.services.package_service import PackageService
    from suas_desktop.services.workspace import open_workspace

    layout = resolve_data_layout(data_dir, environ=os.environ)
    passphrase = _passphrase(args, confirm=True) if args.scope == "full" else _passphrase(args, ask=False)
    with open_workspace(layout) as ws:
        result = PackageService(ws).export(
            Path(args.out), actor=CLI_ACTOR, scope=args.scope, passphrase=passphrase
        )
    kind = "completo" if result.scope == "full" else "regional"
    print(f"Pacote {kind} gravado e conferido: {result.path} ({result.size} bytes).", file=out)
    if result.scope == "full":
        print(
            f"Registros: {sum(result.records.values())}; exclusões: {result.tombstones}; "
            f"anexos: {result.attachments}.",
            file=out,
        )
    print(
        f"Protegido por senha: {'sim' if result.encrypted else 'não (não contém dados pessoais)'}.", file=out
    )
    print(f"Impressão digital da chave desta instalação: {result.fingerprint}", file=out)
    print(f"SHA-256 do arquivo: {result.sha256}", file=out)
    print("Se gravou num pen drive, use “Remover com segurança” antes de retirá-lo.", file=out)
    return EXIT_OK


def _cmd_import(args: argparse.Namespace, data_dir: str | None, out: TextIO) -> int:
    from pathlib import Path

    from suas_desktop.services import package_format as pf
    from suas_desktop.services.package_service import PackageService
    from suas_desktop.services.workspace import open_workspace

    def report(ok: bool, counts: dict[str, int], error: str | None, **extra: object) -> None:
        payload = {"ok": ok, **counts, "error": error, **extra}
        json.dump(payload, out, ensure_ascii=False)
        out.write("\n")

    zero = {"created": 0, "updated": 0, "deleted": 0, "conflicts": 0}
    layout = resolve_data_layout(data_dir, environ=os.environ)
    passphrase = _passphrase(args, ask=False)
    trust = args.trust_signer
    try:
        with open_workspace(layout) as ws:
            service = PackageService(ws)
            while True:
                try:
                    result = service.import_package(
                        Path(args.package),
                        passphrase=passphrase,
                        actor=CLI_ACTOR,
                        trust_signer=trust,
                        dry_run=args.dry_run,
                    )
                    break
                except pf.PackageRejected as exc:
                    if exc.reason == "needs_passphrase" and passphrase is None and not args.json:
                        passphrase = _passphrase(args)
                        continue
                    if (
                        isinstance(exc, pf.UnknownSigner)
                        and not trust
                        and not args.json
                        and sys.stdin.isatty()
                    ):
                        print(exc.message, file=out)
                        answer = input(
                            "Você conferiu a impressão digital com quem enviou? Confiar nesta chave? [s/N] "
                        )
                        if answer.strip().lower() in ("s", "sim", "y", "yes"):
                            trust = True
                            continue
                    raise
    except SuasError as exc:
        if args.json:
            extra = {}
            if isinstance(exc, pf.UnknownSigner):
                extra = {
                    "signer_fingerprint": exc.signer.display,
                    "signer_installation": exc.signer.installation_id,
                }
            report(False, zero, exc.user_text(), reason=getattr(exc, "reason", None), **extra)
            return EXIT_REFUSED
        raise
    plan = result.plan
    counts = plan.counts()
    if args.json:
        report(
            True,
            counts,
            None,
            dry_run=result.dry_run,
            already_imported=plan.already_imported,
            package_id=plan.package_id,
            warnings=plan.warnings,
        )
    else:
        verb = "Mudanças que a importação faria" if result.dry_run else "Pacote importado"
        if plan.already_imported:
            print("Nada novo: este pacote já tinha sido importado.", file=out)
        else:
            print(f"{verb} ({plan.municipality_name}, pacote de {plan.created_at[:10]}):", file=out)
            print(f"  novos: {counts['created']}", file=out)
            print(f"  alterados: {counts['updated']}", file=out)
            print(f"  excluídos: {counts['deleted']}", file=out)
            print(f"  conflitos a revisar: {counts['conflicts']}", file=out)
            for c in plan.conflicts[:20]:
                print(f"    - {c.table_label}: registro {c.record_id[:8]}… ({c.kind})", file=out)
            if result.backup is not None:
                print(f"Cópia de segurança feita antes: {result.backup.name}", file=out)
        for warning in plan.warnings:
            print(f"Atenção: {warning}", file=out)
        if counts["conflicts"] and not result.dry_run:
            print("Abra o SUAS Desktop, em Transferência, para escolher a versão de cada conflito.", file=out)
    return EXIT_CONFLICTS if counts["conflicts"] and not result.dry_run else EXIT_OK


def _cmd_backup(args: argparse.Namespace, data_dir: str | None, out: TextIO) -> int:
    from pathlib import Path

    from suas_desktop.services.backup_archive import write_backup_file
    from suas_desktop.services.workspace import open_workspace

    layout = resolve_data_layout(data_dir, environ=os.environ)
    passphrase = _passphrase(args, confirm=True) or ""
    with open_workspace(layout) as ws:
        result = write_backup_file(ws, Path(args.out), passphrase=passphrase, actor=CLI_ACTOR)
    print(
        f"Cópia de segurança gravada e conferida: {result.path} "
        f"({result.size} bytes, {result.attachments} anexos).",
        file=out,
    )
    print(
        "Ela é protegida pela senha informada: guarde a senha em lugar seguro, sem ela a cópia não abre.",
        file=out,
    )
    return EXIT_OK


def _cmd_restore(args: argparse.Namespace, data_dir: str | None, out: TextIO) -> int:
    from pathlib import Path

    from suas_desktop.services.backup_archive import restore_backup_file
    from suas_desktop.services.workspace import open_workspace

    layout = resolve_data_layout(data_dir, environ=os.environ)
    passphrase = _passphrase(args) or ""
    # restore_backup_file always closes the workspace (its database file may have been replaced).
    result = restore_backup_file(
        open_workspace(layout), Path(args.backup_file), passphrase=passphrase, actor=CLI_ACTOR
    )
    print(f"Cópia restaurada ({result.attachments_added} anexos acrescentados).", file=out)
    print(f"O estado anterior foi guardado em: {result.previous_state}", file=out)
    return EXIT_OK


_COMMANDS.update(export=_cmd_export, backup=_cmd_backup, restore=_cmd_restore)
_COMMANDS["import"] = _cmd_import


# ---------------------------------------------------------------- self-test (issue 10)
def _add_self_test_command(sub: argparse._SubParsersAction) -> None:
    self_test = sub.add_parser(
        "self-test",
        help="testa a cadeia inteira numa pasta temporária (demonstração, relatório, assinatura, pacote)",
        description="Numa pasta temporária, apagada no fim, cria a demonstração, gera o Dossiê de Transição, "
        "emite dois certificados locais descartáveis, assina os campos gestor_saida e gestor_entrada, "
        "verifica as assinaturas, exporta um pacote completo, importa-o numa segunda pasta e verifica as "
        "duas. Não usa a pasta de dados do usuário. Sai com 0 se todas as etapas passaram e 1 se alguma "
        "falhou.",
    )
    self_test.add_argument(
        "--keep", action="store_true", help="não apaga a pasta temporária no fim (mostra onde ficou)"
    )


def _cmd_self_test(args: argparse.Namespace, data_dir: str | None, out: TextIO) -> int:
    from suas_desktop.services.self_test import StepResult, run_self_test

    try:
        "✓✗–".encode(getattr(out, "encoding", None) or "utf-8")
        marks = {True: "✓", False: "✗", None: "–"}
    except (UnicodeEncodeError, LookupError):  # e.g. a Windows console redirected to a cp1252 file
        marks = {True: "OK", False: "X", None: "-"}

    def seconds(value: float) -> str:
        return f"{value:.2f} s".replace(".", ",")

    def show(step: StepResult) -> None:
        if step.ok is None:
            print(f"{marks[None]} {step.number:2d}. {step.label} (não executada)", file=out)
            return
        detail = f" — {step.detail}" if step.detail else ""
        line = f"{marks[step.ok]} {step.number:2d}. {step.label}{detail} ({seconds(step.seconds)})"
        print(line, file=out, flush=True)  # print, not out.flush(): a windowed .exe has no stdout
        if step.trace:
            print(step.trace, file=sys.stderr)

    header = f"Autoteste do {APP_NAME} {__version__} (pasta temporária; os dados do usuário não são usados)"
    print(header, file=out)
    report = run_self_test(on_step=show, keep=args.keep)
    total = len(report.steps)
    if report.ok:
        print(f"Tudo certo: {total} de {total} etapas em {seconds(report.seconds)}.", file=out)
    else:
        failed = next(step for step in report.steps if step.ok is False)
        print(f"Falhou na etapa {failed.number} de {total} ({seconds(report.seconds)}).", file=out)
    if report.kept_folder is not None:
        print(f"Pasta temporária mantida: {report.kept_folder}", file=out)
    return EXIT_OK if report.ok else EXIT_REFUSED


_COMMANDS["self-test"] = _cmd_self_test
