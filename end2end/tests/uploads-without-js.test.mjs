// Files uploaded from a browser with JavaScript off: a run's output, its code snapshot and a
// data asset's file are posted by the forms themselves, and a missing file is said where the
// form is.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { signUp, createOrganization, createWorkspace, createExperiment, useServerAndBrowser } from './support/server.mjs';

const env = useServerAndBrowser({ before, after });

/// A zip holding one file, `train.py`, stored uncompressed (written by hand: no zip tool needed).
function zipOf(name, text) {
  const data = Buffer.from(text);
  const fileName = Buffer.from(name);
  const crc = crc32(data);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4);
  local.writeUInt32LE(crc, 14); local.writeUInt32LE(data.length, 18); local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(fileName.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0); central.writeUInt16LE(20, 4); central.writeUInt16LE(20, 6);
  central.writeUInt32LE(crc, 16); central.writeUInt32LE(data.length, 20); central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(fileName.length, 28);
  const centralOffset = local.length + fileName.length + data.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(1, 8); end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + fileName.length, 12); end.writeUInt32LE(centralOffset, 16);
  return Buffer.concat([local, fileName, data, central, fileName, end]);
}

function crc32(bytes) {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return (crc ^ 0xffffffff) >>> 0;
}

test('without JavaScript outputs, snapshots and data asset files are uploaded by the forms', async () => {
  const context = await env.browser().newContext();
  const { page } = await signUp(context, env.server(), { hydrated: true });
  await createOrganization(page, env.server(), { name: 'Contoso', slug: 'contoso', hydrated: true });
  const workspaceUrl = await createWorkspace(page, env.server(), { org: 'contoso', group: 'vision', name: 'detector' });
  await createExperiment(page, workspaceUrl, 'mnist');
  await page.getByText('Submit a run').click();
  await page.getByLabel('Display name').fill('plain forms');
  await page.getByRole('button', { name: 'Submit run' }).click();
  await page.waitForURL((url) => url.pathname.includes('/runs/'));
  const runUrl = page.url();

  const plain = await env.browser().newContext({ javaScriptEnabled: false, storageState: await context.storageState() });
  const noJs = await plain.newPage();

  // An output: no file chosen is refused beside the form, then a file is stored by its name.
  await noJs.goto(runUrl);
  await noJs.getByRole('button', { name: 'Upload', exact: true }).click();
  await noJs.locator('.upload-form .field-error').getByText('Choose a file to upload.').waitFor();
  await noJs.locator('.upload-form input[type=file]').setInputFiles({
    name: 'weights.bin',
    mimeType: 'application/octet-stream',
    buffer: Buffer.from('model weights\n'),
  });
  await noJs.getByRole('button', { name: 'Upload', exact: true }).click();
  const link = noJs.getByRole('link', { name: 'Download outputs/weights.bin' });
  await link.waitFor();
  assert.equal(await noJs.locator('.upload-form .field-error').count(), 0, 'the earlier error is gone');
  const download = await noJs.request.get(new URL(await link.getAttribute('href'), runUrl).href);
  assert.equal(await download.text(), 'model weights\n');

  // A code snapshot.
  await noJs.getByRole('link', { name: 'Add a code snapshot' }).click();
  await noJs.getByLabel('Archive').setInputFiles({ name: 'code.zip', mimeType: 'application/zip', buffer: zipOf('train.py', 'print("plain")\n') });
  await noJs.getByRole('button', { name: 'Upload snapshot' }).click();
  await noJs.getByRole('navigation', { name: 'Files' }).getByRole('link', { name: 'train.py' }).click();
  await noJs.getByRole('heading', { name: /train\.py/ }).waitFor();
  assert.match(await noJs.locator('.file-view').textContent(), /print\("plain"\)/);

  // A data asset from a CSV file, with its preview.
  await noJs.goto(`${workspaceUrl}/datasets`);
  await noJs.getByText('Register a data asset').click();
  await noJs.getByLabel('Name', { exact: true }).fill('iris');
  await noJs.getByLabel('Format', { exact: true }).selectOption('csv');
  await noJs.getByLabel('Upload a file').setInputFiles({ name: 'iris.csv', mimeType: 'text/csv', buffer: Buffer.from('sepal,petal\n5.1,1.4\n') });
  await noJs.getByRole('button', { name: 'Register' }).click();
  await noJs.waitForURL(`${workspaceUrl}/datasets/iris/versions/1`);
  assert.match(await noJs.locator('main').textContent(), /iris\.csv/);
  assert.match(await noJs.locator('main table').last().textContent(), /5\.1/);

  await plain.close();
  await context.close();
});
