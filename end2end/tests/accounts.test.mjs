// The account journey in a real browser: sign up, see the name, sign out, sign in again,
// once hydrated and once with JavaScript disabled (plain form posts).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { open, useServerAndBrowser } from './support/server.mjs';

const env = useServerAndBrowser({ before, after });

for (const hydrated of [true, false]) {
  const mode = hydrated ? 'hydrated' : 'without JavaScript';

  test(`sign up, sign out and sign in again (${mode})`, async () => {
    const context = await env.browser().newContext({ javaScriptEnabled: hydrated });
    const email = `ada.${hydrated ? 'js' : 'nojs'}@example.com`;
    const page = await open(context, env.server().url, { hydrated });

    await page.getByRole('link', { name: 'Create account' }).first().click();
    await page.waitForURL(`${env.server().url}/sign-up`);
    // A link loads a whole page: with JavaScript, its islands attach before the form is used.
    if (hydrated) await page.locator('body[data-hydrated]').waitFor();
    await page.getByLabel('Your name').fill('Ada Lovelace');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('correct horse battery staple');
    await page.getByRole('button', { name: 'Create account' }).click();

    await page.getByRole('heading', { name: 'Welcome, Ada Lovelace' }).waitFor();
    assert.equal(await page.locator('.user-menu .user-name').textContent(), 'Ada Lovelace');

    await page.locator('.user-menu summary').click();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('link', { name: 'Sign in' }).first().waitFor();
    assert.equal(await page.locator('.user-menu').count(), 0);

    await page.getByRole('link', { name: 'Sign in' }).first().click();
    await page.waitForURL(`${env.server().url}/sign-in`);
    if (hydrated) await page.locator('body[data-hydrated]').waitFor();
    await page.getByLabel('Email').fill(email.toUpperCase());
    await page.getByLabel('Password').fill('correct horse battery staple');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Welcome, Ada Lovelace' }).waitFor();
    assert.equal(await page.locator('.user-menu .user-name').textContent(), 'Ada Lovelace');
    await context.close();
  });

  test(`a wrong password is reported on the form (${mode})`, async () => {
    const context = await env.browser().newContext({ javaScriptEnabled: hydrated });
    const page = await open(context, `${env.server().url}/sign-in`, { hydrated });
    await page.getByLabel('Email').fill('nobody@example.com');
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.textContent(), /do not match an account/);
    await context.close();
  });
}

test('the sign-up form explains a bad field as it is typed (hydrated)', async () => {
  const context = await env.browser().newContext();
  const page = await open(context, `${env.server().url}/sign-up`, { hydrated: true });
  const password = page.getByLabel('Password');
  await password.fill('short');
  await password.blur();
  const message = page.locator('#field-password-error');
  await message.waitFor();
  assert.match(await message.textContent(), /at least 8 characters/);
  assert.equal(await password.getAttribute('aria-invalid'), 'true');

  await password.fill('long enough now');
  await message.waitFor({ state: 'detached' });
  assert.equal(await password.getAttribute('aria-invalid'), 'false');
  await context.close();
});

test('an unknown address shows the not-found page with status 404', async () => {
  const context = await env.browser().newContext();
  const page = await context.newPage();
  const response = await page.goto(`${env.server().url}/no/such/page`);
  assert.equal(response.status(), 404);
  await page.getByRole('heading', { name: 'Not found' }).waitFor();
  await context.close();
});
