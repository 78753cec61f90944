// Online endpoints in a real browser: the owner creates an endpoint, adds two deployments of a
// registered model, splits the traffic 70/30 and sees the bar follow; a split that does not add
// up is refused with its message beside the form; a Reader sees the endpoint without any control
// to create, delete or split traffic; and without JavaScript the traffic form works the same.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { addByInvitation, signUp, createOrganization, createWorkspace, useServerAndBrowser } from './support/server.mjs';

const env = useServerAndBrowser({ before, after });

async function hydrated(page) {
  await page.locator('body[data-hydrated]').waitFor();
}

/// Registers version 1 of `model` through the server function, as the model pages do.
async function registerModel(page, workspaceUrl, model) {
  const [, org, group, workspace] = workspaceUrl.match(/organizations\/([^/]+)\/resourceGroups\/([^/]+)\/workspaces\/([^/]+)/);
  const response = await page.request.post(`${env.server().url}/api/models/register`, {
    headers: { 'Sec-Fetch-Site': 'same-origin' },
    form: { organization: org, resource_group: group, workspace, name: model, source_run: '' },
  });
  assert.equal(response.status(), 200, await response.text());
}

/// An endpoint created through its form, with deployments blue and green added through theirs.
async function endpointWithTwoDeployments(page, workspaceUrl, name) {
  await page.goto(`${workspaceUrl}/endpoints`);
  await hydrated(page);
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Authentication').selectOption('token');
  await page.getByLabel('Tags').fill('team=risk');
  await page.getByRole('button', { name: 'Create endpoint' }).click();
  await page.waitForURL(`${workspaceUrl}/endpoints/${name}`);
  await page.getByRole('heading', { name, level: 1 }).waitFor();
  await hydrated(page);
  assert.equal(await page.locator('.page-heading .status').textContent(), 'No deployments');

  for (const deployment of ['blue', 'green']) {
    const form = page.locator('form', { has: page.getByRole('button', { name: 'Add deployment' }) });
    if (!(await form.isVisible())) await page.locator('summary', { hasText: 'Add a deployment' }).click();
    await form.getByLabel('Deployment name').fill(deployment);
    await form.getByLabel('Model', { exact: true }).fill('classifier');
    await form.getByLabel('Model version').fill('1');
    await form.getByLabel('Instance type').selectOption('Standard_NC4as_T4_v3');
    await form.getByLabel('Instance count (1 to 20)').fill('2');
    await form.getByRole('button', { name: 'Add deployment' }).click();
    await page.locator('table.deployments tbody tr', { hasText: deployment }).waitFor();
  }
}

test('the owner splits traffic between two deployments; a Reader cannot', async () => {
  const ownerContext = await env.browser().newContext();
  const { page } = await signUp(ownerContext, env.server(), { hydrated: true });
  await createOrganization(page, env.server(), { name: 'Contoso', slug: 'contoso', hydrated: true });
  const workspaceUrl = await createWorkspace(page, env.server(), { org: 'contoso', group: 'vision', name: 'detector' });
  await registerModel(page, workspaceUrl, 'classifier');

  // From the workspace navigation to the list, as a newcomer would.
  await page.goto(workspaceUrl);
  await hydrated(page);
  await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Endpoints' }).click();
  await page.waitForURL(`${workspaceUrl}/endpoints`);
  await page.getByText('No endpoints yet.').waitFor();

  await endpointWithTwoDeployments(page, workspaceUrl, 'fraud-scorer');
  const bar = page.locator('.traffic-bar');
  assert.match(await page.locator('table.deployments').textContent(), /blue.*Succeeded.*classifier version 1.*2 × Standard_NC4as_T4_v3.*100%.*green.*0%/s);
  assert.equal(await bar.locator('.traffic-segment').count(), 1);
  assert.equal(await page.locator('.page-heading .status').textContent(), 'Healthy');

  // A split that does not add up is refused, its sum said beside the form (added up as typed
  // once the page's islands are attached: the deployments were made by plain form posts).
  await hydrated(page);
  const traffic = page.getByRole('form', { name: 'Set traffic' });
  await traffic.getByLabel('blue (%)').fill('70');
  await traffic.getByLabel('green (%)').fill('20');
  await traffic.getByText('Total: 90%').waitFor();
  await traffic.getByRole('button', { name: 'Set traffic' }).click();
  const error = page.locator('#traffic-error');
  await error.waitFor();
  assert.equal(await error.textContent(), 'Traffic adds up to 90%; it must add up to exactly 100%.');

  // 70/30 goes through, and the bar shows it.
  const again = page.getByRole('form', { name: 'Set traffic' });
  await again.getByLabel('blue (%)').fill('70');
  await again.getByLabel('green (%)').fill('30');
  await again.getByRole('button', { name: 'Set traffic' }).click();
  await bar.locator('.traffic-segment', { hasText: 'green 30%' }).waitFor();
  // Its width comes from a class (the Content-Security-Policy allows no inline styles).
  const blue = bar.locator('.traffic-segment', { hasText: 'blue 70%' });
  assert.match(await blue.getAttribute('class'), /\bshare-70\b/);
  assert.equal(await blue.getAttribute('style'), null);
  const width = await blue.evaluate((segment) => segment.getBoundingClientRect().width);
  const total = await bar.evaluate((b) => b.getBoundingClientRect().width);
  assert.ok(Math.abs(width / total - 0.7) < 0.02, `${width} of ${total}`);
  assert.equal(await page.locator('#traffic-error').count(), 0);
  await page.locator('.item-activity li', { hasText: 'set the traffic: blue 70%, green 30%' }).waitFor();

  // The model's page lists the deployments serving it, linking back.
  await page.locator('table.deployments tbody tr', { hasText: 'green' }).getByRole('link', { name: 'classifier version 1' }).click();
  await page.waitForURL(`${workspaceUrl}/models/classifier#version-1`);
  await hydrated(page);
  const serving = page.locator('table.serving-deployments');
  assert.match(await serving.textContent(), /fraud-scorer\s*blue.*70%.*fraud-scorer\s*green.*30%/s);

  // Each deployment has its own page: what it serves, its share, its events; back by the crumbs.
  await serving.getByRole('link', { name: 'green' }).click();
  await page.waitForURL(`${workspaceUrl}/endpoints/fraud-scorer/deployments/green`);
  await page.getByRole('heading', { name: 'green', level: 1 }).waitFor();
  await hydrated(page);
  const facts = page.locator('dl.facts');
  assert.match(await facts.textContent(), /classifier version 1.*2 × Standard_NC4as_T4_v3.*30% of the endpoint's requests/s);
  await page.getByText('This model version has no files.').waitFor();
  await page.locator('.item-activity li', { hasText: 'set the traffic: blue 70%, green 30%' }).waitFor();
  assert.equal(await page.locator('.item-activity li', { hasText: 'added deployment blue' }).count(), 0);
  await page.getByRole('navigation', { name: 'Breadcrumbs' }).getByRole('link', { name: 'fraud-scorer' }).click();
  await page.getByRole('heading', { name: 'fraud-scorer', level: 1 }).waitFor();

  // A Reader sees the endpoint, and no control to change it.
  const readerContext = await env.browser().newContext();
  const { page: reader, email } = await signUp(readerContext, env.server(), { hydrated: true });
  await addByInvitation(page, reader, workspaceUrl, { email, role: 'Reader' });

  await reader.goto(`${workspaceUrl}/endpoints`);
  await hydrated(reader);
  await reader.locator('table.endpoints tbody tr', { hasText: 'fraud-scorer' }).waitFor();
  assert.equal(await reader.getByRole('heading', { name: 'New endpoint' }).count(), 0);
  await reader.getByRole('link', { name: 'fraud-scorer' }).click();
  await reader.getByRole('heading', { name: 'fraud-scorer', level: 1 }).waitFor();
  await hydrated(reader);
  await reader.locator('.traffic-segment', { hasText: 'blue 70%' }).waitFor();
  assert.equal(await reader.getByRole('form', { name: 'Set traffic' }).count(), 0);
  for (const name of ['Set traffic', 'Add deployment', 'Stop blue', 'Delete blue', 'Delete endpoint']) {
    assert.equal(await reader.getByRole('button', { name }).count(), 0, name);
  }
  for (const control of ['Add a deployment', 'Edit endpoint', 'Delete endpoint']) {
    assert.equal(await reader.getByText(control).count(), 0, control);
  }
  await reader.locator('table.deployments').getByRole('link', { name: 'blue' }).click();
  await reader.getByRole('heading', { name: 'blue', level: 1 }).waitFor();
  assert.equal(await reader.getByRole('button').filter({ hasText: /Stop|Start|Delete/ }).count(), 0);
  await ownerContext.close();
  await readerContext.close();
});

test('without JavaScript the traffic form splits and refuses the same', async () => {
  const setup = await env.browser().newContext();
  const { page: setupPage } = await signUp(setup, env.server(), { hydrated: true });
  await createOrganization(setupPage, env.server(), { name: 'Fabrikam', slug: 'fabrikam', hydrated: true });
  const workspaceUrl = await createWorkspace(setupPage, env.server(), { org: 'fabrikam', group: 'nlp', name: 'tagger' });
  await registerModel(setupPage, workspaceUrl, 'classifier');
  await endpointWithTwoDeployments(setupPage, workspaceUrl, 'tagger-api');

  const context = await env.browser().newContext({ javaScriptEnabled: false, storageState: await setup.storageState() });
  const page = await context.newPage();
  await page.goto(`${workspaceUrl}/endpoints/tagger-api`);
  const traffic = page.getByRole('form', { name: 'Set traffic' });
  await traffic.getByLabel('blue (%)').fill('70');
  await traffic.getByLabel('green (%)').fill('40');
  await traffic.getByRole('button', { name: 'Set traffic' }).click();
  const error = page.locator('#traffic-error');
  await error.waitFor();
  assert.match(await error.textContent(), /adds up to 110%/);

  const again = page.getByRole('form', { name: 'Set traffic' });
  await again.getByLabel('blue (%)').fill('70');
  await again.getByLabel('green (%)').fill('30');
  await again.getByRole('button', { name: 'Set traffic' }).click();
  await page.locator('.traffic-segment', { hasText: 'green 30%' }).waitFor();

  // Stopping green while it takes traffic is refused with the reason.
  await page.getByRole('button', { name: 'Stop green' }).click();
  await page.locator('.form-alert', { hasText: 'green still receives 30% of the traffic' }).waitFor();
  await context.close();
  await setup.close();
});
