"""2. Reports: every report of the (large) demo versus a plain reportlab document with the same tables.

App: ``ReportService(ws, load_catalog()).generate(kind)`` end to end (database reads, layout with the
table of contents, header/footer and watermark, the empty signature fields added with pyHanko, the
page count read back), for transition (the Dossiê de Transição), closing, pending and regional.

Baseline: the very rows the app put in its tables, captured from ``ReportBuilder.table``,
``ReportBuilder.key_values`` and the Pendências report's own table helper during one app run, laid
out by reportlab alone — ``SimpleDocTemplate`` + one ``Table`` of plain strings per table, header row
repeated, no styles, no Paragraphs, no fonts, no table of contents.

One child process does everything (one warm-up of each, then app and baseline alternate). A last app
run of each kind is instrumented to split its time: gathering data, layout passes, signature fields,
page count.
"""

from __future__ import annotations

import io
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.common import self_peak_rss_mb, timed

NAME = "reports"
SECTION = "2. Reports"
KINDS = ("transition", "closing", "pending", "regional")
TITLES = {
    "transition": "Dossiê de Transição",
    "closing": "Relatório de Encerramento",
    "pending": "Pendências",
    "regional": "Relatório Regional",
}

Table = tuple[tuple[str, ...], list[list[str]]]
#: The renderers ReportService.generate calls (names in services/report_service.py).
RENDERERS = (
    "render_transition_dossier",
    "render_closing_report",
    "render_pending_report",
    "render_regional_report",
)


# ====================================================================== child
def capture_tables(generate: Any) -> tuple[list[Table], Any]:
    """Run ``generate()`` once, recording every table the report builder was given."""
    from suas_desktop.documents.report_pdf import ReportBuilder
    from suas_desktop.documents.reports import pending_report

    tables: list[Table] = []
    original_table, original_kv = ReportBuilder.table, ReportBuilder.key_values
    original_pending = pending_report._table

    def table(self: Any, headers: Any, rows: Any, **kwargs: Any) -> None:
        body = [[str(v) for v in row] for row in rows]
        if kwargs.get("total") is not None:
            body.append([str(v) for v in kwargs["total"]])
        if body:
            tables.append((tuple(str(h) for h in headers), body))
        original_table(self, headers, rows, **kwargs)

    def key_values(self: Any, rows: Any, **kwargs: Any) -> None:
        if rows:
            tables.append(((), [[str(k), str(v)] for k, v in rows]))
        original_kv(self, rows, **kwargs)

    def pending_table(styles: Any, headers: Any, rows: Any, *args: Any, **kwargs: Any) -> Any:
        if rows:
            tables.append((tuple(str(h) for h in headers), [[str(v) for v in row] for row in rows]))
        return original_pending(styles, headers, rows, *args, **kwargs)

    ReportBuilder.table, ReportBuilder.key_values = table, key_values  # type: ignore[method-assign]
    pending_report._table = pending_table
    try:
        report = generate()
    finally:
        ReportBuilder.table, ReportBuilder.key_values = original_table, original_kv  # type: ignore[method-assign]
        pending_report._table = original_pending
    return tables, report


def plain_pdf(tables: list[Table], *, font: str | None = None) -> tuple[bytes, int]:
    """The baseline: the same rows as plain reportlab tables, no styling at all.

    ``font`` (informational second baseline, no goal): the same, in the app's embedded TrueType font
    instead of reportlab's built-in Helvetica, to show how much of the gap the font alone makes.
    """
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate, TableStyle
    from reportlab.platypus import Table as RLTable

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4)
    style = TableStyle([("FONTNAME", (0, 0), (-1, -1), font)]) if font else None
    story = [
        RLTable([list(h), *rows] if h else rows, repeatRows=1 if h else 0, style=style) for h, rows in tables
    ]
    doc.build(story)
    return buffer.getvalue(), doc.page


def _app_font() -> str:
    """The regular face the app's reports embed (registered by the report engine)."""
    from suas_desktop.documents import report_pdf

    report_pdf.register_fonts()
    return report_pdf.FONT


def breakdown(generate: Any) -> dict[str, float]:
    """One instrumented app run: seconds in each stage, and the number of layout passes.

    A pass is one ``BaseDocTemplate.build`` of the report's document: ``ReportBuilder.render`` lays
    the story out once (page numbers of the contents and "Página N de M" are PDF forms defined at
    the end) and makes another pass only when the headings did not land as listed beforehand; it
    used ``multiBuild`` (3 passes for the Dossiê) before. Every call is counted, whatever calls it.
    "gathering data" is everything but layout, fields and page count, as before; "story" is the part
    of it spent in documents/reports describing the pages (tables, cells, column widths).
    """
    from suas_desktop.documents import report_pdf, reports
    from suas_desktop.services import report_service

    spent = {"layout": 0.0, "fields": 0.0, "page_count": 0.0, "passes": 0.0, "renderer": 0.0}
    originals = (report_pdf.ReportBuilder.render, reports.add_signature_fields, report_service._page_count)
    renderers = {name: getattr(report_service, name) for name in RENDERERS}
    build = report_pdf.BaseDocTemplate.build

    def count_pass(self: Any, *args: Any, **kwargs: Any) -> Any:
        spent["passes"] += 1
        return build(self, *args, **kwargs)

    def clocked(key: str, fn: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[key] += time.perf_counter() - started

        return wrapper

    report_pdf.ReportBuilder.render = clocked("layout", originals[0])  # type: ignore[method-assign]
    reports.add_signature_fields = clocked("fields", originals[1])
    report_service._page_count = clocked("page_count", originals[2])
    report_pdf._TocDoc.build = count_pass  # type: ignore[method-assign]
    for name, fn in renderers.items():
        setattr(report_service, name, clocked("renderer", fn))
    try:
        total, _ = timed(generate)
    finally:
        report_pdf.ReportBuilder.render = originals[0]  # type: ignore[method-assign]
        reports.add_signature_fields = originals[1]
        report_service._page_count = originals[2]
        del report_pdf._TocDoc.build
        for name, fn in renderers.items():
            setattr(report_service, name, fn)
    spent["total"] = total
    spent["gather"] = total - spent["layout"] - spent["fields"] - spent["page_count"]
    spent["story"] = spent.pop("renderer") - spent["layout"] - spent["fields"]
    return spent


def child(data_dir: str, kinds: list[str], reps: int) -> dict[str, Any]:
    from suas_desktop.paths import DataDirSource, DataLayout
    from suas_desktop.services.report_service import ReportService
    from suas_desktop.services.template_catalog import load_catalog
    from suas_desktop.services.workspace import open_workspace

    out: dict[str, Any] = {}
    layout = DataLayout(Path(data_dir), DataDirSource.COMMAND_LINE)
    with open_workspace(layout, file_logging=False) as ws:
        service = ReportService(ws, load_catalog())
        for kind in kinds:
            generate = lambda kind=kind: service.generate(kind)  # noqa: E731
            generate()  # warm-up (fonts, imports)
            tables, report = capture_tables(generate)
            plain_pdf(tables)
            app_times, plain_times, font_times = [], [], []
            plain_pages = 0
            font = _app_font() if kind == "transition" else None
            if font:
                plain_pdf(tables, font=font)  # warm-up of the font's subsetting code
            for _ in range(reps):
                app_times.append(timed(generate)[0])
                seconds, (_, plain_pages) = timed(lambda tables=tables: plain_pdf(tables))
                plain_times.append(seconds)
                if font:
                    font_times.append(timed(lambda tables=tables, font=font: plain_pdf(tables, font=font))[0])
            out[kind] = {
                "app": app_times,
                "plain": plain_times,
                "plain_font": font_times,
                "pages": report.page_count,
                "bytes": len(report.pdf),
                "plain_pages": plain_pages,
                "tables": len(tables),
                "rows": sum(len(rows) for _, rows in tables),
                "cells": sum(len(row) for _, rows in tables for row in rows),
                "breakdown": breakdown(generate),
            }
    out["rss_mb"] = self_peak_rss_mb()
    return out


# ====================================================================== parent
def measure(data_dir: Path, kinds: tuple[str, ...], reps: int) -> dict[str, Any]:
    from benchmarks.common import worker

    run = worker("bench_reports", "child", data_dir=str(data_dir), kinds=list(kinds), reps=reps)
    result = run.check()
    result["child_peak_rss_mb"] = run.peak_rss_mb
    return result


def run(b: Any) -> None:
    from benchmarks.common import Measure, fmt_seconds

    r = b.results
    size = b.config.demo_size
    result = measure(b.data.copy("reports"), KINDS, b.config.reps_cheap)
    for kind in KINDS:
        k = result[kind]
        r.add(
            Measure(
                f"reports.{kind}.app",
                SECTION,
                f"App: {TITLES[kind]} of the {size} demo ({k['pages']} pages)",
                k["app"],
            )
        )
        r.add(
            Measure(
                f"reports.{kind}.plain",
                SECTION,
                f"Plain reportlab: the same {k['tables']} tables, {k['rows']:,} rows "
                f"({k['plain_pages']} pages)",
                k["plain"],
            )
        )
        r.compare(
            SECTION, f"{TITLES[kind]}, app / plain reportlab", f"reports.{kind}.app", f"reports.{kind}.plain"
        )
        if k.get("plain_font"):
            r.add(
                Measure(
                    f"reports.{kind}.plain_font",
                    SECTION,
                    "Plain reportlab in the app's embedded font (DejaVu Sans), same tables (no goal)",
                    k["plain_font"],
                )
            )
            r.compare(
                SECTION,
                f"{TITLES[kind]}, app / plain reportlab in the same embedded font (no goal)",
                f"reports.{kind}.app",
                f"reports.{kind}.plain_font",
            )
        d = k["breakdown"]
        r.note(
            SECTION,
            f"{TITLES[kind]} (one instrumented run, {fmt_seconds(d['total'])}): gathering data "
            f"{fmt_seconds(d['gather'])} (of which describing the pages {fmt_seconds(d['story'])}), "
            f"layout {fmt_seconds(d['layout'])} in {d['passes']:.0f} "
            f"pass(es), signature fields {fmt_seconds(d['fields'])}, "
            f"page count {fmt_seconds(d['page_count'])}; {k['cells']:,} table cells.",
        )
    r.note(
        SECTION, f"Peak RSS of the report process (all four reports): {result['child_peak_rss_mb']:.0f} MB."
    )
    ratio = r.ratio("reports.transition.app", "reports.transition.plain")
    r.goal("Dossiê within 2× of plain reportlab", "≤ 2.0×", f"{ratio:.2f}×", ratio <= 2.0)


if __name__ == "__main__":
    from benchmarks.common import worker_main

    worker_main({"child": child})
    sys.exit(0)
