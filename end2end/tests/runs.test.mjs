// Experiments and runs in a real browser: from the workspace overview to an experiment and a
// run, its metric chart (with the value under the pointer), an output stored and downloaded,
// two runs compared, and a Reader who sees everything but no control to change it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { addByInvitation, signUp, createOrganization, createWorkspace, useServerAndBrowser } from './support/server.mjs';

const env = useServerAndBrowser({ before, after });

async function hydrated(page) {
  await page.locator('body[data-hydrated]').waitFor();
}

/// Submits a run through the experiment page's form; returns the run page's URL.
async function submitRun(page, { name, params, metrics }) {
  await page.getByText('Submit a run').click();
  await page.getByLabel('Display name').fill(name);
  await page.getByLabel('Parameters').fill(params);
  await page.getByLabel('Status', { exact: true }).selectOption('running');
  const experimentUrl = page.url();
  await page.getByRole('button', { name: 'Submit run' }).click();
  await page.waitForURL((url) => url.pathname.includes('/runs/'));
  await page.getByRole('heading', { name }).waitFor();
  await page.getByText('Log metrics').click();
  await page.getByLabel('Metrics').fill(metrics);
  await page.getByLabel('Log text').fill(`training ${name}\n`);
  await page.getByRole('button', { name: 'Send' }).click();
  await page.locator('figure.metric-chart', { hasText: 'loss' }).waitFor();
  const runUrl = page.url();
  await page.goto(experimentUrl);
  await hydrated(page);
  return runUrl;
}

test('a run is browsed to, charted and compared; a Reader cannot change anything', async () => {
  const ownerContext = await env.browser().newContext();
  const { page } = await signUp(ownerContext, env.server(), { hydrated: true });
  await createOrganization(page, env.server(), { name: 'Contoso', slug: 'contoso', hydrated: true });
  const workspaceUrl = await createWorkspace(page, env.server(), { org: 'contoso', group: 'vision', name: 'detector' });

  await page.getByRole('navigation', { name: 'Workspace' }).getByRole('link', { name: 'Experiments' }).click();
  await page.getByRole('heading', { name: 'Experiments', level: 1 }).waitFor();
  await hydrated(page);
  await page.getByLabel('Name', { exact: true }).fill('bad name');
  await page.getByLabel('Name', { exact: true }).blur();
  await page.getByText("not ' '").waitFor();
  await page.getByLabel('Name', { exact: true }).fill('mnist');
  await page.getByRole('button', { name: 'Create experiment' }).click();
  await page.waitForURL(`${workspaceUrl}/experiments/mnist`);
  await hydrated(page);

  const lossA = Array.from({ length: 30 }, (_, i) => `loss ${i} ${(2 / (i + 1)).toFixed(4)}`).join('\n');
  const lossB = Array.from({ length: 30 }, (_, i) => `loss ${i} ${(3 / (i + 1)).toFixed(4)}`).join('\n');
  await submitRun(page, { name: 'baseline', params: 'lr=0.01\nbatch_size=32', metrics: lossA });
  await submitRun(page, { name: 'bigger lr', params: 'lr=0.1\nbatch_size=32', metrics: lossB });

  // From the overview, as a newcomer would: the Experiments count, the experiment, the run.
  await page.goto(workspaceUrl);
  await hydrated(page);
  await page.locator('.count-card', { hasText: 'Experiments' }).click();
  await page.getByRole('link', { name: 'mnist' }).click();
  await page.waitForURL(`${workspaceUrl}/experiments/mnist`);
  // The URL changes before the page's data arrives: wait for the table, then count.
  const rows = page.locator('table.runs tbody tr');
  await rows.nth(1).waitFor();
  assert.equal(await rows.count(), 2);
  assert.match(await page.locator('table.runs thead').textContent(), /lr.*loss/s);
  await page.getByRole('link', { name: 'baseline' }).click();
  await page.getByRole('heading', { name: 'baseline' }).waitFor();
  await hydrated(page);
  // Its history, in words: who submitted it and where.
  assert.match(await page.locator('.item-activity li').last().textContent(), /submitted the run to mnist/);
  const chart = page.locator('figure.metric-chart', { hasText: 'loss' });
  assert.equal(await chart.locator('path.line').count(), 1);
  assert.match(await page.locator('pre.run-log').textContent(), /training baseline/);
  const area = chart.locator('rect.hover-area');
  await area.scrollIntoViewIfNeeded();
  const box = await area.boundingBox();
  await page.mouse.move(box.x + 2, box.y + box.height / 2);
  await chart.locator('.chart-readout').getByText('loss: 2 at step 0').waitFor();
  const linear = await chart.locator('text.tick').allTextContents();
  await page.getByLabel('Log scale').check();
  await page.waitForFunction(
    (before) => [...document.querySelectorAll('figure.metric-chart text.tick')].map((t) => t.textContent).join() !== before,
    linear.join(),
  );

  // Store an output file and download it again.
  await page.locator('.upload-form input[type=file]').setInputFiles({
    name: 'weights.bin',
    mimeType: 'application/octet-stream',
    buffer: Buffer.from('model weights\n'),
  });
  await page.waitForFunction(() => document.querySelector('.upload-form input[type=text]').value === 'outputs/weights.bin');
  await page.getByRole('button', { name: 'Upload' }).click();
  const link = page.getByRole('link', { name: 'Download outputs/weights.bin' });
  await link.waitFor();
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  assert.equal(download.suggestedFilename(), 'weights.bin');
  const stream = await download.createReadStream();
  let body = '';
  for await (const chunk of stream) body += chunk;
  assert.equal(body, 'model weights\n');

  // Compare the two runs: the differing parameter is marked, the curves are overlaid. (The
  // upload was a plain form post, so the runs list is not simply one page back.)
  await page.goto(`${workspaceUrl}/runs`);
  await hydrated(page);
  await page.getByLabel('Select baseline').check();
  await page.getByLabel('Select bigger lr').check();
  await page.getByRole('button', { name: 'Compare selected runs' }).click();
  await page.getByRole('heading', { name: 'Comparing 2 runs' }).waitFor();
  await hydrated(page);
  const differing = page.locator('table.compare tr.differs');
  assert.deepEqual(await differing.locator('th').allTextContents(), ['lr']);
  await page.getByLabel('Only differences').check();
  assert.equal(await page.locator('table.compare tbody tr', { hasText: 'batch_size' }).isVisible(), false);
  const overlay = page.locator('figure.metric-chart', { hasText: 'loss' });
  assert.equal(await overlay.locator('path.line').count(), 2);
  assert.deepEqual(await overlay.locator('.chart-legend li').allTextContents(), ['bigger lr', 'baseline']);

  // A Reader sees the runs and charts, and no control to change them.
  const readerContext = await env.browser().newContext();
  const { page: reader, email } = await signUp(readerContext, env.server(), { hydrated: true });
  await addByInvitation(page, reader, workspaceUrl, { email, role: 'Reader' });

  await reader.goto(`${workspaceUrl}/experiments/mnist`);
  await hydrated(reader);
  assert.equal(await reader.locator('table.runs tbody tr').count(), 2);
  for (const control of ['Submit a run', 'Edit experiment', 'Delete experiment']) {
    assert.equal(await reader.getByText(control).count(), 0, control);
  }
  await reader.getByRole('link', { name: 'baseline' }).click();
  await reader.getByRole('heading', { name: 'baseline' }).waitFor();
  assert.equal(await reader.locator('figure.metric-chart').count(), 1);
  assert.equal(await reader.getByText('Log metrics').count(), 0);
  assert.equal(await reader.getByText('Delete run').count(), 0);
  assert.equal(await reader.getByRole('button', { name: 'Upload' }).count(), 0);
  assert.equal(await reader.getByRole('link', { name: 'Download outputs/weights.bin' }).count(), 1);
  await reader.goto(`${workspaceUrl}/experiments`);
  assert.equal(await reader.getByRole('heading', { name: 'New experiment' }).count(), 0);
  await ownerContext.close();
  await readerContext.close();
});
