// Starts the real server binary on port 0 with a fresh SQLite database, and Debian's Chromium.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { chromium } from 'playwright-core';
import pg from 'pg';

/// A fresh database for this server: a new SQLite file, or with ATELIER_E2E_POSTGRES_URL (a
/// role allowed to create databases) a new PostgreSQL database.
async function freshDatabaseUrl() {
  const admin = process.env.ATELIER_E2E_POSTGRES_URL;
  if (!admin) return '';
  const name = `atelier_e2e_${randomUUID().replaceAll('-', '')}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE "${name}"`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return url.toString();
}

/// Drops a server's PostgreSQL database once the server has stopped: each is 10 MB, and a
/// run's worth left behind filled the disk.
async function dropDatabase(databaseUrl) {
  const name = new URL(databaseUrl).pathname.slice(1);
  const client = new pg.Client({ connectionString: process.env.ATELIER_E2E_POSTGRES_URL });
  try {
    await client.connect();
    // FORCE refuses, to a role that is not a superuser, while autovacuum works in the
    // database; a plain DROP ends autovacuum (the server has exited: nobody else is in it).
    await client.query(`DROP DATABASE IF EXISTS "${name}"`);
  } catch (error) {
    console.error(`test database ${name} was not dropped:`, error.message);
  } finally {
    await client.end().catch(() => {});
  }
}

/// `env`: extra settings for this server (e.g. ATELIER_SMTP_HOST).
export async function startServer(env = {}) {
  const bin = process.env.ATELIER_BIN;
  if (!bin) throw new Error('ATELIER_BIN must name the built server (cargo xtask test sets it)');
  const dataDir = mkdtempSync(join(tmpdir(), 'atelier-e2e-'));
  const databaseUrl = await freshDatabaseUrl();
  const child = spawn(bin, [], {
    env: {
      ...process.env,
      ATELIER_LISTEN: '127.0.0.1:0',
      ATELIER_DATA_DIR: dataDir,
      ATELIER_DATABASE_URL: databaseUrl,
      ATELIER_BASE_URL: '',
      NO_COLOR: '1',
      RUST_LOG: process.env.RUST_LOG ?? 'warn,atelier=info',
      ...env,
    },
    stdio: ['ignore', 'inherit', 'pipe'],
  });
  const url = await new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${seen}`)), 30_000);
    child.stderr.on('data', (chunk) => {
      process.stderr.write(chunk);
      seen += chunk;
      const match = seen.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${seen}`)));
  });
  return {
    url,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      rmSync(dataDir, { recursive: true, force: true });
      if (databaseUrl) {
        if (child.exitCode === null && child.signalCode === null) await exited;
        await dropDatabase(databaseUrl);
      }
    },
  };
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/// The last document each page received, for the report of a failed hydration.
const documents = new WeakMap();

/// What the browser held when hydration failed: the HTML the server sent (kept in a file) and
/// which of the server's resource values had reached the page. (Hydration fails when the
/// browser renders something else than the server did; these say which side differed.)
async function reportHydrationFailure(page, documentText) {
  try {
    const html = (await documentText) ?? '';
    const file = join(mkdtempSync(join(tmpdir(), 'atelier-hydration-')), 'served.html');
    writeFileSync(file, html);
    const state = await page.evaluate(() => ({
      readyState: document.readyState,
      resolved: Array.from(window.__RESOLVED_RESOURCES ?? [], (v, i) => `${i}:${typeof v}:${v?.length ?? 0}`),
      pending: Array.from(window.__PENDING_RESOURCES ?? []),
      islands: Array.from(document.querySelectorAll('leptos-island'), (e) => e.dataset.component),
    }));
    const served = Array.from(html.matchAll(/__RESOLVED_RESOURCES\[(\d+)\] = /g), (m) => m[1]);
    console.error('hydration failure: served HTML in', file, 'served resources', served, 'browser state', JSON.stringify(state));
    console.error('served main:', (html.match(/<main[\s\S]{0,3000}/) ?? [''])[0]);
  } catch (error) {
    console.error('hydration failure: no report', error);
  }
}

/// Opens a page; with JavaScript on, waits until the WASM has hydrated it.
export async function open(context, url, { hydrated }) {
  const page = await context.newPage();
  // A panic's message reaches the console before its "unreachable" reaches pageerror.
  page.on('console', (message) => {
    const text = message.text();
    // (Pages that answer 404 on purpose log their status too: that is no error of the app's.)
    if (message.type() === 'error' && !text.startsWith('Failed to load resource')) {
      console.error('console error at', page.url(), text.slice(0, 2000));
      if (text.includes('A hydration error occurred')) reportHydrationFailure(page, documents.get(page));
    }
  });
  page.on('response', async (response) => {
    if (response.request().resourceType() !== 'document' || response.request().frame() !== page.mainFrame()) return;
    documents.set(page, response.text().catch(() => ''));
  });
  page.on('pageerror', (error) => {
    // Which page failed, for the report: the thrown error alone does not say.
    console.error('page error at', page.url(), error.stack);
    throw error;
  });
  await page.goto(url);
  if (hydrated) await page.locator('body[data-hydrated]').waitFor();
  return page;
}

let people = 0;

/// Signs up a new person through the form; resolves once their home page shows.
export async function signUp(context, server, { hydrated }) {
  people += 1;
  const email = `person${people}.${Date.now()}@example.com`;
  const page = await open(context, `${server.url}/sign-up`, { hydrated });
  await page.getByLabel('Your name').fill(`Person ${people}`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('correct horse battery staple');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('heading', { name: /^Welcome/ }).waitFor();
  return { page, email };
}

/// Creates an organization through its form and waits for its page.
export async function createOrganization(page, server, { name, slug, hydrated }) {
  await page.goto(`${server.url}/organizations`);
  if (hydrated) await page.locator('body[data-hydrated]').waitFor();
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Short name').fill(slug);
  await page.getByRole('button', { name: 'Create organization' }).click();
  await page.waitForURL(`${server.url}/organizations/${slug}`);
}

/// Creates a workspace in a new resource group through the creation form; waits for its page.
export async function createWorkspace(page, server, { org, group, name, hydrated = true }) {
  await page.goto(`${server.url}/workspaces/new`);
  if (hydrated) await page.locator('body[data-hydrated]').waitFor();
  await page.getByLabel('Organization and resource group').selectOption(`${org}/`);
  await page.getByLabel('New resource group').fill(group);
  await page.getByLabel('Workspace name').fill(name);
  await page.getByRole('button', { name: 'Create workspace' }).click();
  await page.waitForURL(`${server.url}/organizations/${org}/resourceGroups/${group}/workspaces/${name}`);
  return `${server.url}/organizations/${org}/resourceGroups/${group}/workspaces/${name}`;
}

/// Registers the file's hooks: one server (with its own database) and one browser for all its
/// tests. Returns accessors, as the hooks fill them in.
/// Creates an experiment through the Experiments page's form and waits on its page, hydrated.
export async function createExperiment(page, workspaceUrl, name) {
  await page.goto(`${workspaceUrl}/experiments`);
  await page.locator('body[data-hydrated]').waitFor();
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByRole('button', { name: 'Create experiment' }).click();
  await page.waitForURL(`${workspaceUrl}/experiments/${name}`);
  await page.locator('body[data-hydrated]').waitFor();
}

export function useServerAndBrowser({ before, after, env = () => ({}) }) {
  const state = {};
  before(async () => {
    state.server = await startServer(env());
    state.browser = await launchBrowser();
  });
  after(async () => {
    await state.browser?.close();
    await state.server?.stop();
  });
  return { server: () => state.server, browser: () => state.browser };
}

/// Gives the person signed in on `invitee` (address `email`) a role at the workspace, as it
/// goes for someone not yet in the organization: the owner adds the address on the Access
/// control page, which invites it; the owner copies the link (no mail server here) and the
/// invitee accepts through it, landing in the workspace.
export async function addByInvitation(owner, invitee, workspaceUrl, { email, role }) {
  await owner.goto(`${workspaceUrl}/access`);
  await owner.locator('body[data-hydrated]').waitFor();
  await owner.getByLabel('Email', { exact: true }).fill(email);
  await owner.getByLabel('Role', { exact: true }).selectOption(role);
  await owner.getByRole('button', { name: 'Add' }).click();
  await owner.getByText('Not in this organization yet: invited.').waitFor();
  await owner.getByRole('button', { name: `Copy invitation link for ${email}` }).click();
  const field = owner.getByLabel('Invitation link (pass it on to the invited person only)');
  await field.waitFor();
  const link = new URL(await field.inputValue(), workspaceUrl).toString();
  await invitee.goto(link);
  await invitee.locator('body[data-hydrated]').waitFor();
  await invitee.getByRole('button', { name: 'Accept invitation' }).click();
  await invitee.waitForURL(workspaceUrl);
}

/// Gives the organization's group `group` a role at the workspace through its Access control
/// page.
export async function giveGroupRole(page, workspaceUrl, { group, role }) {
  await page.goto(`${workspaceUrl}/access`);
  await page.locator('body[data-hydrated]').waitFor();
  await page.getByLabel('Group', { exact: true }).selectOption(group);
  await page.getByLabel('Role for the group').selectOption(role);
  await page.getByRole('button', { name: 'Give role' }).click();
  await page.getByText('Role given to the group').waitFor();
}

/// Gives the member of the organization (or its service principal) with `email` a role at the
/// workspace through its Access control page.
export async function grantRole(page, workspaceUrl, { email, role }) {
  await page.goto(`${workspaceUrl}/access`);
  await page.locator('body[data-hydrated]').waitFor();
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Role', { exact: true }).selectOption(role);
  await page.getByRole('button', { name: 'Add' }).click();
  await page.locator('tbody tr', { hasText: email }).waitFor();
}
