"""Background work: services run in a QThreadPool worker; progress and results come back as signals.

A progress dialog appears only if the task takes longer than ``DIALOG_DELAY_MS`` (ux.md: feedback
within 0.1 s, a dialog with percent and Cancelar for long work), so quick tasks never flash one.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from suas_desktop.errors import Cancelled

DIALOG_DELAY_MS = 500


class CancelToken:
    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    def is_set(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        if self._event.is_set():
            raise Cancelled()


class TaskSignals(QObject):
    progress = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(object)


class Task(QRunnable):
    """Runs ``work(progress, cancel)`` in a worker thread."""

    def __init__(self, work: Callable[[Callable[[int, int, str], None], CancelToken], Any]) -> None:
        super().__init__()
        self.work = work
        self.signals = TaskSignals()
        self.cancel = CancelToken()
        self.setAutoDelete(False)

    def run(self) -> None:
        try:
            result = self.work(self._progress, self.cancel)
        except BaseException as exc:  # the GUI thread turns it into a message
            self.signals.failed.emit(exc)
        else:
            self.signals.finished.emit(result)

    def _progress(self, done: int, total: int, label: str) -> None:
        self.cancel.check()
        self.signals.progress.emit(done, total, label)


class TaskRunner(QObject):
    """Starts tasks; ``pool=None`` runs them synchronously (tests)."""

    def __init__(self, pool: QThreadPool | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = pool
        self._running: set[Task] = set()

    def start(
        self,
        work: Callable[[Callable[[int, int, str], None], CancelToken], Any],
        *,
        on_success: Callable[[Any], None],
        on_failure: Callable[[BaseException], None],
        parent: QWidget | None = None,
        title: str = "Aguarde…",
    ) -> Task:
        task = Task(work)
        dialog = QProgressDialog(title, "Cancelar", 0, 0, parent)
        dialog.setWindowTitle("SUAS Desktop")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(DIALOG_DELAY_MS)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(task.cancel.cancel)

        def on_progress(done: int, total: int, label: str) -> None:
            dialog.setMaximum(max(total, 0))
            dialog.setValue(done)
            if label:
                dialog.setLabelText(label)

        def finish(callback: Callable[[Any], None], value: Any) -> None:
            self._running.discard(task)
            dialog.reset()
            dialog.deleteLater()
            callback(value)

        task.signals.progress.connect(on_progress)
        task.signals.finished.connect(lambda result: finish(on_success, result))
        task.signals.failed.connect(lambda exc: finish(on_failure, exc))
        self._running.add(task)
        if self.pool is None:
            task.run()
        else:
            QTimer.singleShot(0, lambda: self.pool.start(task))
        return task

    def wait_all(self, msecs: int = 30_000) -> bool:
        return True if self.pool is None else self.pool.waitForDone(msecs)
