"""Register spreadsheets: read a filled .xlsx/.csv, write the blank template and export the records.

One :class:`~suas_desktop.domain.register_fields.RegisterSpec` drives everything: headers are the field
labels, cells hold what a person types in Excel, and :func:`write_records` writes a file that
:func:`read_rows` + ``parse_value`` read back to the very same stored values.

Reading never shows a traceback: a file that cannot be used raises :class:`UserError` with a pt-BR
message. Files are streamed (openpyxl read-only mode, CSV line by line) and a sheet with more than
:data:`MAX_ROWS` data rows is refused before it is read in full. Messages never quote cell contents.
"""

from __future__ import annotations

import codecs
import csv
import errno
import io
import logging
import re
import unicodedata
import warnings
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Any
from xml.etree import ElementTree

import openpyxl
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet.datavalidation import DataValidation

from suas_desktop.atomic_files import atomic_writer
from suas_desktop.domain.register_fields import (
    FieldKind,
    FieldSpec,
    RegisterSpec,
    format_date,
    format_money,
    format_value,
    is_blank,
    parse_value,
)
from suas_desktop.domain.registers import REGISTERS
from suas_desktop.errors import DiskFull, KnownError, UserError

log = logging.getLogger("suas_desktop.documents")

#: A register sheet with more data rows than this is refused before it is read in full.
MAX_ROWS = 20_000
#: Rows scanned in an .xlsx, blank formatted ones included, before giving up on a sheet.
_MAX_SHEET_ROWS = 10 * MAX_ROWS
#: The header is looked for among the first rows of a sheet.
_HEADER_SEARCH_ROWS = 100

XLSX_SUFFIXES = (".xlsx", ".xlsm")
CSV_SUFFIXES = (".csv", ".txt")

MONEY_FORMAT = '"R$" #,##0.00'
DATE_FORMAT = "dd/mm/yyyy"
TEXT_FORMAT = "@"
INSTRUCTIONS_SHEET = "Instruções"
LISTS_SHEET = "Listas"

KIND_NAMES: Mapping[FieldKind, str] = MappingProxyType(
    {
        FieldKind.TEXT: "Texto",
        FieldKind.LONG_TEXT: "Texto",
        FieldKind.INT: "Número inteiro",
        FieldKind.MONEY: "Valor em R$",
        FieldKind.DATE: "Data dd/mm/aaaa",
        FieldKind.BOOL: "Sim/Não",
        FieldKind.CHOICE: "Lista",
        FieldKind.CNPJ: "CNPJ",
        FieldKind.CPF: "CPF",
        FieldKind.REF: "Referência",
    }
)

_NO_REFS: Mapping[str, Mapping[str, str]] = MappingProxyType({})
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and every password-protected Office file
_ZIP_MAGIC = b"PK\x03\x04"
#: Text a spreadsheet program would run as a formula when it opens a CSV (OWASP "CSV injection").
_FORMULA_START = ("=", "+", "-", "@")
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_HEADER_FONT = Font(bold=True)
_EXAMPLE_FONT = Font(italic=True, color="808080")
_MIN_WIDTH, _MAX_WIDTH = 10, 60
_SERIAL_1950, _SERIAL_2100 = 18_264, 73_415  # Excel serials of 01/01/1950 and 31/12/2100


@dataclass(frozen=True)
class SheetRow:
    """One non-empty data row.

    ``line`` is the row number the user sees in Excel or in the CSV (the header is line 1 unless blank
    lines come before it). ``values`` holds the raw cell of every column present in the file, keyed by
    field name: ``str`` (stripped), ``int``, ``float``, ``datetime``, ``bool`` or ``None`` (blank).
    Optional columns missing from the file are absent from ``values``.
    """

    line: int
    values: dict[str, Any]


# ====================================================================== reading
def read_rows(spec: RegisterSpec, path: Path) -> list[SheetRow]:
    """The data rows of a filled register spreadsheet (.xlsx or .csv); raises UserError if unusable."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise UserError(
            "O formato antigo do Excel (.xls) não é aceito.",
            hint="Abra o arquivo no Excel e use “Salvar como” > “Pasta de Trabalho do Excel (.xlsx)”.",
        )
    if suffix == ".ods":
        raise UserError(
            "Planilhas do LibreOffice (.ods) não são aceitas.",
            hint="Abra o arquivo no LibreOffice e use “Salvar como” > “Excel 2007-365 (.xlsx)”.",
        )
    if suffix not in XLSX_SUFFIXES + CSV_SUFFIXES:
        raise UserError("Escolha uma planilha do Excel (.xlsx) ou um arquivo CSV (.csv).")
    head = _read_head(path)
    if not head:
        raise UserError("O arquivo está vazio.", hint="Escolha a planilha preenchida.")
    if suffix in XLSX_SUFFIXES:
        return _read_xlsx(spec, path, head)
    return _read_csv(spec, path, head)


def _read_head(path: Path) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read(4096)
    except FileNotFoundError:
        raise UserError(
            "O arquivo não foi encontrado.", hint="Ele pode ter sido movido ou apagado."
        ) from None
    except IsADirectoryError:
        raise UserError("Escolha um arquivo, não uma pasta.") from None
    except PermissionError:
        raise UserError(
            "Sem permissão para ler o arquivo.",
            hint="Se ele estiver aberto em outro programa, feche-o e tente de novo.",
        ) from None
    except OSError as exc:
        log.warning("spreadsheet unreadable: %s", type(exc).__name__)
        raise UserError(
            "Não foi possível ler o arquivo.", hint="Copie-o para o computador e tente de novo."
        ) from None


# ---------------------------------------------------------------- header matching
def _normalize_header(text: str) -> str:
    """Case-, accent- and space-insensitive key: "Código no CadSUAS" -> "codigonocadsuas"."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return "".join(plain.casefold().split())


def _header_keys(spec: RegisterSpec) -> dict[str, FieldSpec]:
    keys: dict[str, FieldSpec] = {}
    for f in spec.fields:  # field names first, so labels win any clash
        keys[_normalize_header(f.name)] = f
    for f in spec.fields:
        keys[_normalize_header(f.label)] = f
    return keys


@dataclass(frozen=True)
class _Header:
    line: int
    columns: dict[int, FieldSpec]  # 0-based column index -> field
    unknown: tuple[str, ...]
    missing: tuple[FieldSpec, ...]
    duplicated: tuple[FieldSpec, ...]

    @property
    def ok(self) -> bool:
        return not (self.unknown or self.missing or self.duplicated)

    @property
    def width(self) -> int:
        return max(self.columns) + 1 if self.columns else 0


def _match_header(spec: RegisterSpec, line: int, cells: Sequence[Any]) -> _Header:
    keys = _header_keys(spec)
    columns: dict[int, FieldSpec] = {}
    unknown: list[str] = []
    duplicated: list[FieldSpec] = []
    for index, cell in enumerate(cells):
        if is_blank(cell):
            continue
        text = " ".join(str(cell).split())
        f = keys.get(_normalize_header(text))
        if f is None:
            unknown.append(text)
        elif f in columns.values():
            if f not in duplicated:
                duplicated.append(f)
        else:
            columns[index] = f
    present = set(columns.values())
    missing = tuple(f for f in spec.fields if f.required and f not in present)
    return _Header(line, columns, tuple(unknown), missing, tuple(duplicated))


def _quote_list(names: Sequence[str]) -> str:
    quoted = [f"“{name}”" for name in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " e " + quoted[-1]


def _header_error(spec: RegisterSpec, header: _Header) -> UserError:
    sentences = []
    if header.unknown:
        if len(header.unknown) == 1:
            sentences.append(
                f"A coluna {_quote_list(header.unknown)} não existe no cadastro de {spec.label}."
            )
        else:
            sentences.append(
                f"As colunas {_quote_list(header.unknown)} não existem no cadastro de {spec.label}."
            )
    if header.duplicated:
        labels = [f.label for f in header.duplicated]
        verb = "aparece" if len(labels) == 1 else "aparecem"
        sentences.append(
            f"{'A coluna' if len(labels) == 1 else 'As colunas'} {_quote_list(labels)} {verb} duas vezes."
        )
    if header.missing:
        labels = [f.label for f in header.missing]
        if len(labels) == 1:
            sentences.append(f"Falta a coluna obrigatória {_quote_list(labels)}.")
        else:
            sentences.append(f"Faltam as colunas obrigatórias {_quote_list(labels)}.")
    return UserError(
        "\n".join(sentences),
        hint=f"Os títulos da linha {header.line} devem ser os do modelo de planilha de {spec.label}.",
    )


# ---------------------------------------------------------------- rows -> SheetRow
def _too_many_rows() -> UserError:
    return UserError(
        f"A planilha tem mais de {MAX_ROWS:,} linhas de dados.".replace(",", "."),
        hint="Confira se escolheu o arquivo certo; um cadastro do município não chega a tantas linhas.",
    )


def _no_data(spec: RegisterSpec) -> UserError:
    return UserError(
        f"A planilha não tem nenhuma linha de dados de {spec.label} abaixo dos títulos.",
        hint="Preencha uma linha por registro, a partir da linha 2.",
    )


def _is_empty_row(cells: Sequence[Any]) -> bool:
    return all(is_blank(cell) for cell in cells)


def _collect_rows(
    spec: RegisterSpec,
    header: _Header,
    rows: Iterable[tuple[int, Sequence[Any]]],
    convert: Any,
) -> list[SheetRow]:
    """SheetRows from (line, cells) after the header; ``convert(field, raw)`` cleans one cell."""
    result: list[SheetRow] = []
    width = header.width
    for line, cells in rows:
        if _is_empty_row(cells):
            continue
        stray = next(
            (i for i, cell in enumerate(cells) if not is_blank(cell) and i not in header.columns),
            None,
        )
        if stray is not None:
            raise UserError(
                f"A linha {line} tem dados na coluna {get_column_letter(stray + 1)}, que não tem título.",
                hint="Dê à coluna um dos títulos do modelo ou apague os dados dela.",
            )
        if len(result) >= MAX_ROWS:
            raise _too_many_rows()
        padded = list(cells[:width]) + [None] * (width - len(cells))
        values = {f.name: convert(f, padded[index]) for index, f in header.columns.items()}
        result.append(SheetRow(line, values))
    if not result:
        raise _no_data(spec)
    return result


# ---------------------------------------------------------------- xlsx
def _not_xlsx() -> UserError:
    return UserError(
        "O arquivo não é uma planilha do Excel (.xlsx) válida.",
        hint="Abra-o no Excel e use “Salvar como” > “Pasta de Trabalho do Excel (.xlsx)”.",
    )


def _read_xlsx(spec: RegisterSpec, path: Path, head: bytes) -> list[SheetRow]:
    if head.startswith(_OLE_MAGIC):
        raise UserError(
            "A planilha está protegida por senha ou está no formato antigo do Excel (.xls).",
            hint="Abra-a no Excel, tire a senha (Arquivo > Informações > Proteger pasta de trabalho) "
            "e salve como .xlsx.",
        )
    if not head.startswith(_ZIP_MAGIC):
        raise _not_xlsx()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions it drops
        try:
            workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # BadZipFile, KeyError (no workbook part), InvalidFileException…
            log.warning("xlsx unreadable: %s", type(exc).__name__)
            raise _not_xlsx() from None
        try:
            return _read_workbook(spec, workbook)
        except UserError:
            raise
        except Exception as exc:  # a damaged file must never end in a traceback
            log.warning("xlsx unreadable while reading: %s", type(exc).__name__)
            raise UserError(
                "Não foi possível ler a planilha: o arquivo parece estar danificado.",
                hint="Abra-o no Excel, salve uma cópia como .xlsx e tente de novo.",
            ) from None
        finally:
            workbook.close()


@contextmanager
def _sheet_rows(sheet: Any) -> Iterator[Iterator[tuple[int, tuple[Any, ...]]]]:
    """(line, values) for every row, blank ones included, line = the sheet row number."""
    sheet.reset_dimensions()  # never trust the stored dimension: some writers get it wrong
    rows = sheet.iter_rows(values_only=True)
    try:
        yield enumerate(rows, start=1)
    finally:
        rows.close()  # releases the sheet's stream inside the zip


def _find_header(spec: RegisterSpec, sheet: Any) -> _Header | None:
    with _sheet_rows(sheet) as rows:
        for line, cells in rows:
            if line > _HEADER_SEARCH_ROWS:
                return None
            if not _is_empty_row(cells):
                return _match_header(spec, line, [_clean_text(c) for c in cells])
    return None


def _read_workbook(spec: RegisterSpec, workbook: Any) -> list[SheetRow]:
    chosen: tuple[Any, _Header] | None = None
    fallback: tuple[Any, _Header] | None = None
    for sheet in workbook.worksheets:
        header = _find_header(spec, sheet)
        if header is None:
            continue
        if header.ok:
            chosen = (sheet, header)
            break
        fallback = fallback or (sheet, header)
    if chosen is None:
        if fallback is None:
            raise UserError("A planilha está vazia.", hint="Escolha a planilha preenchida.")
        raise _header_error(spec, fallback[1])
    sheet, header = chosen

    merged, last_line = _scan_sheet(sheet)
    if merged:
        shown = ", ".join(merged[:3]) + (f" e mais {len(merged) - 3}" if len(merged) > 3 else "")
        raise UserError(
            f"A planilha tem células mescladas ({shown}). Desfaça a mesclagem e tente de novo.",
            hint="No Excel: selecione tudo e use Página Inicial > Mesclar e Centralizar > "
            "Desfazer Mesclagem.",
        )

    epoch = workbook.epoch

    def convert(f: FieldSpec, raw: Any) -> Any:
        return _xlsx_value(f, raw, epoch)

    def data_rows() -> Iterator[tuple[int, Sequence[Any]]]:
        with _sheet_rows(sheet) as rows:
            for line, cells in rows:
                if line > last_line:
                    break
                if line > header.line:
                    yield line, [_clean_text(c) for c in cells]

    with closing(data_rows()) as rows:  # close the sheet stream even when a row is refused
        return _collect_rows(spec, header, rows, convert)


_MERGE_TAG = "mergeCell"


def _scan_sheet(sheet: Any) -> tuple[list[str], int]:
    """Merged ranges and the last line with a value, by a fast pass over the sheet XML.

    Refuses the sheet as soon as it has more than MAX_ROWS data rows (header + MAX_ROWS non-empty
    rows), so a huge file costs a fraction of a second and constant memory.
    """
    merged: list[str] = []
    rows_with_values = 0
    rows_seen = 0
    last_line = 0
    line = 0
    row_has_value = False
    sheet_data = None
    with sheet._get_source() as source:  # openpyxl's own stream of this sheet's XML
        # The XML comes from the user's own file; expat (≥ 2.4) refuses entity-expansion bombs.
        for event, element in ElementTree.iterparse(source, events=("start", "end")):  # noqa: S314
            tag = element.tag.rpartition("}")[2]
            if event == "start":
                if tag == "row":
                    row_has_value = False
                    number = element.get("r")
                    line = int(number) if number and number.isdigit() else line + 1
                elif tag == "sheetData":
                    sheet_data = element
                continue
            if tag in {"v", "is"}:
                row_has_value = row_has_value or tag == "is" or bool((element.text or "").strip())
            elif tag == "row":
                rows_seen += 1
                if row_has_value:
                    rows_with_values += 1
                    last_line = line
                    if rows_with_values > MAX_ROWS + 1:
                        raise _too_many_rows()
                if rows_seen > _MAX_SHEET_ROWS:
                    raise UserError(
                        f"A planilha tem mais de {_MAX_SHEET_ROWS:,} linhas, contando as linhas em branco "
                        "formatadas.".replace(",", "."),
                        hint="Copie só as linhas com dados para uma planilha nova e importe essa.",
                    )
                if sheet_data is not None:
                    sheet_data.clear()  # keep memory flat
            elif tag == _MERGE_TAG:
                ref = element.get("ref")
                if ref:
                    merged.append(ref)
    return merged, last_line


def _clean_text(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _xlsx_value(f: FieldSpec, value: Any, epoch: Any) -> Any:
    """A cell as typed in Excel, with the losses of the number type undone where that is safe."""
    if isinstance(value, float):
        value = float(f"{value:.15g}")  # Excel shows 15 significant digits: drop the binary noise
        if value.is_integer() and abs(value) < 2**53:
            value = int(value)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    # A date whose cell lost its date format shows as a serial number; only 1950–2100 is taken as a
    # date, so a year typed in a date column (2026) is rejected by parse_value instead of becoming 1905.
    if f.kind is FieldKind.DATE and _SERIAL_1950 <= value <= _SERIAL_2100:
        try:
            return from_excel(value, epoch)
        except (ValueError, OverflowError):
            return value
    if isinstance(value, int) and value >= 0:
        if f.kind is FieldKind.CPF:
            return str(value).zfill(11)  # Excel drops the leading zeros of a CPF typed as a number
        if f.kind is FieldKind.CNPJ:
            return str(value).zfill(14)
    return value


# ---------------------------------------------------------------- csv
def _read_csv(spec: RegisterSpec, path: Path, head: bytes) -> list[SheetRow]:
    if head.startswith(_ZIP_MAGIC) or head.startswith(_OLE_MAGIC):
        raise UserError(
            "O arquivo parece ser uma planilha do Excel, não um CSV.",
            hint="Escolha o arquivo com a extensão .xlsx ou salve a planilha como CSV.",
        )
    if head.startswith(codecs.BOM_UTF8):
        encodings = ["utf-8-sig"]
    elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ["utf-16"]
    else:
        if b"\x00" in head:
            raise _not_csv()
        encodings = ["utf-8", "cp1252"]
    for encoding in encodings:
        try:
            return _read_csv_text(spec, path, encoding)
        except UnicodeDecodeError:
            continue
    raise _not_csv()


def _not_csv() -> UserError:
    return UserError(
        "O arquivo não é um CSV de texto.",
        hint="No Excel, use “Salvar como” > “CSV UTF-8 (separado por vírgulas)” ou salve como .xlsx.",
    )


def _sniff_delimiter(spec: RegisterSpec, line: str) -> str:
    """The delimiter that turns the header line into the most known columns (';' wins ties)."""
    keys = _header_keys(spec)
    best, best_score = ";", (-1, -1)
    for delimiter in (";", ",", "\t"):
        try:
            cells = next(csv.reader([line], delimiter=delimiter), [])
        except csv.Error:
            continue
        known = sum(1 for cell in cells if _normalize_header(cell) in keys)
        score = (known, len(cells))
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _csv_value(_field: FieldSpec, value: Any) -> Any:
    if value is None:
        return None
    if len(value) > 1 and value[0] == "'" and value[1] in "=+-@":
        return value[1:]  # undo the protection write_records adds against formulas
    return value


def _read_csv_text(spec: RegisterSpec, path: Path, encoding: str) -> list[SheetRow]:
    errors = "replace" if encoding == "cp1252" else "strict"  # cp1252 leaves 5 bytes undefined
    try:
        with open(path, encoding=encoding, errors=errors, newline="") as handle:
            first_line = handle.readline()
            # Excel hides a first "sep=;" line, so the header stays line 1 after it.
            marker = re.fullmatch(r"\s*sep=(.)\s*", first_line)
            if marker:
                delimiter = marker.group(1)
            else:
                sample = first_line
                for _ in range(_HEADER_SEARCH_ROWS):  # sniff on the first line with text
                    if sample.strip(" \t\r\n;,") or not sample:
                        break
                    sample = handle.readline()
                delimiter = _sniff_delimiter(spec, sample)
                handle.seek(0)
            records = csv.reader(handle, delimiter=delimiter)
            lines = ((number, [_clean_text(c) for c in cells]) for number, cells in enumerate(records, 1))
            header: _Header | None = None
            for line, cells in lines:
                if line > _HEADER_SEARCH_ROWS:
                    break
                if not _is_empty_row(cells):
                    header = _match_header(spec, line, cells)
                    break
            if header is None:
                raise UserError("O arquivo está vazio.", hint="Escolha a planilha preenchida.")
            if not header.ok:
                raise _header_error(spec, header)
            return _collect_rows(spec, header, _limit_scan(lines), _csv_value)
    except csv.Error as exc:
        log.warning("csv unreadable: %s", type(exc).__name__)
        raise _not_csv() from None
    except UnicodeDecodeError:
        raise
    except (OSError, ValueError) as exc:
        log.warning("csv unreadable: %s", type(exc).__name__)
        raise UserError(
            "Não foi possível ler o arquivo.", hint="Copie-o para o computador e tente de novo."
        ) from None


def _limit_scan(lines: Iterable[tuple[int, list[Any]]]) -> Iterator[tuple[int, list[Any]]]:
    for line, cells in lines:
        if line > _MAX_SHEET_ROWS:
            raise _too_many_rows()
        yield line, cells


# ====================================================================== writing
def _sheet_title(label: str) -> str:
    title = " ".join(_SHEET_TITLE_FORBIDDEN.sub(" ", label).split()).strip("'")[:31].strip()
    return title or "Dados"


def _check_suffix(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise UserError("Salve a planilha com a extensão .xlsx (Excel) ou .csv.")
    return suffix


def _save(path: Path, write: Any) -> None:
    """Run ``write(binary_file)`` through atomic_writer, turning disk problems into pt-BR errors."""
    try:
        with atomic_writer(path) as handle:
            write(handle)
    except OSError as exc:
        log.warning("spreadsheet not saved: %s errno=%s", type(exc).__name__, exc.errno)
        if exc.errno == errno.ENOSPC:
            raise DiskFull("Não há espaço no disco para salvar a planilha.") from None
        if isinstance(exc, FileNotFoundError):
            raise KnownError("A pasta escolhida para salvar a planilha não existe mais.") from None
        raise KnownError(
            "Não foi possível salvar a planilha.",
            hint="Se um arquivo com esse nome estiver aberto no Excel, feche-o; ou escolha outra pasta.",
        ) from None


def _xlsx_cell(f: FieldSpec, value: Any, ref_labels: Mapping[str, str]) -> tuple[Any, str | None]:
    """A stored value -> (cell value, number format)."""
    if value is None or value == "":
        return None, None
    kind = f.kind
    try:
        if kind is FieldKind.MONEY:
            centavos = int(value)
            return (centavos // 100 if centavos % 100 == 0 else centavos / 100), MONEY_FORMAT
        if kind is FieldKind.DATE:
            day = value if isinstance(value, date) else date.fromisoformat(str(value))
            return day, DATE_FORMAT
        if kind is FieldKind.INT:
            return int(value), None
    except (TypeError, ValueError):
        return _safe_text(str(value)), TEXT_FORMAT
    if kind is FieldKind.REF:
        return _safe_text(ref_labels.get(str(value), str(value))), TEXT_FORMAT
    if kind is FieldKind.CPF:
        return _safe_text(str(value)), TEXT_FORMAT
    if kind in (FieldKind.BOOL, FieldKind.CHOICE, FieldKind.CNPJ):
        return _safe_text(_display(f, value)), TEXT_FORMAT
    return _safe_text(str(value)), TEXT_FORMAT


def _display(f: FieldSpec, value: Any) -> str:
    try:
        return format_value(f, value)
    except (TypeError, ValueError):
        return str(value)


def _safe_text(text: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def _set_cell(cell: Any, value: Any, number_format: str | None) -> None:
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # text, never a formula
    if number_format:
        cell.number_format = number_format


def _width(texts: Iterable[str]) -> float:
    longest = max((max(len(part) for part in text.split("\n")) for text in texts if text), default=0)
    return float(min(max(longest + 3, _MIN_WIDTH), _MAX_WIDTH))


def _add_choice_lists(workbook: Any, sheet: Any, spec: RegisterSpec, last_row: int) -> None:
    """Dropdowns for CHOICE columns: inline when the list is short, else a range on a hidden sheet."""
    lists_sheet = None
    for column, f in enumerate(spec.fields, start=1):
        if f.kind is not FieldKind.CHOICE or not f.choices:
            continue
        labels = [label for _, label in f.choices]
        inline = ",".join(labels)
        if len(inline) <= 250 and not any("," in label or '"' in label for label in labels):
            formula = f'"{inline}"'
        else:
            if lists_sheet is None:
                lists_sheet = workbook.create_sheet(LISTS_SHEET)
                lists_sheet.sheet_state = "hidden"
                lists_column = 0
            lists_column += 1
            letter = get_column_letter(lists_column)
            for row, label in enumerate(labels, start=1):
                lists_sheet.cell(row=row, column=lists_column, value=_safe_text(label))
            formula = f"'{LISTS_SHEET}'!${letter}$1:${letter}${len(labels)}"
        validation = DataValidation(
            type="list",
            formula1=formula,
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Valor fora da lista",
            error=f"{f.label}: escolha uma das opções da lista.",
        )
        letter = get_column_letter(column)
        validation.add(f"{letter}2:{letter}{last_row}")
        sheet.add_data_validation(validation)


def _register_sheet(workbook: Any, spec: RegisterSpec) -> Any:
    sheet = workbook.active
    sheet.title = _sheet_title(spec.label)
    for column, f in enumerate(spec.fields, start=1):
        cell = sheet.cell(row=1, column=column, value=f.label)
        cell.font = _HEADER_FONT
        if f.kind in (FieldKind.TEXT, FieldKind.LONG_TEXT, FieldKind.REF, FieldKind.CPF, FieldKind.CNPJ):
            # New cells typed under the header keep leading zeros (CPF, codes, plaquetas).
            sheet.column_dimensions[get_column_letter(column)].number_format = TEXT_FORMAT
    sheet.freeze_panes = "A2"
    return sheet


def write_template(spec: RegisterSpec, path: Path) -> None:
    """The blank spreadsheet a person fills in: header + one example row (+ instructions in .xlsx)."""
    path = Path(path)
    if _check_suffix(path) == ".csv":
        text = _csv_text([[f.label for f in spec.fields], [f.example for f in spec.fields]])
        _save(path, lambda handle: handle.write(text))
        return

    workbook = openpyxl.Workbook()
    sheet = _register_sheet(workbook, spec)
    for column, f in enumerate(spec.fields, start=1):
        value, number_format = _template_example(f)
        cell = sheet.cell(row=2, column=column)
        _set_cell(cell, value, number_format)
        cell.font = _EXAMPLE_FONT
        sheet.column_dimensions[get_column_letter(column)].width = _width([f.label, f.example])
    _add_choice_lists(workbook, sheet, spec, MAX_ROWS + 1)
    _instructions_sheet(workbook, spec)
    _save(path, workbook.save)


def _template_example(f: FieldSpec) -> tuple[Any, str | None]:
    if not f.example:
        return None, None
    if f.kind is FieldKind.REF:  # the example already is the title of the referenced record
        return f.example, TEXT_FORMAT
    try:
        stored = parse_value(f, f.example)
    except ValueError:
        return f.example, TEXT_FORMAT
    return _xlsx_cell(f, stored, {})


def _instructions_sheet(workbook: Any, spec: RegisterSpec) -> None:
    sheet = workbook.create_sheet(INSTRUCTIONS_SHEET)
    intro = (
        f"Preencha a planilha “{_sheet_title(spec.label)}” com um registro de {spec.label} por linha, "
        "a partir da linha 2. A linha 2 (em cinza) é só um exemplo: apague-a antes de importar. "
        "Não mude os títulos da linha 1."
    )
    sheet.cell(row=1, column=1, value=intro).font = Font(bold=True)
    headers = ("Coluna", "Obrigatória", "Tipo", "Opções aceitas", "Exemplo", "Observação")
    for column, title in enumerate(headers, start=1):
        sheet.cell(row=2, column=column, value=title).font = _HEADER_FONT
    rows = [_instruction_row(f) for f in spec.fields]
    for row_number, row in enumerate(rows, start=3):
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(row=row_number, column=column, value=_safe_text(value) or None)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if value.startswith("="):
                cell.data_type = "s"
    for column, title in enumerate(headers, start=1):
        texts = [title] + [row[column - 1] for row in rows]
        sheet.column_dimensions[get_column_letter(column)].width = min(_width(texts), 50)
    sheet.freeze_panes = "A3"


def _instruction_row(f: FieldSpec) -> tuple[str, ...]:
    options = "; ".join(label for _, label in f.choices) if f.kind is FieldKind.CHOICE else ""
    note = f.help
    if not note and f.kind is FieldKind.REF and f.ref in REGISTERS:
        note = f"O nome de um registro do cadastro de {REGISTERS[f.ref].label}, escrito como está lá."
    return (f.label, "Sim" if f.required else "Não", KIND_NAMES[f.kind], options, f.example, note)


def write_records(
    spec: RegisterSpec,
    rows: Iterable[Mapping[str, Any]],
    path: Path,
    *,
    ref_labels: Mapping[str, Mapping[str, str]] = _NO_REFS,
) -> int:
    """Export stored records to .xlsx or .csv that read_rows + parse_value read back unchanged.

    ``rows`` hold stored values (as validate_record returns them); keys that are not fields are
    ignored. REF ids are written as ``ref_labels[field.name][id]`` (the id itself when unknown).
    Returns the number of records written.
    """
    path = Path(path)
    suffix = _check_suffix(path)
    records = list(rows)
    if suffix == ".csv":
        table = [[f.label for f in spec.fields]]
        table += [
            [_csv_cell(f, record.get(f.name), ref_labels.get(f.name, {})) for f in spec.fields]
            for record in records
        ]
        text = _csv_text(table)
        _save(path, lambda handle: handle.write(text))
        return len(records)

    workbook = openpyxl.Workbook()
    sheet = _register_sheet(workbook, spec)
    widths: list[list[str]] = [[f.label] for f in spec.fields]
    for row_number, record in enumerate(records, start=2):
        for column, f in enumerate(spec.fields, start=1):
            stored = record.get(f.name)
            value, number_format = _xlsx_cell(f, stored, ref_labels.get(f.name, {}))
            if value is None:
                continue
            _set_cell(sheet.cell(row=row_number, column=column), value, number_format)
            if row_number <= 500:
                shown = value if isinstance(value, str) else _display(f, stored)
                widths[column - 1].append(shown)
    last_column = get_column_letter(len(spec.fields))
    for column, texts in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = _width(texts)
    sheet.auto_filter.ref = f"A1:{last_column}{len(records) + 1}"
    _add_choice_lists(workbook, sheet, spec, max(len(records) + 1, 2) + 1000)
    _save(path, workbook.save)
    return len(records)


def _csv_cell(f: FieldSpec, value: Any, ref_labels: Mapping[str, str]) -> str:
    if value is None or value == "":
        return ""
    kind = f.kind
    if kind is FieldKind.INT and isinstance(value, int):
        return str(value)  # no thousands dot: years stay "2026"
    if kind is FieldKind.MONEY:
        return format_money(int(value))
    if kind is FieldKind.DATE:
        try:
            return format_date(value)
        except ValueError:
            return str(value)
    if kind is FieldKind.CPF:
        digits = str(value)
        if len(digits) == 11 and digits.isdigit():
            return f"{digits[:3]}.{digits[3:6]}.{digits[6:9]}-{digits[9:]}"  # Excel keeps it as text
        return digits
    if kind is FieldKind.REF:
        text = ref_labels.get(str(value), str(value))
    elif kind in (FieldKind.TEXT, FieldKind.LONG_TEXT):
        text = str(value)
    else:
        return _display(f, value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _csv_text(table: Iterable[Sequence[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerows(table)
    return codecs.BOM_UTF8 + buffer.getvalue().encode("utf-8")


__all__ = [
    "MAX_ROWS",
    "SheetRow",
    "read_rows",
    "write_records",
    "write_template",
]
