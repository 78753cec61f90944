// Starts the real server binary on port 0 with a fresh SQLite database, and Debian's Chromium.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export async function startServer() {
  const bin = process.env.ATELIER_BIN;
  if (!bin) throw new Error('ATELIER_BIN must name the built server (cargo xtask test sets it)');
  const dataDir = mkdtempSync(join(tmpdir(), 'atelier-e2e-'));
  const child = spawn(bin, [], {
    env: {
      ...process.env,
      ATELIER_LISTEN: '127.0.0.1:0',
      ATELIER_DATA_DIR: dataDir,
      ATELIER_DATABASE_URL: '',
      ATELIER_BASE_URL: '',
      NO_COLOR: '1',
      RUST_LOG: process.env.RUST_LOG ?? 'warn,atelier=info',
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
      child.kill('SIGTERM');
      rmSync(dataDir, { recursive: true, force: true });
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

/// Opens a page; with JavaScript on, waits until the WASM has hydrated it.
export async function open(context, url, { hydrated }) {
  const page = await context.newPage();
  page.on('pageerror', (error) => {
    throw error;
  });
  await page.goto(url);
  if (hydrated) await page.locator('body[data-hydrated]').waitFor();
  return page;
}
