// End-to-end, the recipient's qualities (issue 13: « the web interview
// reaches the right ground; a browser test walks one of them »). A
// masseur-kinésithérapeute tells a child's doctor about bruises, describing
// the doctor as « Un professionnel identifié hors de l’équipe de soins »
// rather than as a medical authority: the interview must ask whether the
// recipient is a physician, and a physician is a medical authority under
// art. 226-14, 1°, of the code pénal. The same walk with a dentist (not a
// physician) ends on « Vous ne devez pas le dire » with what one can do.
// Independent of the other suites' order: installs the practice if nobody
// has (with the installation code run.sh exports), otherwise logs in as
// sceau.test.mjs's administrator. axe-core on every page visited.
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

// The same administrator as sceau.test.mjs, so that whichever suite installs
// first, the others can log in.
const ADMIN = { practice: 'Cabinet des Tilleuls', name: 'Camille Durand', user: 'camille', password: 'une phrase de passe solide' };

// What the user knows; anything else the interview asks is answered « Je ne sais pas ».
const DOCTOR = {
  actor: 'masseur_kinesitherapeute',
  recipient: 'professionnel_hors_equipe',
  purpose: 'signalement',
  recipient_physician: 'true',
  info_obtained_in_practice: 'true',
  patient_alive: 'true',
  patient_minor: 'true',
  violence_observed: 'true',
  violence_kind: 'physique',
  recipient_participates_in_care: 'true',
  patient_consent: 'non_demande',
};
const DENTIST = { ...DOCTOR, recipient_physician: 'false' };
const DONT_KNOW = '?';

let context;
let page;
let profile;

before(async () => {
  ({ profile, context, page } = await openBrowser());
});

after(() => closeBrowser({ context, profile }));

const checkA11y = (label) => assertAccessible(page, label);

async function shoot(name) {
  await page.screenshot({ path: join(artifacts, `${name}-1280.png`), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: join(artifacts, `${name}-390.png`), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });
}

async function click(name) {
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name, exact: true }).first().click()]);
  await page.waitForLoadState('load');
}

/**
 * Answers each question the page shows, from `answers` (« Je ne sais pas »
 * for any other fact), until the decision page. Returns the facts asked in
 * order, with the question each page showed.
 */
async function walk(label, answers) {
  const asked = [];
  for (let i = 0; i < 80; i++) {
    const form = page.locator('form[data-fact]');
    if ((await form.count()) === 0) break;
    const fact = await form.getAttribute('data-fact');
    // The fact is also what the form posts back as `question`.
    assert.equal(await form.locator('input[type="hidden"][name="question"]').getAttribute('value'), fact);
    // French typography puts a narrow no-break space before « ? ».
    const question = (await page.locator('fieldset.question legend h1').textContent()).replace(/[\u00a0\u202f]/g, ' ').trim();
    await checkA11y(`${label}: question ${fact}`);
    const value = Object.hasOwn(answers, fact) ? answers[fact] : DONT_KNOW;
    const radio = form.locator(`input[name="reponse"][value="${value}"]`);
    const offered = await form.locator('input[name="reponse"]').evaluateAll((rs) => rs.map((r) => r.value));
    assert.equal(await radio.count(), 1,
      `${label}: no choice « ${value} » for ${fact} (« ${question} »); offered: ${offered.join(', ')}`);
    await radio.check();
    asked.push({ fact, question, value });
    await click('Continuer');
    assert.equal(await page.locator('[role="alert"]').count(), 0,
      `${label}: error after answering ${fact}=${value}: ${await page.locator('[role="alert"]').allTextContents()}`);
  }
  const trail = asked.map((a) => `${a.fact}=${a.value}`).join(', ');
  console.log(`${label}: ${trail}`);
  assert.equal(await page.locator('article.decision[data-verdict]').count(), 1, `${label}: no decision page after ${trail}`);
  return { asked, trail };
}

async function decision() {
  const article = page.locator('article.decision');
  return {
    verdict: await article.getAttribute('data-verdict'),
    heading: (await article.locator('header.verdict h1').textContent()).replace(/[\u00a0\u202f]/g, ' ').trim(),
    text: (await article.textContent()).replace(/[\u00a0\u202f]/g, ' '),
    sources: await article.locator('details.source[data-source]').evaluateAll((ds) => ds.map((d) => d.dataset.source)),
  };
}

test('install the practice if nobody has, then log in', async () => {
  await page.goto(`${base}/connexion`);
  if (new URL(page.url()).pathname === '/installation') {
    assert.ok(process.env.SCEAU_INSTALL_CODE, 'SCEAU_INSTALL_CODE (run.sh reads it from the data directory)');
    await page.getByLabel('Code d’installation').fill(process.env.SCEAU_INSTALL_CODE);
    await page.getByLabel('Nom du cabinet').fill(ADMIN.practice);
    await page.getByLabel('Votre nom').fill(ADMIN.name);
    await page.getByLabel('Identifiant de connexion').fill(ADMIN.user);
    await page.getByLabel('Mot de passe', { exact: true }).fill(ADMIN.password);
    await page.getByLabel('Confirmez le mot de passe').fill(ADMIN.password);
    await click('Créer le cabinet et le compte administrateur');
    assert.match(page.url(), /\/connexion\?ok=installe$/);
  }
  await page.getByLabel('Identifiant').fill(ADMIN.user);
  await page.getByLabel('Mot de passe').fill(ADMIN.password);
  await click('Se connecter');
  await page.getByText(ADMIN.name).first().waitFor();
});

test('a doctor described as « professionnel hors équipe »: asked whether a physician, then 226-14, 1°', async () => {
  await page.goto(`${base}/puis-je-le-dire`);
  const { asked, trail } = await walk('médecin', DOCTOR);
  const physician = asked.find((a) => a.fact === 'recipient_physician');
  assert.ok(physician, `the interview never asked recipient_physician; asked: ${trail}`);
  assert.equal(physician.question, 'Le destinataire est-il médecin ?');
  assert.ok(asked.some((a) => a.fact === 'recipient' && a.value === 'professionnel_hors_equipe'), `recipient asked: ${trail}`);

  const d = await decision();
  assert.equal(d.heading, 'Vous pouvez le dire', `verdict after ${trail} (data-verdict=${d.verdict})`);
  assert.equal(d.verdict, 'allowed');
  assert.ok(!d.text.includes('Vous ne devez pas le dire'), 'the decision page also says « Vous ne devez pas le dire »');
  assert.ok(d.sources.includes('cp:226-14:1'), `legal basis cites ${d.sources.join(', ')}, not cp:226-14:1 (after ${trail})`);
  const basis = page.locator('section[aria-labelledby="base-titre"]');
  await basis.getByRole('heading', { level: 2, name: 'Fondement juridique' }).waitFor();
  assert.equal(await basis.locator('details.source[data-source="cp:226-14:1"]').count(), 1);
  // Every answer given is in the summary.
  for (const a of asked) assert.equal(await page.locator(`[data-answer="${a.fact}"]`).count(), 1, `summary shows ${a.fact}`);
  await checkA11y('decision médecin');
  await shoot('qualites-medecin-autorise');
  console.log(`médecin, fondement : ${d.sources.join(', ')}`);
});

test('the same walk with a dentist (not a physician): forbidden, with what one can do', async () => {
  await page.goto(`${base}/puis-je-le-dire`);
  // Start afresh even if the previous walk's answers are still in the form.
  if ((await page.locator('form[data-fact]').count()) === 1 && (await page.locator('[data-answer]').count()) > 0) {
    await click('Recommencer');
  }
  const { asked, trail } = await walk('dentiste', DENTIST);
  const physician = asked.find((a) => a.fact === 'recipient_physician');
  assert.ok(physician, `the interview never asked recipient_physician; asked: ${trail}`);
  assert.equal(physician.question, 'Le destinataire est-il médecin ?');

  const d = await decision();
  assert.equal(d.heading, 'Vous ne devez pas le dire', `verdict after ${trail} (data-verdict=${d.verdict})`);
  assert.equal(d.verdict, 'forbidden');
  const steps = page.locator('section.next-steps');
  assert.equal(await steps.count(), 1, `no « Ce que vous pouvez faire » after ${trail}`);
  await steps.getByRole('heading', { level: 2, name: 'Ce que vous pouvez faire' }).waitFor();
  const items = await steps.locator('li[data-next-step]').evaluateAll((ls) => ls.map((l) => l.dataset.nextStep));
  assert.ok(items.length >= 1, 'at least one next step');
  await checkA11y('decision dentiste');
  await shoot('qualites-dentiste-interdit');
  console.log(`dentiste, ce que vous pouvez faire : ${items.join(', ')}`);
});
