"""The ``app_user`` table: local accounts, their hashes and the lockout counter."""

from __future__ import annotations

import sqlite3
from typing import Any

from suas_desktop.domain.accounts import UserAccount
from suas_desktop.domain.permissions import Role
from suas_desktop.storage.database import Database

_COLUMNS = (
    "login",
    "name",
    "job_title",
    "role",
    "password_hash",
    "password_params",
    "must_change_password",
    "recovery_hash",
    "recovery_params",
    "failed_attempts",
    "locked_until",
    "last_login_at",
    "active",
    "changed_at",
    "changed_by",
)


def _account(row: sqlite3.Row) -> UserAccount:
    return UserAccount(
        id=row["id"],
        login=row["login"],
        name=row["name"],
        job_title=row["job_title"],
        role=Role(row["role"]),
        password_hash=row["password_hash"],
        password_params=row["password_params"],
        must_change_password=bool(row["must_change_password"]),
        recovery_hash=row["recovery_hash"],
        recovery_params=row["recovery_params"],
        failed_attempts=int(row["failed_attempts"]),
        locked_until=row["locked_until"],
        last_login_at=row["last_login_at"],
        active=bool(row["active"]),
        created_at=row["created_at"],
        created_by=row["created_by"],
        changed_at=row["changed_at"],
        changed_by=row["changed_by"],
    )


class UserRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    def all(self) -> list[UserAccount]:
        return [_account(r) for r in self._db.all("SELECT * FROM app_user ORDER BY name COLLATE NOCASE")]

    def get(self, user_id: str) -> UserAccount | None:
        row = self._db.first("SELECT * FROM app_user WHERE id = ?", (user_id,))
        return None if row is None else _account(row)

    def by_login(self, login: str) -> UserAccount | None:
        row = self._db.first("SELECT * FROM app_user WHERE login = ?", (login,))
        return None if row is None else _account(row)

    def count_active(self, role: Role | None = None) -> int:
        if role is None:
            return int(self._db.scalar("SELECT count(*) FROM app_user WHERE active = 1"))
        return int(
            self._db.scalar("SELECT count(*) FROM app_user WHERE active = 1 AND role = ?", (role.value,))
        )

    def insert(self, account: UserAccount) -> None:
        self._db.execute(
            "INSERT INTO app_user (id, created_at, created_by, "
            + ", ".join(_COLUMNS)
            + ") VALUES ("
            + ", ".join("?" * (len(_COLUMNS) + 3))
            + ")",
            (
                account.id,
                account.created_at,
                account.created_by,
                account.login,
                account.name,
                account.job_title,
                account.role.value,
                account.password_hash,
                account.password_params,
                int(account.must_change_password),
                account.recovery_hash,
                account.recovery_params,
                account.failed_attempts,
                account.locked_until,
                account.last_login_at,
                int(account.active),
                account.changed_at,
                account.changed_by,
            ),
        )

    def update(self, user_id: str, **changes: Any) -> None:
        """Set the given columns (names checked against the fixed list)."""
        unknown = set(changes) - set(_COLUMNS)
        if unknown:
            raise ValueError(f"unknown app_user columns: {sorted(unknown)}")
        values = [
            v.value if isinstance(v, Role) else int(v) if isinstance(v, bool) else v for v in changes.values()
        ]
        assignments = ", ".join(f"{name} = ?" for name in changes)
        self._db.execute(f"UPDATE app_user SET {assignments} WHERE id = ?", [*values, user_id])
