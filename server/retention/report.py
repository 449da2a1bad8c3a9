"""What a purge did, step by step: rows deleted, rows kept, bytes removed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

FILES = "files"
"""The step that counts objects removed from the file store, not rows."""


@dataclass
class Step:
    """One table of one rule: `soft_deleted.todos`, `audit_logs`, `files` (objects, not rows)."""

    name: str
    deleted: int = 0
    kept: int = 0
    """Rows due for deletion that could not go (a live row still refers to them)."""


Progress = Callable[[Step], None]
"""Told about each step once it is finished, while the purge goes on."""


def quiet(_step: Step) -> None:
    return None


@dataclass
class Report:
    steps: list[Step] = field(default_factory=list)

    def add(self, step: Step, progress: Progress) -> Step:
        self.steps.append(step)
        progress(step)
        return step

    @property
    def deleted(self) -> dict[str, int]:
        return {step.name: step.deleted for step in self.steps}

    @property
    def kept(self) -> dict[str, int]:
        return {step.name: step.kept for step in self.steps if step.kept}

    @property
    def total_deleted(self) -> int:
        return sum(step.deleted for step in self.steps)

    @property
    def rows_deleted(self) -> int:
        return sum(step.deleted for step in self.steps if step.name != FILES)

    @property
    def files_deleted(self) -> int:
        return sum(step.deleted for step in self.steps if step.name == FILES)

    @property
    def total_kept(self) -> int:
        return sum(step.kept for step in self.steps)

    def __getitem__(self, name: str) -> int:
        """Rows (or objects) deleted by the step of that name."""
        return self.deleted[name]
