import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startVigil, removeDir } from '../../server/test/acceptance/vigil-process.ts';
import { launchBrowser, openPage } from './browser-kit.ts';

test('the shell loads with navigation and no console errors', async (t) => {
  const vigil = await startVigil();
  t.after(async () => {
    await vigil.stop();
    removeDir(vigil.dataDir);
  });
  const browser = await launchBrowser();
  t.after(() => browser.close());
  const { page, errors } = await openPage(browser, `${vigil.url}/#/explore`);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Alerts' }).waitFor();
  assert.equal(await page.title(), 'Vigil');
  assert.deepEqual(errors, []);
});
