// Registered models in a real browser: a model registered from a run's page with the files the
// run saved, its version moved to production, the link back to the run (and from the run to the
// version), the models list with its stage filter, a Reader who sees the model and downloads its
// files but has no control to change it, and the version (with its files) outliving its run.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { addByInvitation, signUp, createOrganization, createWorkspace, createExperiment, useServerAndBrowser } from './support/server.mjs';

const env = useServerAndBrowser({ before, after });

async function hydrated(page) {
  await page.locator('body[data-hydrated]').waitFor();
}

test('a model is registered from a run, promoted and traced back; a Reader cannot change it', async () => {
  const ownerContext = await env.browser().newContext();
  const { page } = await signUp(ownerContext, env.server(), { hydrated: true });
  await createOrganization(page, env.server(), { name: 'Contoso', slug: 'contoso', hydrated: true });
  const workspaceUrl = await createWorkspace(page, env.server(), { org: 'contoso', group: 'vision', name: 'detector' });

  // An experiment and a run, through their forms.
  await createExperiment(page, workspaceUrl, 'mnist');
  await page.getByText('Submit a run').click();
  await page.getByLabel('Display name').fill('baseline');
  await page.getByLabel('Status', { exact: true }).selectOption('completed');
  await page.getByRole('button', { name: 'Submit run' }).click();
  await page.waitForURL((url) => url.pathname.includes('/runs/'));
  await page.getByRole('heading', { name: 'baseline' }).waitFor();
  await hydrated(page);
  const runUrl = page.url();

  // The run saves its model folder as an output.
  await page.locator('.upload-form input[type=file]').setInputFiles({
    name: 'model.pkl',
    mimeType: 'application/octet-stream',
    buffer: Buffer.from('pickled digits model\n'),
  });
  await page.locator('.upload-form input[type=text]').fill('outputs/model/model.pkl');
  await page.getByRole('button', { name: 'Upload' }).click();
  await page.getByRole('link', { name: 'Download outputs/model/model.pkl' }).waitFor();

  // Register a model from the run's page, with that folder's files: the model opens.
  await page.locator('summary', { hasText: 'Register model' }).click();
  assert.equal(await page.getByLabel('Model files').inputValue(), 'outputs/model');
  await page.getByLabel('Model name').fill('bad name');
  await page.getByLabel('Model name').blur();
  await page.getByText("not ' '").waitFor();
  await page.getByLabel('Model name').fill('digits');
  await page.getByLabel('Framework').fill('PyTorch');
  await page.getByLabel('Version description').fill('First CNN');
  await page.getByRole('button', { name: 'Register model' }).click();
  await page.waitForURL(`${workspaceUrl}/models/digits`);
  await page.getByRole('heading', { name: 'digits', level: 1 }).waitFor();
  await hydrated(page);
  const version = page.locator('table.versions tr#version-1');
  assert.match(await version.textContent(), /PyTorch/);
  assert.equal(await version.locator('.stage').textContent(), 'No stage');

  // The version holds a copy of the run's model file, downloadable.
  async function downloadModelFile(from) {
    const row = from.locator('table.versions tr#version-1');
    await row.locator('.version-files summary', { hasText: '1 file' }).click();
    const link = row.getByRole('link', { name: 'Download model.pkl of version 1' });
    const [download] = await Promise.all([from.waitForEvent('download'), link.click()]);
    assert.equal(download.suggestedFilename(), 'model.pkl');
    let body = '';
    for await (const chunk of await download.createReadStream()) body += chunk;
    assert.equal(body, 'pickled digits model\n');
  }
  await downloadModelFile(page);

  // Move the version to production.
  await page.getByLabel('Stage for version 1').selectOption('Production');
  await version.getByRole('button', { name: 'Set stage' }).click();
  await version.locator('.stage-production').waitFor();
  await page.locator('.item-activity li', { hasText: 'moved version 1 from None to Production' }).waitFor();

  // Without JavaScript, saving a version comes back with that form open and saying so; the
  // model's own edit form stays closed (each form has its own server function).
  const plainContext = await env.browser().newContext({ javaScriptEnabled: false, storageState: await ownerContext.storageState() });
  const plain = await plainContext.newPage();
  await plain.goto(`${workspaceUrl}/models/digits`);
  await plain.locator('summary', { hasText: 'Edit a version' }).click();
  await plain.getByLabel('Version description').fill('Second look');
  await plain.getByRole('button', { name: 'Save version' }).click();
  await plain.waitForURL(/done=/);
  const panel = (title) => plain.locator('details', { has: plain.locator('summary', { hasText: title }) });
  assert.equal(await panel('Edit a version').getAttribute('open'), '');
  assert.match(await panel('Edit a version').textContent(), /Saved\./);
  assert.equal(await panel('Edit model').getAttribute('open'), null);
  assert.match(await plain.locator('table.versions tr#version-1').textContent(), /Second look/);
  await plainContext.close();

  // The version links back to its run, and the run to the version.
  await version.getByRole('link', { name: 'baseline' }).click();
  await page.waitForURL(runUrl);
  await page.getByRole('heading', { name: 'baseline' }).waitFor();
  await hydrated(page);
  await page.getByRole('link', { name: 'digits version 1' }).click();
  await page.waitForURL(`${workspaceUrl}/models/digits#version-1`);
  await page.getByRole('heading', { name: 'digits', level: 1 }).waitFor();

  // The overview counts the model; the list shows its stage and filters by it.
  await page.goto(workspaceUrl);
  await hydrated(page);
  await page.locator('.count-card', { hasText: 'Models' }).click();
  await page.waitForURL(`${workspaceUrl}/models`);
  await page.getByRole('heading', { name: 'Models', level: 1 }).waitFor();
  await hydrated(page);
  const row = page.locator('table.models tbody tr', { hasText: 'digits' });
  assert.match(await row.textContent(), /Version 1.*Production/s);
  await page.getByLabel('Has a version in').selectOption('Staging');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.waitForURL(/stage=Staging/);
  await page.getByText('No models match.').waitFor();
  await page.getByLabel('Has a version in').selectOption('Production');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.waitForURL(/stage=Production/);
  await page.locator('table.models tbody tr', { hasText: 'digits' }).waitFor();

  // A Reader sees the model and its versions, and no control to change them.
  const readerContext = await env.browser().newContext();
  const { page: reader, email } = await signUp(readerContext, env.server(), { hydrated: true });
  await addByInvitation(page, reader, workspaceUrl, { email, role: 'Reader' });

  await reader.goto(`${workspaceUrl}/models/digits`);
  await hydrated(reader);
  await reader.locator('table.versions tr#version-1 .stage-production').waitFor();
  assert.equal(await reader.locator('table.versions select').count(), 0);
  await downloadModelFile(reader);
  for (const control of ['Set stage', 'Edit model', 'Edit a version', 'Delete a version', 'Delete model']) {
    assert.equal(await reader.getByText(control).count(), 0, control);
  }
  await reader.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Models' }).click();
  await reader.getByRole('heading', { name: 'Models', level: 1 }).waitFor();
  assert.equal(await reader.getByRole('heading', { name: 'Register a model' }).count(), 0);
  await reader.goto(runUrl);
  await hydrated(reader);
  await reader.getByRole('link', { name: 'digits version 1' }).waitFor();
  assert.equal(await reader.getByText('Register model').count(), 0);

  // Deleting the run keeps the version, which says its run was deleted.
  await page.goto(runUrl);
  await hydrated(page);
  await page.locator('summary', { hasText: 'Delete run' }).click();
  await page.getByRole('button', { name: 'Delete run' }).click();
  await page.waitForURL(`${workspaceUrl}/experiments/mnist`);
  await page.goto(`${workspaceUrl}/models/digits`);
  await page.locator('table.versions tr#version-1', { hasText: 'Run deleted' }).waitFor();
  assert.equal(await page.locator('table.versions tr#version-1').getByRole('link', { name: 'baseline' }).count(), 0);
  await hydrated(page);
  await downloadModelFile(page);
  await ownerContext.close();
  await readerContext.close();
});
