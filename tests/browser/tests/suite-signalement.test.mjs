// End-to-end, « Faire un signalement » (runs after sceau.test.mjs, whose
// administrator it logs in as): a report under 226-14 3° without consent
// (needless parts flagged, one removed and one confirmed; PDF and text
// downloaded; the pending duty « victime informée » shown on the home page,
// then completed), a minor's case to the CRIP, a 4° case to the préfet, and
// a case where no derogation applies (refusal, nothing to download).
// axe-core on every page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';

const here = dirname(fileURLToPath(import.meta.url));
const base = process.env.SCEAU_URL;
assert.ok(base, 'SCEAU_URL must be set (use run.sh)');
const artifacts = join(here, '..', 'artifacts');
mkdirSync(artifacts, { recursive: true });

const ADMIN = { user: 'camille', password: 'une phrase de passe solide', name: 'Camille Durand' };
const AUTHOR = { rpps: '10101010101', address: '12 rue des Lilas\n69003 Lyon' };

let context;
let page;
let profile;

before(async () => {
  profile = mkdtempSync(join(tmpdir(), 'sceau-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 800 },
    locale: 'fr-FR',
  });
  page = context.pages()[0] || (await context.newPage());
  page.setDefaultTimeout(15000);
});

after(async () => {
  if (context) await context.close();
  if (profile) rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
});

async function checkA11y(label) {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const detail = bad
    .map((v) => `${v.impact} ${v.id}: ${v.help}\n  ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('\n  ')}`)
    .join('\n');
  assert.equal(bad.length, 0, `accessibility violations on ${label} (${page.url()}):\n${detail}`);
}

async function click(name) {
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name, exact: true }).first().click()]);
  await page.waitForLoadState('load');
}

// Opens the form from the navigation and fills it.
async function fill(c) {
  await page.getByRole('link', { name: 'Faire un signalement' }).click();
  await page.waitForURL('**/signalement');
  await page.getByRole('heading', { level: 1, name: 'Faire un signalement' }).waitFor();
  assert.equal(await page.locator('#auteur_nom').inputValue(), ADMIN.name, 'author prefilled from the account');
  await page.locator('#destinataire').selectOption(c.recipient);
  await page.locator('#departement').fill(c.department);
  for (const [name, value] of Object.entries(c.yesNo || {})) {
    await page.locator(`#q-${name}`).selectOption(value);
  }
  if (c.consent) await page.locator('#consentement').selectOption(c.consent);
  if (c.kind) await page.locator('#nature').selectOption(c.kind);
  await page.locator('#auteur_rpps').fill(AUTHOR.rpps);
  await page.locator('#auteur_adresse').fill(AUTHOR.address);
  await page.locator('#auteur_genre').selectOption('f');
  await page.locator('#victime_civilite').fill(c.civility || '');
  await page.locator('#victime_nom').fill(c.victim);
  if (c.birth) await page.locator('#victime_naissance').fill(c.birth);
  await page.locator('#constatations').fill((c.observations || []).join('\n'));
  await page.locator('#propos').fill((c.statements || []).join('\n'));
  await page.locator('#contexte').fill((c.context || []).join('\n'));
  await checkA11y(`form ${c.label}`);
  await click('Vérifier et rédiger');
}

async function expectDocument(label) {
  await page.getByRole('heading', { level: 1, name: 'Signalement rédigé' }).waitFor();
  await checkA11y(label);
  const pdfHref = await page.getByRole('link', { name: 'Télécharger le PDF' }).getAttribute('href');
  assert.match(pdfHref, /^\/signalement\/[0-9a-f]{32}\/signalement\.pdf$/);
  const pdf = await page.request.get(base + pdfHref);
  assert.equal(pdf.status(), 200);
  assert.equal(pdf.headers()['content-type'], 'application/pdf');
  assert.match(pdf.headers()['content-disposition'], /^attachment; filename="signalement\.pdf"$/);
  const body = await pdf.body();
  assert.equal(body.subarray(0, 4).toString('latin1'), '%PDF');
  const txtHref = await page.getByRole('link', { name: 'Télécharger le texte' }).getAttribute('href');
  const txt = await page.request.get(base + txtHref);
  assert.equal(txt.status(), 200);
  assert.match(txt.headers()['content-disposition'], /^attachment/);
  const text = await txt.text();
  assert.match(text, /226-14/);
  return text;
}

test('log in', async () => {
  await page.goto(`${base}/connexion`);
  await page.getByLabel('Identifiant').fill(ADMIN.user);
  await page.getByLabel('Mot de passe').fill(ADMIN.password);
  await click('Se connecter');
  await page.getByRole('link', { name: 'Faire un signalement' }).waitFor();
});

// The recipients' addresses come from the practice's directory: the
// examples of the Rhône and of Paris (importing again adds nothing).
test('the directory holds the Rhône and Paris', async () => {
  await page.goto(`${base}/administration/annuaire`);
  for (const dep of ['69', '75']) {
    await page.getByLabel('Département des exemples').selectOption(dep);
    await click('Importer les exemples de ce département');
    await page.getByRole('status').waitFor();
  }
  const rows = page.locator('tr[data-entry]');
  for (const name of ['Tribunal judiciaire de Lyon', 'Préfecture de police']) {
    assert.equal(await rows.filter({ hasText: name }).count(), 1, name);
  }
});

test('3° without consent: flags, document, pending duty « victime informée »', async () => {
  await fill({
    label: '3°',
    recipient: 'procureur',
    department: '69',
    yesNo: { mineur: 'non', se_proteger: 'oui', violences: 'oui', couple: 'oui', danger: 'oui', emprise: 'oui' },
    consent: 'refuse',
    kind: 'physique',
    civility: 'Mme',
    victim: 'Claire Dubois',
    observations: ['Hématome périorbitaire droit en cours de résorption'],
    statements: ['Il m’a frappée avec le manche d’un balai.'],
    context: [
      'Mme Dubois est suivie au cabinet depuis le 3 mars 2026',
      'Patiente aux antécédents de dépression sévère en 2019, hospitalisée trois semaines',
      'Elle est suivie pour une lombalgie chronique',
    ],
  });
  // The minimisation check: each flagged part is removed or confirmed.
  await page.getByRole('heading', { name: 'Passages qui semblent inutiles' }).waitFor();
  await checkA11y('flags');
  const flags = page.locator('fieldset[data-flag]');
  const n = await flags.count();
  assert.ok(n >= 1, 'the medical history is flagged');
  const legends = await flags.locator('legend').allTextContents();
  assert.ok(legends.some((l) => l.includes('dépression')), `flagged: ${legends.join(' | ')}`);
  for (let i = 0; i < n; i++) {
    const f = flags.nth(i);
    const legend = await f.locator('legend').textContent();
    await f.getByLabel(legend.includes('dépression') ? 'retirer' : 'confirmer').check();
  }
  await click('Vérifier et rédiger');
  const text = await expectDocument('document 3°');
  assert.ok(!text.includes('dépression'), 'the removed part is not in the report');
  assert.match(text, /Claire Dubois/);
  await page.getByText('Victime informée').first().waitFor();

  // The pending duty on the home page, then completed.
  await page.goto(`${base}/`);
  await page.getByRole('heading', { name: 'Obligations en attente' }).waitFor();
  await checkA11y('home with pending duty');
  const duty = page.locator('form[data-duty]');
  assert.equal(await duty.count(), 1);
  assert.match(await duty.textContent(), /Claire Dubois/);
  await duty.getByLabel(/Comment/).fill('oralement, lors de la séance');
  await click('Marquer comme faite');
  await page.getByText('L’obligation est marquée comme faite').waitFor();
  assert.equal(await page.locator('form[data-duty]').count(), 0);
  await checkA11y('home after duty');
});

test('a minor’s case to the CRIP produces a document', async () => {
  await fill({
    label: 'CRIP',
    recipient: 'crip',
    department: '69',
    yesNo: { mineur: 'oui', violences: 'oui' },
    kind: 'physique',
    victim: 'Léa Morel',
    birth: '2016-03-02',
    observations: ['Ecchymoses en forme de doigts sur le bras gauche'],
    statements: ['Papa m’a serré très fort.'],
  });
  const text = await expectDocument('document CRIP');
  assert.match(text, /Léa Morel/);
});

test('a 4° case to the préfet produces a document', async () => {
  await fill({
    label: '4°',
    recipient: 'prefet',
    department: '75',
    yesNo: { dangereux: 'oui', arme: 'oui' },
    civility: 'M.',
    victim: 'Marc Lenoir',
    statements: ['J’ai acheté un fusil et je vais m’en servir.'],
  });
  const text = await expectDocument('document préfet');
  assert.match(text, /Marc Lenoir/);
});

test('no derogation: refusal, nothing to download', async () => {
  await fill({
    label: 'sans dérogation',
    recipient: 'procureur',
    department: '69',
    yesNo: { mineur: 'non', se_proteger: 'oui', violences: 'oui', couple: 'oui', danger: 'non', emprise: 'oui' },
    consent: 'refuse',
    civility: 'Mme',
    victim: 'Nadia Perrin',
    observations: ['Hématome sur l’avant-bras gauche'],
  });
  await page.getByRole('heading', { level: 1, name: 'Aucun signalement' }).waitFor();
  await checkA11y('refusal');
  assert.match(await page.locator('main').textContent(), /Aucun signalement n’est produit/);
  assert.match(await page.locator('main').textContent(), /Ce qui reste possible/);
  assert.equal(await page.locator('a[href$=".pdf"], a[href$=".txt"]').count(), 0);
});
