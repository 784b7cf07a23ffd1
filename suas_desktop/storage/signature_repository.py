"""The trust store (certificates this installation trusts) and the record of documents signed here."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from suas_desktop.domain.ids import new_record_id
from suas_desktop.storage.database import Database
from suas_desktop.storage.synced_table import SyncedTable, WriteContext

#: Audit actions read "signature.create" and "signature.update" (superseded). Rows are never deleted
#: (a reopened cycle marks them superseded): a delete would leave a tombstone under the entity
#: "signature", which packages (entity = table name) would not recognise.
SIGNED_DOCUMENTS = SyncedTable(
    "signed_document",
    ["document_kind", "cycle_id", "sha256", "file_name", "signer", "signed_at", "field_name", "superseded"],
    entity="signature",
)

TRUST_KINDS = ("root", "intermediate", "local")


@dataclass(frozen=True)
class TrustedCertificate:
    id: str
    sha256: str
    subject: str
    pem: str
    kind: str
    added_at: str
    added_by: str


@dataclass(frozen=True)
class SignedDocument:
    id: str
    document_kind: str
    cycle_id: str | None
    sha256: str
    file_name: str
    signer: str
    signed_at: str
    field_name: str
    superseded: bool
    created_at: str
    updated_by: str


def _trusted(row: sqlite3.Row) -> TrustedCertificate:
    return TrustedCertificate(
        row["id"], row["sha256"], row["subject"], row["pem"], row["kind"], row["added_at"], row["added_by"]
    )


def _signed(row: sqlite3.Row) -> SignedDocument:
    return SignedDocument(
        id=row["id"],
        document_kind=row["document_kind"],
        cycle_id=row["cycle_id"],
        sha256=row["sha256"],
        file_name=row["file_name"],
        signer=row["signer"],
        signed_at=row["signed_at"],
        field_name=row["field_name"],
        superseded=bool(row["superseded"]),
        created_at=row["created_at"],
        updated_by=row["updated_by"],
    )


class SignatureRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    # ------------------------------------------------------------------ trust store
    def trusted(self) -> list[TrustedCertificate]:
        return [
            _trusted(r) for r in self._db.all("SELECT * FROM trusted_certificate ORDER BY added_at, subject")
        ]

    def trusted_by_id(self, cert_id: str) -> TrustedCertificate | None:
        row = self._db.first("SELECT * FROM trusted_certificate WHERE id = ?", (cert_id,))
        return None if row is None else _trusted(row)

    def trusted_by_fingerprint(self, sha256: str) -> TrustedCertificate | None:
        row = self._db.first("SELECT * FROM trusted_certificate WHERE sha256 = ?", (sha256,))
        return None if row is None else _trusted(row)

    def add_trusted(self, *, sha256: str, subject: str, pem: str, kind: str, at: str, actor: str) -> str:
        """Insert one certificate (the caller checked it is not there yet); returns its id."""
        if kind not in TRUST_KINDS:
            raise ValueError(f"unknown trust kind {kind!r}")
        cert_id = new_record_id()
        self._db.execute(
            "INSERT INTO trusted_certificate (id, sha256, subject, pem, kind, added_at, added_by)"
            " VALUES (?,?,?,?,?,?,?)",
            (cert_id, sha256, subject, pem, kind, at, actor),
        )
        return cert_id

    def remove_trusted(self, cert_id: str) -> bool:
        return self._db.execute("DELETE FROM trusted_certificate WHERE id = ?", (cert_id,)).rowcount > 0

    # ------------------------------------------------------------------ signed documents
    def record_signature(
        self,
        ctx: WriteContext,
        *,
        document_kind: str,
        cycle_id: str | None,
        sha256: str,
        file_name: str,
        signer: str,
        signed_at: str,
        field_name: str,
    ) -> str:
        return SIGNED_DOCUMENTS.insert(
            self._db,
            ctx,
            {
                "document_kind": document_kind,
                "cycle_id": cycle_id,
                "sha256": sha256,
                "file_name": file_name,
                "signer": signer,
                "signed_at": signed_at,
                "field_name": field_name,
                "superseded": 0,
            },
            audit_detail=f"{document_kind}: campo {field_name}",
        )

    def signed_documents(self, *, cycle_id: str | None = None) -> list[SignedDocument]:
        if cycle_id is None:
            rows = self._db.all("SELECT * FROM signed_document ORDER BY signed_at, created_at")
        else:
            rows = self._db.all(
                "SELECT * FROM signed_document WHERE cycle_id = ? ORDER BY signed_at, created_at", (cycle_id,)
            )
        return [_signed(r) for r in rows]

    def by_sha256(self, sha256: str) -> list[SignedDocument]:
        rows = self._db.all("SELECT * FROM signed_document WHERE sha256 = ? ORDER BY signed_at", (sha256,))
        return [_signed(r) for r in rows]

    def mark_superseded(self, ctx: WriteContext, cycle_id: str) -> int:
        """Flag every current signature of the cycle as superseded; returns how many changed."""
        changed = 0
        with self._db.transaction():
            rows = self._db.all(
                "SELECT id FROM signed_document WHERE cycle_id = ? AND superseded = 0", (cycle_id,)
            )
            for row in rows:
                if SIGNED_DOCUMENTS.update(
                    self._db, ctx, row["id"], {"superseded": 1}, audit_detail="ciclo reaberto"
                ):
                    changed += 1
        return changed

    def newest_update(self) -> str | None:
        """The newest ``updated_at`` of any syncable table (for the clock-honesty check)."""
        tables = [
            r["name"]
            for r in self._db.all(
                "SELECT m.name FROM sqlite_master m WHERE m.type = 'table' AND EXISTS"
                " (SELECT 1 FROM pragma_table_info(m.name) p WHERE p.name = 'updated_at')"
            )
        ]
        newest: str | None = None
        for table in tables:
            value = self._db.scalar(f'SELECT max(updated_at) FROM "{table}"')
            if value and (newest is None or value > newest):
                newest = value
        audit = self._db.scalar("SELECT max(at) FROM audit_log")
        if audit and (newest is None or audit > newest):
            newest = audit
        return newest
