// Inviting into a group from the Groups page, hydrated and without JavaScript: the owner
// invites a member of the organization (added at once) and an outsider (invited) in one go, the
// answer says which; the owner copies the outsider's link, the outsider accepts through it and
// appears among the group's members, holding the group's role on the workspace.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  addByInvitation, createOrganization, createWorkspace, giveGroupRole, signUp, useServerAndBrowser,
} from './support/server.mjs';
import { answered } from './support/page-checks.mjs';

const env = useServerAndBrowser({ before, after });

/// The owner: the first to sign up, so the instance admin, who confirms addresses.
let owner;

/// The owner's organization `slug` with workspace `forecast`, whose Access control page gives
/// the group "Data scientists" AzureML Data Scientist; and one member of the organization
/// (Reader of another workspace), address confirmed by the owner.
async function organizationWithTeam(server, slug) {
  if (!owner) {
    const context = await env.browser().newContext();
    owner = (await signUp(context, server, { hydrated: true })).page;
  }
  await createOrganization(owner, server, { name: slug, slug, hydrated: true });
  const workspaceUrl = await createWorkspace(owner, server, { org: slug, group: 'ml', name: 'forecast' });
  const reportsUrl = await createWorkspace(owner, server, { org: slug, group: 'ops', name: 'reports' });
  const memberContext = await env.browser().newContext();
  const member = await signUp(memberContext, server, { hydrated: true });
  await addByInvitation(owner, member.page, reportsUrl, { email: member.email, role: 'Reader' });
  await owner.goto(`${server.url}/admin`);
  await owner.locator('body[data-hydrated]').waitFor();
  await owner.getByRole('button', { name: `Confirm ${member.email}` }).click();
  await owner.getByRole('button', { name: `Confirm ${member.email}` }).waitFor({ state: 'detached' });

  await owner.goto(`${server.url}/organizations/${slug}/groups`);
  await owner.locator('body[data-hydrated]').waitFor();
  await owner.getByLabel('Name', { exact: true }).fill('Data scientists');
  await owner.getByRole('button', { name: 'Create group' }).click();
  await owner.waitForURL(/\/groups\?group=Data(%20|\+)scientists$/);
  await giveGroupRole(owner, workspaceUrl, { group: 'Data scientists', role: 'AzureML Data Scientist' });
  return { owner, member, memberContext, workspaceUrl };
}

for (const hydrated of [true, false]) {
  test(`an outsider invited from the Groups page accepts the copied link and is in the group (${hydrated ? 'hydrated' : 'without JavaScript'})`, async () => {
    const server = env.server();
    const slug = hydrated ? 'northwind' : 'tailspin';
    const { owner: setup, member, memberContext, workspaceUrl } = await organizationWithTeam(server, slug);
    const plainContext = hydrated ? null : await env.browser().newContext({ javaScriptEnabled: false, storageState: await setup.context().storageState() });
    const owner = hydrated ? setup : await plainContext.newPage();
    const inviteeContext = await env.browser().newContext();
    const invitee = await signUp(inviteeContext, server, { hydrated: true });
    assert.equal((await invitee.page.goto(workspaceUrl)).status(), 404);

    const groupUrl = `${server.url}/organizations/${slug}/groups?group=Data%20scientists`;
    await owner.goto(groupUrl);
    if (hydrated) await owner.locator('body[data-hydrated]').waitFor();
    const panel = owner.getByRole('region', { name: 'Group Data scientists' });
    await panel.getByRole('heading', { name: 'Invite to this group' }).waitFor();
    await panel.getByLabel('Email addresses').fill(`${invitee.email}, ${member.email}`);
    await panel.getByRole('button', { name: 'Invite to group' }).click();
    const results = owner.locator('ul.invite-results');
    await results.waitFor();
    // Without JavaScript the post came back to the page, which shows the answer kept for it.
    if (!hydrated) await answered(owner, { hydrated });
    const said = await results.textContent();
    assert.match(said, new RegExp(`${invitee.email.replace(/[.+]/g, '\\$&')}: Invited`));
    assert.match(said, new RegExp(`${member.email.replace(/[.+]/g, '\\$&')}: In this organization already: added to the group`));
    // The member is in at once; the outsider is listed as invited, with the link to copy.
    const members = owner.locator('table.group-members');
    await members.locator('tbody tr', { hasText: member.email }).waitFor();
    const invited = owner.locator('table.invitations tbody tr', { hasText: invitee.email });
    await invited.waitFor();
    await invited.getByRole('button', { name: `Copy invitation link for ${invitee.email}` }).click();
    const field = owner.getByLabel('Invitation link (pass it on to the invited person only)');
    await field.waitFor();
    const link = new URL(await field.inputValue(), server.url).toString();

    // The invitee reads what the link offers, and accepts.
    await invitee.page.goto(link);
    await invitee.page.locator('body[data-hydrated]').waitFor();
    const offer = invitee.page.locator('p', { hasText: 'invited you to' });
    assert.match(await offer.textContent(), new RegExp(`invited you to join the group Data scientists in ${slug}\\.$`));
    await invitee.page.getByRole('button', { name: 'Accept invitation' }).click();
    await invitee.page.waitForURL(`${server.url}/`);
    assert.equal((await invitee.page.goto(workspaceUrl)).status(), 200);

    await owner.goto(groupUrl);
    if (hydrated) await owner.locator('body[data-hydrated]').waitFor();
    await members.locator('tbody tr', { hasText: invitee.email }).waitFor();
    assert.equal(await owner.locator('table.invitations').count(), 0, 'nothing is pending');

    for (const context of [plainContext, inviteeContext, memberContext]) await context?.close();
  });
}
