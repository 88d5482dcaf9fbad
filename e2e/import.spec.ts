import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { signIn } from './helpers.ts';

const HEADER =
  '药材,形态,规格,炮制,等级,产地,道地,批号,数量kg,生产日期,有效期至,单价元每kg,起订kg,含量,水分,总灰分,重金属,农残,二氧化硫,种植基地,采收日期,配送地区,交货天数';

/**
 * Bulk import: a supplier uploads a CSV with one bad row (a price with more than two decimals). All or
 * nothing refuses the file and names the row; importing the valid rows imports the rest and reports it.
 */
test('supplier imports a CSV with a bad row: progress, the row error, then the valid rows', async ({ page }, info) => {
  const dir = info.outputPath('import');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'catalog-e2e.csv');
  const batch = `E2E-${Date.now().toString(36).toUpperCase()}`;
  writeFileSync(
    file,
    [
      HEADER,
      `党参,饮片,段,生,选货,甘肃文县,是,${batch}-1,120,2025-10-01,2027-09-30,88.00,5,,10.2,4.1,,,,文县基地,2025-09-10,330106,3`,
      `白术,饮片,片,炒,统货,浙江磐安,是,${batch}-2,80,2025-10-01,2027-09-30,66.666,5,,11.0,4.5,,,,磐安基地,2025-09-12,330106,3`,
      `茯苓,饮片,块,生,统货,云南普洱,否,${batch}-3,200,2025-10-01,2027-09-30,42.50,10,,12.1,1.5,,,,普洱基地,2025-09-15,330106,4`,
    ].join('\n'),
  );

  await signIn(page, 'supplier@bencao.demo');
  await page.goto('/zh/catalog/import');
  await page.getByLabel('文件').setInputFiles(file);
  await page.getByRole('button', { name: '开始导入' }).click();
  const first = page.getByTestId('import-row').filter({ hasText: 'catalog-e2e.csv' }).first();
  await expect(first).toContainText('失败', { timeout: 30_000 });
  await expect(first.getByTestId('import-error-count')).toHaveText('1');
  await expect(first).toContainText('第 3 行');
  await expect(first.getByRole('link')).toHaveAttribute('href', /errors\.csv$/);
  await page.screenshot({ path: 'test-results/screens/import-failed.png', fullPage: true });

  await page.getByLabel('文件').setInputFiles(file);
  await page.getByLabel('导入方式').selectOption('valid_rows');
  await page.getByRole('button', { name: '开始导入' }).click();
  const second = page.getByTestId('import-row').filter({ hasText: '只导入正确行' }).first();
  await expect(second).toContainText('已完成', { timeout: 30_000 });
  await expect(second.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100');
  await expect(second.getByTestId('import-error-count')).toHaveText('1');
  await page.screenshot({ path: 'test-results/screens/import-valid-rows.png', fullPage: true });
});
