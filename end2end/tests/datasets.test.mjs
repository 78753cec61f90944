// Data assets in a real browser: a CSV is uploaded through the registration form, its first
// rows show as a table on the version's page, it downloads byte for byte, the list finds it by
// tag and format; a Reader sees all of it and no control to change it. Without JavaScript the
// list and its filters still work.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { addByInvitation, signUp, createOrganization, createWorkspace, useServerAndBrowser } from './support/server.mjs';

const env = useServerAndBrowser({ before, after });
const hydrated = (page) => page.locator('body[data-hydrated]').waitFor();

const CSV = 'city,notes\nOslo,"cold, dark"\nLima,"line one\nline two"\n';

test('a CSV is uploaded, previewed and downloaded; a Reader cannot change it', async () => {
  const context = await env.browser().newContext();
  const { page } = await signUp(context, env.server(), { hydrated: true });
  await createOrganization(page, env.server(), { name: 'Contoso', slug: 'contoso', hydrated: true });
  const workspaceUrl = await createWorkspace(page, env.server(), { org: 'contoso', group: 'vision', name: 'detector' });

  await page.getByRole('link', { name: 'Data assets' }).click();
  await page.getByText('No data assets yet.').waitFor();
  await hydrated(page);
  await page.getByText('Register a data asset').click();
  await page.getByLabel('Name', { exact: true }).fill('cities');
  await page.getByLabel('Format', { exact: true }).selectOption('csv');
  await page.locator('#register-file').setInputFiles({
    name: 'cities.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(CSV),
  });
  await page.getByLabel('Tags').fill('region=nordic');
  await page.getByRole('button', { name: 'Register' }).click();
  await page.waitForURL(`${workspaceUrl}/datasets/cities/versions/1`);
  const preview = page.locator('table.preview');
  await preview.waitFor();
  assert.deepEqual(await preview.locator('thead th').allTextContents(), ['city', 'notes']);
  assert.deepEqual(await preview.locator('tbody tr').first().locator('td').allTextContents(), ['Oslo', 'cold, dark']);
  assert.equal(await preview.locator('tbody tr').count(), 2);

  const link = page.getByRole('link', { name: 'Download cities.csv' });
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  assert.equal(download.suggestedFilename(), 'cities.csv');
  let body = '';
  for await (const chunk of await download.createReadStream()) body += chunk;
  assert.equal(body, CSV);

  // The list finds it by tag and by format, and keeps the filters in the URL.
  await page.goto(`${workspaceUrl}/datasets?q=nordic&format=csv`);
  await hydrated(page);
  const row = page.locator('table.datasets tbody tr', { hasText: 'cities' });
  assert.match(await row.textContent(), /cities\s*1\s*CSV/);
  await page.goto(`${workspaceUrl}/datasets?format=parquet`);
  await page.getByText('No data assets match.').waitFor();

  // A Reader sees the asset and its preview, and no control to change them.
  const readerContext = await env.browser().newContext();
  const { page: reader, email } = await signUp(readerContext, env.server(), { hydrated: true });
  await addByInvitation(page, reader, workspaceUrl, { email, role: 'Reader' });

  await reader.goto(`${workspaceUrl}/datasets`);
  await hydrated(reader);
  await reader.getByRole('link', { name: 'cities' }).click();
  await reader.getByRole('heading', { name: 'cities' }).waitFor();
  for (const control of ['Register a new version', 'Delete data asset']) {
    assert.equal(await reader.getByText(control).count(), 0, control);
  }
  await reader.getByRole('link', { name: 'Version 1' }).click();
  await reader.locator('table.preview').waitFor();
  for (const control of ['Edit version', 'Delete version']) {
    assert.equal(await reader.getByText(control).count(), 0, control);
  }
  assert.equal(await reader.getByRole('link', { name: 'Download cities.csv' }).count(), 1);
  await readerContext.close();
  await context.close();
});

test('without JavaScript the list and the version page are whole', async () => {
  const context = await env.browser().newContext();
  const { page } = await signUp(context, env.server(), { hydrated: true });
  await createOrganization(page, env.server(), { name: 'Fabrikam', slug: 'fabrikam', hydrated: true });
  const workspaceUrl = await createWorkspace(page, env.server(), { org: 'fabrikam', group: 'data', name: 'lake' });
  const plain = await env.browser().newContext({ javaScriptEnabled: false, storageState: await context.storageState() });
  const noJs = await plain.newPage();
  await noJs.goto(`${workspaceUrl}/datasets`);
  await noJs.getByText('Register a data asset').click();
  await noJs.getByLabel('Name', { exact: true }).fill('web-data');
  await noJs.getByLabel('Format', { exact: true }).selectOption('uri_folder');
  await noJs.getByLabel('Or a URI').fill('https://example.com/data/');
  await noJs.getByRole('button', { name: 'Register' }).click();
  await noJs.waitForURL(`${workspaceUrl}/datasets/web-data/versions/1`);
  assert.match(await noJs.locator('main').textContent(), /https:\/\/example\.com\/data\//);
  await noJs.goto(`${workspaceUrl}/datasets?sort=newest&format=uri_folder`);
  assert.equal(await noJs.locator('table.datasets tbody tr').count(), 1);
  await plain.close();
  await context.close();
});
