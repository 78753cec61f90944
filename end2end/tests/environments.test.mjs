// Environments in a real browser: one is registered through the form, a second version is
// registered from its page (the form starts from the latest), and both versions are shown.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { signUp, createOrganization, createWorkspace, useServerAndBrowser } from './support/server.mjs';

const env = useServerAndBrowser({ before, after });

test('an environment gains a version from its own page', async () => {
  const context = await env.browser().newContext();
  const { page } = await signUp(context, env.server(), { hydrated: true });
  await createOrganization(page, env.server(), { name: 'Contoso', slug: 'contoso', hydrated: true });
  const workspaceUrl = await createWorkspace(page, env.server(), { org: 'contoso', group: 'vision', name: 'detector' });

  await page.goto(`${workspaceUrl}/environments`);
  await page.locator('body[data-hydrated]').waitFor();
  await page.getByText('No environments yet.').waitFor();
  await page.getByText('Register an environment').click();
  await page.getByLabel('Name', { exact: true }).fill('sklearn');
  await page.getByLabel('Base image').fill('python:3.11-slim');
  await page.getByLabel('Conda or pip specification').fill('scikit-learn==1.4.2');
  await page.getByRole('button', { name: 'Register' }).click();
  await page.waitForURL(`${workspaceUrl}/environments/sklearn`);
  await page.getByRole('heading', { name: 'Version 1' }).waitFor();
  await page.locator('body[data-hydrated]').waitFor();

  await page.getByText('Register a new version').click();
  assert.equal(await page.getByLabel('Base image').inputValue(), 'python:3.11-slim');
  await page.getByLabel('Conda or pip specification').fill('scikit-learn==1.5.1');
  await page.getByRole('button', { name: 'Register' }).click();
  await page.getByRole('heading', { name: 'Version 2' }).waitFor();
  assert.match(await page.locator('main').textContent(), /2 version\(s\); the latest is 2/);
  assert.match(await page.locator('pre.spec').first().textContent(), /1\.5\.1/);

  await page.goto(`${workspaceUrl}/environments?q=sklearn`);
  const row = page.locator('tbody tr', { hasText: 'sklearn' });
  assert.match(await row.textContent(), /sklearn\s*2/);
  await context.close();
});
