// Every page, loaded directly, renders on the server and hydrates in the browser without a
// console error: a hydration mismatch (say, markup the HTML parser rearranges) fails here, and
// so does anything the Content-Security-Policy refuses (Chromium reports each refusal as a
// console error), since every page is served under it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { signUp, createOrganization, createWorkspace, useServerAndBrowser } from './support/server.mjs';

const env = useServerAndBrowser({ before, after });

test('every page hydrates cleanly for an owner', async () => {
  const context = await env.browser().newContext();
  const { page, email } = await signUp(context, env.server(), { hydrated: true });
  await createOrganization(page, env.server(), { name: 'Contoso', slug: 'contoso', hydrated: true });
  const ws = await createWorkspace(page, env.server(), { org: 'contoso', group: 'vision', name: 'detector' });
  const group = `${env.server().url}/organizations/contoso/resourceGroups/vision`;
  const org = `${env.server().url}/organizations/contoso`;
  const urls = [
    `${env.server().url}/`, `${env.server().url}/organizations`, org, `${org}/access`, `${org}/activity`, `${org}/roles`,
    group, `${group}/access`, `${group}/activity`, ws, `${ws}/settings`, `${ws}/access`, `${ws}/activity`,
    `${ws}/access?check=${encodeURIComponent(email)}`,
    `${env.server().url}/workspaces/new`, `${env.server().url}/projects/new`, `${env.server().url}/admin`,
    `${env.server().url}/sign-in`, `${env.server().url}/sign-up`, `${env.server().url}/tokens`,
    `${env.server().url}/account/sessions`, `${env.server().url}/invitations`,
    `${env.server().url}/admin/outbox`,
  ];
  const errors = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`${page.url()}: ${message.text().split('\n')[0]}`);
  });
  page.on('pageerror', (error) => errors.push(`${page.url()}: ${error.message}`));
  for (const url of urls) {
    const response = await page.goto(url);
    assert.equal(response.status(), 200, url);
    const policy = response.headers()['content-security-policy'] ?? '';
    assert.match(policy, /script-src 'nonce-[^']+' 'strict-dynamic'/, url);
    await page.locator('body[data-hydrated]').waitFor({ timeout: 10_000 });
  }
  assert.deepEqual(errors, []);
  await context.close();
});
