// Datastores in a real browser: every workspace has its default; an owner registers an S3
// bucket with credentials and reads them back on request, from the list and from the
// datastore's page (whose activity records the reading); a Reader sees the datastores but
// neither the credentials nor any control.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { addByInvitation, signUp, createOrganization, createWorkspace, useServerAndBrowser } from './support/server.mjs';
import { registerS3Datastore } from './support/datastores.mjs';

const env = useServerAndBrowser({ before, after });

test('credentials are stored, shown on request to the owner, and never to a Reader', async () => {
  const ownerContext = await env.browser().newContext();
  const { page } = await signUp(ownerContext, env.server(), { hydrated: true });
  await createOrganization(page, env.server(), { name: 'Contoso', slug: 'contoso', hydrated: true });
  const workspaceUrl = await createWorkspace(page, env.server(), { org: 'contoso', group: 'vision', name: 'detector' });

  await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Datastores' }).click();
  await page.getByRole('heading', { name: 'Datastores', level: 1 }).waitFor();
  await page.locator('body[data-hydrated]').waitFor();
  assert.match(await page.locator('tbody tr').first().textContent(), /workspaceblobstore.*Default/s);

  await page.getByText('Register a datastore').click();
  await page.getByLabel('Name', { exact: true }).fill('Lake');
  await page.getByLabel('Name', { exact: true }).blur();
  await page.getByText("not 'L'").waitFor();
  await registerS3Datastore(page, { name: 'lake', bucket: 'ml-data', keyId: 'AKIAEXAMPLE', secret: 'wJalrXUtnFEMI' });
  const lake = page.locator('tbody tr', { hasText: 's3://ml-data' });
  await lake.waitFor();
  assert.match(await lake.textContent(), /Stored, encrypted/);
  assert.doesNotMatch(await page.content(), /wJalrXUtnFEMI/);
  // Registering was a plain form post: the page came back, and its islands attach again.
  await page.locator('body[data-hydrated]').waitFor();
  await page.getByRole('button', { name: 'Show credentials of lake' }).click();
  await page.getByText('wJalrXUtnFEMI').waitFor();

  // The datastore's own page: its location, the credentials on request, and the reading in its
  // activity.
  await lake.getByRole('link', { name: 'lake' }).click();
  await page.waitForURL(`${workspaceUrl}/datastores/lake`);
  await page.getByRole('heading', { name: 'lake', level: 1 }).waitFor();
  await page.locator('body[data-hydrated]').waitFor();
  assert.match(await page.locator('dl.facts').textContent(), /s3:\/\/ml-data.*Stored, encrypted/s);
  assert.doesNotMatch(await page.content(), /wJalrXUtnFEMI/);
  await page.getByRole('button', { name: 'Show credentials' }).click();
  await page.getByText('wJalrXUtnFEMI').waitFor();
  await page.locator('.item-activity li', { hasText: 'read the stored credentials' }).first().waitFor();

  const readerContext = await env.browser().newContext();
  const { page: reader, email } = await signUp(readerContext, env.server(), { hydrated: true });
  await addByInvitation(page, reader, workspaceUrl, { email, role: 'Reader' });

  await reader.goto(`${workspaceUrl}/datastores`);
  await reader.locator('body[data-hydrated]').waitFor();
  assert.equal(await reader.locator('tbody tr').count(), 2);
  assert.equal(await reader.getByRole('button', { name: /Show credentials/ }).count(), 0);
  assert.equal(await reader.getByRole('button', { name: /Delete/ }).count(), 0);
  assert.equal(await reader.getByText('Register a datastore').count(), 0);
  await reader.goto(`${workspaceUrl}/datastores/lake`);
  await reader.getByRole('heading', { name: 'lake', level: 1 }).waitFor();
  await reader.locator('body[data-hydrated]').waitFor();
  assert.equal(await reader.getByRole('button', { name: /Show credentials/ }).count(), 0);
  await ownerContext.close();
  await readerContext.close();
});
