"""The four reports rendered from small hand-made inputs: headings, key figures, fonts, structure,
signature fields, metadata, determinism, and what an empty data folder prints."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import enumerate_sig_fields

from suas_desktop.documents.report_pdf import ReportMeta
from suas_desktop.documents.reports import (
    AccountabilityRow,
    AccountRow,
    ChecklistItemRow,
    MunicipalityInfo,
    ResolutionRow,
    SectionProgressRow,
    ServiceRow,
    deadline_words,
    document_code,
    fit_widths,
)
from suas_desktop.documents.reports.closing_report import ClosingReportData, render_closing_report
from suas_desktop.documents.reports.pending_report import (
    NO_RESPONSIBLE,
    PendingItem,
    PendingReportData,
    group_by_responsible,
    render_pending_report,
)
from suas_desktop.documents.reports.regional_report import (
    AccountabilityStatusCount,
    CycleSummary,
    DemandSummary,
    MunicipalitySummary,
    RegionalReportData,
    render_regional_report,
)
from suas_desktop.documents.reports.transition_dossier import (
    AgendaRow,
    AssetCategoryRow,
    BenefitRow,
    ContractRow,
    CouncilMemberRow,
    DemandRow,
    EvidenceRow,
    KeyDateRow,
    LegislationRow,
    LiabilityRow,
    OutsideCareRow,
    PartnershipRow,
    RegionalReferenceRow,
    StaffCountRow,
    StockRow,
    SystemAccessRow,
    TeamRequirementRow,
    TeamRow,
    TransitionDossierData,
    UnitRow,
    VehicleRow,
    render_transition_dossier,
)

pytestmark = pytest.mark.skipif(
    any(shutil.which(tool) is None for tool in ("pdftotext", "pdffonts", "pdfinfo", "qpdf")),
    reason="poppler-utils and qpdf are needed to inspect the PDFs",
)

TODAY = date(2026, 11, 25)
GENERATED = datetime(2026, 11, 25, 14, 30)

DOSSIER_HEADINGS = (
    "Termo de Transmissão e Recebimento",
    "1. Identificação e base legal",
    "2. Processo de transição",
    "3. Situação financeira",
    "4. Prestações de contas",
    "5. Planejamento",
    "6. Rede e serviços",
    "7. Proteção Social Especial e demanda reprimida",
    "8. Gestão do trabalho",
    "9. Parcerias, contratos e patrimônio",
    "10. Controle social — CMAS",
    "11. Cadastro Único, Bolsa Família e benefícios eventuais",
    "12. Sistemas e acessos",
    "13. Pendências, riscos e passivos",
    "14. Agenda dos primeiros 100 dias",
    "15. Índice de evidências",
)

MUNICIPALITY = MunicipalityInfo(
    name="Vereda Pequena",
    uf="MG",
    ibge_code="3117836",
    population=7101,
    size_class="Pequeno Porte I",
    managing_body="Secretaria Municipal de Assistência Social",
    fmas_cnpj="12.345.678/0001-95",
    prefeitura_cnpj="01.234.567/0001-39",
    fmas_has_budget_unit=True,
    fmas_has_own_resources=False,
    manager_name="Gestora Exemplo",
    manager_start=date(2025, 1, 1),
    manager_end=date(2028, 12, 31),
    cmas_president_name="Presidente Exemplo",
    cmas_president_start=date(2025, 3, 1),
    cmas_president_end=date(2027, 2, 28),
    warnings=("O FMAS é “apenas um CNPJ”: não recebe recursos próprios do município.",),
)


def meta(title: str, code: str, *, demo: bool = False) -> ReportMeta:
    return ReportMeta(
        title=title,
        municipality=MUNICIPALITY.display,
        cycle_title="Ciclo de teste",
        document_code=code,
        generated_at=GENERATED,
        subject=f"{title} — teste",
        keywords=("SUAS", "teste"),
        author="Técnica de Teste",
        demo=demo,
    )


def item(
    key, section, order, position, status="pending", due=date(2026, 12, 31), **extra
) -> ChecklistItemRow:
    labels = {
        "pending": "Pendente",
        "in_progress": "Em andamento",
        "done": "Concluído",
        "not_applicable": "Não se aplica",
        "blocked": "Bloqueado",
    }
    days_left = (due - TODAY).days if due and status in ("pending", "in_progress", "blocked") else None
    values = {
        "key": key,
        "title": f"Item {key} de teste",
        "section_code": section,
        "section_title": {
            "GOV": "Governança da transição",
            "FIN": "Encerramento do FMAS",
            "CONTA": "Contas",
        }.get(section, section),
        "section_order": order,
        "position": position,
        "status": labels[status],
        "status_code": status,
        "due": due,
        "due_text": "" if due else "Aguardando a data da posse",
        "days_left": days_left,
        "overdue": days_left is not None and days_left < 0,
        "responsible": "Gestor(a) da Assistência Social",
    }
    values.update(extra)
    return ChecklistItemRow(**values)


ITEMS = (
    item("GOV-01", "GOV", 1, 1, "done", due=date(2026, 10, 11)),
    item("GOV-02", "GOV", 1, 2, "in_progress", due=date(2026, 11, 20)),
    item("FIN-01", "FIN", 2, 1, "not_applicable", reason="O município não tem despesas nesta fonte."),
    item("FIN-02", "FIN", 2, 2, "blocked", reason="Falta o extrato de aplicação do banco."),
    item("CONTA-01", "CONTA", 3, 1, "pending", due=None),
)
SECTIONS = (
    SectionProgressRow("GOV", "Governança da transição", 2, 1, 0, 1, 0, 1, 50),
    SectionProgressRow("FIN", "Encerramento do FMAS", 2, 0, 1, 0, 1, 0, 50),
    SectionProgressRow("CONTA", "Contas", 1, 0, 0, 0, 0, 0, 0),
)
OVERALL = SectionProgressRow("", "Total", 5, 1, 1, 1, 1, 1, 40)
ACCOUNTS = (
    AccountRow(
        "Banco do Brasil", "1234-5", "12.345-6", "Bloco da Proteção Social Básica", 0, "PAIF (FNAS)",
        1234567, date(2026, 10, 31), 1000000, 34567, 1234567, True, "PSB",
    ),
    AccountRow(
        "Caixa Econômica Federal", "0712-4", "78.274-8", "Recursos próprios", 8, "",
        500000, date(2026, 10, 31), 450000, 1000, 0, False, "Recursos próprios",
    ),
)  # fmt: skip
ACCOUNTABILITY = (
    AccountabilityRow(
        2025, "Federal (FNAS)", 0, "Demonstrativo 2025", "Enviada", "enviada",
        date(2026, 3, 1), date(2026, 2, 20), date(2027, 4, 30), None,
    ),
    AccountabilityRow(
        2024, "IGD-PBF", 1, "IGD-PBF 2024", "Não iniciada", "nao_iniciada",
        date(2025, 12, 31), None, None, None,
    ),
)  # fmt: skip
RESOLUTIONS = (ResolutionRow("05/2026", date(2026, 4, 20), "Aprova a prestação de contas de 2025", "Contas"),)
SERVICES = (ServiceRow("CRAS Centro", "PAIF", 2026, 1000, 800, 750),)


def full_dossier() -> TransitionDossierData:
    return TransitionDossierData(
        municipality=MUNICIPALITY,
        cycle_title="Transição 2028→2029",
        cycle_state="Em andamento",
        template_version="2026.1",
        reference_year=2028,
        outgoing_mandate="2025–2028",
        incoming_mandate="2029–2032",
        posse=date(2029, 1, 1),
        data_date=TODAY,
        cutoff_date=date(2026, 10, 31),
        document_code="SUAS-3117836-TR-2028-202611251430",
        key_dates=(KeyDateRow("posse (01/01)", date(2029, 1, 1), "CF/88, art. 29, III"),),
        overall=OVERALL,
        sections=SECTIONS,
        items=ITEMS,
        legislation=(LegislationRow("Lei do FMAS", "812/1996", date(1996, 3, 4), "Cria o FMAS"),),
        accounts=ACCOUNTS,
        accountability=ACCOUNTABILITY,
        units=(UnitRow("CRAS", "CRAS Centro", "Rua A, 1", "Próprio", "8h às 17h", 2380, "31000000001"),),
        services=SERVICES,
        demand=(
            DemandRow("PAEFI", 4, 2, 3, 1, 1, 211, 334),
            DemandRow("Família Acolhedora", 1, 0, 0, 1, 0, 17, 17),
        ),
        outside_care=(OutsideCareRow("Acolhimento institucional", "Janaúba", 3, "Consórcio regional"),),
        regional_references=(
            RegionalReferenceRow("CREAS regional", "CREAS Serra", "Janaúba", "PAEFI", "Termo"),
        ),
        staff_total=17,
        staff_by_bond=(("Efetivo", 12), ("Contratado", 5)),
        staff_counts=(
            StaffCountRow("CRAS Centro", "Assistente social", "Efetivo", 2),
            StaffCountRow("CRAS Centro", "Nível médio", "Contratado", 15),
        ),
        staff_contract_ends=((date(2026, 12, 1), 5),),
        teams=(
            TeamRow(
                "CRAS Centro",
                "CRAS com até 2.500 famílias",
                (TeamRequirementRow("Assistentes sociais", 1, 1), TeamRequirementRow("Psicólogo(a)", 1, 0)),
                ("Parâmetro a confirmar.",),
            ),
        ),
        partnerships=(
            PartnershipRow(
                "Associação Exemplo",
                "Termo de colaboração",
                "001/2026",
                "Convivência",
                12000000,
                date(2026, 2, 1),
                date(2027, 1, 31),
                "Vigente",
            ),
        ),
        contracts=(
            ContractRow(
                "015/2026",
                "Empresa Continua Ltda.",
                "Locação do CRAS",
                3600000,
                date(2026, 1, 1),
                date(2027, 12, 31),
                True,
            ),
            ContractRow(
                "016/2026",
                "Empresa Termina Ltda.",
                "Combustível",
                500000,
                date(2026, 1, 1),
                date(2026, 12, 31),
                False,
            ),
        ),
        asset_categories=(
            AssetCategoryRow("Veículo", 1, 24660100),
            AssetCategoryRow("Informática", 3, 900000),
        ),
        vehicles=(
            VehicleRow(
                "001001", "Automóvel", "FWJ1S53", "CRAS Centro", date(2017, 6, 4), 24660100, "Bom", "PSB"
            ),
        ),
        stock=(
            StockRow("Cesta básica", 40, "unidade", "Almoxarifado", date(2027, 6, 30), "Recursos próprios"),
        ),
        council_members=(
            CouncilMemberRow(
                "Governo",
                0,
                "Conselheira Governo",
                "Saúde",
                "Titular",
                date(2025, 3, 1),
                date(2027, 2, 28),
                False,
            ),
            CouncilMemberRow(
                "Usuários",
                1,
                "Presidente Exemplo",
                "Usuários",
                "Titular",
                date(2025, 3, 1),
                date(2027, 2, 28),
                True,
            ),
        ),
        resolutions=RESOLUTIONS,
        resolutions_period="2025 a 2028",
        benefits=(BenefitRow(2026, "Funeral", 17, 3749486, "Recursos próprios"),),
        systems=(
            SystemAccessRow(
                "SAA",
                "Administrador titular",
                "Titular Exemplo",
                "Secretária",
                "Ofício do prefeito",
                date(2026, 10, 1),
            ),
        ),
        liabilities=(
            LiabilityRow(
                "Diligência do FNAS",
                "Ofício 1/2026",
                "Pedido de notas",
                638000,
                date(2026, 12, 4),
                "Aberto",
                False,
            ),
        ),
        agenda=(
            AgendaRow(
                date(2029, 1, 16),
                "SIS-05",
                "Transferir o Administrador Titular do SAA",
                "Transição",
                "Gestor(a) que entra",
                "Pendente",
            ),
        ),
        evidence=(EvidenceRow("ata.pdf", "application/pdf", 1700, "a" * 64, "GOV-01", "Publicar o ato"),),
    )


def empty_dossier() -> TransitionDossierData:
    return TransitionDossierData(
        municipality=MUNICIPALITY,
        cycle_title="Transição 2028→2029",
        cycle_state="Em andamento",
        template_version="2026.1",
        reference_year=2028,
        outgoing_mandate="2025–2028",
        incoming_mandate="2029–2032",
        posse=date(2029, 1, 1),
        data_date=TODAY,
        cutoff_date=None,
        document_code="SUAS-3117836-TR-2028-202611251430",
        key_dates=(),
        overall=SectionProgressRow("", "Total", 0, 0, 0, 0, 0, 0, 0),
        sections=(),
        items=(),
    )


def closing_data() -> ClosingReportData:
    return ClosingReportData(
        municipality=MUNICIPALITY,
        cycle_title="Encerramento 2026",
        cycle_state="Em andamento",
        template_version="2026.1",
        reference_year=2026,
        data_date=TODAY,
        document_code="SUAS-3117836-EN-2026-202611251430",
        overall=OVERALL,
        sections=SECTIONS,
        items=ITEMS,
        accounts=ACCOUNTS,
        accountability=ACCOUNTABILITY,
        services=SERVICES,
        resolutions=RESOLUTIONS,
        manager_name="Gestora Exemplo",
    )


# ---------------------------------------------------------------------- helpers


def write(tmp_path: Path, name: str, pdf: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(pdf)
    return path


def text_of(path: Path) -> str:
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return out.stdout


def layout_of(path: Path) -> str:
    """Text keeping the table rows on their lines (for "label … value" checks)."""
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True)
    return out.stdout


def flat(text: str) -> str:
    """The text with runs of spaces and line breaks collapsed (table cells wrap across lines)."""
    return " ".join(text.split())


def assert_sound_pdf(path: Path) -> None:
    check = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows, "no fonts listed"
    for row in rows:
        columns = row.split()
        emb = columns[-5]
        assert emb == "yes", f"font not embedded: {row}"
    assert "Helvetica" not in fonts


def signature_fields(pdf: bytes) -> dict[str, object]:
    reader = PdfFileReader(io.BytesIO(pdf))
    return {name: value for name, value, _ in enumerate_sig_fields(reader)}


def pdfinfo(path: Path) -> str:
    return subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout


# ---------------------------------------------------------------------- dossier


@pytest.fixture(scope="module")
def dossier(tmp_path_factory):
    data = full_dossier()
    rendered = render_transition_dossier(
        data, meta("Dossiê de Transição da Assistência Social", data.document_code)
    )
    path = write(tmp_path_factory.mktemp("dossie"), "dossie.pdf", rendered.pdf)
    return rendered, path, text_of(path)


def test_dossier_has_every_section_and_key_figures(dossier):
    _, _, text = dossier
    body = flat(text)
    for heading in DOSSIER_HEADINGS:
        assert heading in body, heading
    assert "Sumário" in body
    assert "R$ 12.345,67" in body  # balance on 31/12
    assert re.search(r"Total de trabalhadores\s+17", text)
    assert "31/12/2026" in body  # a due date
    assert "2025–2028 → 2029–2032" in body  # mandate out → in on the cover
    assert "12.345.678/0001-95" in body  # FMAS CNPJ
    assert "SUAS-3117836-TR-2028-202611251430" in body
    assert "DEMONSTRAÇÃO" not in body
    assert re.search(r"Página 1 de \d+ ", body) and "gerado em 25/11/2026 14:30" in body


def test_dossier_marks_continuing_contracts_and_missing_team_members(dossier):
    body = flat(dossier[2])
    continuing = body.rindex("Contratos que continuam no próximo exercício")  # after the table of contents
    others = body.rindex("Demais contratos")
    assert continuing < body.index("Empresa Continua Ltda.") < others < body.index("Empresa Termina Ltda.")
    assert "Psicólogo(a) 1 0 1" in body  # required, counted, missing
    assert "paritário" in body


def test_dossier_is_a_sound_pdf_with_embedded_fonts(dossier):
    assert_sound_pdf(dossier[1])


def test_dossier_has_three_empty_signature_fields(dossier):
    rendered, _, _ = dossier
    fields = signature_fields(rendered.pdf)
    assert set(fields) == {"gestor_saida", "gestor_entrada", "presidente_cmas"}
    assert all(value is None for value in fields.values())  # unsigned
    slots = {s.field_name: s for s in rendered.signature_slots}
    assert slots["gestor_saida"].signer_name == "Gestora Exemplo"
    assert len({s.page for s in slots.values()}) == 1  # all on the Termo page


def test_dossier_metadata(dossier):
    info = pdfinfo(dossier[1])
    assert re.search(r"^Title:\s+Dossiê de Transição da Assistência Social$", info, re.M)
    assert re.search(r"^Author:\s+Técnica de Teste$", info, re.M)
    assert re.search(r"^Subject:\s+Dossiê de Transição da Assistência Social — teste$", info, re.M)
    assert re.search(r"^Keywords:\s+SUAS, teste$", info, re.M)
    assert "595.276 x 841.89" in info  # A4


def test_dossier_with_empty_registers_still_reads(tmp_path):
    data = empty_dossier()
    rendered = render_transition_dossier(data, meta("Dossiê de Transição da Assistência Social", "X-1"))
    path = write(tmp_path, "vazio.pdf", rendered.pdf)
    body = flat(text_of(path))
    for heading in DOSSIER_HEADINGS:
        assert heading in body, heading
    for what in ("conta bancária", "prestação de contas", "unidade", "trabalhador", "conselheiro(a)", "veículo",
                 "acesso a sistema", "passivo ou risco", "norma municipal", "benefício eventual"):  # fmt: skip
        assert f"Nenhum registro de {what} cadastrado" in body, what
    assert "Nenhum arquivo foi anexado" in body
    assert "DEMONSTRAÇÃO" not in body
    assert_sound_pdf(path)
    assert set(signature_fields(rendered.pdf)) == {"gestor_saida", "gestor_entrada", "presidente_cmas"}


def test_same_data_same_content(tmp_path, dossier):
    data = full_dossier()
    again = render_transition_dossier(
        data, meta("Dossiê de Transição da Assistência Social", data.document_code)
    )
    assert text_of(write(tmp_path, "de-novo.pdf", again.pdf)) == dossier[2]


# ---------------------------------------------------------------------- closing


def test_closing_report(tmp_path):
    rendered = render_closing_report(
        closing_data(),
        meta("Relatório de Encerramento do Exercício", "SUAS-3117836-EN-2026-202611251430", demo=True),
    )
    path = write(tmp_path, "encerramento.pdf", rendered.pdf)
    body = flat(text_of(path))
    for heading in ("Sumário", "1. Resumo", "2. Situação do checklist", "3. Resumo financeiro",
                    "4. Prestações de contas", "5. Metas e atendimentos de 2026", "6. Resoluções do CMAS de 2026",
                    "7. Assinaturas", "Itens que não se aplicam ao município", "Itens bloqueados"):  # fmt: skip
        assert heading in body, heading
    assert "Itens finalizados por seção (%)" in body  # the chart
    assert "O município não tem despesas nesta fonte." in body  # justification
    assert "Falta o extrato de aplicação do banco." in body  # what blocks
    assert "R$ 12.345,67" in body and "Aprova a prestação de contas de 2025" in body
    assert "ATRASADO há 5 dias" in body  # GOV-02 was due 20/11/2026
    assert "DEMONSTRAÇÃO — dados fictícios" in body  # demo folder: header mark (and the watermark)
    assert_sound_pdf(path)
    fields = signature_fields(rendered.pdf)
    assert set(fields) == {"gestor", "contador", "controle_interno"}
    assert all(value is None for value in fields.values())


# ---------------------------------------------------------------------- pending


def pending(key, responsible, due, status="Pendente", **extra) -> PendingItem:
    days = (due - TODAY).days if due else None
    values = {
        "responsible": responsible,
        "key": key,
        "title": f"Tarefa {key}",
        "section_title": "Seção",
        "section_order": 1,
        "position": int(key.split("-")[1]),
        "status": status,
        "reason": "",
        "due": due,
        "due_text": "" if due else "Aguardando a data da posse",
        "days_left": days,
        "overdue": days is not None and days < 0,
    }
    values.update(extra)
    return PendingItem(**values)


PENDING = (
    pending("A-3", "Zélia Souza", date(2026, 12, 31)),
    pending("A-1", "", date(2026, 11, 30)),
    pending("A-2", "Ana Lima", date(2026, 11, 20)),
    pending("A-4", "ana  lima", None),
    pending("A-5", "Ana Lima", date(2026, 12, 1), status="Bloqueado", reason="Aguardando o banco."),
)


def test_pending_groups_people_then_nobody_sorted_by_due_date():
    groups = group_by_responsible(PENDING)
    assert [name for name, _ in groups] == ["Ana Lima", "ana lima", "Zélia Souza", NO_RESPONSIBLE]
    assert [i.key for i in groups[0][1]] == ["A-2", "A-5"]


def test_pending_report(tmp_path):
    data = PendingReportData(MUNICIPALITY.display, "Encerramento 2026", TODAY, PENDING)
    rendered = render_pending_report(data, meta("Pendências", "SUAS-3117836-PE-2026-202611251430"))
    path = write(tmp_path, "pendencias.pdf", rendered.pdf)
    body = flat(text_of(path))
    assert "Pendências — Encerramento 2026" in body
    assert "ATRASADO há 5 dias" in body
    assert "Vence em 5 dias" in body and "Vence em 36 dias" in body
    assert "Bloqueado: Aguardando o banco." in body
    assert body.index("Zélia Souza") < body.rindex(NO_RESPONSIBLE)
    assert "Sumário" not in body  # a wall list has no table of contents
    assert_sound_pdf(path)
    assert signature_fields(rendered.pdf) == {}


def test_deadline_words():
    assert deadline_words(-1) == "ATRASADO há 1 dia"
    assert deadline_words(-5) == "ATRASADO há 5 dias"
    assert deadline_words(0) == "Vence hoje"
    assert deadline_words(1) == "Vence amanhã"
    assert deadline_words(None) == "Sem prazo definido"


# ---------------------------------------------------------------------- regional


def summary(name: str, waiting: int, percent: int) -> MunicipalitySummary:
    return MunicipalitySummary(
        name=name,
        uf="MG",
        ibge_code="3117836",
        size_class="Pequeno Porte I",
        population=7101,
        demand=(
            DemandSummary("PAEFI", waiting, 40, 90),
            DemandSummary("Acolhimento institucional", 0, None, None),
        ),
        outside_care=2,
        cycles=(CycleSummary("Encerramento 2026", 60, 30, percent, 3, 1),),
        accountability=(AccountabilityStatusCount("Enviada", 2), AccountabilityStatusCount("Aprovada", 5)),
        accountability_open=2,
        accountability_late=1,
    )


def test_regional_report_takes_many_municipalities(tmp_path):
    data = RegionalReportData(
        owner="Associação de Municípios de Teste",
        data_date=TODAY,
        document_code="SUAS-3117836-RG-2026-202611251430",
        municipalities=(summary("Vereda Pequena", 4, 47), summary("Barra Alta", 9, 80)),
    )
    rendered = render_regional_report(data, meta("Relatório Regional", data.document_code))
    path = write(tmp_path, "regional.pdf", rendered.pdf)
    body = flat(text_of(path))
    for heading in ("1. Municípios", "2. Demanda reprimida de média e alta complexidade",
                    "3. Progresso dos checklists", "4. Prestações de contas"):  # fmt: skip
        assert heading in body, heading
    assert "2 municípios" in body
    assert "Casos à espera por município" in body and "Maior espera por serviço (dias)" in body
    assert "90 dias" in body  # longest wait printed on the bar
    assert body.index("Barra Alta") < body.index("Vereda Pequena MG")  # sorted by name (after the header)
    assert re.search(r"Total\s+13\s+90", layout_of(path))  # cases waiting, longest wait
    assert_sound_pdf(path)


def test_regional_report_with_one_municipality_and_no_demand(tmp_path):
    quiet = replace(summary("Vereda Pequena", 0, 0), demand=(), cycles=(), accountability=())
    data = RegionalReportData("Secretaria", TODAY, "X-2", (quiet,))
    path = write(tmp_path, "r.pdf", render_regional_report(data, meta("Relatório Regional", "X-2")).pdf)
    body = flat(text_of(path))
    assert "Nenhum caso à espera de atendimento." in body
    assert "Nenhum ciclo de checklist foi iniciado." in body


# ---------------------------------------------------------------------- helpers of the package


def test_document_code():
    assert document_code("3199908", "TR", 2028, GENERATED) == "SUAS-3199908-TR-2028-202611251430"


def test_fit_widths_never_splits_dates_or_header_words():
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from suas_desktop.documents.report_pdf import CONTENT_W, register_fonts

    register_fonts()
    headers = ["Descrição", "Prazo", "Enviada em", "Conciliada"]
    rows = [["texto longo " * 10, "31/12/2026", "01/03/2026", "Sim"]]
    widths = fit_widths(headers, rows, [10, 1, 1, 1])
    assert sum(widths) == pytest.approx(CONTENT_W)
    assert widths[1] >= stringWidth("31/12/2026", "DejaVuSansCondensed", 8) + 12
    assert widths[3] >= stringWidth("Conciliada", "DejaVuSansCondensed-Bold", 8) + 12
