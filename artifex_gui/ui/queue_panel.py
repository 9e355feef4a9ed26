"""The job queue: Generate while busy adds a job here; each can be removed before it runs."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from artifex_gui.model.job_queue import JobQueue


class QueuePanel(QWidget):
    def __init__(self, queue: JobQueue, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.queue = queue
        self.title = QLabel()
        self.title.setObjectName("sectionTitle")
        self.list = QListWidget()
        self.list.setObjectName("queueList")
        self.list.setMaximumHeight(110)
        self.list.itemSelectionChanged.connect(self._update_buttons)
        self.remove_button = QPushButton(self.tr("Remove"))
        self.remove_button.clicked.connect(self.remove_selected)
        self.clear_button = QPushButton(self.tr("Clear queue"))
        self.clear_button.clicked.connect(queue.clear)
        buttons = QHBoxLayout()
        buttons.addWidget(self.title, 1)
        buttons.addWidget(self.remove_button)
        buttons.addWidget(self.clear_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(buttons)
        layout.addWidget(self.list)
        queue.jobs_changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        self.list.clear()
        for job in self.queue.jobs:
            item = QListWidgetItem(job.summary)
            item.setData(Qt.ItemDataRole.UserRole, job.job_id)
            item.setToolTip(job.request.prompt)
            self.list.addItem(item)
        self.title.setText(self.tr("Queued jobs: {0}").format(len(self.queue)))
        self.setVisible(len(self.queue) > 0)
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.remove_button.setEnabled(bool(self.list.selectedItems()))
        self.clear_button.setEnabled(len(self.queue) > 0)

    def remove_selected(self) -> None:
        for item in self.list.selectedItems():
            self.queue.remove(item.data(Qt.ItemDataRole.UserRole))
