"""Fixtures for the checklist services: the shipped catalog and an MG municipality."""

from __future__ import annotations

from datetime import date

import pytest

from suas_desktop.domain.municipality import Mandate, cnpj_check_digits
from suas_desktop.services.checklist_service import ChecklistService
from suas_desktop.services.municipality_service import MunicipalityService
from suas_desktop.services.template_catalog import load_catalog


def make_cnpj(base: str) -> str:
    return base + cnpj_check_digits(base)


PROFILE = {
    "name": "Cônego Marinho",
    "uf": "MG",
    "ibge_code": "3117836",  # one of the official codes outside the check-digit rule
    "population": "7.101",
    "prefeitura_cnpj": make_cnpj("012345670001"),
    "fmas_cnpj": make_cnpj("123456780001"),
    "fmas_has_budget_unit": True,
    "fmas_has_own_resources": False,
    "managing_body": "Secretaria Municipal de Assistência Social",
    "manager": Mandate("Gestora Exemplo", date(2025, 1, 1), date(2028, 12, 31)),
    "cmas_president": Mandate("Presidente Exemplo", date(2025, 3, 1), date(2027, 2, 28)),
}


@pytest.fixture(scope="session")
def catalog():
    return load_catalog()


@pytest.fixture
def municipalities(workspace):
    return MunicipalityService(workspace)


@pytest.fixture
def mg_profile(municipalities):
    return municipalities.save_profile(actor="admin", **PROFILE)


@pytest.fixture
def checklists(workspace, catalog, mg_profile):
    return ChecklistService(workspace, catalog)
