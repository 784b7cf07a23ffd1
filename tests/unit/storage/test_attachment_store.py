"""Evidence files stored once by SHA-256; damage and loss are reported by verify()."""

from __future__ import annotations

import hashlib

from suas_desktop.storage.attachment_store import AttachmentStore


def test_put_deduplicates_and_verifies(tmp_path):
    store = AttachmentStore(tmp_path / "anexos")
    src = tmp_path / "extrato.pdf"
    src.write_bytes(b"%PDF-1.4 extrato" * 1000)
    a = store.put(src)
    b = store.put(src)
    assert a == b and a.sha256 == hashlib.sha256(src.read_bytes()).hexdigest()
    assert len(list(store.iter_stored())) == 1
    assert store.verify({a.sha256}) == []
    assert not list((tmp_path / "anexos").glob(".incoming*"))


def test_verify_reports_damage_and_missing(tmp_path):
    store = AttachmentStore(tmp_path / "anexos")
    src = tmp_path / "a.txt"
    src.write_text("conteúdo")
    stored = store.put(src)
    store.path_for(stored.sha256).write_text("alterado")
    problems = store.verify({stored.sha256, "f" * 64})
    assert any("danificado" in p for p in problems)
    assert any("faltando" in p for p in problems)
