import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PATIENTS } from '../packages/server/src/demo/demo.data.ts';
import { type Browser, expectAccessible, launchBrowser } from './browser.ts';
import { type E2eCarnet, startE2eCarnet } from './carnet.ts';
import { CAMILLE, CLAIRE, enrolTotp, heading, logInWithPassword, submitPassword } from './login-helpers.ts';

const CAMILLE_ID = DEMO_PATIENTS.find((p) => p.first_names === 'CAMILLE ANNE')!.patient_id;
/** More reads than one page of the history holds (20), so that "Voir plus" has a page to load. */
const READS = 25;

let carnet: E2eCarnet;
let doctorBrowser: Browser;
let patientBrowser: Browser;
let doctor: Page;
let page: Page;

beforeAll(async () => {
  carnet = await startE2eCarnet();
  // Two browsers, two cookie jars: Dr Bernard's and Camille's sessions never mix.
  doctorBrowser = await launchBrowser();
  patientBrowser = await launchBrowser();
  doctor = await doctorBrowser.context.newPage();
  page = await patientBrowser.context.newPage();
});
afterAll(async () => {
  await patientBrowser?.close();
  await doctorBrowser?.close();
  await carnet?.close();
});

const rows = () => page.locator('main tbody tr');
const rowTexts = () => rows().allTextContents();
const actorTypes = () => rows().evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-actor-type')));

describe('the patient’s access history, in the browser', () => {
  it('records Dr Bernard’s reads of Camille’s record, and her refused look at its history', async () => {
    await logInWithPassword(doctor, `${carnet.url}/pro/connexion`, CLAIRE);
    await enrolTotp(doctor);
    await expect.poll(() => heading(doctor)).toBe('Mon compte');
    const statuses = await doctor.evaluate(
      async ({ id, reads }) => {
        const out: number[] = [];
        for (let i = 0; i < reads; i++) out.push((await fetch(`/api/patients/${id}`)).status);
        // The history is the patient's alone: refused, and the refusal is recorded too.
        out.push((await fetch(`/api/patients/${id}/access-history`)).status);
        return out;
      },
      { id: CAMILLE_ID, reads: READS },
    );
    expect(statuses).toEqual([...Array<number>(READS).fill(200), 403]);
  });

  it('offers a professional no patient menu, and tells them the history is the patient’s', async () => {
    expect(await doctor.getByRole('navigation', { name: 'Menu principal' }).count()).toBe(0);
    await doctor.goto(`${carnet.url}/parametres/historique`);
    await expect.poll(() => heading(doctor)).toBe('Historique des accès');
    await expect.poll(() => doctor.getByText(/seul le patient titulaire de l’espace y a accès/).count()).toBe(1);
    expect(await doctor.locator('main table').count()).toBe(0);
    await expectAccessible(doctor, 'access-history-professional-fr');
  });

  it('asks a visitor of /documents to log in', async () => {
    await page.goto(`${carnet.url}/documents`);
    await expect.poll(() => heading(page)).toBe('Documents');
    await expect.poll(() => page.getByText('Cette page fait partie de votre espace santé personnel').count()).toBe(1);
    const logIn = page.getByRole('main').getByRole('link', { name: 'Se connecter' });
    expect(await logIn.getAttribute('href')).toBe('/connexion?retour=%2Fdocuments');
    await expectAccessible(page, 'documents-logged-out-fr');
  });

  it('brings Camille back to the settings page she asked for once she has logged in', async () => {
    await page.goto(`${carnet.url}/parametres`);
    await expect.poll(() => heading(page)).toBe('Paramètres');
    await page.getByRole('main').getByRole('link', { name: 'Se connecter' }).click();
    await expect.poll(() => heading(page)).toBe('Connexion à votre espace santé');
    await submitPassword(page, CAMILLE);
    await enrolTotp(page);
    await expect.poll(() => heading(page)).toBe('Paramètres');
    expect(new URL(page.url()).pathname).toBe('/parametres');
    await expectAccessible(page, 'settings-fr');
  });

  it('lists every access newest first, with Dr Bernard’s reads for care and her refused one', async () => {
    await page.getByRole('link', { name: 'Historique des accès' }).click();
    await expect.poll(() => heading(page)).toBe('Historique des accès');
    await expect.poll(() => rows().count()).toBe(20);
    expect(await page.getByRole('status').textContent()).toBe('20 accès affichés, du plus récent au plus ancien.');
    const times = await page.locator('main tbody time').evaluateAll((els) => els.map((e) => e.getAttribute('datetime')!));
    expect(times).toEqual(times.toSorted().reverse());

    // Date and time as a French reader expects them, in Paris time whatever the machine's zone.
    const when = page.locator('main tbody time').first();
    const paris = new Intl.DateTimeFormat('fr-FR', { timeStyle: 'short', timeZone: 'Europe/Paris' });
    const parisTime = paris.format(new Date((await when.getAttribute('datetime'))!));
    expect(await when.innerText()).toMatch(new RegExp(`^\\d{1,2} [a-zéû]+ \\d{4}\\n${parisTime}$`));

    const [newest, ...older] = await rowTexts();
    // Reading the history is itself an access, recorded before the list is read.
    expect(newest).toContain('Vous');
    expect(newest).toContain('Consultation de l’historique des accès');
    expect(newest).toContain('Gestion de votre espace');
    const doctorRows = older.filter((text) => text.includes('Dr Claire Bernard'));
    expect(doctorRows[0]).toContain('Centre hospitalier de démonstration');
    expect(doctorRows[0]).toContain('Consultation de l’historique des accès');
    expect(doctorRows[0]).toContain('Refusé');
    expect(doctorRows[1]).toContain('Consultation de votre identité');
    expect(doctorRows[1]).toContain('Soins');
    expect(doctorRows[1]).toContain('Autorisé');
    await expectAccessible(page, 'access-history-fr');
  });

  it('loads older entries with “Voir plus” and moves focus to the first of them', async () => {
    const before = await rows().count();
    await page.getByRole('button', { name: 'Voir plus' }).click();
    await expect.poll(() => rows().count()).toBeGreaterThan(before);
    const firstNew = await rows().nth(before).getAttribute('data-seq');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-seq'))).toBe(firstNew);
    // The oldest entries are Dr Bernard's first reads; nothing older is left to load.
    expect(await page.getByRole('button', { name: 'Voir plus' }).count()).toBe(0);
    expect((await rowTexts()).at(-1)).toContain('Dr Claire Bernard');
  });

  it('shows only health professionals’ accesses when asked', async () => {
    await page.getByLabel('Afficher les accès').selectOption({ label: 'Des professionnels de santé' });
    await expect.poll(() => rows().count()).toBe(20);
    expect(new Set(await actorTypes())).toEqual(new Set(['professional']));
    expect((await rowTexts()).every((text) => text.includes('Dr Claire Bernard'))).toBe(true);
    await page.getByRole('button', { name: 'Voir plus' }).click();
    // Her reads, her refused look at the history, and the filing of the demo documents by her
    // software when the demo started.
    await expect.poll(() => rows().count()).toBe(READS + 2);
    expect(new Set(await actorTypes())).toEqual(new Set(['professional']));
    await expectAccessible(page, 'access-history-professionals-fr');

    await page.getByLabel('Afficher les accès').selectOption({ label: 'Du support Carnet' });
    await expect.poll(() => page.getByRole('status').textContent()).toBe('Aucun accès de ce type n’est enregistré.');
    expect(await rows().count()).toBe(0);
    await page.getByLabel('Afficher les accès').selectOption({ label: 'De tout le monde' });
    await expect.poll(() => rows().count()).toBe(20);
  });

  it('reads on a phone-sized screen', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await expect.poll(() => rows().count()).toBe(20);
    await expectAccessible(page, 'access-history-mobile-fr');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('shows the history in English', async () => {
    await page.getByRole('button', { name: 'English' }).first().click();
    await expect.poll(() => heading(page)).toBe('Access history');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    const texts = await rowTexts();
    expect(texts[0]).toContain('You');
    expect(texts[0]).toContain('Viewed the access history');
    const reads = texts.filter((text) => text.includes('Dr Claire Bernard') && text.includes('Viewed your identity'));
    expect(reads[0]).toContain('Care');
    expect(reads[0]).toContain('Allowed');
    expect(texts.some((text) => text.includes('Dr Claire Bernard') && text.includes('Refused'))).toBe(true);
    expect(await page.locator('main tbody time').first().innerText()).toMatch(/^\d{1,2} [A-Z][a-z]+ \d{4}\n\d{2}:\d{2}$/);
    await expectAccessible(page, 'access-history-en');
    await page.getByRole('button', { name: 'Français' }).first().click();
    await expect.poll(() => heading(page)).toBe('Historique des accès');
  });
});
