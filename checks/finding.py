"""What a check saw (Observation) and what the engine makes of it (Finding).

A family module yields Observations only: where, what values. The engine stamps rule id,
severity, message, fingerprint and status. Evidence in an Observation must already be masked:
privacy recognizers mask before they yield, so a raw value never leaves the check.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Observation:
    """One thing a check saw. `observed` fills the rule's message template."""

    url: str | None = None                    # page or attachment; for a column finding its list URL
    column_name: str | None = None
    column_url: str | None = None
    observed: dict[str, Any] = field(default_factory=dict)
    evidence: str = ""                        # masked, human-readable
    confidence: float = 1.0
    key: str = ""                             # what makes this observation distinct at its location
    pii_type: str | None = None               # id_card | mobile | bank_card | … (personal data only)
    count: int = 1
    location: str | None = None               # 'Sheet1!C7', 'p.3' …
    needs_review: bool = False


@dataclass
class Finding:
    """A stamped observation: what goes into findings.json, the store and every report."""

    id: str                                   # stable fingerprint
    rule: str                                 # rule id, e.g. UPD001
    kind: str                                 # stale_column | blank_column | category_mismatch | personal_data …
    severity: str                             # veto | major | minor
    title: str
    confidence: float
    column: dict | None                       # {name, url}
    url: str | None
    message: str
    remediation: str
    basis: str
    evidence: str = ""
    pii_type: str | None = None
    count: int = 1
    location: str | None = None
    needs_review: bool = False
    observed: dict[str, Any] = field(default_factory=dict)
    status: str = "new"                       # new | persisting | resolved | waived
    first_seen: dt.date | None = None
    waiver: dict | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Finding:
        """A Finding read back from the store or findings.json (unknown keys are ignored)."""
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        if isinstance(known.get("first_seen"), str):
            known["first_seen"] = dt.date.fromisoformat(known["first_seen"])
        return cls(**known)

    def to_dict(self) -> dict[str, Any]:
        data = dict(self.__dict__)
        data["first_seen"] = self.first_seen.isoformat() if self.first_seen else None
        data["observed"] = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in self.observed.items()}
        return data
