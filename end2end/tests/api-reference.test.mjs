// The management API's reference page (/api/v1/reference): Swagger UI served by Atelier itself
// from npm's swagger-ui-dist, reading the generated OpenAPI document; nothing is fetched from
// another site. Signed in, "Try it out" calls the API with the studio's session.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { signUp, createOrganization, createWorkspace, useServerAndBrowser } from './support/server.mjs';

const env = useServerAndBrowser({ before, after });

test('the reference page works offline and calls the API with the session', async () => {
  const context = await env.browser().newContext();
  const { page } = await signUp(context, env.server(), { hydrated: true });
  await createOrganization(page, env.server(), { name: 'Fabrikam', slug: 'fabrikam', hydrated: true });
  await createWorkspace(page, env.server(), { org: 'fabrikam', group: 'ml', name: 'forecast' });

  const elsewhere = [];
  page.on('request', (request) => {
    if (!request.url().startsWith(env.server().url) && !request.url().startsWith('data:')) {
      elsewhere.push(request.url());
    }
  });
  // Linked from the Access tokens page.
  await page.goto(`${env.server().url}/tokens`);
  await page.getByRole('link', { name: 'Management API reference' }).click();
  await page.waitForURL(`${env.server().url}/api/v1/reference`);
  await page.getByRole('heading', { name: /Atelier management API/ }).waitFor();
  for (const tag of ['Workspaces', 'Role definitions', 'Role assignments', 'Groups']) {
    await page.locator('h3.opblock-tag', { hasText: tag }).first().waitFor();
  }

  const operation = page.locator('.opblock-get', { has: page.locator('[data-path="/api/v1/workspaces"]') });
  await operation.locator('.opblock-summary').click();
  await operation.getByRole('button', { name: 'Try it out' }).click();
  await operation.getByRole('button', { name: 'Execute' }).click();
  const answer = operation.locator('.responses-wrapper .live-responses-table .response-col_description pre').first();
  await answer.waitFor();
  assert.match(await answer.textContent(), /"name": "forecast"/);
  assert.deepEqual(elsewhere, [], 'the page fetched nothing from another site');
  await context.close();
});
