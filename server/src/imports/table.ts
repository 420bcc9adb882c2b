import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { badRequest } from '../http/errors.js';

export type TableRow = { row: number; values: Record<string, string> };
export type Table = { headers: string[]; rows: TableRow[] };

export const MAX_IMPORT_ROWS = 100_000;

/**
 * Reads a CSV (UTF-8, with or without BOM; GB18030 is not guessed) or an XLSX upload into rows keyed
 * by header. Row numbers are the spreadsheet's: the header is row 1, so the first entry is row 2.
 */
export async function readTable(data: Buffer, fileName: string): Promise<Table> {
  const lower = fileName.toLowerCase();
  const isXlsx = lower.endsWith('.xlsx') || (data[0] === 0x50 && data[1] === 0x4b); // "PK": a zip container
  let grid: string[][];
  if (isXlsx) grid = await readXlsx(data);
  else {
    try {
      grid = parseCsv(data, { bom: true, relax_column_count: true, trim: true }) as string[][];
    } catch (err) {
      throw badRequest(`file: not a readable CSV (${(err as Error).message})`, [{ path: 'file', message: 'not a readable CSV' }]);
    }
  }
  const [head, ...body] = grid;
  if (!head || head.every((h) => !h)) throw badRequest('file: the first row must hold the column headers', [{ path: 'file', message: 'no header row' }]);
  if (body.length > MAX_IMPORT_ROWS) throw badRequest(`file: at most ${MAX_IMPORT_ROWS} rows`, [{ path: 'file', message: 'too many rows' }]);
  const headers = head.map((h) => String(h ?? '').trim());
  const rows: TableRow[] = [];
  body.forEach((cells, i) => {
    if (cells.every((c) => !String(c ?? '').trim())) return;
    const values: Record<string, string> = {};
    headers.forEach((h, j) => {
      if (h) values[h] = String(cells[j] ?? '').trim();
    });
    rows.push({ row: i + 2, values });
  });
  return { headers, rows };
}

async function readXlsx(data: Buffer): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(data as unknown as ArrayBuffer);
  } catch (err) {
    throw badRequest(`file: not a readable XLSX workbook (${(err as Error).message})`, [{ path: 'file', message: 'not a readable XLSX' }]);
  }
  const sheet = wb.worksheets[0];
  if (!sheet) return [];
  const grid: string[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row, n) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      cells[col - 1] = cellText(cell.value);
    });
    grid[n - 1] = Array.from(cells, (c) => c ?? '');
  });
  return Array.from(grid, (r) => r ?? []);
}

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((t) => t.text).join('');
    if ('text' in v) return String(v.text);
    if ('result' in v) return v.result === undefined ? '' : String(v.result);
    return '';
  }
  return String(v);
}
