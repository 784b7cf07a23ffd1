"""The three kinds of failure (architecture.md §8.4, convention 7).

* :class:`UserError` — the user asked for something that cannot be done; the message is
  Brazilian Portuguese, safe to show as is, and nothing was changed.
* :class:`KnownError` — the environment failed in a way we expect (disk full, read-only folder,
  corrupt or too-new database, folder in use); also safe to show.
* anything else is a bug: logged with its traceback and shown in the crash dialog.

:class:`Cancelled` is raised when the user stops a long task and is never shown.
"""

from __future__ import annotations

from pathlib import Path


class SuasError(Exception):
    """Root of the project's own exceptions. ``message`` is always pt-BR and free of personal data."""

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        #: Optional second sentence telling the user what to do next.
        self.hint = hint

    def user_text(self) -> str:
        return f"{self.message}\n{self.hint}" if self.hint else self.message


class UserError(SuasError):
    """Bad input or a forbidden action; nothing was changed."""


class ValidationError(UserError):
    """One or more fields are invalid. ``field_errors`` maps field name -> pt-BR message."""

    def __init__(self, field_errors: dict[str, str], *, message: str | None = None) -> None:
        self.field_errors = dict(field_errors)
        if message is None:
            message = (
                next(iter(self.field_errors.values()))
                if len(self.field_errors) == 1
                else "Alguns campos precisam ser corrigidos:\n"
                + "\n".join(f"• {text}" for text in self.field_errors.values())
            )
        super().__init__(message)


class KnownError(SuasError):
    """An expected environment problem."""


class DiskFull(KnownError):
    pass


class ReadOnlyStorage(KnownError):
    pass


class StorageUnavailable(KnownError):
    """The data folder or database cannot be opened or read (I/O error, no permission, missing drive)."""


class DatabaseBusy(KnownError):
    pass


class DataFolderInUse(KnownError):
    """Another SUAS Desktop process is already writing to this data folder."""


class DatabaseTooNew(KnownError):
    pass


class NotOurDatabase(KnownError):
    pass


class DatabaseCorrupt(KnownError):
    """The database failed its integrity checks. ``backup`` names the newest backup, if any."""

    def __init__(self, message: str, *, hint: str | None = None, backup: Path | None = None) -> None:
        super().__init__(message, hint=hint)
        self.backup = backup


class Cancelled(SuasError):
    """The user cancelled a long task; never shown as an error."""

    def __init__(self, message: str = "Operação cancelada.") -> None:
        super().__init__(message)
