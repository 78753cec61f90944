// Access control in a real browser: an owner adds a colleague from outside the organization,
// which invites them; once they accept they see the workspace read-only; the owner removes the
// role, and the colleague's next page load is "not found". Someone already in the organization
// whose address is confirmed is granted at once; Check access offers only the organization's
// members.
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
  assert.equal(await reader.getByRole('navigation', { name: 'Workspace' }).count(), 0, 'no frame for a hidden workspace');

  // Not in the organization yet: adding the address invites it (as for any address).
  await owner.goto(`${workspaceUrl}/access`);
  await owner.locator('body[data-hydrated]').waitFor();
  await owner.getByLabel('Email', { exact: true }).fill(readerEmail);
  await owner.getByLabel('Role', { exact: true }).selectOption('Reader');
  await owner.getByRole('button', { name: 'Add' }).click();
  await owner.getByText('Not in this organization yet: invited.').waitFor();
  const assignments = owner.locator('section.panel', { has: owner.getByRole('heading', { name: 'Role assignments' }) });
  assert.equal(await assignments.locator('tbody tr', { hasText: readerEmail }).count(), 0);
  assert.equal((await reader.goto(workspaceUrl)).status(), 404);
  // Check access offers only members: the invited address is not among them.
  const options = await owner.getByLabel('Person to check').locator('option').allTextContents();
  assert.ok(!options.some((o) => o.includes(readerEmail)), `${options}`);

  await owner.getByRole('button', { name: `Copy invitation link for ${readerEmail}` }).click();
  const field = owner.getByLabel('Invitation link (pass it on to the invited person only)');
  await field.waitFor();
  await reader.goto(new URL(await field.inputValue(), workspaceUrl).toString());
  await reader.locator('body[data-hydrated]').waitFor();
  await reader.getByRole('button', { name: 'Accept invitation' }).click();
  await reader.waitForURL(workspaceUrl);

  await owner.goto(`${workspaceUrl}/access`);
  await owner.locator('body[data-hydrated]').waitFor();
  const row = assignments.locator('tbody tr', { hasText: readerEmail });
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
  // The workspace's access page sits in the workspace's frame like its other pages.
  assert.equal(
    await reader.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Access control' }).getAttribute('aria-current'),
    'page',
  );
  assert.equal(await reader.getByRole('heading', { name: 'Add a role assignment' }).count(), 0);
  assert.equal(await reader.getByRole('button', { name: /Remove/ }).count(), 0);

  // Now a member, and the instance admin (the owner, first to sign up) confirms their address,
  // as on an instance without mail: Check access explains them, and a second role is granted
  // at once. (Until an address is confirmed, a role given to it by email is an invitation.)
  await owner.goto(`${env.server().url}/admin`);
  await owner.locator('body[data-hydrated]').waitFor();
  await owner.getByRole('button', { name: `Confirm ${readerEmail}` }).click();
  await owner.getByRole('button', { name: `Confirm ${readerEmail}` }).waitFor({ state: 'detached' });
  await owner.goto(`${workspaceUrl}/access`);
  await owner.locator('body[data-hydrated]').waitFor();
  await owner.getByLabel('Person to check').selectOption(readerEmail);
  await owner.getByRole('button', { name: 'Check' }).click();
  await owner.waitForURL(/check=/);
  await owner.locator('table.check').waitFor();
  await owner.locator('body[data-hydrated]').waitFor();
  await owner.getByLabel('Email', { exact: true }).fill(readerEmail);
  await owner.getByLabel('Role', { exact: true }).selectOption('AzureML Compute Operator');
  await owner.getByRole('button', { name: 'Add' }).click();
  await owner.getByText('Role given.').waitFor();
  // (Every row lists the roles in its Change select: look at the Role cell.)
  const operator = assignments.locator('tbody tr')
    .filter({ has: owner.locator('td:nth-child(2)', { hasText: /^AzureML Compute Operator/ }) });
  await operator.waitFor();
  await owner.getByRole('button', { name: 'Remove AzureML Compute Operator from' }).click();
  await operator.waitFor({ state: 'detached' });

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
