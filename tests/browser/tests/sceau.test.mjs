// End-to-end: first administrator, login, three reference cases through the
// interview (answering whatever the page asks, read from data-fact), back and
// change an answer, open an article from the decision page, log out.
// axe-core runs on every page visited; screenshots at 1280 px and 390 px.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { openBrowser, closeBrowser, assertAccessible } from './browser.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const base = process.env.SCEAU_URL;
assert.ok(base, 'SCEAU_URL must be set (use run.sh)');
const artifacts = join(here, '..', 'artifacts');
mkdirSync(artifacts, { recursive: true });
const cases = parse(readFileSync(join(here, '..', '..', 'cases', 'guide.yaml'), 'utf8'));
const caseById = (id) => {
  const c = cases.find((c) => c.id === id);
  assert.ok(c, `reference case ${id} is missing from tests/cases/guide.yaml`);
  return c;
};

const ADMIN = { practice: 'Cabinet des Tilleuls', name: 'Camille Durand', user: 'camille', password: 'une phrase de passe solide' };
let context;
let page;
let profile;
const visited = new Set();

before(async () => {
  ({ profile, context, page } = await openBrowser());
});

after(() => closeBrowser({ context, profile }));

/** axe-core on the current page: no serious or critical violation. */
async function checkA11y(label) {
  await assertAccessible(page, label);
  visited.add(new URL(page.url()).pathname);
}

/** Full-page screenshots at desktop and phone widths. */
async function shoot(name) {
  await page.screenshot({ path: join(artifacts, `${name}-1280.png`), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: join(artifacts, `${name}-390.png`), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });
}

async function go(path) {
  const res = await page.goto(base + path);
  return res;
}

async function submit(buttonName) {
  await Promise.all([page.waitForLoadState('load'), page.waitForURL('**'), page.getByRole('button', { name: buttonName, exact: true }).first().click()]);
  await page.waitForLoadState('load');
}

/** Answers whatever the interview asks from `situation` until a decision; returns the facts asked. */
async function answerUntilDecision(id, situation, { screenshotFirst } = {}) {
  const asked = [];
  for (let i = 0; i < 80; i++) {
    const form = page.locator('form[data-fact]');
    if ((await form.count()) === 0) break;
    const fact = await form.getAttribute('data-fact');
    assert.ok(Object.hasOwn(situation, fact),
      `case ${id}: the interview asks « ${fact} », which the case does not give (asked so far: ${asked.join(', ')})`);
    await checkA11y(`question ${fact}`);
    if (screenshotFirst && i === 0) await shoot('question');
    const value = String(situation[fact]);
    const radio = page.locator(`input[name="reponse"][value="${value}"]`);
    assert.equal(await radio.count(), 1, `case ${id}: no choice ${value} for ${fact}`);
    await radio.check();
    asked.push(fact);
    await submit('Continuer');
  }
  const verdict = await page.locator('[data-verdict]').getAttribute('data-verdict');
  assert.ok(verdict, `case ${id}: no decision page after ${asked.join(', ')}`);
  return { verdict, asked };
}

test('home page before installation', async () => {
  await go('/');
  await checkA11y('home');
  await shoot('home');
  await page.getByRole('link', { name: 'Créer le compte administrateur' }).click();
  await page.waitForURL('**/installation');
});

test('create the first administrator and the practice', async () => {
  await checkA11y('installation');
  await shoot('installation');
  assert.ok(process.env.SCEAU_INSTALL_CODE, 'SCEAU_INSTALL_CODE (run.sh reads it from the data directory)');
  await page.getByLabel('Code d’installation').fill(process.env.SCEAU_INSTALL_CODE);
  await page.getByLabel('Nom du cabinet').fill(ADMIN.practice);
  await page.getByLabel('Votre nom').fill(ADMIN.name);
  await page.getByLabel('Identifiant de connexion').fill(ADMIN.user);
  await page.getByLabel('Mot de passe', { exact: true }).fill(ADMIN.password);
  await page.getByLabel('Confirmez le mot de passe').fill(ADMIN.password);
  await submit('Créer le cabinet et le compte administrateur');
  assert.match(page.url(), /\/connexion\?ok=installe$/);
  await page.getByText('Le compte administrateur est créé').waitFor();
});

test('pages that need an account redirect to the login page', async () => {
  await go('/puis-je-le-dire');
  assert.match(page.url(), /\/connexion\?suite=\/puis-je-le-dire$/);
});

test('log in', async () => {
  await checkA11y('login');
  await shoot('connexion');
  await page.getByLabel('Identifiant').fill(ADMIN.user);
  await page.getByLabel('Mot de passe').fill(ADMIN.password);
  await submit('Se connecter');
  assert.match(page.url(), /\/puis-je-le-dire$/);
  await page.getByText(ADMIN.name).waitFor();
});

for (const [id, name] of [
  ['partage-equipe-de-soins', 'decision-allowed'],
  ['dossier-au-dentiste-sans-accord', 'decision-forbidden'],
  ['requisition-judiciaire', 'decision-not-required'],
]) {
  test(`interview: ${id}`, async () => {
    const c = caseById(id);
    await go('/puis-je-le-dire');
    const { verdict, asked } = await answerUntilDecision(id, c.situation, { screenshotFirst: id === 'partage-equipe-de-soins' });
    assert.equal(verdict, c.expect.verdict, `case ${id}: verdict after ${asked.join(', ')}`);
    // The summary lists every answer given.
    for (const fact of asked) assert.equal(await page.locator(`[data-answer="${fact}"]`).count(), 1, `summary shows ${fact}`);
    await checkA11y(`decision ${id}`);
    await shoot(name);
    if (id === 'partage-equipe-de-soins') {
      // The printed page: no navigation, no buttons.
      await page.emulateMedia({ media: 'print' });
      await page.screenshot({ path: join(artifacts, 'decision-print.png'), fullPage: true });
      assert.equal(await page.locator('header.site nav').isVisible(), false);
      await page.emulateMedia({ media: 'screen' });
    }

    if (id === 'partage-equipe-de-soins') {
      // Open an article from the decision page: its text unfolds in place, then the full article.
      const source = page.locator('details.source').first();
      await source.locator('summary').click();
      await source.locator('.article-link').waitFor({ state: 'visible' });
      await checkA11y('decision with a source open');
      const sourceId = await source.getAttribute('data-source');
      await Promise.all([page.waitForURL('**/textes/**'), source.locator('.article-link').click()]);
      const article = await page.locator('article[data-article]').getAttribute('data-article');
      assert.equal(article, sourceId.split(':').slice(0, 2).join(':'));
      await page.getByRole('heading', { level: 2, name: 'Règles qui s’appuient sur cet article' }).waitFor();
      await checkA11y('article');
      await shoot('texte');
    }

    if (id === 'dossier-au-dentiste-sans-accord') {
      // Go back once: the last question comes back with its answer selected.
      const last = asked[asked.length - 1];
      await submit('Question précédente');
      assert.equal(await page.locator('form[data-fact]').getAttribute('data-fact'), last);
      assert.ok(await page.locator(`input[name="reponse"][value="${String(c.situation[last])}"]`).isChecked());
      await checkA11y('back');
      const again = await answerUntilDecision(id, c.situation);
      assert.equal(again.verdict, c.expect.verdict);

      // Change an answer from the summary: with the patient's consent and the
      // facts of the case « hors-equipe-avec-accord », the disclosure becomes lawful.
      assert.ok(asked.includes('patient_consent'), `case ${id}: patient_consent was never asked (${asked.join(', ')})`);
      await Promise.all([page.waitForNavigation(), page.locator('[data-answer="patient_consent"] button').click()]);
      await page.waitForLoadState('load');
      assert.equal(await page.locator('form[data-fact]').getAttribute('data-fact'), 'patient_consent');
      const other = caseById('hors-equipe-avec-accord');
      const changed = await answerUntilDecision('hors-equipe-avec-accord', other.situation);
      assert.equal(changed.verdict, other.expect.verdict, 'after changing the consent');
      assert.equal(await page.locator('[data-answer="patient_consent"] .value').count(), 1);
    }
  });
}

test('the texts: list, search and an old version', async () => {
  await go('/textes');
  await checkA11y('texts');
  await shoot('textes');
  await page.getByLabel('Rechercher un article, un mot').fill('R. 4321-90');
  await submit('Afficher');
  const items = page.locator('li[data-article]');
  assert.ok((await items.count()) >= 1);
  await checkA11y('texts search');
  await go('/textes/csp:R4321-90?date=2025-06-01');
  await page.locator('.period').waitFor();
  await checkA11y('old version');
});

test('account and administration pages', async () => {
  await go('/compte');
  await checkA11y('account');
  await shoot('compte');
  await go('/administration');
  await page.getByLabel('Nom', { exact: true }).fill('Élise Martin');
  await page.getByLabel('Identifiant', { exact: true }).fill('elise');
  await page.getByLabel('Rôle', { exact: true }).selectOption('etudiant');
  await page.getByLabel('Mot de passe provisoire').fill('mot de passe provisoire');
  await submit('Créer le compte');
  await page.getByText('Le compte est créé').waitFor();
  await checkA11y('administration');
  await shoot('administration');
  await go('/administration/jetons');
  await page.getByLabel('Nom du jeton').fill('Logiciel de cabinet');
  await submit('Créer le jeton');
  const token = await page.locator('#nouveau-jeton').textContent();
  assert.match(token, /^sceau_[0-9a-f]{64}$/);
  await checkA11y('tokens');
  await shoot('jetons');
});

test('log out', async () => {
  await submit('Se déconnecter');
  assert.match(page.url(), /\/connexion\?ok=deconnecte$/);
  await go('/compte');
  assert.match(page.url(), /\/connexion\?suite=\/compte$/);
  await checkA11y('after logout');
});

test('a student cannot reach the administration', async () => {
  await go('/connexion');
  await page.getByLabel('Identifiant').fill('elise');
  await page.getByLabel('Mot de passe').fill('mot de passe provisoire');
  await submit('Se connecter');
  const res = await go('/administration');
  assert.equal(res.status(), 403);
  await checkA11y('forbidden');
  await submit('Se déconnecter');
  assert.ok(visited.size >= 8, `pages checked by axe: ${[...visited].join(', ')}`);
});
