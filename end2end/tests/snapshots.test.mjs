// A run's code snapshot in a real browser: an archive uploaded from the run's snapshot page,
// its tree browsed, the entry point's file open first, another file read with line numbers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signUp, createOrganization, createWorkspace, createExperiment, useServerAndBrowser } from './support/server.mjs';

const env = useServerAndBrowser({ before, after });

async function hydrated(page) {
  await page.locator('body[data-hydrated]').waitFor();
}

/// A .tar.gz of a small project, made with the system's tar.
function projectArchive() {
  const dir = mkdtempSync(join(tmpdir(), 'atelier-snapshot-'));
  mkdirSync(join(dir, 'src'));
  writeFileSync(join(dir, 'src', 'train.py'), 'import model\n\nprint("training")\n');
  writeFileSync(join(dir, 'src', 'model.py'), 'class Net:\n    layers = 3\n');
  writeFileSync(join(dir, 'README.md'), '# Digits\n');
  const archive = join(dir, 'code.tar.gz');
  try {
    execFileSync('tar', ['-czf', archive, '-C', dir, 'src', 'README.md']);
    return readFileSync(archive);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a code snapshot is uploaded, browsed as a tree and read', async () => {
  const context = await env.browser().newContext();
  const { page } = await signUp(context, env.server(), { hydrated: true });
  await createOrganization(page, env.server(), { name: 'Contoso', slug: 'contoso', hydrated: true });
  const workspaceUrl = await createWorkspace(page, env.server(), { org: 'contoso', group: 'vision', name: 'detector' });

  await createExperiment(page, workspaceUrl, 'mnist');
  await page.getByText('Submit a run').click();
  await page.getByLabel('Display name').fill('with code');
  await page.getByLabel('Entry point').fill('python src/train.py --epochs 3');
  await page.getByRole('button', { name: 'Submit run' }).click();
  await page.waitForURL((url) => url.pathname.includes('/runs/'));
  await page.getByRole('heading', { name: 'with code' }).waitFor();

  await page.getByRole('link', { name: 'Add a code snapshot' }).click();
  await page.getByRole('heading', { name: 'Code snapshot', level: 1 }).waitFor();
  await hydrated(page);
  await page.getByLabel('Archive').setInputFiles({ name: 'code.tar.gz', mimeType: 'application/gzip', buffer: projectArchive() });
  await page.getByRole('button', { name: 'Upload snapshot' }).click();

  // The tree, folders first; the entry point's file open, marked, with one line per line.
  const tree = page.getByRole('navigation', { name: 'Files' });
  await tree.waitFor();
  assert.deepEqual(
    (await tree.locator('li').allInnerTexts()).map((t) => t.split('\n')[0].replace(' entry point', '').trim()),
    ['src/', 'model.py', 'train.py', 'README.md'],
  );
  assert.match(await tree.locator('li', { hasText: 'train.py' }).last().textContent(), /entry point/);
  await page.getByRole('heading', { name: /src\/train\.py/ }).waitFor();
  assert.equal(await page.locator('.file-view .line').count(), 3);
  assert.equal(await page.locator('.file-view .line').last().textContent(), 'print("training")');

  await tree.getByRole('link', { name: 'model.py' }).click();
  await page.getByRole('heading', { name: /src\/model\.py/ }).waitFor();
  assert.match(await page.locator('.file-view').textContent(), /layers = 3/);
  assert.equal(await tree.getByRole('link', { name: 'model.py' }).getAttribute('aria-current'), 'page');

  // The run's page says what the snapshot holds and links to it.
  await page.getByRole('navigation', { name: 'Breadcrumbs' }).getByRole('link', { name: 'with code' }).click();
  await page.getByRole('heading', { name: 'with code' }).waitFor();
  assert.match(await page.locator('section.snapshot-panel').textContent(), /code\.tar\.gz · 3 files/);
  await page.getByRole('link', { name: 'Browse the code snapshot' }).waitFor();
});
