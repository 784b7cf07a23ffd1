"""The shipped templates load, validate and carry everything an item needs; bad files are refused."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest

from suas_desktop.domain.template import ROLE_LABELS, CycleKind, TemplateError, parse_template
from suas_desktop.paths import resources_dir
from suas_desktop.services.template_catalog import load_catalog


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def test_shipped_templates_load(catalog):
    assert set(catalog.templates) == {"closing", "transition"}
    assert "MG" in catalog.states
    all_ids = {i.id for t in (*catalog.templates.values(), *catalog.states.values()) for i in t.items}
    assert len(all_ids) == 80  # domain.md §7: 80 items in 13 sections


@pytest.mark.parametrize("kind", list(CycleKind))
def test_every_item_is_complete(catalog, kind):
    template = catalog.for_cycle(kind, "MG")
    for item in template.items:
        assert item.legal_basis and item.evidence and item.guidance, item.id
        assert item.roles and set(item.roles) <= set(ROLE_LABELS), item.id
        assert item.deadline is not None, item.id
        assert item.scope.applies_to(kind), item.id


def test_state_module_merges_only_for_its_uf(catalog):
    mg = catalog.for_cycle(CycleKind.CLOSING, "MG")
    sp = catalog.for_cycle(CycleKind.CLOSING, "SP")
    assert any(i.id.startswith("MG-") for i in mg.items)
    assert not any(i.id.startswith("MG-") for i in sp.items)
    assert "+mg-" in mg.version and "+" not in sp.version
    assert [s.order for s in mg.sections] == sorted(s.order for s in mg.sections)


def test_closing_and_transition_share_e_and_t_items_identically(catalog):
    closing = {i.id: i for i in catalog.templates["closing"].items}
    transition = {i.id: i for i in catalog.templates["transition"].items}
    for key in closing.keys() & transition.keys():
        assert closing[key] == transition[key], key


def test_deadline_overrides_name_existing_items(catalog):
    assert catalog.deadlines.overrides_for(2025)["PCF-02"].date.isoformat() == "2026-03-01"


def _template_copy(tmp_path: Path) -> Path:
    root = tmp_path / "resources"
    shutil.copytree(resources_dir(), root)
    return root


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('legal_basis = "', 'legal_bassis = "', "campo desconhecido 'legal_bassis'"),
        ('scope = "E+T"', 'scope = "X"', "escopo 'X' inválido"),
        ('roles = ["C", "G"]', 'roles = ["ZZ"]', "responsável 'ZZ' desconhecido"),
        (
            'kind = "fixed", month = 12, day = 31',
            'kind = "fixed", month = 2, day = 31',
            "regra de prazo inválida",
        ),
        ('kind = "fixed", month = 12, day = 31', 'kind = "sometimes"', "regra de prazo inválida"),
    ],
)
def test_bad_template_file_is_refused_with_message(tmp_path, old, new, message):
    root = _template_copy(tmp_path)
    path = root / "templates" / "closing.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(TemplateError) as info:
        load_catalog(root)
    assert message in info.value.message
    assert "closing.toml" in info.value.message


def test_unparseable_toml_is_refused(tmp_path):
    root = _template_copy(tmp_path)
    (root / "templates" / "transition.toml").write_text("[template\nid=", encoding="utf-8")
    with pytest.raises(TemplateError, match="não é um TOML válido"):
        load_catalog(root)


def test_override_for_unknown_item_is_refused(tmp_path):
    root = _template_copy(tmp_path)
    path = root / "deadlines" / "federal.toml"
    path.write_text(
        path.read_text(encoding="utf-8").replace('item = "PCF-02"', 'item = "PCF-99"', 1), encoding="utf-8"
    )
    with pytest.raises(TemplateError, match="PCF-99"):
        load_catalog(root)


def test_parse_requires_sections_and_items():
    data = tomllib.loads('[template]\nid="x"\nkind="closing"\nversion="1"\ntitle="t"\ndescription="d"\n')
    with pytest.raises(TemplateError, match="nenhuma seção"):
        parse_template(data, origin="x.toml")
