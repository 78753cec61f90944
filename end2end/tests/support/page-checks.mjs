// Checks on pages as a browser shows them: what they log as errors, and how a form's answer
// reached them (read by the app, or a plain form post sent back to its page).
import assert from 'node:assert/strict';

/// What a browser context logs as an error on any of its pages, from now on (the returned
/// array fills as pages log): uncaught exceptions, hydration mismatches, and every refusal by
/// the Content-Security-Policy (Chromium reports each as a console error). A form the server
/// refuses (a wrong password, say) answers its request with a 4xx, which Chromium logs as a
/// failed resource: those are the answers the tests ask for, so they are not counted.
export function consoleErrors(context) {
  const errors = [];
  context.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = message.text().split('\n')[0];
    const refusedForm =
      /^Failed to load resource: the server responded with a status of 4\d\d/.test(text) &&
      /^https?:\/\/[^/]+\/api\//.test(message.location().url ?? '');
    if (!refusedForm) errors.push(`${message.page()?.url()}: ${text}`);
  });
  context.on('weberror', (error) => errors.push(`${error.page()?.url()}: ${error.error().message}`));
  return errors;
}

/// Goes to `url`; hydrated, waits for the app to take over.
export async function visit(page, url, { hydrated }) {
  await page.goto(url);
  if (hydrated) await page.locator('body[data-hydrated]').waitFor();
}

/// A form on an islands page posts as plain HTML, with JavaScript or without: the page came back
/// through an address saying it worked (`?done=`, added by `server::plain_form_answers`).
/// Hydrated, waits for the page that came back to attach its islands, so that what the test
/// types next is not typed into a field an island is about to take over.
export async function answered(page, { hydrated }) {
  assert.ok(new URL(page.url()).searchParams.has('done'), page.url());
  await reloaded(page, { hydrated });
}

/// After a plain post the page is a new one: hydrated, wait for its islands.
export async function reloaded(page, { hydrated }) {
  if (hydrated) await page.locator('body[data-hydrated]').waitFor();
}
