"""Security incidents (LGPD art. 48; Resolução CD/ANPD nº 15/2024), as plain data and rules (pure).

A lost pen drive with a package, a notebook stolen, a file sent to the wrong person: the office
records what left, on which medium, which categories of data, when, and by whom it was recorded.
When the risk is relevant (sensitive data, children and adolescents, elderly people, authentication
data, large scale) the ANPD and the people affected must be told within 3 business days of the
discovery; every incident, notified or not, is kept for at least 5 years.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from suas_desktop.domain.business_calendar import BusinessCalendar
from suas_desktop.errors import ValidationError

NOTICE_BUSINESS_DAYS = 3
KEEP_YEARS = 5
#: Above this many people affected the incident counts as "large scale".
LARGE_SCALE = 1000

#: Category code -> pt-BR label. The ``*`` ones make the risk relevant by themselves.
CATEGORIES: dict[str, str] = {
    "identificacao": "Dados de identificação (nome, endereço, telefone)",
    "documentos": "Números de documentos (CPF, NIS, RG)",
    "sensiveis": "Dados sensíveis (saúde, deficiência, origem racial ou étnica, religião)",
    "criancas": "Dados de crianças e adolescentes",
    "idosos": "Dados de pessoas idosas",
    "vulnerabilidade": "Situação de vulnerabilidade ou violação de direitos (casos atendidos)",
    "servidores": "Dados de trabalhadores e conselheiros",
    "autenticacao": "Senhas ou códigos de acesso",
    "financeiros": "Dados financeiros ou bancários",
}
HIGH_RISK_CATEGORIES = frozenset({"sensiveis", "criancas", "idosos", "vulnerabilidade", "autenticacao"})
#: What a full package can carry (the registers hold all of these); the suggestion for a lost package.
FULL_PACKAGE_CATEGORIES = ("identificacao", "documentos", "vulnerabilidade", "servidores", "financeiros")


@dataclass(frozen=True)
class Incident:
    id: str
    recorded_at: str
    recorded_by: str
    occurred_on: date
    discovered_on: date
    medium: str
    categories: tuple[str, ...]
    description: str
    high_risk: bool
    notify_by: date
    package_id: str = ""
    file_name: str = ""
    encrypted: bool | None = None
    subjects_estimate: int | None = None
    measures: str = ""
    anpd_notified_on: date | None = None
    subjects_notified_on: date | None = None
    changed_at: str = ""
    changed_by: str = ""

    @property
    def category_labels(self) -> list[str]:
        return [CATEGORIES.get(c, c) for c in self.categories]


def is_high_risk(categories: tuple[str, ...], subjects_estimate: int | None, encrypted: bool | None) -> bool:
    """Relevant risk: a sensitive category, or large scale; an encrypted package lowers neither
    (the passphrase may have travelled with it), so it is only recorded, never used to dismiss."""
    del encrypted  # recorded for the notice; deliberately not a reason to skip it
    return bool(HIGH_RISK_CATEGORIES & set(categories)) or (subjects_estimate or 0) >= LARGE_SCALE


def notice_deadline(discovered_on: date, calendar: BusinessCalendar) -> date:
    """The 3rd business day after the discovery (the day itself not counted)."""
    return calendar.add_business_days(discovered_on, NOTICE_BUSINESS_DAYS)


def validate_incident(
    *,
    occurred_on: date | None,
    discovered_on: date | None,
    medium: str,
    categories: tuple[str, ...],
    description: str,
    today: date,
    subjects_estimate: int | None = None,
) -> None:
    errors: dict[str, str] = {}
    if occurred_on is None:
        errors["occurred_on"] = "Informe quando o incidente aconteceu (mesmo que aproximado)."
    if discovered_on is None:
        errors["discovered_on"] = "Informe quando o incidente foi descoberto."
    elif discovered_on > today:
        errors["discovered_on"] = "A data da descoberta não pode estar no futuro."
    if occurred_on and discovered_on and occurred_on > discovered_on:
        errors["occurred_on"] = "O incidente não pode ter acontecido depois de descoberto."
    if len(" ".join(medium.split())) < 3:
        errors["medium"] = "Diga o que saiu ou se perdeu (ex.: pen drive FMAS-02 com o pacote de 20/11)."
    if not categories:
        errors["categories"] = "Marque pelo menos uma categoria de dados envolvida."
    unknown = [c for c in categories if c not in CATEGORIES]
    if unknown:
        errors["categories"] = f"Categoria desconhecida: {unknown[0]}."
    if len(" ".join(description.split())) < 10:
        errors["description"] = "Descreva o que aconteceu (sem nomes das pessoas atingidas)."
    if subjects_estimate is not None and subjects_estimate < 0:
        errors["subjects_estimate"] = "O número de pessoas atingidas não pode ser negativo."
    if errors:
        raise ValidationError(errors)
