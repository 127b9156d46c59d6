"""An archive, or a part of one (a body): its folders, its reports and every diagnostic about them."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..diagnostics import Diagnostic
from ..source.tree import Folder
from .report import ReportMeta


@dataclass
class Archive:
    folders: dict[tuple[str, ...], Folder]
    reports: list[ReportMeta]  # Reports with their cells where parsed; the build's main process keeps ReportMeta
    diagnostics: list[Diagnostic]
    _by_path: tuple[list[Diagnostic], dict[str, list[Diagnostic]]] | None = field(default=None, repr=False,
                                                                                  compare=False)

    @property
    def years(self) -> list[int]:
        """The years the archive has reports of, oldest first."""
        return sorted({r.year for r in self.reports})

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    def diagnostics_for(self, report: ReportMeta) -> list[Diagnostic]:
        if self._by_path is None or self._by_path[0] is not self.diagnostics:  # indexed once per list
            index: dict[str, list[Diagnostic]] = {}
            for d in self.diagnostics:
                index.setdefault(d.path, []).append(d)
            self._by_path = (self.diagnostics, index)
        return self._by_path[1].get(report.path, [])
