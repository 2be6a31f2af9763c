// End-to-end, the register (runs after sceau.test.mjs, whose administrator
// it logs in as): create a patient, add a care-team member, record a
// consent, ask about that patient and see the register's facts used,
// record the disclosure, see it in the journal; record an opposition and
// see the same question become « forbidden ». axe-core on every page.
// The patient's name is distinctive: run.sh then checks that it is nowhere
// in clear in the database files (SQLite, WAL) nor in the server's log.
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

const ADMIN = { user: 'camille', password: 'une phrase de passe solide' };
// Keep in sync with run.sh (the encryption check).
export const PATIENT = { name: 'Philomène Escarboucle-Vauquelin', birth: '1987-04-05', reference: 'DOSS-ESCARBOUCLE-17' };
const MEMBER = 'Dr Octave Brindejonc';
const CONSENT_TO = 'Mme Ysaline Quenouille';

// Answers to what the interview still asks (the register supplies the rest).
const ANSWERS = {
  actor: 'masseur_kinesitherapeute',
  actor_context: 'liberal',
  purpose: 'coordination_soins',
  info_obtained_in_practice: 'true',
  info_strictly_necessary: 'true',
  recipient_participates_in_care: 'true',
  recipient_bound_by_secrecy: 'true',
};
const REGISTER_FACTS = ['patient_consent', 'patient_opposition', 'patient_alive', 'patient_minor', 'recipient'];

let context;
let page;
let profile;

before(async () => {
  ({ profile, context, page } = await openBrowser());
});

after(() => closeBrowser({ context, profile }));

const checkA11y = (label) => assertAccessible(page, label);

async function shoot(name, dir = artifacts) {
  await page.screenshot({ path: join(dir, `${name}-1280.png`), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: join(dir, `${name}-390.png`), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });
}
// Screenshots of the register for docs/ (issue 19), both widths.
const docsShots = join(here, '..', '..', '..', 'docs', 'screenshots');
mkdirSync(docsShots, { recursive: true });

async function click(name) {
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name, exact: true }).first().click()]);
  await page.waitForLoadState('load');
}

async function answerUntilDecision() {
  const asked = [];
  for (let i = 0; i < 60; i++) {
    const form = page.locator('form[data-fact]');
    if ((await form.count()) === 0) break;
    const fact = await form.getAttribute('data-fact');
    assert.ok(!REGISTER_FACTS.includes(fact), `the interview asks « ${fact} », which the register knows`);
    const value = ANSWERS[fact] ?? 'false';
    const radio = page.locator(`input[name="reponse"][value="${value}"]`);
    if ((await radio.count()) === 1) await radio.check();
    else await page.locator('input[name="reponse"]').first().check();
    asked.push(fact);
    await click('Continuer');
  }
  const verdict = await page.locator('[data-verdict]').getAttribute('data-verdict');
  assert.ok(verdict, `no decision after ${asked.join(', ')}`);
  return verdict;
}

let patientUrl;

test('log in and register a patient', async () => {
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
  await page.getByRole('link', { name: 'Patients' }).click();
  await page.waitForURL('**/patients');
  await checkA11y('patients');
  await page.getByLabel('Nom d’usage').fill(PATIENT.name);
  await page.getByLabel(/Date de naissance/).fill(PATIENT.birth);
  await page.getByLabel(/Référence interne/).fill(PATIENT.reference);
  await click('Enregistrer le patient');
  assert.match(page.url(), /\/patients\/pat_[0-9a-f]{32}\?ok=cree$/);
  patientUrl = page.url().split('?')[0];
  await page.getByRole('heading', { level: 1, name: PATIENT.name }).waitFor();
  await checkA11y('patient');
});

test('add a care-team member and record a consent', async () => {
  await page.getByText('Ajouter un membre de l’équipe de soins').click();
  await page.locator('#m-nom').fill(MEMBER);
  await page.locator('#m-profession').fill('médecin généraliste');
  await page.locator('#m-rpps').fill('10003456789');
  await page.locator('#m-fondement').selectOption('2');
  await click('Ajouter à l’équipe');
  await page.getByText('Le membre de l’équipe de soins est enregistré').waitFor();
  assert.equal(await page.locator('tr[data-member]').count(), 1);

  await page.getByText('Enregistrer un consentement', { exact: true }).click();
  await page.locator('#c-destinataire').selectOption('professionnel_hors_equipe');
  await page.locator('#c-professionnel').fill(CONSENT_TO);
  await page.locator('#c-quoi').fill('bilan kinésithérapique de l’épaule');
  await page.locator('#c-finalite').selectOption('coordination_soins');
  await page.locator('#c-mode-ecrit').check();
  await page.locator('#c-le').fill('2025-01-15');
  await click('Enregistrer le consentement');
  await page.getByText('Le consentement est enregistré').waitFor();
  assert.equal(await page.locator('tr[data-consent]').count(), 1);
  await checkA11y('patient with team and consent');
  await shoot('patient');
  await shoot('registre-patient', docsShots);
  await page.goto(`${base}/patients`);
  await checkA11y('register');
  await shoot('registre', docsShots);
  await page.goto(patientUrl);
});

async function askAboutPatient() {
  await page.goto(patientUrl);
  const option = page.locator('#destinataire option', { hasText: CONSENT_TO });
  const value = await option.getAttribute('value');
  await page.locator('#destinataire').selectOption(value);
  await click('Poser la question');
  return answerUntilDecision();
}

test('ask about the patient: the register supplies the facts it knows', async () => {
  const verdict = await askAboutPatient();
  assert.equal(verdict, 'allowed');
  for (const fact of ['patient_consent', 'patient_opposition', 'patient_alive', 'patient_minor', 'recipient']) {
    assert.equal(await page.locator(`[data-register-fact="${fact}"]`).count(), 1, `register fact ${fact} shown`);
  }
  await page.getByText('consentement recueilli par écrit').first().waitFor();
  await checkA11y('decision with register facts');
  await shoot('decision-registre');
});

test('record the disclosure and see it in the journal', async () => {
  await page.getByLabel(/Catégorie d’information/).fill('bilan de la séance');
  // Nothing is chosen for the person (issue 19): they say what they did.
  assert.equal(await page.locator('input[name="geste"]:checked').count(), 0);
  await page.locator('#geste-disclosed').check();
  await click('Enregistrer dans le journal');
  assert.match(page.url(), /\/journal\?enregistre=1$/);
  await page.locator('[data-journal="intact"]').waitFor();
  const row = page.locator('tr[data-seq="1"]');
  assert.equal(await row.getAttribute('data-action'), 'disclosed');
  assert.equal(await row.getAttribute('data-verdict'), 'allowed');
  await row.getByText(PATIENT.name).waitFor();
  await checkA11y('journal');
  await shoot('journal');
  await page.goto(patientUrl);
  assert.equal(await page.locator('tr[data-seq="1"]').count(), 1, 'the entry is on the patient page');
});

// One policy with the API: an answer that contradicts the register is refused,
// named on the page and not kept (it used to be replaced in silence).
test('an answer that contradicts the register is refused, named, not kept', async () => {
  await page.goto(patientUrl);
  const consent = await page.locator('#destinataire option', { hasText: CONSENT_TO }).getAttribute('value');
  const id = new URL(patientUrl).pathname.split('/').pop();
  const resp = await page.goto(`${base}/puis-je-le-dire?patient=${id}&destinataire=${consent}` +
    `&a=purpose%3D${ANSWERS.purpose}&a=patient_consent%3Drefuse`);
  assert.equal(resp.status(), 422);
  await page.getByText('contredit le registre').first().waitFor();
  assert.equal(await page.locator('input[name="a"][value="patient_consent=refuse"]').count(), 0);
  await checkA11y('an answer that contradicts the register');
  await shoot('contradiction-registre');
});

test('an opposition makes the same question forbidden', async () => {
  await page.goto(patientUrl);
  await page.getByText('Enregistrer une opposition', { exact: true }).click();
  await page.locator('#o-portee').selectOption('tout');
  await page.locator('#o-quoi').fill('refuse tout partage hors du cabinet');
  await page.locator('#o-depuis').fill('2025-02-01');
  await page.locator('#o-informe').fill('2025-01-15');
  await click('Enregistrer l’opposition');
  await page.getByText('L’opposition est enregistrée').waitFor();
  const verdict = await askAboutPatient();
  assert.equal(verdict, 'forbidden');
  assert.equal(await page.locator('[data-register-fact="patient_opposition"]').count(), 1);
  assert.equal(await page.locator('details.source[data-source="csp:L1110-4:IV"]').count(), 1);
  await checkA11y('decision forbidden by the opposition');
  await shoot('decision-opposition');
  // Declining is recorded too.
  assert.equal(await page.locator('input[name="geste"]:checked').count(), 0);
  await page.locator('#geste-declined').check();
  await click('Enregistrer dans le journal');
  assert.equal(await page.locator('tr[data-seq="2"]').getAttribute('data-action'), 'declined');
});

// Issue 19: the author's RPPS and address given once in « Mon compte »;
// a report about the patient, refused once (what was typed stays), then
// sent: the duty that follows is on the patient's page, at a glance, and
// done there.
const ACCOUNT = { rpps: '10003456786', address: '8 quai Saint-Vincent\n69001 Lyon' };
const SEEN = 'Hématome du poignet gauche en voie de résorption';
test('the identity given once in « Mon compte », a report about the patient, its duty done from the patient page', async () => {
  await page.goto(`${base}/compte`);
  // A digit mistyped: the Luhn key catches it; what was typed stays in the form.
  await page.locator('#rpps').fill('10003456787');
  await page.locator('#adresse').fill(ACCOUNT.address);
  await click('Enregistrer');
  assert.match(await page.locator('#profil-erreur').textContent(), /Numéro RPPS/);
  assert.ok(!(await page.locator('#profil-erreur').textContent()).includes('10003456787'));
  assert.equal(await page.locator('#rpps').inputValue(), '10003456787');
  assert.equal(await page.locator('#adresse').inputValue(), ACCOUNT.address);
  await checkA11y('account with a refused RPPS');
  await page.locator('#rpps').fill(ACCOUNT.rpps);
  await click('Enregistrer');
  await page.getByText('Votre identité professionnelle est enregistrée').waitFor();
  await checkA11y('account');
  await shoot('compte-identite', docsShots);

  // From the patient's page: the report names the patient and the victim;
  // the author's RPPS and address are shown, not asked.
  await page.goto(patientUrl);
  assert.equal(await page.locator('[data-count="obligations"]').textContent(), '0');
  await page.getByRole('link', { name: 'Faire un signalement pour ce patient' }).click();
  await page.waitForURL('**/signalement?patient=*');
  assert.equal(await page.locator('#patient').inputValue(), patientUrl.split('/').pop());
  assert.equal(await page.locator('#victime_nom').inputValue(), PATIENT.name);
  assert.equal(await page.locator('#auteur_rpps').count(), 0, 'the RPPS is not asked again');
  await page.locator('#auteur-compte').getByText(ACCOUNT.rpps).waitFor();
  await page.locator('#destinataire').selectOption('procureur');
  for (const [name, value] of Object.entries({ mineur: 'non', se_proteger: 'oui', violences: 'oui', couple: 'oui', danger: 'oui', emprise: 'oui' })) {
    await page.locator(`#q-${name}`).selectOption(value);
  }
  await page.locator('#consentement').selectOption('refuse');
  await page.locator('#nature').selectOption('physique');
  await page.locator('#annuaire').selectOption('saisie');
  await page.locator('#constatations').fill(SEEN);
  // Refused (the recipient's address is missing): nothing typed is lost.
  await click('Vérifier et rédiger');
  assert.match(await page.locator('p.error').textContent(), /Adresse du destinataire/);
  assert.equal(await page.locator('#constatations').inputValue(), SEEN);
  assert.equal(await page.locator('#q-emprise').inputValue(), 'oui');
  assert.equal(await page.locator('#patient').inputValue(), patientUrl.split('/').pop());
  await checkA11y('report refused, what was typed kept');
  await page.locator('#adresse_destinataire').fill('Parquet du tribunal judiciaire\n67 rue Servient\n69003 Lyon');
  await click('Vérifier et rédiger');
  await page.getByRole('heading', { level: 1, name: 'Signalement rédigé' }).waitFor();
  assert.match(await page.locator('pre.letter').textContent(), /10003456786/);
  await page.getByRole('link', { name: 'Relire, puis marquer comme envoyé' }).click();
  await page.waitForURL('**/signalement/rapports/rep_*');
  await click('Marquer comme relu');
  await page.locator('#moyen-courrier').check();
  await click('Marquer comme envoyé');
  await page.getByText('Le signalement est marqué comme envoyé').waitFor();

  // The patient's page at a glance: one disclosure more, one duty pending.
  await page.goto(patientUrl);
  assert.equal(await page.locator('[data-count="obligations"]').textContent(), '1');
  const duty = page.locator('form[data-duty]');
  assert.equal(await duty.count(), 1);
  await checkA11y('patient with a pending duty');
  await shoot('registre-patient-obligations', docsShots);
  await duty.getByLabel(/^Comment/).fill('oralement, en séance');
  await Promise.all([page.waitForNavigation(), duty.getByRole('button', { name: 'Marquer comme faite' }).click()]);
  await page.getByText('L’obligation est marquée comme faite').waitFor();
  assert.match(page.url(), /\/patients\/pat_[0-9a-f]{32}\?ok=obligation$/);
  assert.equal(await page.locator('[data-count="obligations"]').textContent(), '0');
  assert.equal(await page.locator('[data-duty-done]').count(), 1);

  // The other suites type the author's identity in the forms: it is
  // cleared again (empty fields clear it).
  await page.goto(`${base}/compte`);
  await page.locator('#rpps').fill('');
  await page.locator('#adresse').fill('');
  await click('Enregistrer');
  await page.getByText('Votre identité professionnelle est enregistrée').waitFor();
});

// Issue 19: the register a practice needs — searched, corrected, archived
// (the journal keeps its entries, under the register's reference).
test('search the register, correct the identity, archive: the journal keeps its entries', async () => {
  // Searched without accents or capitals, by name or by reference; by a
  // form posted, so that no name is ever part of a URL.
  const search = async (q) => {
    await page.goto(`${base}/patients`);
    await page.locator('#q').fill(q);
    await click('Rechercher');
    await page.locator('[data-found]').waitFor();
    assert.equal(new URL(page.url()).search, '', `no query in the URL for « ${q} »`);
  };
  for (const q of ['escarboucle', 'PHILOMENE', 'doss-escarboucle']) {
    await search(q);
    assert.equal(await page.locator('tr[data-patient]').count(), 1, `search « ${q} »`);
  }
  await search('introuvable-zz');
  assert.equal(await page.locator('tr[data-patient]').count(), 0);
  await checkA11y('register searched');
  // Corrected.
  await page.goto(patientUrl);
  await page.getByText('Corriger l’identité', { exact: true }).click();
  await page.locator('#i-reference').fill('DOSS-ESCARBOUCLE-18');
  await click('Enregistrer la correction');
  await page.getByText('L’identité du patient est corrigée').waitFor();
  await page.getByText('DOSS-ESCARBOUCLE-18').waitFor();
  // Archived only with the box ticked; then out of the list.
  await page.getByText('Archiver ce patient', { exact: true }).click();
  await page.locator('#a-certifie').check();
  await click('Archiver');
  assert.match(page.url(), /\/patients\?ok=archive$/);
  await page.getByText('Le patient est archivé').waitFor();
  assert.equal(await page.locator(`tr[data-patient="${patientUrl.split('/').pop()}"]`).count(), 0);
  await checkA11y('register after archiving');
  // The journal keeps its entries (the two recorded from decisions, the
  // report and the victim informed), naming the patient by the reference only.
  await page.goto(`${base}/journal`);
  const id = patientUrl.split('/').pop();
  const rows = page.locator(`tr[data-seq]`, { has: page.locator(`a[href="/patients/${id}"]`) });
  assert.equal(await rows.count(), 4, 'the journal keeps the archived patient’s entries');
  assert.equal(await page.getByText(PATIENT.name).count(), 0, 'the journal no longer shows the name');
  await page.goto(patientUrl);
  await page.locator('[data-archived]').waitFor();
});
