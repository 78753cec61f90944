// The Sessions and Account pages in a real browser, hydrated and with JavaScript off (plain
// form posts, which the server sends back to their page saying how they went). One person is
// signed in from several browsers: the Sessions page lists them, this one marked, and ends one
// or all the others, which are signed out on their next page; the Account page renames, asks
// for a new address and changes the password, refusing a wrong current password beside its
// field, and a changed password ends the other sessions. What is typed before the page's
// script arrives is judged as typed once it does.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { signUp, useServerAndBrowser } from './support/server.mjs';
import { answered, reloaded, consoleErrors, visit } from './support/page-checks.mjs';

const env = useServerAndBrowser({ before, after });
const PASSWORD = 'correct horse battery staple';

/// Another browser where `email` signs in (with JavaScript off: it only needs the session).
async function signedInElsewhere(email, password = PASSWORD) {
  const context = await env.browser().newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${env.server().url}/sign-in`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: /^Welcome/ }).waitFor();
  return page;
}

/// Whether the browser of `page` is still signed in, as its next page shows.
async function stillSignedIn(page) {
  // Pages are rendered whole before they are sent: the header is there once it loads.
  await page.goto(`${env.server().url}/account/sessions`);
  return (await page.locator('.user-menu').count()) === 1;
}

for (const hydrated of [true, false]) {
  const mode = hydrated ? 'hydrated' : 'without JavaScript';

  test(`the Sessions page ends another session, then all the others (${mode})`, async () => {
    const context = await env.browser().newContext({ javaScriptEnabled: hydrated });
    const errors = consoleErrors(context);
    const { page, email } = await signUp(context, env.server(), { hydrated });
    const laptop = await signedInElsewhere(email);

    await visit(page, `${env.server().url}/account/sessions`, { hydrated });
    const rows = page.locator('main table tbody tr');
    assert.equal(await rows.count(), 2);
    assert.equal(await rows.filter({ hasText: 'This session' }).count(), 1);
    const other = rows.filter({ hasNotText: 'This session' });
    await other.getByRole('button', { name: /^Sign out Headless Chrome/ }).click();
    await page.getByRole('status').filter({ hasText: 'That session is signed out.' }).waitFor();
    await answered(page, { hydrated });
    await rows.nth(1).waitFor({ state: 'detached' });
    // Hydrated, the list is read again after the answer: wait for it, then count.
    await rows.filter({ hasText: 'This session' }).waitFor();
    assert.equal(await rows.count(), 1);
    assert.equal(await stillSignedIn(laptop), false, 'the ended session is signed out');

    const phone = await signedInElsewhere(email);
    const tablet = await signedInElsewhere(email);
    await visit(page, `${env.server().url}/account/sessions`, { hydrated });
    assert.equal(await rows.count(), 3);
    await page.getByRole('button', { name: 'Sign out everywhere else' }).click();
    await page.getByRole('status').filter({ hasText: 'You are signed out everywhere else.' }).waitFor();
    await answered(page, { hydrated });
    await rows.nth(1).waitFor({ state: 'detached' });
    assert.equal(await stillSignedIn(phone), false);
    assert.equal(await stillSignedIn(tablet), false);
    assert.equal(await stillSignedIn(page), true, 'this session stays');

    assert.deepEqual(errors, []);
    for (const other of [laptop, phone, tablet]) await other.context().close();
    await context.close();
  });

  test(`the Account page renames, asks for a new address and changes the password (${mode})`, async () => {
    const context = await env.browser().newContext({ javaScriptEnabled: hydrated });
    const errors = consoleErrors(context);
    const { page, email } = await signUp(context, env.server(), { hydrated });
    const laptop = await signedInElsewhere(email);
    const name = hydrated ? 'Grace Hopper' : 'Grace Brewster Hopper';
    const newAddress = email.replace('@', '.new@');

    await visit(page, `${env.server().url}/account`, { hydrated });
    await page.getByLabel('Your name').fill(name);
    await page.getByRole('button', { name: 'Save name' }).click();
    await page.getByRole('status').filter({ hasText: 'Your name is saved.' }).waitFor();
    await answered(page, { hydrated });
    await page.locator('.user-menu .user-name', { hasText: name }).waitFor();

    // A new address needs the current password, refused beside its field when wrong.
    await page.getByLabel('New email address').fill(newAddress);
    await page.locator('#email-current-password').fill('not my password');
    await page.getByRole('button', { name: 'Change address' }).click();
    await page.locator('#email-current-password-error').getByText('That is not your current password.').waitFor();
    await reloaded(page, { hydrated });
    await page.getByLabel('New email address').fill(newAddress);
    await page.locator('#email-current-password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Change address' }).click();
    await page.getByRole('status').filter({ hasText: 'A confirmation link is on its way' }).waitFor();
    await answered(page, { hydrated });
    await page.getByRole('status').filter({ hasText: `Waiting for you to confirm ${newAddress}` }).waitFor();

    // So does a new password; the wrong one changes nothing and ends no session.
    const current = page.locator('#field-current_password');
    await current.fill('not my password');
    await page.getByLabel('New password').fill('another long passphrase');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.locator('#field-current_password-error').getByText('That is not your current password.').waitFor();
    await reloaded(page, { hydrated });
    assert.equal(await stillSignedIn(laptop), true, 'a refused change ends no session');
    await current.fill(PASSWORD);
    await page.getByLabel('New password').fill('another long passphrase');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByRole('status').filter({ hasText: 'Your password is changed. Your other sessions are signed out.' }).waitFor();
    await answered(page, { hydrated });
    assert.equal(await stillSignedIn(laptop), false, 'the other session ended');
    assert.equal(await stillSignedIn(page), true, 'this session stays');

    // The new password is the one that signs in now.
    const phone = await signedInElsewhere(email, 'another long passphrase');
    assert.equal(await stillSignedIn(phone), true);

    assert.deepEqual(errors, []);
    for (const other of [laptop, phone]) await other.context().close();
    await context.close();
  });
}

test('a form filled in before the page\'s script arrives is judged by what it holds', async () => {
  const context = await env.browser().newContext();
  const errors = consoleErrors(context);
  const { page } = await signUp(context, env.server(), { hydrated: true });
  // A slow connection: the page is there, its WebAssembly is not yet.
  let arrive;
  const arrived = new Promise((resolve) => (arrive = resolve));
  await page.route('**/*.wasm', async (route) => {
    await arrived;
    await route.continue();
  });
  await page.goto(`${env.server().url}/account`);
  await page.locator('#field-current_password').fill('not my password');
  await page.getByLabel('New password').fill('another long passphrase');
  arrive();
  await page.locator('body[data-hydrated]').waitFor();

  // Leaving the field checks the text it holds (long enough), not the empty text the page
  // was rendered with, and the button it was left for still takes the click.
  await page.getByRole('button', { name: 'Change password' }).click();
  await page.locator('#field-current_password-error').getByText('That is not your current password.').waitFor();
  assert.equal(await page.locator('#field-new_password-error').count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});
