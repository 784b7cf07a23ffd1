"""Child process of the kill test: commits random multi-row transactions until it is killed.

After each COMMIT returns it prints ``<txn>`` on stdout and flushes: the parent counts a
transaction as acknowledged only once it has read that line.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from suas_desktop.domain.audit import AuditEntry
from suas_desktop.storage.audit_repository import AuditRepository
from suas_desktop.storage.database import Database


def main() -> None:
    path, seed = Path(sys.argv[1]), int(sys.argv[2])
    rng = random.Random(seed)
    db = Database.open(path, quick_check=False)
    audit = AuditRepository(db)
    txn = int(db.scalar("SELECT coalesce(max(txn), 0) FROM kill_batch"))
    while True:
        txn += 1
        rows = rng.randint(1, 50)
        with db.transaction():
            db.execute("INSERT INTO kill_batch (txn, rows) VALUES (?, ?)", (txn, rows))
            db.executemany(
                "INSERT INTO kill_row (txn, part, payload) VALUES (?, ?, ?)",
                [(txn, part, "x" * rng.randint(0, 300)) for part in range(rows)],
            )
            audit.append(
                AuditEntry(
                    at="2026-01-01T00:00:00.000000Z",
                    actor="kill",
                    action="kill.txn",
                    origin="kill",
                    record_id=str(txn),
                )
            )
        sys.stdout.write(f"{txn}\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
