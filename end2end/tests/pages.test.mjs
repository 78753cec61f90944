// Every page, loaded directly, renders on the server and hydrates in the browser without a
// console error: a hydration mismatch (say, markup the HTML parser rearranges) fails here.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, launchBrowser, signUp, createOrganization, createWorkspace,
} from './support/server.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('every page hydrates cleanly for an owner', async () => {
  const context = await browser.newContext();
  const { page, email } = await signUp(context, server, { hydrated: true });
  await createOrganization(page, server, { name: 'Contoso', slug: 'contoso', hydrated: true });
  const ws = await createWorkspace(page, server, { org: 'contoso', group: 'vision', name: 'detector' });
  const group = `${server.url}/organizations/contoso/resourceGroups/vision`;
  const org = `${server.url}/organizations/contoso`;
  const urls = [
    `${server.url}/`, `${server.url}/organizations`, org, `${org}/access`, `${org}/activity`, `${org}/roles`,
    group, `${group}/access`, `${group}/activity`, ws, `${ws}/settings`, `${ws}/access`, `${ws}/activity`,
    `${ws}/access?check=${encodeURIComponent(email)}`,
    `${server.url}/workspaces/new`, `${server.url}/projects/new`, `${server.url}/admin`,
    `${server.url}/sign-in`, `${server.url}/sign-up`,
  ];
  const errors = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`${page.url()}: ${message.text().split('\n')[0]}`);
  });
  page.on('pageerror', (error) => errors.push(`${page.url()}: ${error.message}`));
  for (const url of urls) {
    const response = await page.goto(url);
    assert.equal(response.status(), 200, url);
    await page.locator('body[data-hydrated]').waitFor({ timeout: 10_000 });
  }
  assert.deepEqual(errors, []);
  await context.close();
});
