// Invitations with a mail server: the email goes out over SMTP (to a local sink), the inviter
// sees it as sent, and the invited person follows the emailed link, signs up and lands in the
// workspace with the invited role.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { signUp, createOrganization, createWorkspace, open, useServerAndBrowser } from './support/server.mjs';
import { startSmtpSink, decodeQuotedPrintable } from './support/smtp.mjs';

const sink = await startSmtpSink();
const env = useServerAndBrowser({
  before,
  after,
  env: () => ({ ATELIER_SMTP_HOST: '127.0.0.1', ATELIER_SMTP_PORT: String(sink.port), ATELIER_SMTP_SECURITY: 'none' }),
});
after(() => sink.stop());

test('the emailed link takes a new person through sign-up into the workspace', async () => {
  const ownerContext = await env.browser().newContext();
  const { page: owner } = await signUp(ownerContext, env.server(), { hydrated: true });
  await createOrganization(owner, env.server(), { name: 'Wingtip', slug: 'wingtip', hydrated: true });
  const workspaceUrl = await createWorkspace(owner, env.server(), { org: 'wingtip', group: 'forecast', name: 'demand' });

  const invitee = `mailed.${Date.now()}@example.com`;
  await owner.goto(`${workspaceUrl}/access`);
  await owner.locator('body[data-hydrated]').waitFor();
  await owner.getByLabel('Email addresses').fill(invitee);
  await owner.getByLabel('Invite as').selectOption('Contributor');
  await owner.getByRole('button', { name: 'Send invitations' }).click();
  await owner.locator('.invite-results', { hasText: `${invitee}: Invited` }).waitFor();

  // Delivered by the worker; the inviter sees "Sent" once it has gone.
  const raw = await sink.waitFor((m) => m.includes(invitee));
  await owner.reload();
  await owner.locator('table.invitations tbody tr', { hasText: invitee }).filter({ hasText: 'Sent' }).waitFor();

  const mail = decodeQuotedPrintable(raw);
  assert.match(mail, /Subject: /);
  const links = [...new Set(mail.match(/https?:\/\/[^\s"<>]+/g))];
  assert.equal(links.length, 1, `one link only: ${links}`);
  const [link] = links;
  assert.ok(link.startsWith(`${env.server().url}/invite/`), link);

  const inviteeContext = await env.browser().newContext();
  const page = await open(inviteeContext, link, { hydrated: true });
  await page.getByRole('link', { name: 'Create an account' }).click();
  await page.waitForURL(/\/sign-up\?invitation=/);
  await page.locator('body[data-hydrated]').waitFor();
  await page.getByLabel('Your name').fill('Mia Mailed');
  await page.getByLabel('Password').fill('correct horse battery staple');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('button', { name: 'Accept invitation' }).click();
  await page.waitForURL(workspaceUrl);
  await page.getByRole('heading', { name: 'demand' }).waitFor();
  assert.match(await page.locator('main').textContent(), /Your role: Contributor/);
  await ownerContext.close();
  await inviteeContext.close();
});
