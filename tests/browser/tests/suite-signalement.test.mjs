// End-to-end, « Faire un signalement » (runs after sceau.test.mjs, whose
// administrator it logs in as): a report under 226-14 3° without consent
// (needless parts flagged, one removed and one confirmed; PDF and text
// downloaded; the pending duty « victime informée » shown on the home page,
// then completed), a minor's case to the CRIP, a 4° case to the préfet, and
// a case where no derogation applies (refusal, nothing to download).
// axe-core on every page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openBrowser, closeBrowser, assertAccessible } from './browser.mjs';

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
  ({ profile, context, page } = await openBrowser());
});

after(() => closeBrowser({ context, profile }));

const checkA11y = (label) => assertAccessible(page, label);

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
  if ((await page.getByRole('heading', { level: 1, name: 'Signalement rédigé' }).count()) === 0) {
    const h1 = await page.locator('h1').first().textContent();
    const alerts = await page.locator('[role="alert"]').allTextContents();
    const flags = await page.locator('fieldset[data-flag] legend').allTextContents();
    assert.fail(`${label}: no document but « ${h1} »; alerts: ${alerts.join(' | ')}; flags: ${flags.join(' | ')}`);
  }
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
  // Run alone (SCEAU_SUITES), the suite installs the practice first, as
  // sceau.test.mjs would have.
  if (new URL(page.url()).pathname === '/installation') {
    assert.ok(process.env.SCEAU_INSTALL_CODE, 'SCEAU_INSTALL_CODE (run.sh reads it from the data directory)');
    await page.getByLabel('Code d’installation').fill(process.env.SCEAU_INSTALL_CODE);
    await page.getByLabel('Nom du cabinet').fill('Cabinet des Tilleuls');
    await page.getByLabel('Votre nom').fill('Camille Durand');
    await page.getByLabel('Identifiant de connexion').fill(ADMIN.user);
    await page.getByLabel('Mot de passe', { exact: true }).fill(ADMIN.password);
    await page.getByLabel('Confirmez le mot de passe').fill(ADMIN.password);
    await click('Créer le cabinet et le compte administrateur');
  }
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

test('3° without consent: flags, document drafted twice, reviewed, sent once, pending duty « victime informée »', async () => {
  // Issue 19: only sending is a disclosure in the journal.
  const journalRows = async () => {
    await page.goto(`${base}/journal`);
    return page.locator('tr[data-seq][data-action="disclosed"]').count();
  };
  const before = await journalRows();
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
  // Each flagged passage is one choice: remove it, or keep it — which asks
  // why, and a separate confirmation (issue 19). Kept without ticking the
  // confirmation first: refused, the passage still flagged.
  let kept = 0;
  for (let i = 0; i < n; i++) {
    const f = flags.nth(i);
    const legend = await f.locator('legend').textContent();
    if (legend.includes('dépression')) {
      await f.getByLabel('Retirer ce passage').check();
    } else {
      await f.getByLabel(/Le garder/).check();
      await f.getByLabel(/Pourquoi ce passage est-il nécessaire/).fill('Situe les faits dans le temps');
      kept++;
    }
  }
  await click('Vérifier et rédiger');
  if (kept > 0) {
    assert.match(await page.locator('[role="alert"]').textContent(), /cochez la confirmation/);
    const again = page.locator('fieldset[data-flag]');
    assert.equal(await again.count(), kept, 'the passages kept without confirmation are flagged again');
    for (let i = 0; i < kept; i++) {
      const f = again.nth(i);
      await f.getByLabel(/Le garder/).check();
      await f.getByLabel(/Pourquoi ce passage est-il nécessaire/).fill('Situe les faits dans le temps');
      await f.getByLabel('Je confirme garder ce passage sensible').check();
    }
    await checkA11y('flags kept with a reason');
    await click('Vérifier et rédiger');
  }
  const text = await expectDocument('document 3°');
  assert.ok(!text.includes('dépression'), 'the removed part is not in the report');
  assert.match(text, /Claire Dubois/);
  await page.getByText('Victime informée').first().waitFor();

  // A draft is not a disclosure: nothing in the journal, no duty.
  const first = page.locator('[data-report]');
  const reportId = await first.getAttribute('data-report');
  assert.match(reportId, /^rep_[0-9a-f]{32}$/);
  assert.equal(await first.getAttribute('data-status'), 'brouillon');
  // Drafting twice (a typo fixed): the form comes back filled, and the
  // same report is drafted again.
  await click('Corriger le brouillon');
  await page.getByRole('heading', { level: 1, name: 'Faire un signalement' }).waitFor();
  assert.equal(await page.locator('#victime_nom').inputValue(), 'Claire Dubois');
  await page.locator('#constatations').fill('Hématome périorbitaire droit, en cours de résorption');
  await click('Vérifier et rédiger');
  const again = await expectDocument('document 3° drafted again');
  assert.match(again, /droit, en cours/);
  assert.equal(await page.locator('[data-report]').getAttribute('data-report'), reportId, 'one report, drafted twice');
  await page.getByText('rédigé 2 fois').waitFor();
  await page.goto(`${base}/`);
  assert.equal(await page.locator('form[data-duty]').count(), 0, 'a draft leaves a duty');
  assert.equal(await journalRows(), before, 'drafting journaled a disclosure');
  await page.goto(`${base}/signalement/rapports`);
  assert.equal(await page.locator(`tr[data-report="${reportId}"]`).count(), 1);
  await page.goto(`${base}/signalement/rapports/${reportId}`);
  // The passages kept are recorded with the draft, with their reason.
  assert.equal(await page.locator('li[data-kept]').count(), kept);
  if (kept > 0) await page.locator('li[data-kept]').first().getByText(/Situe les faits dans le temps/).waitFor();
  await click('Marquer comme relu');
  assert.equal(await page.locator('ol.lifecycle').getAttribute('data-status'), 'relu');
  assert.equal(await journalRows(), before, 'reviewing is not a disclosure');
  await page.goto(`${base}/signalement/rapports/${reportId}`);
  await page.getByLabel('Messagerie sécurisée de santé (MSSanté)').check();
  await checkA11y('report reviewed');
  await click('Marquer comme envoyé');
  assert.equal(await page.locator('ol.lifecycle').getAttribute('data-status'), 'envoye');
  await page.getByText('Le signalement est marqué comme envoyé').waitFor();
  assert.equal(await journalRows(), before + 1, 'sending is one disclosure in the journal');
  // Screenshot of a report for docs/ (issue 19), both widths.
  await page.goto(`${base}/signalement/rapports/${reportId}`);
  const docsShots = join(here, '..', '..', '..', 'docs', 'screenshots');
  mkdirSync(docsShots, { recursive: true });
  await page.screenshot({ path: join(docsShots, 'signalement-rapport-1280.png'), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: join(docsShots, 'signalement-rapport-390.png'), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });

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
