"""Municipality profile through the service: validation, nothing written on bad input, coat of arms."""

from __future__ import annotations

from datetime import date

import pytest

from suas_desktop.domain.municipality import SizeClass
from suas_desktop.errors import ValidationError
from suas_desktop.storage.audit_repository import AuditFilter, AuditRepository
from tests.unit.services.conftest import PROFILE

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_save_and_read_back(municipalities, workspace):
    saved = municipalities.save_profile(actor="admin", **PROFILE)
    assert saved.population == 7101 and saved.size_class is SizeClass.SMALL_I
    assert municipalities.profile() == saved
    entries = AuditRepository(workspace.db).entries(AuditFilter(entity="municipality"))
    assert [e.entry.action for e in entries] == ["municipality.create"]
    assert "Cônego" not in repr(entries)  # field names only, never values


def test_invalid_profile_changes_nothing(municipalities, workspace):
    municipalities.save_profile(actor="admin", **PROFILE)
    before = AuditRepository(workspace.db).count()
    bad = {**PROFILE, "ibge_code": "3143303", "fmas_cnpj": "11.111.111/1111-11"}
    with pytest.raises(ValidationError) as info:
        municipalities.save_profile(actor="admin", **bad)
    assert {"ibge_code", "fmas_cnpj"} <= set(info.value.field_errors)
    assert municipalities.profile().ibge_code == "3117836"
    assert AuditRepository(workspace.db).count() == before


def test_only_cnpj_warning(municipalities):
    municipalities.save_profile(actor="admin", **PROFILE)
    warnings = municipalities.warnings(date(2026, 11, 25))
    assert any("CNPJ" in w for w in warnings)


def test_coat_of_arms(municipalities, workspace, tmp_path):
    municipalities.save_profile(actor="admin", **PROFILE)
    image = tmp_path / "brasao.png"
    image.write_bytes(PNG)
    sha = municipalities.set_coat_of_arms(actor="admin", path=image)
    assert municipalities.coat_of_arms_path().read_bytes() == PNG
    assert municipalities.profile().coat_of_arms_sha256 == sha
    text = tmp_path / "brasao.txt"
    text.write_text("não é imagem")
    with pytest.raises(ValidationError):
        municipalities.set_coat_of_arms(actor="admin", path=text)
    # Replacing the image removes the old unused file from the store.
    other = tmp_path / "novo.png"
    other.write_bytes(PNG + b"\x01")
    municipalities.set_coat_of_arms(actor="admin", path=other)
    assert not workspace.attachments.contains(sha)
    # Saving the profile again keeps the coat of arms.
    municipalities.save_profile(actor="admin", **PROFILE)
    assert municipalities.coat_of_arms_path().read_bytes() == PNG + b"\x01"


def test_local_holidays(municipalities):
    municipalities.save_profile(actor="admin", **PROFILE)
    hid = municipalities.add_holiday(actor="admin", day=date(2026, 12, 12), name="Aniversário da cidade")
    assert [h[2] for h in municipalities.holidays()] == ["Aniversário da cidade"]
    with pytest.raises(ValidationError):
        municipalities.add_holiday(actor="admin", day=date(2026, 12, 12), name="")
    municipalities.remove_holiday(actor="admin", holiday_id=hid)
    assert municipalities.holidays() == []
