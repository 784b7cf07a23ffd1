"""Write resources/holidays/br.json: Brazil's public holidays (national and per UF) from `holidays`.

Why a table: `holidays.country_holidays("BR")` imports every country the package knows (about 0.2 s
and 12 MB at start-up, measured in benchmarks/results.md), and the Painel needs the business calendar
before its first paint. The table is generated from the pinned `holidays` version and a test compares
it with the library, so the library stays the source of truth; years outside the table fall back to
the library at run time.

Run after upgrading `holidays`:  .venv/bin/python scripts/make_holiday_table.py
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import holidays

FIRST_YEAR = 2015
LAST_YEAR = 2045
OUT = Path(__file__).resolve().parent.parent / "resources" / "holidays" / "br.json"


def public_holidays(subdiv: str | None, years: list[int]) -> dict[str, str]:
    table = holidays.country_holidays(
        "BR", subdiv=subdiv, years=years, language="pt_BR", categories=("public",)
    )
    return {day.isoformat(): name for day, name in sorted(table.items())}


def build() -> dict:
    years = list(range(FIRST_YEAR, LAST_YEAR + 1))
    national = public_holidays(None, years)
    states: dict[str, dict[str, str]] = {}
    for uf in holidays.country_holidays("BR").subdivisions:
        if len(uf) != 2:
            continue  # "São Paulo Capital" is a city, not a UF
        full = public_holidays(uf, years)
        missing = set(national) - set(full)
        if missing:
            raise SystemExit(f"{uf}: national holidays missing from the state table: {sorted(missing)}")
        # Only what differs from the national table: state holidays, and national days whose name
        # the state table extends ("Execução de Tiradentes; Tiradentes" in MG).
        states[uf] = {day: name for day, name in full.items() if national.get(day) != name}
    return {
        "source": f"holidays {holidays.__version__}, categoria public, idioma pt_BR",
        "first_year": FIRST_YEAR,
        "last_year": LAST_YEAR,
        "national": national,
        "states": states,
    }


def main() -> int:
    data = json.dumps(build(), ensure_ascii=False, indent=0, sort_keys=True) + "\n"
    OUT.parent.mkdir(parents=True, exist_ok=True)
    tmp = OUT.with_name(OUT.name + ".partial")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, OUT)
    print(f"{OUT}: {len(data):,} bytes", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
