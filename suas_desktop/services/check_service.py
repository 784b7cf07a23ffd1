"""``suas-desktop check``: integrity of the database, its references, the audit chain and attachments."""

from __future__ import annotations

from dataclasses import dataclass, field

from suas_desktop.services.workspace import Workspace
from suas_desktop.storage.audit_repository import AuditRepository
from suas_desktop.storage.cycle_repository import CycleRepository


@dataclass
class CheckReport:
    problems: list[str] = field(default_factory=list)
    #: What was checked, for the summary line ("banco de dados", "trilha de auditoria (12 registros)").
    checked: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def expected_attachment_hashes(ws: Workspace) -> set[str]:
    """Hashes that the database says must be in the store (evidence and the coat of arms)."""
    return CycleRepository(ws.db).referenced_hashes()


def run_check(ws: Workspace) -> CheckReport:
    report = CheckReport()
    problems = ws.db.integrity_check()
    report.checked.append("integridade do banco de dados")
    report.problems += [f"Banco de dados: {p}" for p in problems]
    report.checked.append("referências entre registros")
    report.problems += [f"Referência quebrada: {p}" for p in ws.db.foreign_key_check()]
    chain = AuditRepository(ws.db).verify()
    report.checked.append(f"trilha de auditoria ({chain.checked} registros)")
    report.problems += chain.problems
    expected = expected_attachment_hashes(ws)
    stored = sum(1 for _ in ws.attachments.iter_stored())
    report.checked.append(f"anexos ({stored} arquivos)")
    report.problems += ws.attachments.verify(expected)
    return report
