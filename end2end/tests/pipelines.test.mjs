// Pipelines in a real browser: the owner writes a three-step pipeline in the form (a cycle is
// refused beside the field first), sees its graph drawn with three steps and two arrows,
// submits a run and moves a step forward, which colours the run's graph; a Reader sees the
// pipeline and its run but no control to create, submit, change or delete.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { addByInvitation, signUp, createOrganization, createWorkspace, useServerAndBrowser } from './support/server.mjs';

const env = useServerAndBrowser({ before, after });

async function hydrated(page) {
  await page.locator('body[data-hydrated]').waitFor();
}

test('the owner creates a pipeline, submits a run and advances a step; a Reader cannot', async () => {
  const ownerContext = await env.browser().newContext();
  const { page } = await signUp(ownerContext, env.server(), { hydrated: true });
  await createOrganization(page, env.server(), { name: 'Contoso', slug: 'contoso', hydrated: true });
  const workspaceUrl = await createWorkspace(page, env.server(), { org: 'contoso', group: 'vision', name: 'detector' });

  await hydrated(page);
  await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Pipelines' }).click();
  await page.waitForURL(`${workspaceUrl}/pipelines`);
  await page.getByRole('heading', { name: 'Pipelines', level: 1 }).waitFor();
  await hydrated(page);
  await page.getByText('No pipelines yet.').waitFor();

  const form = page.locator('form', { has: page.getByRole('button', { name: 'Create pipeline' }) });
  await form.getByLabel('Name', { exact: true }).fill('churn');
  // A cycle is named as it is typed, with the rule the server enforces.
  const steps = form.getByLabel('Steps');
  await steps.fill('prep after train: python prep.py\ntrain after prep: python train.py');
  await steps.blur();
  await form.getByText('circle: prep → train → prep').waitFor();
  await steps.fill('prep: python prep.py\nsplit after prep: python split.py\ntrain after split: python train.py --lr 0.01');
  await form.getByLabel('Tags').fill('team=growth');
  await page.getByRole('button', { name: 'Create pipeline' }).click();
  await page.waitForURL(`${workspaceUrl}/pipelines/churn`);
  await page.getByRole('heading', { name: 'churn', level: 1 }).waitFor();
  await hydrated(page);

  const graph = page.locator('svg.pipeline-graph');
  assert.equal(await graph.locator('g.pipeline-node').count(), 3);
  assert.equal(await graph.locator('path.pipeline-edge').count(), 2);
  assert.deepEqual(await graph.locator('.pipeline-node-name').allTextContents(), ['prep', 'split', 'train']);
  const xs = await graph.locator('g.pipeline-node').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('transform')));
  assert.equal(new Set(xs).size, 3, 'each step in its own layer, left to right');
  await page.locator('.item-activity li', { hasText: 'Created with 3 steps' }).waitFor();

  await page.getByRole('button', { name: 'Submit run' }).click();
  await page.waitForURL(`${workspaceUrl}/pipelines/churn/runs/1`);
  await page.getByRole('heading', { name: 'churn · run 1' }).waitFor();
  await hydrated(page);
  assert.equal(await page.locator('.page-heading .status').textContent(), 'Queued');
  assert.equal(await page.locator('svg.pipeline-graph g.status-queued').count(), 3);

  // A step that waits for another is refused beside the status, then the first one starts.
  const change = page.locator('form', { has: page.getByRole('button', { name: 'Change status' }) });
  await change.getByLabel('Step').selectOption('split');
  await change.getByLabel('New status').selectOption('running');
  await page.getByRole('button', { name: 'Change status' }).click();
  await change.getByText('starts only after "prep" completed').waitFor();
  await change.getByLabel('Step').selectOption('prep');
  await change.getByLabel('New status').selectOption('running');
  await page.getByRole('button', { name: 'Change status' }).click();
  await page.locator('.page-heading .status', { hasText: 'Running' }).waitFor();
  await page.locator('svg.pipeline-graph g.status-running[data-step="prep"]').waitFor();
  const prepRow = page.locator('table.pipeline-run-steps tr[data-step="prep"]');
  assert.match(await prepRow.textContent(), /Running/);

  // A Reader sees the pipeline and the run, and no control to change anything.
  const readerContext = await env.browser().newContext();
  const { page: reader, email } = await signUp(readerContext, env.server(), { hydrated: true });
  await addByInvitation(page, reader, workspaceUrl, { email, role: 'Reader' });

  await reader.goto(`${workspaceUrl}/pipelines?q=growth`);
  await hydrated(reader);
  await reader.locator('table.pipelines tbody tr', { hasText: 'churn' }).waitFor();
  assert.equal(await reader.getByRole('heading', { name: 'New pipeline' }).count(), 0);
  await reader.getByRole('link', { name: 'churn' }).click();
  await reader.getByRole('heading', { name: 'churn', level: 1 }).waitFor();
  await hydrated(reader);
  assert.equal(await reader.locator('svg.pipeline-graph g.pipeline-node').count(), 3);
  assert.equal(await reader.getByRole('button', { name: 'Submit run' }).count(), 0);
  for (const control of ['Edit pipeline', 'Delete pipeline']) {
    assert.equal(await reader.getByText(control).count(), 0, control);
  }
  await reader.getByRole('link', { name: 'Run 1' }).click();
  await reader.getByRole('heading', { name: 'churn · run 1' }).waitFor();
  await hydrated(reader);
  assert.equal(await reader.getByRole('button', { name: 'Change status' }).count(), 0);
  assert.equal(await reader.getByRole('button', { name: 'Cancel run' }).count(), 0);
  await ownerContext.close();
  await readerContext.close();
});

test('without JavaScript a pipeline is created and run through plain forms', async () => {
  const setup = await env.browser().newContext();
  const { page: setupPage } = await signUp(setup, env.server(), { hydrated: true });
  await createOrganization(setupPage, env.server(), { name: 'Fabrikam', slug: 'fabrikam', hydrated: true });
  const workspaceUrl = await createWorkspace(setupPage, env.server(), { org: 'fabrikam', group: 'nlp', name: 'tagger' });
  const context = await env.browser().newContext({ javaScriptEnabled: false, storageState: await setup.storageState() });
  const page = await context.newPage();
  await page.goto(`${workspaceUrl}/pipelines`);
  const form = page.locator('form', { has: page.getByRole('button', { name: 'Create pipeline' }) });
  await form.getByLabel('Name', { exact: true }).fill('tagging');
  await form.getByLabel('Steps').fill('fetch: python fetch.py\ntag after fetch: python tag.py');
  await page.getByRole('button', { name: 'Create pipeline' }).click();
  await page.waitForURL(`${workspaceUrl}/pipelines/tagging`);
  assert.equal(await page.locator('svg.pipeline-graph path.pipeline-edge').count(), 1);
  await page.getByRole('button', { name: 'Submit run' }).click();
  await page.waitForURL(`${workspaceUrl}/pipelines/tagging/runs/1`);
  await page.getByRole('button', { name: 'Cancel run' }).click();
  await page.locator('.page-heading .status', { hasText: 'Canceled' }).waitFor();
  await context.close();
  await setup.close();
});
