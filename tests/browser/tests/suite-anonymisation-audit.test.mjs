// End-to-end, « Anonymiser un texte » and « Audit du cabinet » (runs after
// sceau.test.mjs, whose administrator it logs in as). A note with names,
// dates, a phone number and a NIR comes back with each replacement
// highlighted; the downloaded file keeps no identifier. A self-audit from
// the first question to the PDF (read back with pdftotext); a second audit
// with other answers shows what changed. axe-core on every page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, copyFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openBrowser, closeBrowser, assertAccessible } from './browser.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const base = process.env.SCEAU_URL;
assert.ok(base, 'SCEAU_URL must be set (use run.sh)');
const artifacts = join(here, '..', 'artifacts');
mkdirSync(artifacts, { recursive: true });

const ADMIN = { user: 'camille', password: 'une phrase de passe solide', name: 'Camille Durand' };

const NOTE = `# Bilan kinésithérapique du 12/03/2024

Mme Gwenaëlle Penhoat, née le 04/07/1961, adressée par le Dr Yannick Le Gall.
Tél. 06 12 34 56 78 — NIR 2 61 07 75 056 012 13.

Test de Lachman négatif, douleur à la palpation du genou droit.
Ancienne championne de France de judo.
Revue le 26/03/2024 : Mme Penhoat reprend la marche sans canne.`;

const IDENTIFIERS = ['Gwenaëlle', 'Penhoat', 'Yannick', 'Le Gall', '06 12 34 56 78', '12/03/2024',
  '04/07/1961', '26/03/2024', '2 61 07 75 056 012 13'];

let context;
let page;
let profile;

before(async () => {
  ({ profile, context, page } = await openBrowser({ acceptDownloads: true }));
});

after(() => closeBrowser({ context, profile }));

const checkA11y = (label) => assertAccessible(page, label);

async function shot(name) {
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
}

async function click(name) {
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name, exact: true }).first().click()]);
  await page.waitForLoadState('load');
}

// Clicks what starts a download and returns the file's path and name.
async function download(trigger) {
  const [d] = await Promise.all([page.waitForEvent('download'), trigger.click()]);
  const path = await d.path();
  assert.ok(path, 'download saved');
  return { path, name: d.suggestedFilename() };
}

function pdfText(path) {
  return execFileSync('pdftotext', [path, '-'], { encoding: 'utf8' })
    .replace(/[\u00a0\u202f]/g, ' ')
    .replace(/\s+/g, ' ');
}

test('log in', async () => {
  await page.goto(`${base}/connexion`);
  // Run alone (SCEAU_SUITES), the suite installs the practice first, as
  // sceau.test.mjs would have.
  if (new URL(page.url()).pathname === '/installation') {
    assert.ok(process.env.SCEAU_INSTALL_CODE, 'SCEAU_INSTALL_CODE (run.sh reads it from the data directory)');
    await page.getByLabel('Code d’installation').fill(process.env.SCEAU_INSTALL_CODE);
    await page.getByLabel('Nom du cabinet').fill('Cabinet des Tilleuls');
    await page.getByLabel('Votre nom').fill(ADMIN.name);
    await page.getByLabel('Identifiant de connexion').fill(ADMIN.user);
    await page.getByLabel('Mot de passe', { exact: true }).fill(ADMIN.password);
    await page.getByLabel('Confirmez le mot de passe').fill(ADMIN.password);
    await click('Créer le cabinet et le compte administrateur');
  }
  await page.getByLabel('Identifiant').fill(ADMIN.user);
  await page.getByLabel('Mot de passe').fill(ADMIN.password);
  await click('Se connecter');
  await page.getByRole('link', { name: 'Anonymiser un texte' }).waitFor();
});

test('a pasted note comes back with each replacement highlighted, and downloads without identifiers', async () => {
  await page.getByRole('link', { name: 'Anonymiser un texte' }).click();
  await page.getByRole('heading', { level: 1, name: 'Anonymiser un texte' }).waitFor();
  await checkA11y('anonymise form');
  await page.getByLabel('Texte à anonymiser').fill(NOTE);
  await click('Anonymiser');
  await page.getByRole('heading', { level: 1, name: 'Texte anonymisé' }).waitFor();
  await checkA11y('anonymise result');
  await shot('anonymisation-resultat');
  const result = page.locator('#resultat');
  const shown = await result.textContent();
  for (const id of IDENTIFIERS) assert.ok(!shown.includes(id), `${id} left on the page: ${shown}`);
  assert.match(shown, /Lachman/, 'clinical content kept');
  const kinds = await result.locator('mark').evaluateAll((ms) => ms.map((m) => m.dataset.kind));
  for (const k of ['nom', 'date', 'telephone', 'nir']) assert.ok(kinds.includes(k), `${k} highlighted: ${kinds}`);
  assert.equal(await result.locator('mark[data-kind="nir"]').first().getAttribute('title'), 'NIR (n° de sécurité sociale)');
  const legend = await page.locator('.legend').textContent();
  assert.match(legend, /nom de personne/);
  assert.match(legend, /téléphone/);
  const risks = await page.locator('.risks').textContent();
  assert.match(risks, /champion/i, `residual risk listed: ${risks}`);

  const file = await download(page.getByRole('button', { name: 'Télécharger (.md)' }).first());
  assert.equal(file.name, 'texte-anonymise.md');
  const text = readFileSync(file.path, 'utf8');
  for (const id of IDENTIFIERS) assert.ok(!text.includes(id), `${id} left in the file: ${text}`);
  assert.match(text, /^# Bilan kinésithérapique du J0/, 'Markdown kept');
  assert.match(text, /Mme A/);
  assert.match(text, /Lachman/);
  assert.match(text, /J\+14/);
});

// Two people of one family name: two pseudonyms, never one; « Mme Le Berre »
// is the mother's again, while « Le Berre » alone could be either and gets a
// pseudonym of its own, listed among the risks; the establishment and the
// room get their own kinds in the legend; the unknown proper noun is listed
// among the risks.
const FAMILY = `Transmissions du 12/03/2024, EHPAD Les Tilleuls, chambre 12.

Mme Jeanne Le Berre, 84 ans, marche avec le déambulateur (Tinetti 18/28).
Son fils Yves Le Berre passe le soir ; il lui parle souvent de Zorglubien.
Mme Le Berre a bien dormi. Le Berre rappellera demain.`;

test('two people of the same family name get two pseudonyms, and places their own kinds', async () => {
  await page.getByRole('link', { name: 'Anonymiser un texte' }).click();
  await page.getByLabel('Texte à anonymiser').fill(FAMILY);
  await click('Anonymiser');
  await page.getByRole('heading', { level: 1, name: 'Texte anonymisé' }).waitFor();
  await checkA11y('anonymise result, family');
  await shot('anonymisation-famille');
  const result = page.locator('#resultat');
  const shown = await result.textContent();
  for (const id of ['Jeanne', 'Yves', 'Berre', 'Tilleuls']) assert.ok(!shown.includes(id), `${id} left: ${shown}`);
  assert.match(shown, /Tinetti 18\/28/, 'clinical score kept with its figures');
  const names = await result.locator('mark[data-kind="nom"]').evaluateAll((ms) =>
    ms.map((m) => m.textContent.replace(/^\[[^\]]*\]\s*/, '').trim()));
  assert.equal(names.length, 4, `names highlighted: ${names}`);
  const letter = (n) => n.split(/\s+/).pop();
  const [mother, son, motherAgain, either] = names.map(letter);
  assert.notEqual(mother, son, `mother and son share a pseudonym: ${names}`);
  assert.equal(motherAgain, mother, `« Mme Le Berre » is the mother: ${names}`);
  assert.ok(either !== mother && either !== son, `« Le Berre » alone is neither: ${names}`);
  const ambiguous = await page.locator('li[data-risk="nom_ambigu"]').allTextContents();
  assert.equal(ambiguous.length, 1, `the ambiguous name is listed: ${ambiguous}`);
  const legend = await page.locator('.legend').textContent();
  assert.match(legend, /établissement ou organisation/);
  assert.match(legend, /chambre ou lit/);
  assert.ok(shown.includes('[Établissement A]'), shown);
  const risks = await page.locator('li[data-risk="mot_inconnu"]').allTextContents();
  assert.ok(risks.some((r) => r.includes('Zorglubien')), `unknown proper noun listed: ${risks}`);
});

async function answerAudit(no, comment) {
  await page.goto(`${base}/audit`);
  await page.getByRole('heading', { level: 1, name: 'Audit du cabinet' }).waitFor();
  await checkA11y('audit list');
  await page.getByRole('link', { name: 'Commencer un audit' }).click();
  await page.getByRole('heading', { level: 1, name: 'Nouvel audit du cabinet' }).waitFor();
  const points = page.locator('fieldset.audit-point');
  const n = await points.count();
  assert.ok(n >= 15, `${n} questions`);
  for (let i = 0; i < n; i++) {
    const p = points.nth(i);
    const id = (await p.getAttribute('id')).replace('point-', '');
    const answer = no.includes(id) ? 'non' : id.startsWith('partage_') ? 'sans objet' : 'oui';
    await p.getByLabel(answer, { exact: true }).check();
    if (comment && comment[id]) await p.getByLabel(/Commentaire/).fill(comment[id]);
  }
  await checkA11y('audit form');
  await shot('audit-questionnaire');
  await click('Enregistrer l’audit');
  await page.getByRole('heading', { level: 1, name: /Audit n° \d+ du cabinet/ }).waitFor();
  await checkA11y('audit report');
}

test('a self-audit from the first question to the PDF report', async () => {
  await page.getByRole('link', { name: 'Audit du cabinet' }).click();
  await answerAudit(['locaux_occultation', 'documents_sauvegardes'], {
    documents_sauvegardes: 'disque chiffré commandé',
  });
  const actions = page.locator('ul.checklist li');
  assert.equal(await actions.count(), 2);
  assert.match(await actions.first().textContent(), /Occultez les vitrines.*R\. 4321-114/s);
  await page.getByText('Premier audit du cabinet').waitFor();
  await shot('audit-1');
  const pdf = await download(page.getByRole('link', { name: 'Télécharger le rapport (PDF)' }));
  assert.match(pdf.name, /^audit-cabinet-\d+\.pdf$/);
  const t = pdfText(pdf.path);
  for (const s of ['Audit du secret professionnel au cabinet', 'Actions à mener', 'Les locaux',
    'Les personnes qui vous assistent', 'Les documents, quel que soit leur support', 'Les soins à domicile',
    'Textes appliqués', 'art. R. 4321-114 du code de la santé publique',
    'art. R. 4321-116 du code de la santé publique', 'Article R. 4321-115 :', 'disque chiffré commandé',
    ADMIN.name]) {
    assert.ok(t.includes(s), `PDF lacks « ${s} »: ${t.slice(0, 600)}`);
  }
});

test('a second audit shows the difference from the first, on the page and in the PDF', async () => {
  await answerAudit(['documents_sauvegardes', 'personnel_instruit']);
  await page.getByRole('heading', { name: /Évolution depuis l’audit n° \d+/ }).waitFor();
  const improved = await page.locator('[data-change="improved"]').textContent();
  assert.match(improved, /Points améliorés \(1\)/);
  assert.match(improved, /vitrines.*non → oui/s);
  const regressed = await page.locator('[data-change="regressed"]').textContent();
  assert.match(regressed, /Points en recul \(1\)/);
  assert.match(regressed, /instruites.*oui → non/s);
  assert.match(await page.locator('[data-change="unchanged"]').textContent(), /Points inchangés\s:\s\d+/);
  await shot('audit-2-evolution');
  const pdf = await download(page.getByRole('link', { name: 'Télécharger le rapport (PDF)' }));
  const t = pdfText(pdf.path);
  for (const s of ['Évolution depuis l’audit n°', 'Points améliorés (1)', 'Points en recul (1)', 'Points inchangés',
    'art. R. 4321-115 du code de la santé publique']) {
    assert.ok(t.includes(s), `PDF lacks « ${s} »: ${t.slice(0, 600)}`);
  }
  copyFileSync(pdf.path, join(artifacts, 'audit-2.pdf'));
  await page.goto(`${base}/audit`);
  assert.ok((await page.locator('tr[data-audit]').count()) >= 2, 'past audits listed');
  await checkA11y('audit list with audits');
});
