"""The shipped checklist templates, state modules and deadline files, read and validated once."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from suas_desktop.domain.deadline_catalog import DeadlineCatalog, parse_deadline_file
from suas_desktop.domain.template import CycleKind, Template, TemplateError, parse_template
from suas_desktop.paths import resources_dir


@dataclass(frozen=True)
class TemplateCatalog:
    templates: dict[str, Template]  # "closing", "transition"
    states: dict[str, Template]  # UF -> state module
    deadlines: DeadlineCatalog

    def for_cycle(self, kind: CycleKind, uf: str | None) -> Template:
        """The national template for ``kind``, merged with the state module of ``uf`` if there is one."""
        base = self.templates[kind.value]
        state = self.states.get((uf or "").upper())
        return base.merged_with(state) if state else base

    def item_ids(self) -> set[str]:
        return {i.id for t in (*self.templates.values(), *self.states.values()) for i in t.items}


def _read_toml(path: Path) -> dict:
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise TemplateError(f"O arquivo {path.name} não é um TOML válido: {exc}.") from None
    except OSError as exc:
        raise TemplateError(f"O arquivo {path.name} não pôde ser lido.") from exc


def load_catalog(root: Path | None = None) -> TemplateCatalog:
    root = root or resources_dir()
    templates = {}
    for kind in CycleKind:
        path = root / "templates" / f"{kind.value}.toml"
        template = parse_template(_read_toml(path), origin=path.name)
        if template.kind != kind.value or template.id != kind.value:
            raise TemplateError(f"Modelo {path.name}: o id e o tipo devem ser {kind.value!r}.")
        templates[kind.value] = template
    states = {}
    for path in sorted((root / "templates" / "states").glob("*.toml")):
        module = parse_template(_read_toml(path), origin=f"states/{path.name}")
        if module.kind != "state":
            raise TemplateError(f"Modelo states/{path.name}: o tipo deve ser 'state'.")
        states[module.uf.upper()] = module
    all_ids = [i.id for t in templates.values() for i in t.items] + [
        i.id for s in states.values() for i in s.items
    ]
    national = {i.id: i for t in templates.values() for i in t.items}
    for state in states.values():
        clash = [i.id for i in state.items if i.id in national]
        if clash:
            raise TemplateError(f"Módulo {state.origin}: o item {clash[0]} já existe num modelo nacional.")
    files = tuple(
        parse_deadline_file(_read_toml(path), origin=path.name, known_items=all_ids)
        for path in sorted((root / "deadlines").glob("*.toml"))
    )
    return TemplateCatalog(templates, states, DeadlineCatalog(files))
