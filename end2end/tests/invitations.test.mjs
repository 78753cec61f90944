// Invitations in a real browser: the owner invites a new address; with no mail server the
// email waits in the outbox, where the instance admin reads it; a second browser opens its
// link, signs up with the invited address fixed, accepts, and lands in the workspace.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { signUp, createOrganization, createWorkspace, open, useServerAndBrowser } from './support/server.mjs';

const env = useServerAndBrowser({ before, after });
// The instance admin: whoever signed up first on this file's server.
let adminEmail = null;

test('an invited person signs up from the emailed link and lands in the workspace', async () => {
  const ownerContext = await env.browser().newContext();
  const { page: owner, email: ownerEmail } = await signUp(ownerContext, env.server(), { hydrated: true });
  adminEmail ??= ownerEmail;
  await createOrganization(owner, env.server(), { name: 'Adatum', slug: 'adatum', hydrated: true });
  const workspaceUrl = await createWorkspace(owner, env.server(), { org: 'adatum', group: 'nlp', name: 'summarizer' });

  const invitee = `invitee.${Date.now()}@example.com`;
  await owner.goto(`${workspaceUrl}/access`);
  await owner.locator('body[data-hydrated]').waitFor();
  await owner.getByLabel('Email addresses').fill(`${invitee}, not-an-address`);
  await owner.getByLabel('Email addresses').blur();
  await owner.getByText('not-an-address: An email address needs an @').waitFor();
  await owner.getByLabel('Email addresses').fill(invitee);
  await owner.getByLabel('Invite as').selectOption('Reader');
  await owner.getByLabel('Note (optional)').fill('Welcome to the summarizer team');
  await owner.getByRole('button', { name: 'Send invitations' }).click();
  await owner.locator('.invite-results', { hasText: `${invitee}: Invited` }).waitFor();
  const row = owner.locator('table.invitations tbody tr', { hasText: invitee });
  await row.waitFor();
  assert.match(await row.textContent(), /Reader/);
  assert.match(await row.textContent(), /copy the link/);

  // The email as it would have been sent, read on the admin's Outbox page.
  await owner.goto(`${env.server().url}/admin/outbox`);
  const mail = owner.locator('article.mail', { hasText: invitee });
  await mail.waitFor();
  const text = await mail.locator('pre.mail-body').textContent();
  assert.match(text, /invited you to workspace summarizer in Adatum › nlp on Atelier, as Reader/);
  assert.match(text, /Welcome to the summarizer team/);
  const links = text.match(/https?:\/\/\S+/g);
  assert.equal(links.length, 1, 'the email carries exactly one link');
  const [link] = links;

  const inviteeContext = await env.browser().newContext();
  const page = await open(inviteeContext, link, { hydrated: true });
  await page.getByRole('heading', { name: 'You are invited' }).waitFor();
  await page.getByRole('link', { name: 'Create an account' }).click();
  await page.waitForURL(/\/sign-up\?invitation=/);
  await page.locator('body[data-hydrated]').waitFor();
  const email = page.getByLabel('Email');
  assert.equal(await email.inputValue(), invitee);
  assert.equal(await email.getAttribute('readonly'), '');
  await page.getByLabel('Your name').fill('Ivy Invitee');
  await page.getByLabel('Password').fill('correct horse battery staple');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('button', { name: 'Accept invitation' }).click();
  await page.waitForURL(workspaceUrl);
  await page.getByRole('heading', { name: 'summarizer' }).waitFor();
  assert.match(await page.locator('main').textContent(), /Your role: Reader/);

  // The link is spent; the owner sees the new assignment.
  await page.goto(link);
  await page.getByRole('heading', { name: 'Invitation already accepted' }).waitFor();
  await owner.goto(`${workspaceUrl}/access`);
  await owner.locator('tbody tr', { hasText: invitee }).first().waitFor();
  assert.equal(await owner.locator('table.invitations').count(), 0);
  await ownerContext.close();
  await inviteeContext.close();
});

test('after a first invitation by link, the next is answered from the Invitations page, found through the header badge', async () => {
  const ownerContext = await env.browser().newContext();
  const { page: owner, email: ownerEmail } = await signUp(ownerContext, env.server(), { hydrated: true });
  adminEmail ??= ownerEmail;
  await createOrganization(owner, env.server(), { name: 'Litware', slug: 'litware', hydrated: true });
  const firstUrl = await createWorkspace(owner, env.server(), { org: 'litware', group: 'vision', name: 'ocr' });
  const secondUrl = await createWorkspace(owner, env.server(), { org: 'litware', group: 'speech', name: 'asr' });
  const email = `member.${Date.now()}@example.com`;

  const invite = async (workspaceUrl) => {
    await owner.goto(`${workspaceUrl}/access`);
    await owner.locator('body[data-hydrated]').waitFor();
    await owner.getByLabel('Email addresses').fill(email);
    await owner.getByRole('button', { name: 'Send invitations' }).click();
    await owner.locator('.invite-results', { hasText: 'Invited' }).waitFor();
  };

  // The first invitation: its link, copied by the inviter (no mail server here).
  await invite(firstUrl);
  await owner.getByRole('button', { name: `Copy invitation link for ${email}` }).click();
  const link = await owner.locator('#invitation-link').inputValue();
  const memberContext = await env.browser().newContext();
  const member = await open(memberContext, link, { hydrated: true });
  await member.getByRole('link', { name: 'Create an account' }).click();
  await member.waitForURL(/\/sign-up\?invitation=/);
  await member.locator('body[data-hydrated]').waitFor();
  await member.getByLabel('Your name').fill('Max Member');
  await member.getByLabel('Password').fill('correct horse battery staple');
  await member.getByRole('button', { name: 'Create account' }).click();
  await member.getByRole('button', { name: 'Accept invitation' }).click();
  await member.waitForURL(firstUrl);

  // A link the inviter could copy proves nothing about the address: the member confirms it
  // (here the instance admin does, as on an instance without a mail server).
  const adminContext = await env.browser().newContext();
  const admin = await open(adminContext, `${env.server().url}/sign-in`, { hydrated: true });
  await admin.getByLabel('Email').fill(adminEmail);
  await admin.getByLabel('Password').fill('correct horse battery staple');
  await admin.getByRole('button', { name: 'Sign in' }).click();
  await admin.getByRole('heading', { name: /^Welcome/ }).waitFor();
  await admin.goto(`${env.server().url}/admin`);
  await admin.locator('body[data-hydrated]').waitFor();
  await admin.getByRole('button', { name: `Confirm ${email}` }).click();
  await admin.getByRole('button', { name: `Confirm ${email}` }).waitFor({ state: 'detached' });
  await adminContext.close();

  // The second shows as a badge and is accepted in the app.
  await invite(secondUrl);
  await member.goto(env.server().url);
  await member.locator('body[data-hydrated]').waitFor();
  await member.getByLabel('1 pending invitation').waitFor();
  await member.goto(`${env.server().url}/invitations`);
  await member.locator('body[data-hydrated]').waitFor();
  const card = member.locator('.invitation-card', { hasText: 'workspace asr' });
  await card.getByRole('button', { name: 'Accept' }).click();
  await member.waitForURL(secondUrl);
  await member.getByRole('heading', { name: 'asr' }).waitFor();
  await ownerContext.close();
  await memberContext.close();
});
