"""Checklist templates: sections and items read from versioned data files, validated strictly.

A template file is data (resources/templates/*.toml, format in docs/templates.md). Parsing refuses
unknown or missing fields with a Portuguese message naming the file, the item and the field, so a
typo in a hand-edited file never silently drops a deadline.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from suas_desktop.domain.deadlines import DeadlineRule, parse_rule, rule_to_dict
from suas_desktop.errors import UserError


class TemplateError(UserError):
    """A template or deadline file is invalid; the message names the file and the place."""


class CycleKind(StrEnum):
    CLOSING = "closing"
    TRANSITION = "transition"


KIND_LABELS = {CycleKind.CLOSING: "Encerramento do exercício", CycleKind.TRANSITION: "Transição de mandato"}


class Scope(StrEnum):
    """Which checklists an item belongs to: E (encerramento), T (transição) or both."""

    CLOSING = "E"
    TRANSITION = "T"
    BOTH = "E+T"

    def applies_to(self, kind: CycleKind) -> bool:
        return self is Scope.BOTH or (self is Scope.CLOSING) == (kind is CycleKind.CLOSING)


#: Responsible roles (domain.md §7). Codes live in the files; labels are what users read.
ROLE_LABELS: dict[str, str] = {
    "G": "Gestor(a) da Assistência Social",
    "F": "Gestor(a) ou técnico(a) do FMAS",
    "C": "Contabilidade",
    "CI": "Controle interno",
    "CM": "CMAS",
    "CT": "Comissão de transição",
    "P": "Prefeito(a)",
    "U": "Coordenações de unidade",
    "CAD": "Coordenação do CadÚnico/Bolsa Família",
    "GN": "Gestor(a) que entra",
    "GS": "Gestor(a) que sai",
}

#: How sure the research is about an item (domain.md legend). Unverified items stay editable data.
SOURCE_LABELS: dict[str, str] = {
    "C": "Confirmado em fonte pública",
    "C3": "Confirmado só por resumo de terceiros: releia a norma",
    "G": "Prática geral, não verificada em norma",
    "?": "Incerto ou conflitante: confirme antes de usar",
    "L": "Item local, criado pelo município",
}

#: Election-year rules (domain.md §1) shown on the items they concern.
ELECTION_WARNINGS: dict[str, str] = {
    "lrf_art42": (
        "Ano de eleição: nos dois últimos quadrimestres do mandato (a partir de 1º de maio) é proibido "
        "contrair despesa que não possa ser paga até 31 de dezembro sem deixar dinheiro em caixa para isso "
        "(LRF, art. 42; crime previsto no Código Penal, art. 359-C)."
    ),
    "lei9504_art73_10": (
        "Ano de eleição: é proibida a distribuição gratuita de bens, valores ou benefícios, exceto em "
        "calamidade ou emergência e em programas sociais autorizados em lei e já em execução orçamentária "
        "no ano anterior (Lei nº 9.504/1997, art. 73, §10). Benefícios eventuais seguem a lei municipal "
        "vigente; não crie nem amplie benefícios neste ano."
    ),
}


@dataclass(frozen=True)
class Section:
    code: str
    title: str
    order: int
    source: str = ""


@dataclass(frozen=True)
class TemplateItem:
    id: str
    section: str
    title: str
    guidance: str
    legal_basis: str
    evidence: str
    roles: tuple[str, ...]
    scope: Scope
    source: str
    deadline: DeadlineRule
    election_warning: str | None = None
    notes: str = ""


@dataclass(frozen=True)
class Template:
    id: str
    kind: str  # "closing", "transition" or "state"
    version: str
    title: str
    description: str
    sources: tuple[str, ...]
    sections: tuple[Section, ...]
    items: tuple[TemplateItem, ...]
    uf: str | None = None
    #: File the template came from, for messages.
    origin: str = field(default="", compare=False)

    def section(self, code: str) -> Section:
        return next(s for s in self.sections if s.code == code)

    def merged_with(self, state: Template) -> Template:
        """This national template plus a state module's items that apply to its kind."""
        if state.kind != "state":
            raise ValueError("only a state module can be merged")
        kind = CycleKind(self.kind)
        extra = tuple(i for i in state.items if i.scope.applies_to(kind))
        used = {i.section for i in extra}
        sections = self.sections + tuple(
            s for s in state.sections if s.code in used and s.code not in {x.code for x in self.sections}
        )
        return replace(
            self,
            version=f"{self.version}+{state.id}-{state.version}",
            sections=tuple(sorted(sections, key=lambda s: (s.order, s.code))),
            items=self.items + extra,
            uf=state.uf,
        )


_TEMPLATE_KEYS = {"id", "kind", "version", "title", "description", "sources", "uf"}
_SECTION_KEYS = {"code", "title", "order", "source"}
_ITEM_REQUIRED = {
    "id", "section", "title", "guidance", "legal_basis", "evidence", "roles", "scope", "source", "deadline",
}  # fmt: skip
_ITEM_OPTIONAL = {"election_warning", "notes"}


def parse_template(data: Mapping[str, Any], *, origin: str) -> Template:
    """Validate a decoded template file; raises :class:`TemplateError` on the first problem."""

    def fail(where: str, text: str) -> TemplateError:
        return TemplateError(f"Modelo {origin}: {where}: {text}")

    unknown_top = set(data) - {"template", "sections", "items"}
    if unknown_top:
        raise fail("arquivo", f"bloco desconhecido {sorted(unknown_top)[0]!r}.")
    head = data.get("template")
    if not isinstance(head, Mapping):
        raise fail("arquivo", "falta o bloco [template].")
    _check_keys(head, _TEMPLATE_KEYS, {"id", "kind", "version", "title", "description"}, "[template]", fail)
    kind = _text(head, "kind", "[template]", fail)
    if kind not in ("closing", "transition", "state"):
        raise fail("[template]", f"tipo {kind!r} desconhecido (use closing, transition ou state).")
    if kind == "state" and not head.get("uf"):
        raise fail("[template]", "um módulo estadual precisa do campo 'uf'.")

    sections = []
    for index, raw in enumerate(data.get("sections", ()), start=1):
        where = f"seção nº {index}"
        if not isinstance(raw, Mapping):
            raise fail(where, "formato inválido.")
        _check_keys(raw, _SECTION_KEYS, {"code", "title", "order"}, where, fail)
        order = raw["order"]
        if not isinstance(order, int) or isinstance(order, bool):
            raise fail(where, "'order' deve ser um número inteiro.")
        sections.append(
            Section(
                _text(raw, "code", where, fail),
                _text(raw, "title", where, fail),
                order,
                raw.get("source", ""),
            )
        )
    codes = [s.code for s in sections]
    if len(set(codes)) != len(codes):
        raise fail("seções", "há códigos de seção repetidos.")
    if not sections:
        raise fail("seções", "o modelo não tem nenhuma seção.")

    items = []
    seen: set[str] = set()
    for index, raw in enumerate(data.get("items", ()), start=1):
        item_id = raw.get("id") if isinstance(raw, Mapping) else None
        where = f"item {item_id}" if isinstance(item_id, str) and item_id else f"item nº {index}"
        if not isinstance(raw, Mapping):
            raise fail(where, "formato inválido.")
        _check_keys(raw, _ITEM_REQUIRED | _ITEM_OPTIONAL, _ITEM_REQUIRED, where, fail)
        items.append(_parse_item(raw, where, set(codes), fail))
        if items[-1].id in seen:
            raise fail(where, "identificador repetido.")
        seen.add(items[-1].id)
    if not items:
        raise fail("itens", "o modelo não tem nenhum item.")
    empty = set(codes) - {i.section for i in items}
    if empty:
        raise fail(f"seção {sorted(empty)[0]}", "não tem nenhum item.")
    sources = head.get("sources", [])
    if not isinstance(sources, list) or not all(isinstance(s, str) for s in sources):
        raise fail("[template]", "'sources' deve ser uma lista de textos.")
    return Template(
        id=_text(head, "id", "[template]", fail),
        kind=kind,
        version=_text(head, "version", "[template]", fail),
        title=_text(head, "title", "[template]", fail),
        description=_text(head, "description", "[template]", fail),
        sources=tuple(sources),
        sections=tuple(sorted(sections, key=lambda s: (s.order, s.code))),
        items=tuple(items),
        uf=head.get("uf"),
        origin=origin,
    )


def _parse_item(raw: Mapping[str, Any], where: str, sections: set[str], fail) -> TemplateItem:
    section = _text(raw, "section", where, fail)
    if section not in sections:
        raise fail(where, f"seção {section!r} não existe neste modelo.")
    roles = raw["roles"]
    if not isinstance(roles, list) or not roles or not all(isinstance(r, str) for r in roles):
        raise fail(where, "'roles' deve ser uma lista não vazia de códigos de responsável.")
    unknown_roles = [r for r in roles if r not in ROLE_LABELS]
    if unknown_roles:
        raise fail(where, f"responsável {unknown_roles[0]!r} desconhecido ({', '.join(ROLE_LABELS)}).")
    try:
        scope = Scope(raw["scope"])
    except ValueError:
        raise fail(where, f"escopo {raw['scope']!r} inválido (use E, T ou E+T).") from None
    source = raw["source"]
    if source not in SOURCE_LABELS or source == "L":
        raise fail(where, f"fonte {source!r} inválida (use C, C3, G ou ?).")
    warning = raw.get("election_warning")
    if warning is not None and warning not in ELECTION_WARNINGS:
        raise fail(where, f"alerta eleitoral {warning!r} desconhecido ({', '.join(ELECTION_WARNINGS)}).")
    if not isinstance(raw["deadline"], Mapping):
        raise fail(where, "'deadline' deve ser uma tabela com a regra de prazo.")
    try:
        rule = parse_rule(raw["deadline"])
    except ValueError as exc:
        raise fail(where, f"regra de prazo inválida: {exc}") from None
    notes = raw.get("notes", "")
    if not isinstance(notes, str):
        raise fail(where, "'notes' deve ser um texto.")
    return TemplateItem(
        id=_text(raw, "id", where, fail),
        section=section,
        title=_text(raw, "title", where, fail),
        guidance=_text(raw, "guidance", where, fail).strip(),
        legal_basis=_text(raw, "legal_basis", where, fail),
        evidence=_text(raw, "evidence", where, fail),
        roles=tuple(roles),
        scope=scope,
        source=source,
        deadline=rule,
        election_warning=warning,
        notes=notes.strip(),
    )


def _check_keys(raw: Mapping[str, Any], allowed: set[str], required: set[str], where: str, fail) -> None:
    unknown = set(raw) - allowed
    if unknown:
        raise fail(where, f"campo desconhecido {sorted(unknown)[0]!r}.")
    missing = required - set(raw)
    if missing:
        raise fail(where, f"falta o campo {sorted(missing)[0]!r}.")


def _text(raw: Mapping[str, Any], key: str, where: str, fail) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise fail(where, f"o campo {key!r} deve ser um texto não vazio.")
    return value.strip()


def roles_text(roles: Sequence[str]) -> str:
    return ", ".join(ROLE_LABELS.get(r, r) for r in roles)


def item_to_dict(item: TemplateItem) -> dict[str, Any]:
    """JSON-friendly form (used to keep a copy of the item inside a cycle)."""
    out: dict[str, Any] = {
        "id": item.id,
        "section": item.section,
        "title": item.title,
        "guidance": item.guidance,
        "legal_basis": item.legal_basis,
        "evidence": item.evidence,
        "roles": list(item.roles),
        "scope": item.scope.value,
        "source": item.source,
        "deadline": rule_to_dict(item.deadline),
    }
    if item.election_warning:
        out["election_warning"] = item.election_warning
    if item.notes:
        out["notes"] = item.notes
    return out
