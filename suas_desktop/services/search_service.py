"""The global search box: checklist items, register records and attachments, accent-insensitive."""

from __future__ import annotations

from dataclasses import dataclass

from suas_desktop.domain.register_fields import FieldKind, Privacy
from suas_desktop.domain.registers import ALL_REGISTERS
from suas_desktop.domain.text import fold
from suas_desktop.services.workspace import Workspace
from suas_desktop.storage.cycle_repository import CycleRepository
from suas_desktop.storage.register_repository import RegisterRepository

MAX_RESULTS = 50


@dataclass(frozen=True)
class SearchHit:
    kind: str  # "item", "attachment" or a register name
    record_id: str  # item id (also for attachments: the item that holds the file) or record id
    title: str
    context: str  # where it is: "Encerramento 2026 › FIN-04", "Cadastros › Unidades"


class SearchService:
    def __init__(self, ws: Workspace) -> None:
        self._cycles = CycleRepository(ws.db)
        self._registers = RegisterRepository(ws.db)

    def search(self, text: str, *, limit: int = MAX_RESULTS) -> list[SearchHit]:
        words = fold(text).split()
        if not words or len("".join(words)) < 2:
            return []
        hits: list[SearchHit] = []

        def matches(*parts: str | None) -> bool:
            haystack = fold(" ".join(p for p in parts if p))
            return all(w in haystack for w in words)

        for cycle in self._cycles.cycles():
            items = self._cycles.items(cycle.id)
            for item in items:
                if matches(item.item_key, item.title, item.legal_basis, item.responsible, item.notes):
                    hits.append(SearchHit("item", item.id, item.title, f"{cycle.title} › {item.item_key}"))
            by_id = {i.id: i for i in items}
            for attachment in self._cycles.attachments(by_id):
                if matches(attachment.file_name):
                    item = by_id[attachment.cycle_item_id]
                    where = f"Anexo de {cycle.title} › {item.item_key}"
                    hits.append(SearchHit("attachment", item.id, attachment.file_name, where))
        for spec in ALL_REGISTERS:
            # Only public text fields are searched: the box must not become a way to look people up.
            fields = [
                f.name
                for f in spec.fields
                if f.kind in (FieldKind.TEXT, FieldKind.LONG_TEXT) and f.privacy is Privacy.PUBLIC
            ]
            if spec.title_field and spec.title_field not in fields:
                fields.insert(0, spec.title_field)
            for record in self._registers.list(spec):
                if matches(*(str(record.values.get(f) or "") for f in fields)):
                    title_field = spec.field(spec.title_field) if spec.title_field else None
                    raw = record.values.get(spec.title_field) if spec.title_field else record.id
                    title = title_field.choice_label(raw) if title_field and title_field.choices else str(raw)
                    hits.append(SearchHit(spec.name, record.id, title, f"Cadastros › {spec.label}"))
            if len(hits) >= limit:
                break
        return hits[:limit]
