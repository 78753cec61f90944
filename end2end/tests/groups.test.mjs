// Groups in a real browser: the owner creates "Data scientists" on the organization's Groups
// page, puts two members in it, and gives it a role on a workspace's Access control page, where
// it is listed as a group; Check access says a member holds the role via the group. A member
// taken out disappears from the group's page at once and finds the workspace gone on their next
// request, while the other keeps it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  addByInvitation, createOrganization, createWorkspace, giveGroupRole, signUp, useServerAndBrowser,
} from './support/server.mjs';

const env = useServerAndBrowser({ before, after });

test('a group is created, filled, given a role, checked, and a member taken out', async () => {
  const server = env.server();
  const ownerContext = await env.browser().newContext();
  // The first to sign up is the instance admin: she confirms the others' addresses below.
  const { page: owner } = await signUp(ownerContext, server, { hydrated: true });
  await createOrganization(owner, server, { name: 'Northwind', slug: 'northwind', hydrated: true });
  const workspaceUrl = await createWorkspace(owner, server, { org: 'northwind', group: 'ml', name: 'forecast' });
  const reportsUrl = await createWorkspace(owner, server, { org: 'northwind', group: 'ops', name: 'reports' });
  const groupsUrl = `${server.url}/organizations/northwind/groups`;

  // Two people in the organization (Readers of another workspace), their addresses confirmed.
  const people = [];
  for (let i = 0; i < 2; i += 1) {
    const context = await env.browser().newContext();
    const { page, email } = await signUp(context, server, { hydrated: true });
    await addByInvitation(owner, page, reportsUrl, { email, role: 'Reader' });
    assert.equal((await page.goto(workspaceUrl)).status(), 404);
    people.push({ context, page, email });
  }
  await owner.goto(`${server.url}/admin`);
  await owner.locator('body[data-hydrated]').waitFor();
  for (const { email } of people) {
    // The admin page has no islands: each Confirm posts the form and loads the page again.
    await owner.getByRole('button', { name: `Confirm ${email}` }).click();
    await owner.getByRole('button', { name: `Confirm ${email}` }).waitFor({ state: 'detached' });
    await owner.locator('body[data-hydrated]').waitFor();
  }

  // From the organization's page to its Groups page; a bad name is explained beside its field.
  await owner.goto(`${server.url}/organizations/northwind`);
  await owner.locator('body[data-hydrated]').waitFor();
  await owner.getByRole('link', { name: 'Groups' }).click();
  await owner.waitForURL(groupsUrl);
  await owner.locator('body[data-hydrated]').waitFor();
  await owner.getByText('No groups yet.').waitFor();
  const name = owner.getByLabel('Name', { exact: true });
  await name.fill('Admins\u200b');
  await owner.getByRole('button', { name: 'Create group' }).click();
  await owner.locator('.field-error', { hasText: 'invisible or control characters' }).waitFor();
  await name.fill('Data scientists');
  await owner.getByLabel('Description').fill('Create and run jobs, register models');
  await owner.getByRole('button', { name: 'Create group' }).click();
  await owner.waitForURL(/\/groups\?group=Data(%20|\+)scientists$/);
  const panel = owner.getByRole('region', { name: 'Group Data scientists' });
  await panel.getByText('Nobody is in this group yet').waitFor();

  // Two members, each shown as soon as added; the form says groups hold no groups.
  assert.match(await panel.textContent(), /Groups cannot contain groups/);
  for (const { email } of people) {
    await panel.getByLabel('Email', { exact: true }).fill(email);
    await panel.getByRole('button', { name: 'Add to group' }).click();
    await panel.locator('tbody tr', { hasText: email }).waitFor();
  }
  // Someone outside the organization is refused beside the field.
  await panel.getByLabel('Email', { exact: true }).fill('stranger@example.com');
  await panel.getByRole('button', { name: 'Add to group' }).click();
  await panel.locator('.field-error', { hasText: 'Only members of this organization' }).waitFor();

  // The group gets a role on the workspace, and is listed there as a group.
  await giveGroupRole(owner, workspaceUrl, { group: 'Data scientists', role: 'AzureML Data Scientist' });
  const row = owner.locator('tbody tr', { hasText: 'Data scientists' });
  await row.waitFor();
  assert.match(await row.textContent(), /Group/);
  assert.match(await row.textContent(), /AzureML Data Scientist/);
  assert.match(await row.textContent(), /Everyone in the group/);
  // ... and who holds the role through it.
  const holders = `${people[0].email}, ${people[1].email}`.replace(/[.+]/g, '\\$&');
  assert.match(await row.textContent(), new RegExp(`${holders} via Data scientists`));

  // Check access says where the first member's role comes from.
  await owner.getByLabel('Person to check').selectOption(people[0].email);
  await owner.getByRole('button', { name: 'Check', exact: true }).click();
  await owner.waitForURL(/check=/);
  const verdict = owner.locator('p', { hasText: 'may perform' });
  await verdict.waitFor();
  assert.match(await verdict.textContent(), /holds AzureML Data Scientist at \/organizations\/northwind\/resourceGroups\/ml\/workspaces\/forecast via Data scientists/);

  for (const { page } of people) {
    assert.equal((await page.goto(workspaceUrl)).status(), 200);
  }

  // The first is taken out: gone from the group's page at once, and from the workspace.
  await owner.goto(`${groupsUrl}?group=Data%20scientists`);
  await owner.locator('body[data-hydrated]').waitFor();
  const first = panel.locator('tbody tr', { hasText: people[0].email });
  await first.getByRole('button', { name: /^Remove / }).click();
  await first.waitFor({ state: 'detached' });
  await panel.locator('tbody tr', { hasText: people[1].email }).waitFor();
  assert.equal((await people[0].page.goto(workspaceUrl)).status(), 404);
  assert.equal((await people[1].page.goto(workspaceUrl)).status(), 200);
  // The workspace's Access control page no longer counts them.
  await owner.goto(`${workspaceUrl}/access`);
  const held = owner.locator('tbody tr', { hasText: 'Data scientists' }).locator('.held-by');
  assert.equal(await held.textContent(), `${people[1].email} via Data scientists`);

  for (const { context } of people) await context.close();
  await ownerContext.close();
});

// Seed 001's policy in one step: Set up a project, through groups, makes the project's
// administrators and data scientists groups holding their roles, ready to be filled.
test('a project is set up through groups, ready to be filled on the Groups page', async () => {
  const server = env.server();
  const context = await env.browser().newContext();
  const { page } = await signUp(context, server, { hydrated: true });
  await createOrganization(page, server, { name: 'Tailspin', slug: 'tailspin', hydrated: true });
  await page.goto(`${server.url}/projects/new`);
  await page.locator('body[data-hydrated]').waitFor();
  await page.getByLabel('Organization').selectOption('tailspin');
  await page.getByLabel('Project name').fill('atlas');
  await page.getByLabel(/Through groups:/).check();
  await page.getByRole('button', { name: 'Set up project' }).click();
  await page.waitForURL(`${server.url}/organizations/tailspin/resourceGroups/atlas`);

  await page.goto(`${server.url}/organizations/tailspin/groups`);
  await page.locator('body[data-hydrated]').waitFor();
  const rows = page.locator('table.groups tbody tr');
  const cells = async (name) => (await rows.filter({ hasText: name }).locator('td').allTextContents());
  assert.deepEqual((await cells('atlas administrators')).slice(1), ['0', '1']);
  assert.deepEqual((await cells('atlas data scientists')).slice(1), ['0', '3']);
  await context.close();
});
