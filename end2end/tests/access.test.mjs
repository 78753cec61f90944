// Access control in a real browser: an owner grants Reader to a colleague, who then sees the
// workspace read-only; the owner removes it, and the colleague's next page load is "not found".
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { signUp, createOrganization, createWorkspace, useServerAndBrowser } from './support/server.mjs';

const env = useServerAndBrowser({ before, after });

test('a Reader sees the workspace read-only, and not at all once removed', async () => {
  const ownerContext = await env.browser().newContext();
  const { page: owner } = await signUp(ownerContext, env.server(), { hydrated: true });
  await createOrganization(owner, env.server(), { name: 'Contoso', slug: 'contoso', hydrated: true });
  const workspaceUrl = await createWorkspace(owner, env.server(), { org: 'contoso', group: 'vision', name: 'detector' });

  const readerContext = await env.browser().newContext();
  const { page: reader, email: readerEmail } = await signUp(readerContext, env.server(), { hydrated: true });
  const hidden = await reader.goto(workspaceUrl);
  assert.equal(hidden.status(), 404);

  await owner.goto(`${workspaceUrl}/access`);
  await owner.locator('body[data-hydrated]').waitFor();
  await owner.getByLabel('Email', { exact: true }).fill(readerEmail);
  await owner.getByLabel('Role', { exact: true }).selectOption('Reader');
  await owner.getByRole('button', { name: 'Add' }).click();
  const row = owner.locator('tbody tr', { hasText: readerEmail });
  await row.waitFor();
  assert.match(await row.textContent(), /Reader/);

  const shown = await reader.goto(workspaceUrl);
  assert.equal(shown.status(), 200);
  await reader.locator('body[data-hydrated]').waitFor();
  await reader.getByRole('heading', { name: 'detector' }).waitFor();
  assert.match(await reader.locator('main').textContent(), /Your role: Reader/);
  assert.equal(await reader.getByRole('link', { name: 'Settings' }).count(), 0);
  await reader.goto(`${workspaceUrl}/access`);
  await reader.getByRole('heading', { name: 'Access control' }).waitFor();
  assert.equal(await reader.getByRole('heading', { name: 'Add a role assignment' }).count(), 0);
  assert.equal(await reader.getByRole('button', { name: /Remove/ }).count(), 0);

  await owner.getByRole('button', { name: new RegExp(`Remove Reader from`) }).click();
  await row.waitFor({ state: 'detached' });

  const gone = await reader.goto(workspaceUrl);
  assert.equal(gone.status(), 404);
  await reader.getByRole('heading', { name: 'Not found' }).waitFor();
  await ownerContext.close();
  await readerContext.close();
});

test('the activity log lists the changes and filters them', async () => {
  const context = await env.browser().newContext();
  const { page } = await signUp(context, env.server(), { hydrated: true });
  await createOrganization(page, env.server(), { name: 'Fabrikam', slug: 'fabrikam', hydrated: true });
  const workspaceUrl = await createWorkspace(page, env.server(), { org: 'fabrikam', group: 'speech', name: 'asr' });

  await page.goto(`${env.server().url}/organizations/fabrikam/activity`);
  await page.locator('body[data-hydrated]').waitFor();
  const actions = await page.locator('table.activity tbody tr td:nth-child(3)').allTextContents();
  assert.deepEqual(actions, [
    'Microsoft.Authorization/roleAssignments/write',
    'Microsoft.MachineLearningServices/workspaces/write',
    'Microsoft.Resources/subscriptions/resourceGroups/write',
    'Microsoft.Authorization/roleAssignments/write',
    'Microsoft.Resources/subscriptions/write',
  ]);
  await page.getByLabel('Action').fill('resourceGroups');
  await page.getByRole('button', { name: 'Filter' }).click();
  await page.waitForURL(/action=resourceGroups/);
  await page.waitForFunction(() => document.querySelectorAll('table.activity tbody tr').length === 1);
  assert.ok(workspaceUrl);
  await context.close();
});
