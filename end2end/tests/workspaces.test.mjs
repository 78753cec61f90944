// Workspaces in a real browser: the creation flow (with a mistake fixed in place), the
// switcher, and the project template; hydrated and, for the forms, without JavaScript.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { signUp, createOrganization, useServerAndBrowser } from './support/server.mjs';

const env = useServerAndBrowser({ before, after });

for (const hydrated of [true, false]) {
  const mode = hydrated ? 'hydrated' : 'without JavaScript';
  const slug = hydrated ? 'contoso-js' : 'contoso-nojs';

  test(`create a workspace, fixing a bad name in place (${mode})`, async () => {
    const context = await env.browser().newContext({ javaScriptEnabled: hydrated });
    const { page } = await signUp(context, env.server(), { hydrated });
    await createOrganization(page, env.server(), { name: 'Contoso Research', slug, hydrated });

    await page.goto(`${env.server().url}/workspaces/new`);
    if (hydrated) await page.locator('body[data-hydrated]').waitFor();
    const name = page.getByLabel('Workspace name');
    const message = page.locator('#field-name-error');
    await page.getByLabel('New resource group').fill('vision');
    await name.fill('bad name!');
    if (hydrated) {
      // Checked as typed, with the seed's rule.
      await name.blur();
      await message.waitFor();
    } else {
      // Checked by the server, and shown beside the field on the returned form.
      await page.getByRole('button', { name: 'Create workspace' }).click();
      await message.waitFor();
      await page.getByLabel('New resource group').fill('vision');
    }
    assert.match(await message.textContent(), /3 to 33 letters, digits, hyphens or underscores/);
    assert.equal(await name.getAttribute('aria-invalid'), 'true');

    await name.fill('detector');
    if (hydrated) await message.waitFor({ state: 'detached' });
    await page.getByLabel('Display name').fill('Object detector');
    await page.getByLabel('Environment').selectOption('test');
    await page.getByLabel('Tags').fill('team=vision');
    await page.getByRole('button', { name: 'Create workspace' }).click();

    await page.waitForURL(`${env.server().url}/organizations/${slug}/resourceGroups/vision/workspaces/detector`);
    await page.getByRole('heading', { name: 'Object detector' }).waitFor();
    assert.match(await page.locator('.env-badge').first().textContent(), /Test/);
    assert.match(await page.locator('main').textContent(), /Owner/);
    await context.close();
  });
}

test('the switcher lists my workspaces, filters as I type and takes me there', async () => {
  const context = await env.browser().newContext();
  const { page } = await signUp(context, env.server(), { hydrated: true });
  await createOrganization(page, env.server(), { name: 'Fabrikam', slug: 'fabrikam', hydrated: true });
  for (const ws of ['alpha-models', 'beta-models']) {
    await page.goto(`${env.server().url}/workspaces/new`);
    await page.locator('body[data-hydrated]').waitFor();
    if (ws === 'alpha-models') await page.getByLabel('New resource group').fill('research');
    await page.getByLabel('Workspace name').fill(ws);
    await page.getByRole('button', { name: 'Create workspace' }).click();
    await page.getByRole('heading', { name: ws }).waitFor();
  }

  await page.goto(env.server().url);
  await page.locator('body[data-hydrated]').waitFor();
  await page.locator('.switcher summary').click();
  const links = page.locator('.switcher-groups a');
  assert.equal(await links.count(), 2);
  assert.match(await page.locator('.switcher-heading').first().textContent(), /Fabrikam › research/);
  await page.getByPlaceholder('Filter workspaces').fill('BETA');
  await page.waitForFunction(() => document.querySelectorAll('.switcher-groups a').length === 1);
  await links.first().click();
  await page.waitForURL(/\/workspaces\/beta-models$/);
  await page.getByRole('heading', { name: 'beta-models' }).waitFor();
  assert.equal((await page.locator('.switcher-current').textContent()).trim(), 'beta-models');
  await context.close();
});

test('setting up a project creates development, test and production workspaces', async () => {
  const context = await env.browser().newContext();
  const { page } = await signUp(context, env.server(), { hydrated: true });
  await createOrganization(page, env.server(), { name: 'Northwind', slug: 'northwind', hydrated: true });

  await page.goto(`${env.server().url}/projects/new`);
  await page.locator('body[data-hydrated]').waitFor();
  await page.getByLabel('Project name').fill('atlas');
  await page.getByText('Creates resource group atlas with atlas-dev, atlas-test and atlas-prod.').waitFor();
  await page.getByRole('button', { name: 'Set up project' }).click();

  await page.waitForURL(`${env.server().url}/organizations/northwind/resourceGroups/atlas`);
  await page.locator('.workspace-card').nth(2).waitFor();
  const titles = await page.locator('.workspace-card .card-title').allTextContents();
  assert.deepEqual(titles.sort(), ['atlas (Development)', 'atlas (Production)', 'atlas (Test)']);
  const badges = await page.locator('.workspace-card .env-badge').allTextContents();
  assert.deepEqual(badges.sort(), ['Development', 'Production', 'Test']);
  await context.close();
});
