"""How far an attempt is: each item's state, which steps are complete, and what is still open."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from kyctui.domain.attempts import Attempt, ItemState
from kyctui.domain.photos.result import CheckResult, Status
from kyctui.knowledge.checklist import ChecklistItem, PhotoSlot, StepPlan


def photos_state(slots: Sequence[PhotoSlot], attempt: Attempt) -> ItemState:
    """Done when every required slot has a photo and no attached photo failed a check."""
    photos = [
        attempt.photos.get(s.kind) for s in slots if not s.optional or s.kind in attempt.photos
    ]
    ok = all(p is not None and p.verdict is not Status.FAIL for p in photos)
    return ItemState.DONE if ok else ItemState.TODO


def item_state(item: ChecklistItem, plan: Sequence[StepPlan], attempt: Attempt) -> ItemState:
    """The state shown for an item: the program decides the ones it checks itself."""
    if item.checked_by == "photos":
        slots = [slot for step in plan for slot in step.slots]
        return photos_state(slots, attempt)
    return attempt.items.get(item.id, ItemState.TODO)


def step_complete(step: StepPlan, plan: Sequence[StepPlan], attempt: Attempt) -> bool:
    """Every item done or not applicable, every slot filled with a photo that did not fail."""
    if step.slots and photos_state(step.slots, attempt) is not ItemState.DONE:
        return False
    return all(item_state(i, plan, attempt) is not ItemState.TODO for i in step.items)


@dataclass
class Readiness:
    """The Ready step's summary."""

    done: int = 0
    open_items: list[tuple[str, str]] = field(default_factory=list)  # (step title, item title)
    missing_photos: list[str] = field(default_factory=list)  # slot titles
    problems: list[tuple[str, CheckResult]] = field(default_factory=list)  # fails, then warns

    @property
    def ready(self) -> bool:
        """Nothing open, no photo missing, no photo failing."""
        failing = any(c.status is Status.FAIL for _, c in self.problems)
        return not self.open_items and not self.missing_photos and not failing


def readiness(plan: Sequence[StepPlan], attempt: Attempt) -> Readiness:
    """What passed, what is still open, and the warnings worth fixing first."""
    result = Readiness()
    for step in plan:
        for item in step.items:
            if item_state(item, plan, attempt) is ItemState.TODO:
                result.open_items.append((step.step.title, item.title))
            else:
                result.done += 1
        for slot in step.slots:
            photo = attempt.photos.get(slot.kind)
            if photo is None:
                if not slot.optional:
                    result.missing_photos.append(slot.title)
                continue
            for check in photo.checks:
                if check.status is not Status.PASS:
                    result.problems.append((slot.title, check))
    result.problems.sort(key=lambda p: p[1].status is not Status.FAIL)
    return result
