// Custom roles in a real browser: built from the known-actions picker with live feedback,
// imported by uploading seed 003's JSON file (its note that the role removes nobody shown),
// assigned by invitation, explained by Check access, and its holder given no Remove buttons.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { addByInvitation, signUp, createOrganization, createWorkspace, useServerAndBrowser } from './support/server.mjs';

const env = useServerAndBrowser({ before, after });

const RUNS_READ = 'Microsoft.MachineLearningServices/workspaces/experiments/runs/read';

// Seed 003's data_scientist_role.json, with real names in the scope.
const seedRole = (org, group, workspace) => JSON.stringify({
  Name: 'Data Scientist',
  IsCustom: true,
  Description: "Can run experiment but can't create or delete compute.",
  Actions: ['*'],
  NotActions: [
    'Microsoft.MachineLearningServices/workspaces/*/delete',
    'Microsoft.MachineLearningServices/workspaces/computes/*/write',
    'Microsoft.MachineLearningServices/workspaces/computes/*/delete',
    'Microsoft.Authorization/*/write',
  ],
  AssignableScopes: [
    `/subscriptions/${org}/resourceGroups/${group}/providers/Microsoft.MachineLearningServices/workspaces/${workspace}`,
  ],
}, null, 4);

test('a custom role picked from known actions, and one uploaded as a JSON file', async () => {
  const context = await env.browser().newContext();
  const { page } = await signUp(context, env.server(), { hydrated: true });
  await createOrganization(page, env.server(), { name: 'Northwind', slug: 'northwind', hydrated: true });
  const workspaceUrl = await createWorkspace(page, env.server(), { org: 'northwind', group: 'research', name: 'lab' });

  await page.goto(`${env.server().url}/organizations/northwind/roles`);
  await page.locator('body[data-hydrated]').waitFor();
  await page.getByLabel('Name', { exact: true }).fill('Run reader');
  await page.getByText('Known actions', { exact: true }).click();
  await page.getByLabel('Filter actions').fill('runs/read');
  assert.equal(await page.locator('.known-actions li:visible').count(), 1);
  const pick = page.getByRole('button', { name: `Add ${RUNS_READ} to Actions` });
  await pick.click();
  await pick.click(); // a second click does not add it twice
  const actions = page.getByLabel('Actions', { exact: true });
  assert.equal(await actions.inputValue(), RUNS_READ);
  await page.getByText(/^Permits 1 of \d+ actions$/).waitFor();

  const notActions = page.getByLabel('Not actions', { exact: true });
  await notActions.fill('Microsoft.Nothing/*');
  await page.getByText('Matches no known action: Microsoft.Nothing/*').waitFor();
  await notActions.fill('');
  await page.getByRole('button', { name: 'Save role' }).click();
  await page.getByRole('heading', { name: /^Run reader/ }).waitFor();

  await page.getByLabel('Or upload a role definition file').setInputFiles({
    name: 'data_scientist_role.json',
    mimeType: 'application/json',
    buffer: Buffer.from(seedRole('northwind', 'research', 'lab')),
  });
  const json = page.getByLabel('Or paste a role definition (JSON)');
  await page.waitForFunction(() => document.querySelector('textarea[name=json]').value.includes('Data Scientist'));
  assert.match(await json.inputValue(), /computes\/\*\/write/);
  await page.getByRole('button', { name: 'Save role' }).click();
  const card = page.locator('li.role-card', { has: page.getByRole('heading', { name: /^Data Scientist/ }) });
  await card.waitFor();
  assert.match(await card.textContent(), /Custom/);
  assert.ok(workspaceUrl);
  await context.close();
});

test('Check access explains what the seed role allows and what its NotActions take away', async () => {
  const ownerContext = await env.browser().newContext();
  const { page: owner } = await signUp(ownerContext, env.server(), { hydrated: true });
  await createOrganization(owner, env.server(), { name: 'Tailspin', slug: 'tailspin', hydrated: true });
  const workspaceUrl = await createWorkspace(owner, env.server(), { org: 'tailspin', group: 'ml', name: 'churn' });
  const colleagueContext = await env.browser().newContext();
  const { page: colleaguePage, email: colleague } = await signUp(colleagueContext, env.server(), { hydrated: true });

  // The editor points out, as the JSON is pasted and again once saved, that this role may
  // delete role assignments but not write them, so in Atelier it removes nobody.
  await owner.goto(`${env.server().url}/organizations/tailspin/roles`);
  await owner.locator('body[data-hydrated]').waitFor();
  await owner.getByLabel('Or paste a role definition (JSON)').fill(seedRole('tailspin', 'ml', 'churn'));
  const note = /allows Microsoft\.Authorization\/roleAssignments\/delete but not Microsoft\.Authorization\/roleAssignments\/write/;
  await owner.locator('.role-preview').getByText(note).waitFor();
  await owner.getByRole('button', { name: 'Save role' }).click();
  await owner.getByRole('heading', { name: /^Data Scientist/ }).waitFor();
  await owner.getByRole('status').filter({ hasText: note }).waitFor();

  await addByInvitation(owner, colleaguePage, workspaceUrl, { email: colleague, role: 'Data Scientist' });
  await owner.goto(`${workspaceUrl}/access`);
  await owner.locator('body[data-hydrated]').waitFor();
  await owner.locator('tbody tr', { hasText: colleague }).waitFor();
  assert.ok(await owner.getByRole('button', { name: /^Remove/ }).count() > 0, 'the owner may remove');

  // Its holder reads who has access, but gets no Remove buttons (the server refuses as well).
  await colleaguePage.goto(`${workspaceUrl}/access`);
  await colleaguePage.locator('body[data-hydrated]').waitFor();
  await colleaguePage.locator('tbody tr', { hasText: colleague }).waitFor();
  assert.equal(await colleaguePage.getByRole('button', { name: /Remove/ }).count(), 0);

  await owner.getByLabel('Person to check').selectOption(colleague);
  await owner.getByRole('button', { name: 'Check' }).click();
  await owner.waitForURL(/check=/);
  const row = (action) => owner.locator('table.check tbody tr', {
    has: owner.locator('code', { hasText: new RegExp(`^${action.replaceAll('/', '\\/')}$`) }),
  });
  const submit = await row('Microsoft.MachineLearningServices/workspaces/experiments/runs/submit/action').textContent();
  assert.match(submit, /Yes/);
  assert.match(submit, /Data Scientist/);
  const computeWrite = await row('Microsoft.MachineLearningServices/workspaces/computes/write').textContent();
  assert.match(computeWrite, /No/);
  assert.match(computeWrite, /computes\/\*\/write/);
  const grant = await row('Microsoft.Authorization/roleAssignments/write').textContent();
  assert.match(grant, /No/);
  await ownerContext.close();
  await colleagueContext.close();
});
