// Forms whose answer is the point, used without JavaScript: a new token's secret, a datastore's
// credentials, what became of each invited address, an invitation's link and a grant's outcome.
// A plain post is sent back to its page; the answer waits for it (sealed in the session) and is
// shown by that page once, then gone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { signUp, createOrganization, createWorkspace, useServerAndBrowser } from './support/server.mjs';
import { answered, consoleErrors } from './support/page-checks.mjs';
import { registerS3Datastore } from './support/datastores.mjs';

const env = useServerAndBrowser({ before, after });
const hydrated = false;

test('without JavaScript, a token secret, credentials and invitation answers are shown once', async () => {
  const context = await env.browser().newContext({ javaScriptEnabled: false });
  const errors = consoleErrors(context);
  const server = env.server();
  const { page } = await signUp(context, server, { hydrated });
  await createOrganization(page, server, { name: 'Northwind', slug: 'northwind', hydrated });
  const workspaceUrl = await createWorkspace(page, server, { org: 'northwind', group: 'ml', name: 'churn', hydrated });

  // A token: its secret on the page it comes back to, working, and gone on the next visit.
  await page.goto(`${server.url}/tokens`);
  await page.getByLabel('Name', { exact: true }).fill('cron job');
  await page.getByLabel('Reach').selectOption({ label: 'Workspace churn (northwind / ml)' });
  await page.getByRole('button', { name: 'Create token' }).click();
  await page.getByRole('heading', { name: 'Token “cron job” created' }).waitFor();
  await answered(page, { hydrated });
  const secret = await page.getByLabel('Token', { exact: true }).inputValue();
  assert.match(secret, /^atl_[0-9A-Za-z]{40}$/);
  const trackingUri = `${server.url}/mlflow/v1.0/subscriptions/northwind/resourceGroups/ml/providers/Microsoft.MachineLearningServices/workspaces/churn`;
  const used = await fetch(`${trackingUri}/api/2.0/mlflow/experiments/search?max_results=10`, {
    headers: { Authorization: `Bearer ${secret}` },
  });
  assert.equal(used.status, 200);
  await page.reload();
  assert.equal(await page.getByLabel('Token', { exact: true }).count(), 0, 'the secret is shown once');
  assert.doesNotMatch(await page.content(), new RegExp(secret));

  // A datastore's credentials, from its row.
  await page.goto(`${workspaceUrl}/datastores`);
  await page.getByText('Register a datastore').click();
  await registerS3Datastore(page, { name: 'lake', bucket: 'ml-data', keyId: 'AKIAEXAMPLE', secret: 'wJalrXUtnFEMI' });
  await page.locator('tbody tr', { hasText: 's3://ml-data' }).waitFor();
  assert.doesNotMatch(await page.content(), /wJalrXUtnFEMI/);
  await page.getByRole('button', { name: 'Show credentials of lake' }).click();
  await page.getByText('wJalrXUtnFEMI').waitFor();
  await page.goto(`${workspaceUrl}/datastores/lake`);
  assert.doesNotMatch(await page.content(), /wJalrXUtnFEMI/, 'shown once');
  await page.getByRole('button', { name: 'Show credentials' }).click();
  await page.getByText('wJalrXUtnFEMI').waitFor();
  await page.locator('.item-activity li', { hasText: 'read the stored credentials' }).first().waitFor();

  // Invitations: what became of each address, then one's link.
  await page.goto(`${workspaceUrl}/access`);
  await page.getByLabel('Email addresses').fill('ada@example.com, not-an-address');
  await page.getByRole('button', { name: 'Send invitations' }).click();
  const results = page.locator('ul.invite-results');
  await results.waitFor();
  await answered(page, { hydrated });
  assert.match(await results.textContent(), /ada@example\.com/);
  assert.match(await results.textContent(), /not-an-address/);
  await page.getByRole('button', { name: 'Copy invitation link for ada@example.com' }).click();
  const link = await page.locator('#invitation-link').inputValue();
  assert.match(link, /\/invite\/[A-Za-z0-9_-]{20,}$/);
  await page.reload();
  assert.equal(await page.locator('#invitation-link').count(), 0, 'the link is shown once');

  // A grant to someone not in the organization invites them, and says so.
  await page.getByLabel('Email', { exact: true }).fill('grace@example.com');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await page.getByRole('status').filter({ hasText: 'Not in this organization yet: invited.' }).waitFor();

  assert.deepEqual(errors, []);
  await context.close();
});
