// Steps several browser tests take on the same screen, written once.
import type { Page } from 'playwright-core';

/**
 * On the entries import page (Chinese): chooses a CSV sheet and checks it. Resolves to the problems the
 * page lists as [row, column] pairs once their table shows, or to [] once the sheet is found importable.
 */
export async function checkEntriesSheet(page: Page, fileName: string, csv: string): Promise<string[][]> {
  await page
    .getByLabel('作品表文件')
    .setInputFiles({ name: fileName, mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByRole('button', { name: '检查文件' }).click();
  const problems = page.getByRole('table', { name: '导入文件中的问题，按行和列列出' });
  const passed = page.getByText(`「${fileName}」检查通过`);
  await problems.or(passed).first().waitFor();
  if (!(await problems.isVisible())) return [];
  return problems
    .locator('tbody tr')
    .evaluateAll((trs) => trs.map((tr) => [...tr.children].slice(0, 2).map((c) => c.textContent ?? '')));
}
