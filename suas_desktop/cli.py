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


_COMMANDS = {"check": _cmd_check, "demo": _cmd_demo}
