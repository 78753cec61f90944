// Filling the "Register a datastore" form (already open) for an S3 bucket with credentials.
export async function registerS3Datastore(page, { name, bucket, keyId, secret }) {
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Kind').selectOption('s3');
  await page.getByLabel('Bucket').fill(bucket);
  await page.getByLabel('Access key id').fill(keyId);
  await page.getByLabel('Secret key').fill(secret);
  await page.getByRole('button', { name: 'Register datastore' }).click();
}
