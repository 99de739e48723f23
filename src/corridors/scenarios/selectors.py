"""The selector of scenario patches (``where``), shared by the file schema and the element kinds."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from corridors.model import Mode


class Spec(BaseModel):
    """A part of a scenario file: unknown keys are errors, parsed values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Where(Spec):
    """Selects elements; every given key must match (an empty selector matches nothing).

    Each element is selected by some keys only (each kind's ``selectors`` in ``elements.py``): links by ids,
    country, mode, corridor; borders by those and countries; nodes by ids, country; transfers by
    modes; modes by mode. Any other key given is an error, never ignored."""

    ids: list[str] = Field(default_factory=list)
    country: str | None = None
    countries: list[str] = Field(default_factory=list, description="a border between these two")
    mode: Mode | None = None
    modes: list[Mode] = Field(default_factory=list, description="a transfer between these two modes")
    corridor: str | None = None
