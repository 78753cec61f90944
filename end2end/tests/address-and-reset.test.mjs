// Proving an address and replacing a forgotten password in a real browser, hydrated and with
// JavaScript off (plain form posts, which the server sends back to their page saying how they
// went): sign up, confirm the address with the link the instance admin reads in the outbox,
// sign out, ask for a reset link, choose a new password with it, and sign in with that one
// while the old one is refused. Refused fields are said beside them either way.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { signUp, useServerAndBrowser } from './support/server.mjs';
import { answered, reloaded, consoleErrors, visit } from './support/page-checks.mjs';

const env = useServerAndBrowser({ before, after });
const OLD_PASSWORD = 'correct horse battery staple';
const NEW_PASSWORD = 'a brand new passphrase';

// The instance admin, who reads the outbox: the first account on this file's server, so each
// test makes sure of it before anyone else signs up.
let admin;
async function signUpAdmin() {
  admin ??= (await signUp(await env.browser().newContext(), env.server(), { hydrated: true })).page;
}

/// The link to `path` (`/confirm/`, `/reset-password/`) last mailed to `email`, read on the
/// Outbox page (no mail server here). A reset link is mailed just after the answer, so the page
/// is read again until it shows.
async function mailedLink(email, path) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    await admin.goto(`${env.server().url}/admin/outbox`);
    const mail = admin.locator('article.mail', { hasText: email }).filter({ hasText: path });
    if ((await mail.count()) > 0) {
      const text = await mail.first().locator('pre.mail-body').textContent();
      const [link] = text.match(new RegExp(`\\S*${path}\\S+`));
      return new URL(link, env.server().url).toString();
    }
    assert.ok(Date.now() < deadline, `no mail to ${email} with a ${path} link`);
  }
}

for (const hydrated of [true, false]) {
  const mode = hydrated ? 'hydrated' : 'without JavaScript';

  test(`an address is confirmed by its link, and a forgotten password is replaced (${mode})`, async () => {
    const server = env.server().url;
    await signUpAdmin();
    const context = await env.browser().newContext({ javaScriptEnabled: hydrated });
    const errors = consoleErrors(context);
    const { page, email } = await signUp(context, env.server(), { hydrated });

    // Until the link mailed there is used, the account only claims its address.
    await page.locator('.confirm-banner').waitFor();
    await visit(page, await mailedLink(email, '/confirm/'), { hydrated });
    await page.getByRole('heading', { name: 'Confirm your address' }).waitFor();
    await page.getByRole('button', { name: 'Confirm my address' }).click();
    await page.getByRole('status').filter({ hasText: 'Your address is confirmed.' }).waitFor();
    await answered(page, { hydrated });
    await visit(page, `${server}/account`, { hydrated });
    await page.getByText(`${email} (confirmed)`).waitFor();
    assert.equal(await page.locator('.confirm-banner').count(), 0);

    await page.locator('.user-menu summary').click();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('link', { name: 'Sign in' }).first().click();
    await page.waitForURL(`${server}/sign-in`);
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await page.waitForURL(`${server}/forgot-password`);
    // A link loads a whole page: with JavaScript, the field's island (which says what is wrong
    // as it is left) attaches before the form is used.
    if (hydrated) await page.locator('body[data-hydrated]').waitFor();
    await page.getByLabel('Email').fill('not-an-address');
    await page.getByRole('button', { name: 'Send me a link' }).click();
    await page.locator('#field-email-error').getByText(/needs an @/).waitFor();
    await reloaded(page, { hydrated });
    await page.getByLabel('Email').fill(email);
    await page.getByRole('button', { name: 'Send me a link' }).click();
    await page.getByRole('status').filter({ hasText: 'If an account uses this address' }).waitFor();
    await answered(page, { hydrated });

    await visit(page, await mailedLink(email, '/reset-password/'), { hydrated });
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    await page.getByLabel('New password').fill('short');
    await page.getByRole('button', { name: 'Set new password' }).click();
    await page.locator('#field-password-error').getByText(/at least 8 characters/).waitFor();
    await reloaded(page, { hydrated });
    await page.getByLabel('New password').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Set new password' }).click();
    await page.getByRole('status').filter({ hasText: 'Your password is changed' }).waitFor();
    await answered(page, { hydrated });

    await page.locator('main').getByRole('link', { name: 'Sign in' }).click();
    await page.waitForURL(`${server}/sign-in`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(OLD_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'do not match an account' }).waitFor();
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: /^Welcome/ }).waitFor();

    assert.deepEqual(errors, []);
    await context.close();
  });
}
