"""GUI fixtures: a context over a real temporary workspace, tasks run synchronously."""

from __future__ import annotations

import pytest

from suas_desktop.services.template_catalog import load_catalog
from suas_desktop.services.workspace import summarize
from suas_desktop.ui.app_context import AppContext, build_services
from suas_desktop.ui.tasks import TaskRunner


@pytest.fixture(scope="session")
def catalog():
    return load_catalog()


@pytest.fixture
def ctx(qapp, workspace, catalog):
    context = AppContext(
        build_services(workspace, catalog), summarize(workspace), TaskRunner(None), workspace=workspace
    )
    context.services.local.set_current_user("Ana Técnica", "Técnica do FMAS")
    yield context
    context.undo_stack.clear()


@pytest.fixture
def mg_ctx(ctx):
    """Context with the MG test municipality and a closing 2026 cycle active."""
    from suas_desktop.domain.template import CycleKind
    from tests.unit.services.conftest import PROFILE

    ctx.services.municipalities.save_profile(actor="admin", **PROFILE)
    cycle = ctx.services.checklists.start_cycle(actor="ana", kind=CycleKind.CLOSING, reference_year=2026)
    ctx.set_active_cycle(cycle.id)
    return ctx
