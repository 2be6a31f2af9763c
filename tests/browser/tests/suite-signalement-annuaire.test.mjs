// End-to-end, the recipients' directory (runs after sceau.test.mjs, whose
// administrator it logs in as, and before suite-signalement.test.mjs): with
// an empty directory the signalement form says so and takes a typed
// address; the administrator adds an entry (an invalid one first: the
// error names the field), imports the examples of the Rhône and of Paris,
// edits and deletes entries; the form then takes the recipient's address
// from the practice's directory. The assessment aids are shown as a list to
// read, never as inputs, and are not put in the report. axe-core on every page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openBrowser, closeBrowser, assertAccessible } from './browser.mjs';

const base = process.env.SCEAU_URL;
assert.ok(base, 'SCEAU_URL must be set (use run.sh)');
const ADMIN = { user: 'camille', password: 'une phrase de passe solide' };

let context;
let page;
let profile;

before(async () => {
  ({ profile, context, page } = await openBrowser());
});

after(() => closeBrowser({ context, profile }));

const checkA11y = (label) => assertAccessible(page, label);

async function click(name, scope = page) {
  await Promise.all([page.waitForNavigation(), scope.getByRole('button', { name, exact: true }).first().click()]);
  await page.waitForLoadState('load');
}

const plain = (s) => s.replace(/[\u00a0\u202f]/g, ' ');
const mainText = async () => plain(await page.locator('main').textContent());

// A report to the procureur with the victim's consent (no pending duty is
// left for suite-signalement, which counts them), the Rhône as the place of the facts.
async function fillCase({ choice, typed } = {}) {
  await page.goto(`${base}/signalement`);
  await page.locator('#destinataire').selectOption('procureur');
  await page.locator('#departement').fill('69');
  if (choice) await page.locator('#annuaire').selectOption({ label: choice });
  if (typed) {
    await page.locator('#annuaire').selectOption('saisie');
    await page.locator('#adresse_destinataire').fill(typed);
  }
  for (const [name, value] of Object.entries({ mineur: 'non', se_proteger: 'oui', violences: 'oui', couple: 'oui', danger: 'oui', emprise: 'oui' })) {
    await page.locator(`#q-${name}`).selectOption(value);
  }
  await page.locator('#consentement').selectOption('obtenu');
  await page.locator('#nature').selectOption('physique');
  await page.locator('#auteur_rpps').fill('10101010101');
  await page.locator('#auteur_adresse').fill('12 rue des Lilas\n69003 Lyon');
  await page.locator('#victime_civilite').fill('Mme');
  await page.locator('#victime_nom').fill('Sophie Garnier');
  await page.locator('#constatations').fill('Hématome sur la pommette gauche');
  await page.locator('#propos').fill('Il m’a poussée contre le mur.');
  await click('Vérifier et rédiger');
}

async function letter() {
  await page.getByRole('heading', { level: 1, name: 'Signalement rédigé' }).waitFor();
  return plain(await page.locator('pre.letter').textContent());
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
  await page.getByRole('link', { name: 'Administration' }).waitFor();
});

test('empty directory: the form says so and takes a typed address', async () => {
  await page.goto(`${base}/signalement`);
  assert.match(await mainText(), /L’annuaire du cabinet est vide/);
  await fillCase();
  assert.match(await mainText(), /aucune entrée « Procureur de la République/);
  await checkA11y('no entry');
  await fillCase({ typed: 'Parquet de permanence\n2 quai Romain Rolland\n69005 Lyon' });
  const text = await letter();
  assert.match(text, /Parquet de permanence/);
  assert.match(text, /2 quai Romain Rolland/);
});

test('the administrator keeps the directory: add, import examples, edit, delete', async () => {
  await page.goto(`${base}/administration`);
  await page.getByRole('link', { name: 'Annuaire des destinataires' }).click();
  await page.getByRole('heading', { level: 1, name: 'Annuaire des destinataires' }).waitFor();
  await checkA11y('empty directory');
  // Invalid département: the error names the field, without the value.
  const add = page.locator('form').filter({ has: page.getByRole('button', { name: 'Ajouter à l’annuaire' }) });
  await add.getByLabel('Type de destinataire').selectOption('procureur');
  await add.getByLabel(/^Département/).fill('33X');
  await add.getByLabel(/^Nom/).fill('Tribunal judiciaire de Bordeaux');
  await add.getByLabel(/^Adresse postale/).fill('30 rue des Frères Bonie\n33000 Bordeaux');
  await click('Ajouter à l’annuaire', add);
  const err = plain(await page.locator('p.error').textContent());
  assert.match(err, /Champ « Département »/);
  assert.ok(!err.includes('33X'));
  await checkA11y('directory error');
  // A refused form keeps what was typed (issue 19): only the département is corrected.
  assert.equal(await add.getByLabel(/^Nom/).inputValue(), 'Tribunal judiciaire de Bordeaux');
  await add.getByLabel(/^Département/).fill('33');
  await click('Ajouter à l’annuaire', add);
  await page.getByText('L’entrée est ajoutée à l’annuaire.').waitFor();
  assert.equal(await page.locator('tr[data-entry]').count(), 1);

  // Import the examples of the Rhône and of Paris.
  for (const dep of ['69', '75']) {
    await page.getByLabel('Département des exemples').selectOption(dep);
    await click('Importer les exemples de ce département');
    await page.getByText(/entrées? d’exemple importées?/).waitFor();
  }
  const rows = page.locator('tr[data-entry]');
  assert.equal(await rows.count(), 1 + 3 + 3);
  assert.equal(await page.locator('tr[data-entry] .badge', { hasText: 'exemple à vérifier' }).count(), 6);
  await checkA11y('directory with examples');

  // Edit the Lyon parquet: checked, no longer an example.
  const lyon = rows.filter({ hasText: 'Tribunal judiciaire de Lyon' });
  await lyon.getByRole('link', { name: /Modifier/ }).click();
  await page.getByRole('heading', { level: 1, name: 'Modifier une entrée de l’annuaire' }).waitFor();
  await checkA11y('edit entry');
  await page.getByLabel(/^Adresse postale/).fill('67 rue Servient\n69433 Lyon Cedex 03');
  await page.getByLabel(/^Courriel/).fill('permanence.parquet.tj-lyon@justice.fr');
  await page.getByLabel('Adresse encore à vérifier (exemple)').uncheck();
  await click('Enregistrer');
  await page.getByText('L’entrée est enregistrée.').waitFor();
  const edited = page.locator('tr[data-entry]').filter({ hasText: 'Tribunal judiciaire de Lyon' });
  assert.match(await edited.textContent(), /69433 Lyon Cedex 03/);
  assert.equal(await edited.locator('.badge').count(), 0);

  // Delete the Bordeaux entry.
  const bordeaux = page.locator('tr[data-entry]').filter({ hasText: 'Bordeaux' });
  await click('Supprimer Tribunal judiciaire de Bordeaux', bordeaux);
  await page.getByText('L’entrée est supprimée de l’annuaire.').waitFor();
  assert.equal(await page.locator('tr[data-entry]').count(), 6);
  assert.equal(await page.locator('tr[data-entry]').filter({ hasText: 'Bordeaux' }).count(), 0);
});

test('the report takes its recipient from the practice’s directory', async () => {
  await fillCase();
  let text = await letter();
  assert.match(text, /Tribunal judiciaire de Lyon/);
  assert.match(text, /69433 Lyon Cedex 03/);
  assert.ok(!(await mainText()).includes('entrée d’exemple'), 'a checked entry is not flagged as an example');
  // Chosen explicitly in the form, the same entry.
  await fillCase({ choice: '69 — Procureur de la République (tribunal judiciaire) — Tribunal judiciaire de Lyon' });
  text = await letter();
  assert.match(text, /69433 Lyon Cedex 03/);
});

test('assessment aids: a list to read, cited, never inputs, not in the report', async () => {
  await page.goto(`${base}/signalement`);
  const aid = page.locator('details.aid');
  await aid.locator('summary').click();
  await aid.getByRole('heading', { name: 'Critères d’évaluation du danger immédiat' }).waitFor();
  assert.equal(await aid.locator('ol li').count(), 15);
  const t = plain(await aid.textContent());
  assert.match(t, /aucun score/);
  assert.match(t, /en conscience/);
  assert.match(t, /Vade-mecum de la réforme de l’article 226-14/);
  assert.equal(await aid.locator('input, select, textarea').count(), 0, 'nothing to tick or count');
  await checkA11y('assessment aids open');
  await fillCase();
  const text = await letter();
  assert.ok(!/menaces de mort|armes à feu|projet de séparation/.test(text), 'the aids are not copied into the report');
});

async function download(linkName, type) {
  const href = await page.getByRole('link', { name: linkName }).getAttribute('href');
  const res = await page.request.get(base + href);
  assert.equal(res.status(), 200, href);
  assert.match(res.headers()['content-type'], type);
  assert.match(res.headers()['content-disposition'], /^attachment/);
  return res;
}

test('reply to a judicial requisition, from the signalement area', async () => {
  await page.goto(`${base}/signalement`);
  await page.getByRole('link', { name: 'Répondre à une réquisition judiciaire' }).click();
  await page.getByRole('heading', { level: 1, name: 'Répondre à une réquisition judiciaire' }).waitFor();
  await checkA11y('requisition form');
  // Missing address of the requester: the field is named.
  await page.locator('#date_requisition').fill('2026-11-20');
  await page.locator('#auteur_rpps').fill('10101010101');
  await page.locator('#auteur_adresse').fill('12 rue des Lilas\n69003 Lyon');
  await click('Rédiger la réponse');
  assert.match(plain(await page.locator('p.error').textContent()), /Champ « Adresse du service requérant »/);
  // A refused form keeps what was typed (issue 19): only the missing field is added.
  assert.equal(await page.locator('#auteur_rpps').inputValue(), '10101010101');
  assert.equal(await page.locator('#date_requisition').inputValue(), '2026-11-20');
  await page.locator('#demandeur').selectOption('police_gendarmerie');
  await page.locator('#demandeur_qualite').fill('Officier de police judiciaire');
  await page.locator('#demandeur_service').fill('Brigade de gendarmerie de Lyon');
  await page.locator('#demandeur_adresse').fill('1 rue de l’Exemple\n69003 Lyon');
  await page.locator('#reference').fill('PV 2026/00123');
  await page.locator('#procedure').selectOption('preliminaire');
  await click('Rédiger la réponse');
  await page.getByRole('heading', { level: 1, name: 'Réponse à la réquisition rédigée' }).waitFor();
  await checkA11y('requisition reply');
  const text = plain(await page.locator('pre.letter').textContent());
  assert.match(text, /secret professionnel/);
  assert.match(text, /77-1-1/);
  assert.match(text, /PV 2026\/00123/);
  const pdf = await download('Télécharger le PDF', /application\/pdf/);
  assert.equal((await pdf.body()).subarray(0, 4).toString('latin1'), '%PDF');
  const txt = await download('Télécharger le texte', /text\/plain/);
  assert.match(await txt.text(), /226-13/);
});

test('the expert’s checklist, from the signalement area', async () => {
  await page.goto(`${base}/signalement`);
  await page.getByRole('link', { name: 'Liste de contrôle de l’expert' }).click();
  await page.getByRole('heading', { level: 1, name: 'Liste de contrôle de l’expert' }).waitFor();
  await checkA11y('expertise form');
  const fill = async (second) => {
    await page.locator('#juridiction').fill('le tribunal judiciaire de Lyon');
    await page.locator('#questions').fill('Décrire les séquelles fonctionnelles de l’épaule droite\nDire si des séances de rééducation restent nécessaires');
    await page.locator('#element_1').fill('Flexion active de l’épaule droite limitée à 110°');
    await page.locator('#reponses_1').fill('1');
    await page.locator('#element_2').fill('Le patient m’a confié traverser un divorce difficile');
    await page.locator('#reponses_2').fill(second);
    await page.locator('#auteur_rpps').fill('10987654321');
    await page.locator('#auteur_adresse').fill('3 place Bellecour\n69002 Lyon');
  };
  await fill('7');
  await click('Produire la liste de contrôle');
  // A question number that does not exist: the field is named, and the form
  // comes back with what was typed in its own fields (issue 19), never in
  // the message.
  const error = plain(await page.locator('p.error').textContent());
  assert.match(error, /Champ « Questions auxquelles répond l’élément 2 »/);
  assert.doesNotMatch(error, /divorce/);
  assert.equal(await page.locator('#element_2').inputValue(), 'Le patient m’a confié traverser un divorce difficile');
  await fill('');
  await click('Produire la liste de contrôle');
  await page.getByRole('heading', { level: 1, name: 'Liste de contrôle de l’expertise' }).waitFor();
  await checkA11y('expertise checklist');
  const taire = plain(await page.locator('section.notice').textContent());
  assert.match(taire, /divorce difficile/);
  assert.match(plain(await page.locator('pre.letter').textContent()), /R\. 4321-141/);
  const pdf = await download('Télécharger le PDF', /application\/pdf/);
  assert.equal((await pdf.body()).subarray(0, 4).toString('latin1'), '%PDF');
});

test('a decision resting on 226-14 opens the report with the interview’s answers', async () => {
  // The answers as the interview posts them (hidden fields « a »).
  await page.goto(`${base}/puis-je-le-dire`);
  await page.evaluate(() => {
    const f = document.createElement('form');
    f.method = 'post';
    f.action = '/puis-je-le-dire';
    const add = (n, v) => { const i = document.createElement('input'); i.type = 'hidden'; i.name = n; i.value = v; f.appendChild(i); };
    add('csrf', document.querySelector('input[name=csrf]').value);
    for (const a of ['actor=masseur_kinesitherapeute', 'purpose=signalement', 'info_obtained_in_practice=true',
      'patient_alive=true', 'recipient=procureur', 'patient_minor=false', 'patient_can_protect_self=true',
      'violence_observed=true', 'violence_within_couple=true', 'life_in_immediate_danger=true',
      'victim_under_emprise=true', 'patient_consent=obtenu', 'violence_kind=physique']) add('a', a);
    add('action', 'suivant');
    document.body.appendChild(f);
    f.submit();
  });
  await page.waitForLoadState('load');
  await page.locator('article[data-verdict="allowed"]').waitFor();
  await checkA11y('decision with report button');
  await click('Faire un signalement avec ces réponses');
  await page.getByRole('heading', { level: 1, name: 'Faire un signalement' }).waitFor();
  assert.equal(await page.locator('#q-danger').inputValue(), 'oui');
  assert.equal(await page.locator('#q-emprise').inputValue(), 'oui');
  assert.equal(await page.locator('#q-mineur').inputValue(), 'non');
  assert.equal(await page.locator('#consentement').inputValue(), 'obtenu');
  assert.equal(await page.locator('#nature').inputValue(), 'physique');
  // The rest of the form, then the report.
  await page.locator('#departement').fill('69');
  await page.locator('#auteur_rpps').fill('10101010101');
  await page.locator('#auteur_adresse').fill('12 rue des Lilas\n69003 Lyon');
  await page.locator('#victime_civilite').fill('Mme');
  await page.locator('#victime_nom').fill('Sophie Garnier');
  await page.locator('#constatations').fill('Hématome sur la pommette gauche');
  await click('Vérifier et rédiger');
  const text = await letter();
  assert.match(text, /226-14, 2°/);
  assert.match(text, /a donné son accord/);
});
