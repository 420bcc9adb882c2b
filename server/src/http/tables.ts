import type { Response } from 'express';
import ExcelJS from 'exceljs';
import { csvDocument } from './csv.js';

type Cell = string | number | null | undefined;

/**
 * Sends a table as a download: CSV (UTF-8 with BOM, CRLF, formulas defused) or XLSX with a bold header
 * row kept in view. `fileBase` is the file name without its extension.
 */
export async function sendTable(
  res: Response,
  format: 'csv' | 'xlsx',
  fileBase: string,
  sheetName: string,
  headers: readonly string[],
  rows: readonly (readonly Cell[])[],
): Promise<void> {
  if (format === 'csv') {
    res.type('text/csv; charset=utf-8').attachment(`${fileBase}.csv`).send(csvDocument(headers, rows));
    return;
  }
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(sheetName);
  ws.addRow([...headers]).font = { bold: true };
  for (const r of rows) ws.addRow([...r]);
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  res
    .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    .attachment(`${fileBase}.xlsx`)
    .send(Buffer.from(await wb.xlsx.writeBuffer()));
}
