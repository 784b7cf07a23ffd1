"""The registers behind the dossier (domain.md §2, §5, §8): one RegisterSpec each.

Field names are English (columns); labels and choices are the Portuguese users read. Fields that
identify a person are marked PERSONAL or SENSITIVE (LGPD); unmet demand keeps a case code, never a name.
There is deliberately no field for passwords of external systems.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from suas_desktop.domain.register_fields import FieldKind as K
from suas_desktop.domain.register_fields import FieldSpec as F
from suas_desktop.domain.register_fields import Privacy as P
from suas_desktop.domain.register_fields import RegisterSpec, choices, date_order

UNIT_KINDS = choices(
    ("cras", "CRAS"),
    ("creas", "CREAS"),
    ("creas_regional", "CREAS regional"),
    ("centro_pop", "Centro POP"),
    ("centro_dia", "Centro-Dia"),
    ("acolhimento", "Unidade de acolhimento"),
    ("centro_convivencia", "Centro de convivência"),
    ("sede", "Sede do órgão gestor"),
    ("outra", "Outra"),
)
SERVICES = choices(
    ("paif", "PAIF"),
    ("scfv", "SCFV — Convivência e Fortalecimento de Vínculos"),
    ("psb_domicilio", "PSB no domicílio para pessoas com deficiência e idosas"),
    ("paefi", "PAEFI"),
    ("abordagem", "Abordagem Social"),
    ("mse", "Medidas socioeducativas em meio aberto (LA e PSC)"),
    ("pse_pcd_idosos", "PSE para pessoas com deficiência, idosas e suas famílias"),
    ("pop_rua", "Serviço para Pessoas em Situação de Rua"),
    ("acolhimento_institucional", "Acolhimento Institucional"),
    ("republica", "Acolhimento em República"),
    ("familia_acolhedora", "Família Acolhedora"),
    ("calamidades", "Proteção em Situações de Calamidades e Emergências"),
)
FUNDING_BLOCKS = choices(
    ("bloco_psb", "Bloco da Proteção Social Básica"),
    ("bloco_pse_media", "Bloco da PSE de Média Complexidade"),
    ("bloco_pse_alta", "Bloco da PSE de Alta Complexidade"),
    ("bloco_gestao_suas", "Bloco da Gestão do SUAS (IGDSUAS)"),
    ("bloco_gestao_pbf", "Bloco da Gestão do PBF e do Cadastro Único (IGD-PBF)"),
    ("programa", "Programa ou projeto federal"),
    ("emenda", "Emenda parlamentar"),
    ("feas", "FEAS / Piso Mineiro"),
    ("proprio", "Recursos próprios"),
    ("outro", "Outra fonte"),
)

UNITS = RegisterSpec(
    "units",
    "Unidades",
    "Unidade",
    (
        F("kind", "Tipo", K.CHOICE, required=True, choices=UNIT_KINDS, example="CRAS"),
        F("name", "Nome", required=True, example="CRAS Vila Nova"),
        F("address", "Endereço", example="Rua das Flores, 100, Centro"),
        F("cadsuas_id", "Código no CadSUAS", max_length=30, example="31000000001"),
        F(
            "building",
            "Imóvel",
            K.CHOICE,
            choices=choices(("proprio", "Próprio"), ("alugado", "Alugado"), ("cedido", "Cedido")),
            example="Próprio",
        ),
        F("opening_hours", "Horário de funcionamento", example="Seg. a sex., 8h às 17h"),
        F("phone", "Telefone", max_length=30, example="(38) 3200-0000"),
        F(
            "referenced_families",
            "Famílias referenciadas",
            K.INT,
            minimum=0,
            example="2500",
            help="Para CRAS: famílias referenciadas no território (define a equipe de referência).",
        ),
    ),
    title_field="name",
    natural_key=("kind", "name"),
)

UNIT_SERVICES = RegisterSpec(
    "unit_services",
    "Serviços",
    "Serviço",
    (
        F("unit_id", "Unidade", K.REF, required=True, ref="units", example="CRAS Vila Nova"),
        F("service", "Serviço tipificado", K.CHOICE, required=True, choices=SERVICES, example="PAIF"),
        F("year", "Ano", K.INT, required=True, minimum=2000, maximum=2100, example="2026"),
        F("capacity", "Capacidade", K.INT, minimum=0, example="1000"),
        F("target", "Meta pactuada", K.INT, minimum=0, example="800"),
        F("attendances", "Atendimentos no ano", K.INT, minimum=0, example="750"),
    ),
    title_field="service",
    natural_key=("unit_id", "service", "year"),
)

PROFESSIONS = choices(
    ("assistente_social", "Assistente social"),
    ("psicologo", "Psicólogo(a)"),
    ("pedagogo", "Pedagogo(a)"),
    ("advogado", "Advogado(a)"),
    ("outra_superior", "Outra profissão de nível superior do SUAS"),
    ("nivel_medio", "Nível médio"),
    ("nivel_fundamental", "Nível fundamental"),
)
STAFF = RegisterSpec(
    "staff",
    "Trabalhadores",
    "Trabalhador(a)",
    (
        F("name", "Nome", required=True, privacy=P.PERSONAL, example="Maria da Silva"),
        F("cpf", "CPF", K.CPF, privacy=P.PERSONAL, example="529.982.247-25"),
        F("role", "Cargo ou função", required=True, example="Técnico(a) de referência"),
        F(
            "profession",
            "Profissão",
            K.CHOICE,
            required=True,
            choices=PROFESSIONS,
            example="Assistente social",
        ),
        F(
            "education",
            "Escolaridade",
            K.CHOICE,
            required=True,
            choices=choices(("fundamental", "Fundamental"), ("medio", "Médio"), ("superior", "Superior")),
            example="Superior",
        ),
        F(
            "bond",
            "Vínculo",
            K.CHOICE,
            required=True,
            choices=choices(
                ("efetivo", "Efetivo"),
                ("comissionado", "Comissionado"),
                ("contratado", "Contratado"),
                ("cedido", "Cedido"),
                ("outro", "Outro"),
            ),
            example="Efetivo",
        ),
        F("unit_id", "Unidade", K.REF, ref="units", example="CRAS Vila Nova"),
        F("is_coordinator", "Coordenador(a) da unidade", K.BOOL, example="Não"),
        F("weekly_hours", "Horas semanais", K.INT, minimum=1, maximum=60, example="40"),
        F("contract_end", "Fim do contrato", K.DATE, example="31/12/2026"),
    ),
    title_field="name",
    natural_key=("name", "role"),
)


def _reprogram_within_balance(values: Mapping[str, Any]) -> dict[str, str]:
    balance, reprogram = values.get("balance_dec31"), values.get("amount_to_reprogram")
    if balance is not None and reprogram is not None and reprogram > balance:
        return {"amount_to_reprogram": "Saldo a reprogramar: não pode ser maior que o saldo em 31/12."}
    return {}


ACCOUNTS = RegisterSpec(
    "accounts",
    "Contas bancárias",
    "Conta bancária",
    (
        F("bank", "Banco", required=True, example="Banco do Brasil"),
        F("branch", "Agência", required=True, max_length=10, example="1234-5"),
        F("account", "Conta", required=True, max_length=20, example="12345-6"),
        F(
            "block",
            "Bloco ou fonte",
            K.CHOICE,
            required=True,
            choices=FUNDING_BLOCKS,
            example="Bloco da Proteção Social Básica",
        ),
        F("description", "Descrição", example="PSB — conta do FNAS"),
        F(
            "balance_dec31",
            "Saldo em 31/12",
            K.MONEY,
            minimum=0,
            example="12.345,67",
            help="Conta corrente + aplicação, pelo extrato de 31/12.",
        ),
        F("cutoff_date", "Data de corte", K.DATE, example="31/10/2028"),
        F("balance_cutoff", "Saldo na data de corte", K.MONEY, minimum=0, example="10.000,00"),
        F("yields", "Rendimentos no ano", K.MONEY, minimum=0, example="345,67"),
        F("amount_to_reprogram", "Saldo a reprogramar", K.MONEY, minimum=0, example="12.345,67"),
        F("reconciled", "Conciliada", K.BOOL, example="Sim"),
    ),
    rules=(_reprogram_within_balance,),
    title_field="account",
    natural_key=("bank", "branch", "account"),
)

ACCOUNTABILITY_STATUS = choices(
    ("nao_iniciada", "Não iniciada"),
    ("enviada", "Enviada"),
    ("parecer_cmas", "Com parecer do CMAS"),
    ("em_diligencia", "Em diligência"),
    ("aprovada", "Aprovada"),
    ("rejeitada", "Rejeitada"),
)
ACCOUNTABILITY = RegisterSpec(
    "accountability",
    "Prestações de contas",
    "Prestação de contas",
    (
        F("fiscal_year", "Exercício", K.INT, required=True, minimum=2000, maximum=2100, example="2025"),
        F(
            "source",
            "Fonte",
            K.CHOICE,
            required=True,
            choices=choices(
                ("federal", "Federal (FNAS)"),
                ("igd_pbf", "IGD-PBF"),
                ("feas", "FEAS / Piso Mineiro"),
                ("emenda", "Emenda parlamentar"),
                ("convenio", "Convênio"),
            ),
            example="Federal (FNAS)",
        ),
        F("description", "Descrição", example="Demonstrativo 2025 (AgilizaSUAS)"),
        F("status", "Situação", K.CHOICE, required=True, choices=ACCOUNTABILITY_STATUS, example="Enviada"),
        F("deadline", "Prazo", K.DATE, example="01/03/2026"),
        F("submitted_on", "Enviada em", K.DATE, example="20/02/2026"),
        F("council_deadline", "Prazo do CMAS", K.DATE, example="30/04/2026"),
        F("council_opinion_on", "Parecer do CMAS em", K.DATE, example="15/04/2026"),
        F("notes", "Observações", K.LONG_TEXT, max_length=2000),
    ),
    title_field="description",
    natural_key=("fiscal_year", "source", "description"),
)

PARTNERSHIPS = RegisterSpec(
    "partnerships",
    "Parcerias (MROSC)",
    "Parceria",
    (
        F("organization", "Organização da sociedade civil", required=True, example="Associação Exemplo"),
        F("organization_cnpj", "CNPJ da OSC", K.CNPJ, example="11.222.333/0001-81"),
        F(
            "instrument",
            "Instrumento",
            K.CHOICE,
            required=True,
            choices=choices(
                ("termo_colaboracao", "Termo de colaboração"),
                ("termo_fomento", "Termo de fomento"),
                ("acordo_cooperacao", "Acordo de cooperação"),
            ),
            example="Termo de colaboração",
        ),
        F("number", "Número", max_length=30, example="001/2026"),
        F("purpose", "Objeto", required=True, example="Serviço de convivência para idosos"),
        F("amount", "Valor total", K.MONEY, minimum=0, example="120.000,00"),
        F("start", "Início", K.DATE, example="01/02/2026"),
        F("end", "Fim", K.DATE, example="31/01/2027"),
        F(
            "status",
            "Situação",
            K.CHOICE,
            choices=choices(
                ("vigente", "Vigente"),
                ("prestando_contas", "Em prestação de contas"),
                ("encerrada", "Encerrada"),
                ("rescindida", "Rescindida"),
            ),
            example="Vigente",
        ),
    ),
    rules=(date_order("start", "end", "Fim: a parceria não pode terminar antes de começar."),),
    title_field="organization",
    natural_key=("instrument", "number"),
)

CONTRACTS = RegisterSpec(
    "contracts",
    "Contratos",
    "Contrato",
    (
        F("number", "Número", required=True, max_length=30, example="015/2026"),
        F("supplier", "Contratado(a)", required=True, example="Empresa Exemplo Ltda."),
        F("supplier_cnpj", "CNPJ do contratado", K.CNPJ, example="11.222.333/0001-81"),
        F("purpose", "Objeto", required=True, example="Locação do imóvel do CRAS"),
        F("amount", "Valor", K.MONEY, minimum=0, example="36.000,00"),
        F("start", "Início", K.DATE, example="01/01/2026"),
        F("end", "Fim", K.DATE, example="31/12/2026"),
        F("continues_next_year", "Continua no próximo exercício", K.BOOL, example="Sim"),
        F("inspector", "Fiscal do contrato", privacy=P.PERSONAL, example="João Souza"),
    ),
    rules=(date_order("start", "end", "Fim: o contrato não pode terminar antes de começar."),),
    title_field="number",
    natural_key=("number",),
)

ASSETS = RegisterSpec(
    "assets",
    "Bens patrimoniais",
    "Bem patrimonial",
    (
        F("tag", "Plaqueta", max_length=30, example="000123"),
        F("description", "Descrição", required=True, example="Computador de mesa"),
        F(
            "category",
            "Categoria",
            K.CHOICE,
            required=True,
            choices=choices(
                ("veiculo", "Veículo"),
                ("imovel", "Imóvel"),
                ("informatica", "Informática"),
                ("mobiliario", "Mobiliário"),
                ("equipamento", "Equipamento"),
                ("outro", "Outro"),
            ),
            example="Informática",
        ),
        F("unit_id", "Unidade", K.REF, ref="units", example="CRAS Vila Nova"),
        F("plate", "Placa (veículos)", max_length=10, example="ABC1D23"),
        F("acquired_on", "Data de aquisição", K.DATE, example="15/03/2024"),
        F("value", "Valor", K.MONEY, minimum=0, example="3.500,00"),
        F(
            "source",
            "Fonte do recurso",
            K.CHOICE,
            choices=FUNDING_BLOCKS,
            example="Bloco da Gestão do SUAS (IGDSUAS)",
        ),
        F(
            "condition",
            "Estado",
            K.CHOICE,
            choices=choices(
                ("bom", "Bom"), ("regular", "Regular"), ("ruim", "Ruim"), ("inservivel", "Inservível")
            ),
            example="Bom",
        ),
    ),
    title_field="description",
    natural_key=("tag",),
)

STOCK = RegisterSpec(
    "stock",
    "Estoque",
    "Item de estoque",
    (
        F("item", "Item", required=True, example="Cesta básica"),
        F("quantity", "Quantidade", K.INT, required=True, minimum=0, example="40"),
        F("measure", "Unidade de medida", max_length=20, example="unidade"),
        F("location", "Local", example="Almoxarifado da Secretaria"),
        F("expires_on", "Validade", K.DATE, example="30/06/2027"),
        F("source", "Fonte do recurso", K.CHOICE, choices=FUNDING_BLOCKS, example="Recursos próprios"),
    ),
    title_field="item",
    natural_key=("item", "location"),
)

COUNCIL_MEMBERS = RegisterSpec(
    "council_members",
    "Conselheiros do CMAS",
    "Conselheiro(a)",
    (
        F("name", "Nome", required=True, privacy=P.PERSONAL, example="Ana Pereira"),
        F(
            "segment",
            "Segmento",
            K.CHOICE,
            required=True,
            choices=choices(
                ("governo", "Governo"),
                ("usuarios", "Usuários"),
                ("trabalhadores", "Trabalhadores do SUAS"),
                ("entidades", "Entidades e organizações"),
            ),
            example="Usuários",
        ),
        F("represents", "Representa", example="Associação de Moradores"),
        F(
            "seat",
            "Titular ou suplente",
            K.CHOICE,
            choices=choices(("titular", "Titular"), ("suplente", "Suplente")),
            example="Titular",
        ),
        F("mandate_start", "Início do mandato", K.DATE, required=True, example="01/03/2025"),
        F("mandate_end", "Fim do mandato", K.DATE, example="28/02/2027"),
        F("is_president", "Presidente", K.BOOL, example="Não"),
    ),
    rules=(date_order("mandate_start", "mandate_end", "Fim do mandato: não pode ser antes do início."),),
    title_field="name",
    natural_key=("name", "mandate_start"),
)

COUNCIL_RESOLUTIONS = RegisterSpec(
    "council_resolutions",
    "Resoluções do CMAS",
    "Resolução do CMAS",
    (
        F("number", "Número", required=True, max_length=20, example="05/2026"),
        F("issued_on", "Data", K.DATE, required=True, example="20/04/2026"),
        F(
            "subject",
            "Assunto",
            required=True,
            max_length=500,
            example="Aprova a prestação de contas de 2025",
        ),
        F(
            "kind",
            "Tipo",
            K.CHOICE,
            choices=choices(
                ("contas", "Prestação de contas"),
                ("plano", "Plano ou planejamento"),
                ("orcamento", "Orçamento"),
                ("inscricao", "Inscrição de entidade"),
                ("outro", "Outro"),
            ),
            example="Prestação de contas",
        ),
    ),
    title_field="number",
    natural_key=("number",),
)

LEGISLATION = RegisterSpec(
    "legislation",
    "Legislação municipal",
    "Norma",
    (
        F(
            "kind",
            "Tipo",
            K.CHOICE,
            required=True,
            choices=choices(
                ("lei_suas", "Lei do SUAS municipal"),
                ("lei_fmas", "Lei do FMAS"),
                ("lei_cmas", "Lei do CMAS"),
                ("lei_beneficios", "Lei dos benefícios eventuais"),
                ("decreto", "Decreto"),
                ("outra", "Outra"),
            ),
            example="Lei do FMAS",
        ),
        F("number", "Número", required=True, max_length=30, example="1.234/2005"),
        F("issued_on", "Data", K.DATE, example="10/05/2005"),
        F("summary", "Ementa", max_length=1000, example="Cria o Fundo Municipal de Assistência Social"),
        F("link", "Endereço na internet", max_length=500, example="https://exemplo.mg.gov.br/leis/1234"),
    ),
    title_field="number",
    natural_key=("kind", "number"),
)

SYSTEMS = choices(
    ("saa", "SAA — Sistema de Autenticação e Autorização"),
    ("cadsuas", "CadSUAS"),
    ("suasweb", "SUASWeb"),
    ("rma", "RMA"),
    ("censo_suas", "Censo SUAS"),
    ("sigpbf", "SIGPBF"),
    ("cadunico", "Cadastro Único"),
    ("agilizasuas", "AgilizaSUAS / BB Gestão Ágil"),
    ("sigcon", "Sigcon-MG"),
    ("cagec", "CAGEC"),
    ("banco", "Banco (internet banking)"),
    ("outro", "Outro"),
)
SYSTEM_ACCESS = RegisterSpec(
    "system_access",
    "Acessos a sistemas",
    "Acesso a sistema",
    (
        F(
            "system",
            "Sistema",
            K.CHOICE,
            required=True,
            choices=SYSTEMS,
            example="SAA — Sistema de Autenticação e Autorização",
        ),
        F("profile", "Perfil", required=True, example="Gestor municipal"),
        F("holder", "Titular", required=True, privacy=P.PERSONAL, example="Maria da Silva"),
        F("holder_role", "Cargo do titular", example="Secretária de Assistência Social"),
        F(
            "transfer_procedure",
            "Como transferir o acesso",
            K.LONG_TEXT,
            max_length=2000,
            example="O novo gestor pede o cadastro no SAA com ofício do prefeito.",
        ),
        F("reviewed_on", "Conferido em", K.DATE, example="01/11/2028"),
    ),
    title_field="system",
    natural_key=("system", "profile", "holder"),
)

BENEFITS = RegisterSpec(
    "eventual_benefits",
    "Benefícios eventuais",
    "Benefício eventual",
    (
        F("year", "Ano", K.INT, required=True, minimum=2000, maximum=2100, example="2026"),
        F(
            "kind",
            "Tipo",
            K.CHOICE,
            required=True,
            choices=choices(
                ("natalidade", "Natalidade"),
                ("funeral", "Funeral"),
                ("vulnerabilidade", "Vulnerabilidade temporária"),
                ("calamidade", "Calamidade pública"),
            ),
            example="Vulnerabilidade temporária",
        ),
        F("quantity", "Quantidade concedida", K.INT, required=True, minimum=0, example="120"),
        F("amount", "Valor total", K.MONEY, minimum=0, example="18.000,00"),
        F("source", "Fonte do recurso", K.CHOICE, choices=FUNDING_BLOCKS, example="Recursos próprios"),
    ),
    title_field="kind",
    natural_key=("year", "kind", "source"),
)

_CASE_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9./-]{1,19}$")


def _case_code_is_a_code(values: Mapping[str, Any]) -> dict[str, str]:
    """A case code must look like a code (letters and digits, at least one digit), never a name."""
    code = values.get("case_code")
    if code and (not _CASE_CODE.match(code) or not any(c.isdigit() for c in code)):
        return {"case_code": "Código do caso: use um código (ex.: PAEFI-2026-014), nunca o nome da pessoa."}
    return {}


DEMAND_SERVICES = choices(
    ("paefi", "PAEFI"),
    ("mse_la", "MSE — Liberdade Assistida"),
    ("mse_psc", "MSE — Prestação de Serviços à Comunidade"),
    ("acolhimento", "Acolhimento institucional"),
    ("familia_acolhedora", "Família Acolhedora"),
    ("abordagem", "Abordagem Social"),
    ("outro", "Outro serviço de média ou alta complexidade"),
)
UNMET_DEMAND = RegisterSpec(
    "unmet_demand",
    "Demanda reprimida",
    "Caso em espera",
    (
        F(
            "case_code",
            "Código do caso",
            required=True,
            max_length=20,
            privacy=P.SENSITIVE,
            example="PAEFI-2026-014",
            help="Nunca o nome: um código que só a equipe sabe a quem se refere.",
        ),
        F("service", "Serviço necessário", K.CHOICE, required=True, choices=DEMAND_SERVICES, example="PAEFI"),
        F("received_on", "Recebido em", K.DATE, required=True, example="10/03/2026"),
        F(
            "referred_by",
            "Origem",
            K.CHOICE,
            choices=choices(
                ("cras", "CRAS"),
                ("conselho_tutelar", "Conselho Tutelar"),
                ("judiciario", "Poder Judiciário"),
                ("ministerio_publico", "Ministério Público"),
                ("saude", "Saúde"),
                ("educacao", "Educação"),
                ("espontanea", "Procura espontânea"),
                ("outra", "Outra"),
            ),
            example="Conselho Tutelar",
        ),
        F(
            "status",
            "Situação",
            K.CHOICE,
            required=True,
            choices=choices(
                ("aguardando", "Aguardando"),
                ("encaminhado_regional", "Encaminhado à referência regional"),
                ("em_atendimento", "Em atendimento"),
                ("atendido", "Atendido"),
                ("desistencia", "Desistência"),
            ),
            example="Aguardando",
        ),
        F("resolved_on", "Atendido ou encerrado em", K.DATE, example=""),
    ),
    rules=(
        _case_code_is_a_code,
        date_order("received_on", "resolved_on", "Encerrado em: não pode ser antes do recebimento."),
    ),
    title_field="case_code",
    natural_key=("case_code",),
)

OUTSIDE_CARE = RegisterSpec(
    "outside_care",
    "Acolhidos fora do município",
    "Acolhimento fora do município",
    (
        F(
            "case_code",
            "Código do caso",
            required=True,
            max_length=20,
            privacy=P.SENSITIVE,
            example="AC-2025-003",
        ),
        F(
            "service",
            "Serviço",
            K.CHOICE,
            required=True,
            choices=DEMAND_SERVICES,
            example="Acolhimento institucional",
        ),
        F("host_municipality", "Município que acolhe", required=True, example="Montes Claros"),
        F("since", "Desde", K.DATE, required=True, example="05/08/2025"),
        F("arrangement", "Forma de custeio ou acordo", example="Consórcio regional"),
    ),
    rules=(_case_code_is_a_code,),
    title_field="case_code",
    natural_key=("case_code",),
)

REGIONAL_REFERENCES = RegisterSpec(
    "regional_references",
    "Referências regionais",
    "Referência regional",
    (
        F(
            "kind",
            "Tipo",
            K.CHOICE,
            required=True,
            choices=choices(
                ("creas_regional", "CREAS regional"),
                ("consorcio", "Consórcio público"),
                ("familia_acolhedora", "Família Acolhedora regional"),
                ("acolhimento", "Acolhimento regional"),
                ("outra", "Outra"),
            ),
            example="CREAS regional",
        ),
        F("name", "Nome", required=True, example="CREAS Regional Serra Geral"),
        F("seat_municipality", "Município-sede", example="Janaúba"),
        F("services", "Serviços oferecidos", max_length=500, example="PAEFI; MSE"),
        F(
            "agreement",
            "Instrumento (termo, convênio, consórcio)",
            max_length=300,
            example="Termo de adesão 2024",
        ),
    ),
    title_field="name",
    natural_key=("kind", "name"),
)

LIABILITIES = RegisterSpec(
    "liabilities",
    "Passivos e riscos",
    "Passivo ou risco",
    (
        F(
            "kind",
            "Tipo",
            K.CHOICE,
            required=True,
            choices=choices(
                ("diligencia_fnas", "Diligência do FNAS"),
                ("diligencia_sedese", "Diligência da SEDESE"),
                ("tce", "Processo no Tribunal de Contas"),
                ("tac", "TAC (Ministério Público)"),
                ("acao_judicial", "Ação judicial"),
                ("contas_antecessor", "Contas não prestadas pelo antecessor"),
                ("outro", "Outro"),
            ),
            example="Diligência do FNAS",
        ),
        F("reference", "Processo ou ofício", max_length=60, example="Ofício FNAS nº 123/2026"),
        F(
            "description",
            "Descrição",
            K.LONG_TEXT,
            required=True,
            max_length=2000,
            example="Pedido de devolução de saldo do bloco de média complexidade",
        ),
        F("amount", "Valor envolvido", K.MONEY, minimum=0, example="5.000,00"),
        F("deadline", "Prazo", K.DATE, example="15/12/2026"),
        F(
            "status",
            "Situação",
            K.CHOICE,
            required=True,
            choices=choices(
                ("aberto", "Aberto"), ("em_andamento", "Em andamento"), ("resolvido", "Resolvido")
            ),
            example="Aberto",
        ),
    ),
    title_field="description",
    natural_key=("kind", "reference"),
)

#: Every register, in the order of the dossier outline (domain.md §8).
ALL_REGISTERS: tuple[RegisterSpec, ...] = (
    LEGISLATION,
    UNITS,
    UNIT_SERVICES,
    STAFF,
    ACCOUNTS,
    ACCOUNTABILITY,
    PARTNERSHIPS,
    CONTRACTS,
    ASSETS,
    STOCK,
    COUNCIL_MEMBERS,
    COUNCIL_RESOLUTIONS,
    SYSTEM_ACCESS,
    BENEFITS,
    UNMET_DEMAND,
    OUTSIDE_CARE,
    REGIONAL_REFERENCES,
    LIABILITIES,
)
REGISTERS: dict[str, RegisterSpec] = {spec.name: spec for spec in ALL_REGISTERS}
