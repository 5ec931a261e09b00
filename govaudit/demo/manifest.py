"""The truth manifest of a generated demo portal: what exists and what was planted, URLs relative to the
site root so any port works.

Raw planted personal data never enters the JSON. The generator keeps it in `Manifest.secrets`, an
in-memory list that tests use to prove each planted value really sits in the page or attachment.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

_FIELDS = ("seed", "as_of", "site", "columns", "articles", "attachments", "planted", "lookalikes",
           "broken_links", "offsite_links", "flaky", "traps", "lying_charset", "robots_disallow", "server", "style")


@dataclass
class Manifest:
    seed: int
    as_of: str
    site: dict
    columns: list[dict] = field(default_factory=list)
    articles: list[dict] = field(default_factory=list)
    attachments: list[dict] = field(default_factory=list)
    planted: list[dict] = field(default_factory=list)
    lookalikes: list[dict] = field(default_factory=list)
    broken_links: list[dict] = field(default_factory=list)
    # Planted links to other sites (taken-over domains, abolished bodies): `url` is the target, never a file
    # of the portal; `kind` the finding kind, `page_url` the page that links to it (govaudit/demo/veto_plants.py).
    offsite_links: list[dict] = field(default_factory=list)
    flaky: list[dict] = field(default_factory=list)
    traps: list[dict] = field(default_factory=list)
    lying_charset: list[dict] = field(default_factory=list)
    robots_disallow: list[str] = field(default_factory=list)
    server: dict = field(default_factory=dict)          # quirks the loopback server applies per path
    style: dict = field(default_factory=dict)           # the rendering style's knobs (styles.Style)
    secrets: list[dict] = field(default_factory=list, repr=False, compare=False)   # never serialised

    def to_dict(self) -> dict:
        return {name: getattr(self, name) for name in _FIELDS if name != "style" or self.style}

    def dumps(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=1, sort_keys=True) + "\n"

    def write(self, path: Path) -> None:
        path.write_text(self.dumps(), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> Manifest:
        """Read a manifest.json (without secrets, which only a fresh build has)."""
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return cls(**{name: data[name] for name in _FIELDS if name in data})

    def column(self, url: str) -> dict | None:
        return next((c for c in self.columns if c["url"] == url), None)

    def planted_of(self, kind: str) -> list[dict]:
        return [p for p in self.planted if p["kind"] == kind]
