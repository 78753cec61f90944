// Compute in a real browser: the owner creates a cluster through the form (which shows the
// fields for the chosen kind), stops and starts it and sees the activity; a Reader sees the
// compute but no control to create, start, stop or change it; and without JavaScript the same
// forms work, with every kind's fields shown.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { addByInvitation, signUp, createOrganization, createWorkspace, useServerAndBrowser } from './support/server.mjs';

const env = useServerAndBrowser({ before, after });

async function hydrated(page) {
  await page.locator('body[data-hydrated]').waitFor();
}

test('the owner creates, stops and starts a cluster; a Reader cannot', async () => {
  const ownerContext = await env.browser().newContext();
  const { page } = await signUp(ownerContext, env.server(), { hydrated: true });
  await createOrganization(page, env.server(), { name: 'Contoso', slug: 'contoso', hydrated: true });
  const workspaceUrl = await createWorkspace(page, env.server(), { org: 'contoso', group: 'vision', name: 'detector' });

  // From the overview's count card to the list, as a newcomer would.
  await hydrated(page);
  await page.locator('.count-card', { hasText: 'Compute' }).click();
  await page.waitForURL(`${workspaceUrl}/compute`);
  await page.getByRole('heading', { name: 'Compute', level: 1 }).waitFor();
  await hydrated(page);
  assert.equal(
    await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Compute' }).getAttribute('aria-current'),
    'page',
  );

  // The form shows what applies to the kind: owner and idle shutdown for an instance, node
  // counts for a cluster.
  const form = page.locator('form', { has: page.getByRole('button', { name: 'Create compute' }) });
  assert.equal(await form.getByLabel('Compute type').inputValue(), 'instance');
  assert.equal(await form.getByLabel('Assigned to').isVisible(), true);
  assert.equal(await form.getByLabel('Minimum nodes').isVisible(), false);
  await form.getByLabel('Compute type').selectOption('cluster');
  await form.getByLabel('Minimum nodes').waitFor();
  assert.equal(await form.getByLabel('Assigned to').isVisible(), false);

  // A mistake is shown as typed, with the Azure rule.
  await form.getByLabel('Name', { exact: true }).fill('gpu_cluster');
  await form.getByLabel('Name', { exact: true }).blur();
  await form.getByText("not '_'").waitFor();
  await form.getByLabel('Name', { exact: true }).fill('gpu-cluster');
  await form.getByLabel('Virtual machine size').selectOption('Standard_NC6s_v3');
  await form.getByLabel('Minimum nodes').fill('0');
  await form.getByLabel('Maximum nodes').fill('4');
  await form.getByLabel('Tags').fill('team=vision');
  await page.getByRole('button', { name: 'Create compute' }).click();
  await page.waitForURL(`${workspaceUrl}/compute/gpu-cluster`);
  await page.getByRole('heading', { name: 'gpu-cluster' }).waitFor();
  await hydrated(page);
  const state = page.locator('.page-heading .status');
  assert.equal(await state.textContent(), 'Running');
  assert.match(await page.locator('dl.facts').textContent(), /Standard_NC6s_v3.*0 to 4/s);
  assert.equal(await page.getByRole('button', { name: 'Start', exact: true }).count(), 0);

  // Stop, then start: the page follows each change.
  await page.getByRole('button', { name: 'Stop', exact: true }).click();
  await page.locator('.page-heading .status', { hasText: 'Stopped' }).waitFor();
  assert.equal(await page.getByRole('button', { name: 'Stop', exact: true }).count(), 0);
  assert.equal(await page.getByRole('button', { name: 'Restart' }).count(), 0);
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await page.locator('.page-heading .status', { hasText: 'Running' }).waitFor();
  await page.getByRole('button', { name: 'Stop', exact: true }).waitFor();
  const activity = page.locator('.item-activity li');
  assert.deepEqual(
    (await activity.allTextContents()).map((t) => t.replace(/^.* UTC /, '')),
    ['Person 1 started it', 'Person 1 stopped it', 'Person 1 created the compute'],
  );

  // The list shows it with its size, nodes and state.
  await page.goto(`${workspaceUrl}/compute?kind=cluster`);
  await hydrated(page);
  const row = page.locator('table.computes tbody tr', { hasText: 'gpu-cluster' });
  assert.match(await row.textContent(), /Compute cluster.*Standard_NC6s_v3.*0–4.*Running/s);
  assert.equal(await page.getByLabel('Kind').inputValue(), 'cluster');

  // A Reader sees the compute, and no control to change it.
  const readerContext = await env.browser().newContext();
  const { page: reader, email } = await signUp(readerContext, env.server(), { hydrated: true });
  await addByInvitation(page, reader, workspaceUrl, { email, role: 'Reader' });

  await reader.goto(`${workspaceUrl}/compute`);
  await hydrated(reader);
  await reader.locator('table.computes tbody tr', { hasText: 'gpu-cluster' }).waitFor();
  assert.equal(await reader.getByRole('heading', { name: 'New compute' }).count(), 0);
  await reader.getByRole('link', { name: 'gpu-cluster' }).click();
  await reader.getByRole('heading', { name: 'gpu-cluster' }).waitFor();
  await hydrated(reader);
  for (const name of ['Start', 'Stop', 'Restart']) {
    assert.equal(await reader.getByRole('button', { name, exact: true }).count(), 0, name);
  }
  for (const control of ['Edit compute', 'Delete compute']) {
    assert.equal(await reader.getByText(control).count(), 0, control);
  }
  await ownerContext.close();
  await readerContext.close();
});

test('without JavaScript the forms create, stop and start compute', async () => {
  const setup = await env.browser().newContext();
  const { page: setupPage } = await signUp(setup, env.server(), { hydrated: true });
  await createOrganization(setupPage, env.server(), { name: 'Fabrikam', slug: 'fabrikam', hydrated: true });
  const workspaceUrl = await createWorkspace(setupPage, env.server(), { org: 'fabrikam', group: 'nlp', name: 'tagger' });
  const context = await env.browser().newContext({ javaScriptEnabled: false, storageState: await setup.storageState() });
  const page = await context.newPage();
  await page.goto(`${workspaceUrl}/compute`);

  // The chosen kind's fields show, by style alone: an instance's at first, a cluster's once
  // chosen; the server reads those of the chosen kind.
  const form = page.locator('form', { has: page.getByRole('button', { name: 'Create compute' }) });
  assert.equal(await form.getByLabel('Minimum nodes').isVisible(), false);
  assert.equal(await form.getByLabel('Assigned to').isVisible(), true);
  await form.getByLabel('Name', { exact: true }).fill('cpu-cluster');
  await form.getByLabel('Compute type').selectOption('cluster');
  await form.getByLabel('Maximum nodes').fill('0');
  await page.getByRole('button', { name: 'Create compute' }).click();
  const error = page.locator('#new-compute-max-nodes-error');
  await error.waitFor();
  assert.match(await error.textContent(), /from 1 to 100/);

  const again = page.locator('form', { has: page.getByRole('button', { name: 'Create compute' }) });
  await again.getByLabel('Name', { exact: true }).fill('cpu-cluster');
  await again.getByLabel('Compute type').selectOption('cluster');
  await again.getByLabel('Maximum nodes').fill('2');
  await page.getByRole('button', { name: 'Create compute' }).click();
  await page.waitForURL(`${workspaceUrl}/compute/cpu-cluster`);
  await page.getByRole('button', { name: 'Stop', exact: true }).click();
  await page.locator('.page-heading .status', { hasText: 'Stopped' }).waitFor();
  await page.getByRole('button', { name: 'Start', exact: true }).click();
  await page.locator('.page-heading .status', { hasText: 'Running' }).waitFor();
  await context.close();
  await setup.close();
});
