// Access tokens in a real browser: the workspace overview shows its tracking URI with a copy
// button; the Tokens page (from the account menu) creates a token whose secret is shown once
// and copied to the clipboard; the token opens the tracking API until it is revoked there.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { signUp, createOrganization, createWorkspace, useServerAndBrowser } from './support/server.mjs';

const env = useServerAndBrowser({ before, after });

async function search(trackingUri, token) {
  const response = await fetch(`${trackingUri}/api/2.0/mlflow/experiments/search?max_results=10`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  return { status: response.status, body: await response.json() };
}

test('a token is created, copied, used by a script and revoked from the Tokens page', async () => {
  const context = await env.browser().newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
  const { page } = await signUp(context, env.server(), { hydrated: true });
  await createOrganization(page, env.server(), { name: 'Tailspin', slug: 'tailspin', hydrated: true });
  const workspaceUrl = await createWorkspace(page, env.server(), { org: 'tailspin', group: 'ml', name: 'forecast' });

  // The overview tells scripts where to log, with a copy button.
  await page.goto(workspaceUrl);
  await page.locator('body[data-hydrated]').waitFor();
  const trackingUri = await page.getByLabel('MLflow tracking URI', { exact: true }).inputValue();
  assert.equal(
    trackingUri,
    `${env.server().url}/mlflow/v1.0/subscriptions/tailspin/resourceGroups/ml/providers/Microsoft.MachineLearningServices/workspaces/forecast`,
  );
  await page.getByRole('button', { name: 'Copy MLflow tracking URI' }).click();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), trackingUri);
  assert.match(await page.getByLabel('Python', { exact: true }).inputValue(), /mlflow\.set_tracking_uri\(".*workspaces\/forecast"\)/);

  // Tokens, from the account menu.
  await page.locator('details.user-menu summary').click();
  await page.getByRole('link', { name: 'Access tokens' }).click();
  await page.waitForURL(`${env.server().url}/tokens`);
  await page.locator('body[data-hydrated]').waitFor();
  await page.getByText('No tokens yet.').waitFor();

  // A bad name is explained beside its field; nothing is created.
  await page.getByRole('button', { name: 'Create token' }).click();
  await page.locator('.field-error', { hasText: 'Give the token a name' }).waitFor();

  await page.getByLabel('Name', { exact: true }).fill('nightly training');
  await page.getByLabel('Reach').selectOption({ label: 'Workspace forecast (tailspin / ml)' });
  await page.getByRole('button', { name: 'Create token' }).click();
  await page.getByRole('heading', { name: 'Token “nightly training” created' }).waitFor();
  const secret = await page.getByLabel('Token', { exact: true }).inputValue();
  assert.match(secret, /^atl_[0-9A-Za-z]{40}$/);
  await page.getByRole('button', { name: 'Copy Token' }).click();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), secret);
  const row = page.locator('table.tokens tbody tr', { hasText: 'nightly training' });
  await row.waitFor();
  assert.match(await row.textContent(), /workspace forecast/);
  assert.match(await row.textContent(), /Never/);
  assert.ok(!(await page.locator('table.tokens').textContent()).includes(secret), 'the list never shows the secret');

  // A script uses it; the list then says when and from where.
  const used = await search(trackingUri, secret);
  assert.equal(used.status, 200);
  await page.reload();
  await page.locator('body[data-hydrated]').waitFor();
  assert.equal(await page.getByLabel('Token', { exact: true }).count(), 0, 'the secret is shown only once');
  assert.match(await row.textContent(), /from 127\.0\.0\.1/);

  // Revoked: the next request is refused.
  await row.getByRole('button', { name: 'Revoke token nightly training' }).click();
  await row.locator('.badge', { hasText: 'Revoked' }).waitFor();
  assert.equal(await row.getByRole('button', { name: /Revoke/ }).count(), 0);
  const refused = await search(trackingUri, secret);
  assert.equal(refused.status, 401);
  assert.equal(refused.body.error_code, 'UNAUTHENTICATED');
  await context.close();
});
