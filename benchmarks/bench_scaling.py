"""7. Growth: the same figures at 1×, 4× and 16× the data, to see whether any cost grows faster than linearly.

Sizes (data.py ``scale_of``): 1× = 110 staff, 50 assets, 10 partnerships, 4 contracts, 8 unmet-demand
cases, 125 evidence files + 16 MiB of attachment bytes; 4× and 16× multiply all of these (16× is about
the large demo, with 256 MiB of attachments). The network (6 CRAS, 2 CREAS, council, checklists) stays
the same, as a real municipality's would. The Cadastros figures use 625 / 2,500 / 10,000 staff rows;
consolidation 53 / 212 / 848 regional packages.

Figures: start-up (exec → window shown), the Dossiê de Transição, signing and verifying it, full
encrypted export and import, choosing Trabalhadores and the narrow search on the Cadastros page,
consolidation. For each: the median at each size and the ratio per 4× step (4.0 = linear).
"""

from __future__ import annotations

from typing import Any

NAME = "scaling"
SECTION = "7. Growth"


def run(b: Any) -> None:
    from benchmarks import bench_consolidation, bench_packages, bench_registers, bench_reports, bench_signing
    from benchmarks.bench_startup import app_sample
    from benchmarks.common import LINEAR_STEP_LIMIT, Growth, growth_is_linear

    c = b.config
    factors = c.scale_factors
    reps = c.scale_reps
    samples: dict[str, dict[int, list[float]]] = {}

    def put(key: str, factor: int, values: list[float]) -> None:
        samples.setdefault(key, {})[factor] = list(values)

    for f in factors:
        print(f"  — {f}×", flush=True)
        demo = b.data.scaled_demo(f)
        start_dir = str(b.data.copy(f"scaled-startup-{f}x", demo))
        app_sample(start_dir)  # warm-up
        put("startup", f, [app_sample(start_dir)["exec_to_content"] for _ in range(reps)])
        report = bench_reports.measure(b.data.copy(f"scaled-reports-{f}x", demo), ("transition",), reps)
        put("dossier", f, report["transition"]["app"])
        pdf = b.data.dossier(demo, name=f"dossie-{f}x.pdf")
        signing = bench_signing.measure(b, b.data.copy(f"scaled-signing-{f}x", demo), pdf, f"{f}x", reps)
        put("sign", f, signing["app_sign"])
        put("verify", f, signing["app_verify"])
        packages = bench_packages.measure(
            b.workdir, b.data.copy(f"scaled-packages-{f}x", demo), reps, f"{f}x"
        )
        put("export", f, packages["export"])
        put("import", f, packages["import"])
        put("cp", f, packages["base"])
        registers = bench_registers.measure(b.data.staff_folder(c.scale_staff_base * f), reps)
        put("staff", f, registers["staff"])
        put("narrow", f, registers["narrow"])
        count = c.scale_packages_base * f
        consolidation = bench_consolidation.measure(
            b.workdir, b.data.regional_packages(), count, reps, f"{f}x"
        )
        put("consolidation", f, [s["seconds"] for s in consolidation])

    labels = {
        "startup": ("Start-up, exec → Painel painted with its data", "demo 1×/4×/16×"),
        "dossier": ("Dossiê de Transição (generate)", "demo 1×/4×/16×"),
        "sign": ("Sign the dossiê", "its dossiê"),
        "verify": ("Verify the signed dossiê", "its dossiê"),
        "export": ("Export full, encrypted", "records + 16/64/256 MiB attachments"),
        "import": ("Import into an empty folder", "same package"),
        "cp": ("Baseline: cp + sha256sum of the package", "same package"),
        "staff": ("Cadastros: choose Trabalhadores", "625 / 2,500 / 10,000 staff"),
        "narrow": ("Cadastros: type a narrow search", "625 / 2,500 / 10,000 staff"),
        "consolidation": ("Consolidation (import regional packages)", "53 / 212 / 848 packages"),
    }
    for key, (label, size) in labels.items():
        b.results.growth.append(Growth(label, "s", samples[key], size, baseline=key == "cp"))
    worst = [g for g in b.results.growth if not growth_is_linear(g) and not g.baseline]
    b.results.goal(
        "Nothing grows worse than linearly",
        f"every 4× step ≤ {LINEAR_STEP_LIMIT:.1f}× and fitted exponent ≤ 1.1",
        "all linear or better"
        if not worst
        else "worse: "
        + "; ".join(f"{g.label} ({' → '.join(f'{s:.2f}×' for s in g.steps())})" for g in worst),
        not worst,
    )
