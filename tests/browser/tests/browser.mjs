// What every browser suite shares: one headless Chromium profile per suite
// file (French locale, desktop width first) and the accessibility check
// (axe-core: no serious or critical violation). Not a suite itself: run.sh
// runs tests/*.test.mjs only.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';

/** A fresh profile and its first page; `extra` adds context options. */
export async function openBrowser(extra = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'sceau-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 800 },
    locale: 'fr-FR',
    ...extra,
  });
  const page = context.pages()[0] || (await context.newPage());
  page.setDefaultTimeout(15000);
  return { profile, context, page };
}

export async function closeBrowser({ context, profile }) {
  if (context) await context.close();
  if (profile) rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
}

/** Fails with the violations, their rule and the first nodes, on `label`. */
export async function assertAccessible(page, label) {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const detail = bad
    .map((v) => `${v.impact} ${v.id}: ${v.help}\n  ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('\n  ')}`)
    .join('\n');
  assert.equal(bad.length, 0, `accessibility violations on ${label} (${page.url()}):\n${detail}`);
}
