"""Register spreadsheets: template, export/import round trip, header matching and refusals."""

from __future__ import annotations

import csv
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from suas_desktop.documents.spreadsheets import (
    INSTRUCTIONS_SHEET,
    MAX_ROWS,
    MONEY_FORMAT,
    SheetRow,
    read_rows,
    write_records,
    write_template,
)
from suas_desktop.domain.municipality import cnpj_check_digits
from suas_desktop.domain.register_fields import (
    FieldKind,
    FieldSpec,
    RegisterSpec,
    format_money,
    parse_value,
    validate_record,
)
from suas_desktop.domain.registers import ACCOUNTS, ALL_REGISTERS, STAFF, UNITS
from suas_desktop.errors import UserError

FORMATS = ("xlsx", "csv")
REF_TITLES = {"u-1": "CRAS Vila Nova", "u-2": "CRAS Centro — Zona Rural", "u-3": "CREAS Municipal"}
UNIT_HEADER = ["Tipo", "Nome", "Endereço", "Código no CadSUAS"]


# ---------------------------------------------------------------- helpers
def _cpf(first_nine: str) -> str:
    digits = first_nine
    for size in (9, 10):
        total = sum(int(d) * w for d, w in zip(digits, range(size + 1, 1, -1), strict=True))
        digits += str(total * 10 % 11 % 10)
    return digits


def _variant(f: FieldSpec, i: int) -> Any:
    """Raw input for row ``i``: 0 = the examples, 1 = only the required fields, 2 = other values."""
    if f.kind is FieldKind.REF:
        return list(REF_TITLES)[i]
    if i == 1 and not f.required:
        return None
    if i < 2:
        return f.example or None
    stored = parse_value(f, f.example) if f.example else None
    kind = f.kind
    if kind is FieldKind.TEXT:
        return f"{f.example or 'Texto'}-2"
    if kind is FieldKind.LONG_TEXT:
        return f'{f.example or "Primeira linha"}\nSegunda linha; com vírgula, "aspas" e acentuação'
    if kind is FieldKind.INT:
        return str((stored or 0) + 2)
    if kind is FieldKind.MONEY:
        return format_money((stored or 0) + 1)
    if kind is FieldKind.DATE:
        return (date.fromisoformat(stored) + timedelta(days=2)).isoformat() if stored else None
    if kind is FieldKind.BOOL:
        return "Não" if stored else "Sim"
    if kind is FieldKind.CHOICE:
        return f.choices[-1][1]
    if kind is FieldKind.CNPJ:
        return "12ABC34501DE" + cnpj_check_digits("12ABC34501DE")  # alphanumeric CNPJ
    if kind is FieldKind.CPF:
        return _cpf("012345678")  # leading zero must survive
    raise AssertionError(kind)


def _stored_rows(spec: RegisterSpec) -> list[dict[str, Any]]:
    return [validate_record(spec, {f.name: _variant(f, i) for f in spec.fields}) for i in range(3)]


def _ref_labels(spec: RegisterSpec) -> dict[str, dict[str, str]]:
    return {f.name: dict(REF_TITLES) for f in spec.fields if f.kind is FieldKind.REF}


def _parse_back(
    spec: RegisterSpec, rows: list[SheetRow], ref_labels: dict[str, dict[str, str]]
) -> list[dict]:
    result = []
    for row in rows:
        record = {}
        for f in spec.fields:
            value = row.values.get(f.name)
            if f.kind is FieldKind.REF and value is not None:
                value = {title: ref_id for ref_id, title in ref_labels[f.name].items()}[value]
            record[f.name] = parse_value(f, value)
        result.append(record)
    return result


def _xlsx(path: Path, rows: list[list[Any]], *, title: str = "Planilha") -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def _csv(path: Path, rows: list[list[Any]], *, delimiter: str = ";", encoding: str = "utf-8-sig") -> Path:
    with open(path, "w", encoding=encoding, newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return path


def _write(fmt: str, path: Path, rows: list[list[Any]]) -> Path:
    return _xlsx(path, rows) if fmt == "xlsx" else _csv(path, rows)


def _message(error: pytest.ExceptionInfo[UserError]) -> str:
    return error.value.message


# ---------------------------------------------------------------- template
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("spec", ALL_REGISTERS, ids=lambda s: s.name)
def test_template_reads_back_the_example_row(tmp_path, spec, fmt):
    path = tmp_path / f"modelo.{fmt}"
    write_template(spec, path)
    rows = read_rows(spec, path)
    assert [row.line for row in rows] == [2]
    for f in spec.fields:
        value = rows[0].values[f.name]
        if f.kind is FieldKind.REF:
            assert value == f.example
        else:
            assert parse_value(f, value) == parse_value(f, f.example), f.name


def test_template_xlsx_layout(tmp_path):
    path = tmp_path / "modelo.xlsx"
    write_template(STAFF, path)
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames[:2] == ["Trabalhadores", INSTRUCTIONS_SHEET]
    sheet = workbook["Trabalhadores"]
    assert [c.value for c in sheet[1]] == [f.label for f in STAFF.fields]
    assert sheet["A1"].font.bold and sheet.freeze_panes == "A2"
    assert sheet["A2"].font.italic
    assert sheet.column_dimensions["A"].width >= len("Maria da Silva")
    assert sheet["K2"].value is None  # no such column
    assert isinstance(sheet["J2"].value, datetime) and sheet["J2"].number_format == "dd/mm/yyyy"
    # a dropdown for every CHOICE column (profession, education, bond)
    validated = {str(dv.sqref).split(":")[0] for dv in sheet.data_validations.dataValidation}
    assert {"D2", "E2", "F2"} <= validated

    help_sheet = workbook[INSTRUCTIONS_SHEET]
    assert "apague" in help_sheet["A1"].value
    assert [c.value for c in help_sheet[2]] == [
        "Coluna",
        "Obrigatória",
        "Tipo",
        "Opções aceitas",
        "Exemplo",
        "Observação",
    ]
    rows = {r[0]: r for r in help_sheet.iter_rows(min_row=3, values_only=True)}
    assert rows["Nome"][1:3] == ("Sim", "Texto")
    assert rows["CPF"][1:3] == ("Não", "CPF")
    assert (
        rows["Vínculo"][2] == "Lista"
        and rows["Vínculo"][3] == "Efetivo; Comissionado; Contratado; Cedido; Outro"
    )
    assert rows["Fim do contrato"][2] == "Data dd/mm/aaaa"
    assert rows["Unidade"][2] == "Referência" and "Unidades" in rows["Unidade"][5]


def test_long_choice_lists_use_a_hidden_sheet(tmp_path):
    path = tmp_path / "modelo.xlsx"
    write_template(ACCOUNTS, path)  # "Bloco ou fonte" has labels far beyond 255 characters
    workbook = openpyxl.load_workbook(path)
    assert workbook["Listas"].sheet_state == "hidden"
    formulas = [dv.formula1 for dv in workbook["Contas bancárias"].data_validations.dataValidation]
    assert any("Listas" in formula for formula in formulas)


def test_sheet_title_is_made_valid(tmp_path):
    spec = RegisterSpec(
        "x", "Bens/Imóveis: [lista]*? de um nome comprido demais", "Bem", (FieldSpec("a", "A"),)
    )
    write_template(spec, tmp_path / "x.xlsx")
    title = openpyxl.load_workbook(tmp_path / "x.xlsx").sheetnames[0]
    assert len(title) <= 31 and not set(title) & set("[]:*?/\\")


def test_template_csv_is_excel_friendly(tmp_path):
    path = tmp_path / "modelo.csv"
    write_template(UNITS, path)
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0].split(";")[:3] == ["Tipo", "Nome", "Endereço"]
    assert lines[1].startswith("CRAS;CRAS Vila Nova;")


# ---------------------------------------------------------------- round trip
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("spec", ALL_REGISTERS, ids=lambda s: s.name)
def test_round_trip_every_register(tmp_path, spec, fmt):
    stored = _stored_rows(spec)
    refs = _ref_labels(spec)
    path = tmp_path / f"{spec.name}.{fmt}"
    assert write_records(spec, stored, path, ref_labels=refs) == 3
    rows = read_rows(spec, path)
    assert [row.line for row in rows] == [2, 3, 4]
    assert _parse_back(spec, rows, refs) == stored


def test_exported_xlsx_is_typed_for_people(tmp_path):
    stored = _stored_rows(ACCOUNTS)
    path = tmp_path / "contas.xlsx"
    write_records(ACCOUNTS, stored, path)
    sheet = openpyxl.load_workbook(path).active
    assert sheet["A1"].font.bold and sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:K4"
    balance = sheet.cell(row=2, column=6)
    assert balance.value == pytest.approx(12345.67) and balance.number_format == MONEY_FORMAT
    assert sheet.cell(row=2, column=7).value == datetime(2028, 10, 31)
    assert sheet.cell(row=2, column=7).number_format == "dd/mm/yyyy"
    assert sheet.cell(row=2, column=4).value == "Bloco da Proteção Social Básica"
    assert sheet.cell(row=2, column=11).value == "Sim"

    staff = _stored_rows(STAFF)
    write_records(STAFF, staff, tmp_path / "pessoas.xlsx")
    people = openpyxl.load_workbook(tmp_path / "pessoas.xlsx").active
    assert people.cell(row=4, column=2).value == _cpf("012345678")  # CPF digits as text
    assert people.cell(row=2, column=7).value == "u-1"  # REF without a label: the id itself


def test_formula_like_text_stays_text(tmp_path):
    texts = ["=SOMA(A1:A9)", "+55 (38) 3200-0000", "-recuo", "@menção"]
    stored = [
        validate_record(UNITS, {"kind": "CRAS", "name": text, "phone": text[:30], "address": text})
        for text in texts
    ]
    for fmt in FORMATS:
        path = tmp_path / f"u.{fmt}"
        write_records(UNITS, stored, path)
        assert _parse_back(UNITS, read_rows(UNITS, path), {}) == stored
    assert openpyxl.load_workbook(tmp_path / "u.xlsx").active["B2"].data_type == "s"


def test_write_records_ignores_extra_keys_and_missing_fields(tmp_path):
    path = tmp_path / "u.csv"
    assert write_records(UNITS, [{"id": 7, "kind": "cras", "name": "CRAS Sul"}], path) == 1
    (row,) = read_rows(UNITS, path)
    assert row.values["name"] == "CRAS Sul" and row.values["address"] is None


def test_write_refuses_unknown_extension(tmp_path):
    with pytest.raises(UserError):
        write_records(UNITS, [], tmp_path / "u.ods")
    with pytest.raises(UserError):
        write_template(UNITS, tmp_path / "u.pdf")


# ---------------------------------------------------------------- headers
@pytest.mark.parametrize("fmt", FORMATS)
def test_header_ignores_case_accents_and_spaces(tmp_path, fmt):
    header = ["  TIPO ", "nome", "endereco", "Codigo  no   cadsuas", "familias referenciadas", "building"]
    path = _write(
        fmt, tmp_path / f"u.{fmt}", [header, ["CRAS", "CRAS Sul", "Rua A, 1", "310", "2.500", "Alugado"]]
    )
    (row,) = read_rows(UNITS, path)
    assert row.values["kind"] == "CRAS" and row.values["cadsuas_id"] in ("310", 310)
    assert parse_value(UNITS.field("referenced_families"), row.values["referenced_families"]) == 2500
    assert parse_value(UNITS.field("building"), row.values["building"]) == "alugado"
    assert "phone" not in row.values  # optional columns may be missing


@pytest.mark.parametrize("fmt", FORMATS)
def test_missing_required_columns_are_all_named(tmp_path, fmt):
    path = _write(fmt, tmp_path / f"s.{fmt}", [["Nome", "CPF"], ["Maria", ""]])
    with pytest.raises(UserError) as error:
        read_rows(STAFF, path)
    message = _message(error)
    for label in ("Cargo ou função", "Profissão", "Escolaridade", "Vínculo"):
        assert f"“{label}”" in message
    assert "“Nome”" not in message


@pytest.mark.parametrize("fmt", FORMATS)
def test_unknown_column_is_named(tmp_path, fmt):
    path = _write(fmt, tmp_path / f"u.{fmt}", [["Tipo", "Nome", "Xyz"], ["CRAS", "CRAS Sul", "1"]])
    with pytest.raises(UserError) as error:
        read_rows(UNITS, path)
    assert _message(error) == "A coluna “Xyz” não existe no cadastro de Unidades."


def test_duplicated_column(tmp_path):
    path = _csv(tmp_path / "u.csv", [["Tipo", "Nome", "nome"], ["CRAS", "A", "B"]])
    with pytest.raises(UserError, match="duas vezes"):
        read_rows(UNITS, path)


def test_data_under_a_column_without_title(tmp_path):
    path = _xlsx(tmp_path / "u.xlsx", [["Tipo", "Nome"], ["CRAS", "A", None, "anotação"]])
    with pytest.raises(UserError) as error:
        read_rows(UNITS, path)
    assert _message(error) == "A linha 2 tem dados na coluna D, que não tem título."


def test_first_sheet_with_matching_header_is_used(tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active.append(["Anotações da equipe"])
    workbook.active.append(["qualquer coisa"])
    data = workbook.create_sheet("Unidades")
    data.append(UNIT_HEADER)
    data.append(["CRAS", "CRAS Sul", None, None])
    workbook.save(tmp_path / "u.xlsx")
    (row,) = read_rows(UNITS, tmp_path / "u.xlsx")
    assert row.values["name"] == "CRAS Sul"


def test_no_matching_sheet_reports_the_first(tmp_path):
    _xlsx(tmp_path / "u.xlsx", [["Anotações"], ["x"]])
    with pytest.raises(UserError, match="“Anotações” não existe"):
        read_rows(UNITS, tmp_path / "u.xlsx")


# ---------------------------------------------------------------- layout problems
def test_merged_cells_are_refused(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(UNIT_HEADER)
    for n in range(2, 6):
        sheet.append(["CRAS", f"CRAS {n}", "Rua", None])
    sheet.merge_cells("A5:C5")
    workbook.save(tmp_path / "u.xlsx")
    with pytest.raises(UserError) as error:
        read_rows(UNITS, tmp_path / "u.xlsx")
    assert _message(error) == "A planilha tem células mescladas (A5:C5). Desfaça a mesclagem e tente de novo."


@pytest.mark.parametrize("fmt", FORMATS)
def test_blank_rows_keep_true_line_numbers(tmp_path, fmt):
    rows = [
        [None, None],
        ["Tipo", "Nome"],
        ["CRAS", "A"],
        [None, None],
        ["  ", None],
        ["CREAS", "B"],
        [None, None],
        ["Outra", "C"],
        [None, None],
    ]
    if fmt == "csv":
        rows = [["" if v is None else v for v in row] for row in rows]
    path = _write(fmt, tmp_path / f"u.{fmt}", rows)
    result = read_rows(UNITS, path)
    assert [(r.line, r.values["name"]) for r in result] == [(3, "A"), (6, "B"), (8, "C")]


def test_xlsx_cells_keep_their_types(tmp_path):
    path = _xlsx(
        tmp_path / "c.xlsx",
        [
            ["Banco", "Agência", "Conta", "Bloco ou fonte", "Saldo em 31/12", "Data de corte", "Conciliada"],
            ["  BB  ", "0012", "123", "Recursos próprios", 0.1 + 0.2, datetime(2028, 10, 31), True],
            ["BB", "1", "2", "Outra fonte", 1500.0, 46691, "sim"],
        ],
    )
    first, second = read_rows(ACCOUNTS, path)
    assert first.values["bank"] == "BB" and first.values["branch"] == "0012"
    assert first.values["balance_dec31"] == 0.3 and first.values["reconciled"] is True
    assert first.values["cutoff_date"] == datetime(2028, 10, 31)
    assert second.values["balance_dec31"] == 1500 and isinstance(second.values["balance_dec31"], int)
    assert second.values["cutoff_date"] == datetime(2027, 10, 31)  # a date cell that lost its format
    assert second.values["account"] == "2"


def test_cpf_typed_as_a_number_keeps_its_leading_zero(tmp_path):
    cpf = _cpf("012345678")
    path = _xlsx(
        tmp_path / "s.xlsx",
        [
            ["Nome", "CPF", "Cargo ou função", "Profissão", "Escolaridade", "Vínculo"],
            ["Ana", int(cpf), "Técnica", "Psicólogo(a)", "Superior", "Efetivo"],
        ],
    )
    (row,) = read_rows(STAFF, path)
    assert parse_value(STAFF.field("cpf"), row.values["cpf"]) == cpf


# ---------------------------------------------------------------- csv dialects
@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_csv_delimiter_is_sniffed(tmp_path, delimiter):
    path = _csv(
        tmp_path / "u.csv",
        [UNIT_HEADER, ["CRAS", "CRAS Sul", "Rua A, 10; fundos", "1"]],
        delimiter=delimiter,
        encoding="utf-8",
    )
    (row,) = read_rows(UNITS, path)
    assert row.values == {
        "kind": "CRAS",
        "name": "CRAS Sul",
        "address": "Rua A, 10; fundos",
        "cadsuas_id": "1",
    }


def test_csv_delimiter_sniffed_after_blank_lines(tmp_path):
    path = tmp_path / "u.csv"
    path.write_text("\n,,\nTipo,Nome\nCRAS,Ação\n", encoding="utf-8")
    (row,) = read_rows(UNITS, path)
    assert row.line == 4 and row.values == {"kind": "CRAS", "name": "Ação"}


def test_year_in_a_date_column_is_not_taken_for_a_serial(tmp_path):
    path = _xlsx(
        tmp_path / "c.xlsx",
        [
            ["Banco", "Agência", "Conta", "Bloco ou fonte", "Data de corte"],
            ["BB", "1", "2", "Outra fonte", 2026],
        ],
    )
    (row,) = read_rows(ACCOUNTS, path)
    assert row.values["cutoff_date"] == 2026
    with pytest.raises(ValueError):
        parse_value(ACCOUNTS.field("cutoff_date"), row.values["cutoff_date"])


def test_csv_in_cp1252_with_accents(tmp_path):
    path = tmp_path / "u.csv"
    path.write_bytes("Tipo;Nome;Endereço\r\nCRAS;Ação São João;Praça Conceição, s/nº\r\n".encode("cp1252"))
    (row,) = read_rows(UNITS, path)
    assert row.values == {"kind": "CRAS", "name": "Ação São João", "address": "Praça Conceição, s/nº"}


def test_csv_with_excel_sep_line_and_utf16(tmp_path):
    path = tmp_path / "u.csv"
    path.write_text("sep=,\nTipo,Nome\nCRAS,Ação\n", encoding="utf-8")
    (row,) = read_rows(UNITS, path)
    assert row.line == 2 and row.values["name"] == "Ação"
    path.write_bytes("Tipo\tNome\r\nCRAS\tAção\r\n".encode("utf-16"))
    (row,) = read_rows(UNITS, path)
    assert row.values == {"kind": "CRAS", "name": "Ação"}


# ---------------------------------------------------------------- bad files
@pytest.mark.parametrize("name", ["vazio.csv", "vazio.xlsx"])
def test_empty_file(tmp_path, name):
    (tmp_path / name).write_bytes(b"")
    with pytest.raises(UserError, match="vazio"):
        read_rows(UNITS, tmp_path / name)


def test_blank_csv(tmp_path):
    (tmp_path / "u.csv").write_text("\n;;\n\n", encoding="utf-8")
    with pytest.raises(UserError, match="vazio"):
        read_rows(UNITS, tmp_path / "u.csv")


@pytest.mark.parametrize("fmt", FORMATS)
def test_header_without_data_rows(tmp_path, fmt):
    path = _write(fmt, tmp_path / f"u.{fmt}", [UNIT_HEADER, [None, None, None, None]])
    with pytest.raises(UserError, match="nenhuma linha de dados"):
        read_rows(UNITS, path)


def test_empty_workbook(tmp_path):
    openpyxl.Workbook().save(tmp_path / "u.xlsx")
    with pytest.raises(UserError, match="vazia"):
        read_rows(UNITS, tmp_path / "u.xlsx")


def test_xlsx_that_is_really_text(tmp_path):
    (tmp_path / "u.xlsx").write_text("Tipo;Nome\nCRAS;CRAS Sul\n", encoding="utf-8")
    with pytest.raises(UserError) as error:
        read_rows(UNITS, tmp_path / "u.xlsx")
    assert _message(error) == "O arquivo não é uma planilha do Excel (.xlsx) válida."


def test_xlsx_that_is_another_zip(tmp_path):
    import zipfile

    with zipfile.ZipFile(tmp_path / "u.xlsx", "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    with pytest.raises(UserError, match="não é uma planilha"):
        read_rows(UNITS, tmp_path / "u.xlsx")


def test_damaged_xlsx(tmp_path):
    _xlsx(tmp_path / "u.xlsx", [UNIT_HEADER, ["CRAS", "A", None, None]])
    data = (tmp_path / "u.xlsx").read_bytes()
    (tmp_path / "u.xlsx").write_bytes(data[: len(data) // 2])
    with pytest.raises(UserError):
        read_rows(UNITS, tmp_path / "u.xlsx")


def test_password_protected_or_old_xls(tmp_path):
    (tmp_path / "u.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    with pytest.raises(UserError, match="senha"):
        read_rows(UNITS, tmp_path / "u.xlsx")
    (tmp_path / "u.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(UserError, match=r"\.xls"):
        read_rows(UNITS, tmp_path / "u.xls")


def test_xlsx_renamed_to_csv(tmp_path):
    _xlsx(tmp_path / "u.xlsx", [UNIT_HEADER])
    (tmp_path / "u.xlsx").rename(tmp_path / "u.csv")
    with pytest.raises(UserError, match="planilha do Excel"):
        read_rows(UNITS, tmp_path / "u.csv")


def test_binary_csv_and_missing_file(tmp_path):
    (tmp_path / "u.csv").write_bytes(b"Tipo;Nome\x00\x01\x02")
    with pytest.raises(UserError, match="CSV"):
        read_rows(UNITS, tmp_path / "u.csv")
    with pytest.raises(UserError, match="não foi encontrado"):
        read_rows(UNITS, tmp_path / "nao-existe.xlsx")
    with pytest.raises(UserError):
        read_rows(UNITS, tmp_path / "u.pdf")


# ---------------------------------------------------------------- size limit
BIG_ROWS = 100_000


@pytest.fixture(scope="session")
def big_xlsx(tmp_path_factory) -> Path:
    """100,000 data rows, written once per session in write-only mode (no <dimension> element)."""
    path = tmp_path_factory.mktemp("big") / "grande.xlsx"
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Unidades")
    sheet.append(["Tipo", "Nome"])
    for n in range(BIG_ROWS):
        sheet.append(["CRAS", n])
    workbook.save(path)
    return path


def test_huge_xlsx_is_refused_quickly(big_xlsx):
    start = time.perf_counter()
    with pytest.raises(UserError, match=r"mais de 20\.000 linhas"):
        read_rows(UNITS, big_xlsx)
    elapsed = time.perf_counter() - start
    print(f"100k-row xlsx refused in {elapsed:.2f}s")
    assert elapsed < 8


def test_huge_csv_is_refused_quickly(tmp_path):
    path = tmp_path / "grande.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write("Tipo;Nome\n")
        handle.writelines(f"CRAS;CRAS {n}\n" for n in range(BIG_ROWS))
    start = time.perf_counter()
    with pytest.raises(UserError, match=r"mais de 20\.000 linhas"):
        read_rows(UNITS, path)
    elapsed = time.perf_counter() - start
    print(f"100k-row csv refused in {elapsed:.2f}s")
    assert elapsed < 8


@pytest.mark.parametrize("fmt", FORMATS)
def test_exactly_max_rows_is_accepted(tmp_path, fmt):
    rows = [["Tipo", "Nome"]] + [["CRAS", str(n)] for n in range(MAX_ROWS)]
    path = tmp_path / f"u.{fmt}"
    if fmt == "xlsx":
        workbook = openpyxl.Workbook(write_only=True)
        sheet = workbook.create_sheet("Unidades")
        for row in rows:
            sheet.append(row)
        workbook.save(path)
    else:
        _csv(path, rows)
    result = read_rows(UNITS, path)
    assert len(result) == MAX_ROWS and result[-1].line == MAX_ROWS + 1
    rows.append(["CRAS", "um a mais"])
    _csv(tmp_path / "mais.csv", rows)
    with pytest.raises(UserError, match=r"mais de 20\.000"):
        read_rows(UNITS, tmp_path / "mais.csv")
