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

  // A script logs a run; its page draws the charts and grows them as more is logged.
  const call = async (endpoint, body) => {
    const response = await fetch(`${trackingUri}/api/2.0/mlflow/${endpoint}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${secret}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    assert.equal(response.status, 200, `${endpoint}: ${await response.clone().text()}`);
    return response.json();
  };
  const { experiment_id } = await call('experiments/create', { name: 'live' });
  const { run } = await call('runs/create', { experiment_id, run_name: 'watched' });
  const now = Date.now();
  const points = (key, from, to) => Array.from({ length: to - from }, (_, i) => ({ key, value: 1 / (from + i + 1), step: from + i, timestamp: now }));
  await call('runs/log-batch', { run_id: run.info.run_id, metrics: points('loss', 0, 5), params: [{ key: 'lr', value: '0.01' }] });
  await page.goto(`${workspaceUrl}/runs/${run.info.run_id}`);
  await page.locator('body[data-hydrated]').waitFor();
  await page.getByRole('heading', { name: 'watched' }).waitFor();
  await page.getByRole('img', { name: 'Line chart of loss by step' }).waitFor();
  assert.equal(await page.getByRole('img', { name: 'Line chart of accuracy by step' }).count(), 0);
  await call('runs/log-batch', { run_id: run.info.run_id, metrics: [...points('loss', 5, 10), { key: 'accuracy', value: 0.9, step: 0, timestamp: now }] });
  // Without a reload: the next poll brings the new metric's chart.
  await page.getByRole('img', { name: 'Line chart of accuracy by step' }).waitFor({ timeout: 10000 });
  await call('runs/update', { run_id: run.info.run_id, status: 'FINISHED' });
  await page.goto(`${env.server().url}/tokens`);
  await page.locator('body[data-hydrated]').waitFor();

  // Revoked: the next request is refused.
  await row.getByRole('button', { name: 'Revoke token nightly training' }).click();
  await row.locator('.badge', { hasText: 'Revoked' }).waitFor();
  assert.equal(await row.getByRole('button', { name: /Revoke/ }).count(), 0);
  const refused = await search(trackingUri, secret);
  assert.equal(refused.status, 401);
  assert.equal(refused.body.error_code, 'UNAUTHENTICATED');
  await context.close();
});
