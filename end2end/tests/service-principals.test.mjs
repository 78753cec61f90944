// Service principals in a real browser: the owner creates one on the organization's Service
// principals page, makes it a token (secret shown once), gives it a role on the workspace's
// Access control page by its identity, where it is listed and checked as a service principal;
// its token then works on the tracking API, and stops when the service principal is deleted.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { signUp, createOrganization, createWorkspace, grantRole, useServerAndBrowser } from './support/server.mjs';

const env = useServerAndBrowser({ before, after });

async function search(trackingUri, token) {
  const response = await fetch(`${trackingUri}/api/2.0/mlflow/experiments/search?max_results=10`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  return { status: response.status, body: await response.json() };
}

test('a service principal is created, given a token and a role, checked, and deleted', async () => {
  const context = await env.browser().newContext();
  const { page } = await signUp(context, env.server(), { hydrated: true });
  await createOrganization(page, env.server(), { name: 'Northwind', slug: 'northwind', hydrated: true });
  const workspaceUrl = await createWorkspace(page, env.server(), { org: 'northwind', group: 'ml', name: 'forecast' });
  const trackingUri = `${env.server().url}/mlflow/v1.0/subscriptions/northwind/resourceGroups/ml/providers/Microsoft.MachineLearningServices/workspaces/forecast`;
  const principalsUrl = `${env.server().url}/organizations/northwind/service-principals`;

  // From the organization's page.
  await page.goto(`${env.server().url}/organizations/northwind`);
  await page.locator('body[data-hydrated]').waitFor();
  await page.getByRole('link', { name: 'Service principals' }).click();
  await page.waitForURL(principalsUrl);
  await page.locator('body[data-hydrated]').waitFor();
  await page.getByText('No service principals yet.').waitFor();

  // A bad name is explained beside its field; a good one opens the new service principal.
  const name = page.getByLabel('Name', { exact: true });
  await name.fill('nightly ci');
  await page.getByRole('button', { name: 'Create service principal' }).click();
  await page.locator('.field-error', { hasText: 'only letters, digits' }).waitFor();
  await name.fill('nightly-ci');
  await page.getByRole('button', { name: 'Create service principal' }).click();
  await page.waitForURL(`${principalsUrl}?principal=nightly-ci`);
  const panel = page.getByRole('region', { name: 'Service principal nightly-ci' });
  await panel.waitFor();
  const identity = await panel.getByLabel('Identity', { exact: true }).inputValue();
  assert.equal(identity, 'nightly-ci@northwind.service-principals.invalid');
  assert.match(await page.locator('table.principals').textContent(), /nightly-ci/);

  // Its token: the secret is shown once.
  await panel.getByLabel('Name', { exact: true }).fill('training');
  await panel.getByLabel('Reach').selectOption({ label: 'Workspace forecast (northwind / ml)' });
  await panel.getByRole('button', { name: 'Create token' }).click();
  await page.getByRole('heading', { name: 'Token “training” created' }).waitFor();
  const secret = await page.getByLabel('Token', { exact: true }).inputValue();
  assert.match(secret, /^atl_[0-9A-Za-z]{40}$/);
  const row = panel.locator('table.tokens tbody tr', { hasText: 'training' });
  await row.waitFor();
  assert.match(await row.textContent(), /workspace forecast/);
  await page.reload();
  await page.locator('body[data-hydrated]').waitFor();
  assert.equal(await page.getByLabel('Token', { exact: true }).count(), 0, 'the secret is shown only once');

  // Without a role it finds nothing.
  const before = await search(trackingUri, secret);
  assert.equal(before.body.error_code, 'RESOURCE_DOES_NOT_EXIST');

  // A role on the workspace, given by its identity like a person's email.
  await grantRole(page, workspaceUrl, { email: identity, role: 'Contributor' });
  const assignment = page.locator('tbody tr', { hasText: identity });
  assert.match(await assignment.textContent(), /Service principal/);
  assert.match(await assignment.textContent(), /Contributor/);

  // Check access explains it.
  await page.getByLabel('Person to check').selectOption(identity);
  await page.getByRole('button', { name: 'Check', exact: true }).click();
  await page.waitForURL(/check=/);
  const verdict = page.locator('p', { hasText: 'may perform' });
  await verdict.waitFor();
  assert.match(await verdict.textContent(), /nightly-ci <nightly-ci@northwind\.service-principals\.invalid> Service principal/);
  assert.match(await verdict.textContent(), /holds Contributor at/);

  const allowed = await search(trackingUri, secret);
  assert.equal(allowed.status, 200);

  // Deleted after typing its name: its token stops at once.
  await page.goto(`${principalsUrl}?principal=nightly-ci`);
  await page.locator('body[data-hydrated]').waitFor();
  await page.locator('summary', { hasText: 'Delete service principal' }).click();
  await page.getByLabel('Service principal name').fill('nightly-ci');
  await page.getByRole('button', { name: 'Delete service principal' }).click();
  await page.waitForURL(principalsUrl);
  await page.getByText('No service principals yet.').waitFor();
  const refused = await search(trackingUri, secret);
  assert.equal(refused.status, 401);
  assert.equal(refused.body.error_code, 'UNAUTHENTICATED');
  await context.close();
});
