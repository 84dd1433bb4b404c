import { luhnCheckDigit } from '@carnet/shared';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { declareConsent, openEmergencyAccess } from '../packages/server/src/care-team/professional-access.service.ts';
import { DEMO_ACCOUNTS, DEMO_PATIENTS, DEMO_PROFESSIONALS } from '../packages/server/src/demo/demo.data.ts';
import type { ProfessionalActor } from '../packages/server/src/policy/actor.ts';
import { type Browser, expectAccessible, launchBrowser, screenshot } from './browser.ts';
import { type E2eCarnet, startE2eCarnet } from './carnet.ts';
import { CAMILLE, enrolTotp, heading, submitPassword } from './login-helpers.ts';

const CAMILLE_ID = DEMO_PATIENTS.find((p) => p.first_names === 'CAMILLE ANNE')!.patient_id;
const BERNARD = DEMO_PROFESSIONALS.find((p) => p.family_name === 'BERNARD')!;
const ROUX = DEMO_PROFESSIONALS.find((p) => p.family_name === 'ROUX')!;
const MOREAU = DEMO_PROFESSIONALS.find((p) => p.family_name === 'MOREAU')!;
/** A number with a valid key that no one in the directory holds. */
const UNKNOWN_RPPS = `1000999999${luhnCheckDigit('1000999999')}`;
/** The space's professionals from the start: the treating doctor, and the nurse who broke the glass. */
const FROM_THE_START = [BERNARD.rpps, MOREAU.rpps];

let carnet: E2eCarnet;
let browser: Browser;
let page: Page;

/** A demo professional acting through their own web session. */
function professional(p: (typeof DEMO_PROFESSIONALS)[number]): ProfessionalActor {
  return {
    kind: 'professional',
    accountId: DEMO_ACCOUNTS.find((a) => a.professional_id === p.professional_id)!.account_id,
    professionalId: p.professional_id,
    rpps: p.rpps,
    professionCode: p.profession_code,
    specialtyCode: p.specialty_code,
    organizationId: p.organization_id,
  };
}

beforeAll(async () => {
  carnet = await startE2eCarnet();
  // What professionals declare, through the same services as their routes: Dr Bernard that
  // Camille consents, the nurse Thomas Moreau an emergency access.
  const { deps } = carnet.carnet;
  await declareConsent({ db: deps.db, actor: professional(BERNARD), clock: deps.clock }, CAMILLE_ID);
  await openEmergencyAccess(
    { db: deps.db, actor: professional(MOREAU), clock: deps.clock },
    CAMILLE_ID,
    { mode: 'break-the-glass', reason: 'Patiente inconsciente aux urgences' },
    deps.config.emergencyAccessMinutes,
  );
  browser = await launchBrowser();
  page = await browser.context.newPage();
});
afterAll(async () => {
  await browser?.close();
  await carnet?.close();
});

const main = () => page.getByRole('main');
const card = (name: string) => main().getByRole('article', { name });
const status = () => main().locator('p[role="status"]');
const dialog = () => page.getByRole('dialog');
const rppsField = () => main().getByRole('textbox', { name: /^Numéro RPPS/ });
const rppsError = () => main().locator('.fr-input-group--error .fr-message--error');

/** What the server holds, read as the page's own session does. */
const careTeam = () =>
  page.evaluate(async (id) => {
    const response = await fetch(`/api/patients/${id}/professionals`);
    return ((await response.json()) as { professionals: { rpps: string; blocked: boolean; roles: string[]; consentDeclaredAt: string | null }[] }).professionals;
  }, CAMILLE_ID);

async function submitRpps(rpps: string, choice: string) {
  await rppsField().fill(rpps);
  // As a user does: a click on the label (the DSFR label covers the radio button).
  await main().locator('label', { hasText: choice }).click();
  await main().getByRole('button', { name: 'Valider' }).click();
}

describe('the patient’s controls over professionals, in the browser', () => {
  it('brings Camille to “Mes professionnels de santé” after she logs in, with Dr Bernard as her treating doctor', async () => {
    await page.goto(`${carnet.url}/parametres/professionnels`);
    await expect.poll(() => heading(page)).toBe('Mes professionnels de santé');
    await main().getByRole('link', { name: 'Se connecter' }).click();
    await submitPassword(page, CAMILLE);
    await enrolTotp(page);
    await expect.poll(() => heading(page)).toBe('Mes professionnels de santé');
    expect(new URL(page.url()).pathname).toBe('/parametres/professionnels');

    const bernard = card('Dr Claire BERNARD');
    await bernard.waitFor();
    expect(await bernard.textContent()).toContain('Médecin traitant');
    expect(await bernard.textContent()).toContain('Profession\u00a0: Médecin');
    expect(await bernard.textContent()).toContain('Numéro RPPS\u00a0: 10001234565');
    expect(await bernard.textContent()).toMatch(/Consentement\u00a0: déclaré le \d{1,2} [a-zéû]+ \d{4}/);
    const moreau = await card('Thomas MOREAU').textContent();
    expect(moreau).toContain('Profession\u00a0: Infirmier');
    expect(moreau).toMatch(/Dernier accès en urgence\u00a0: bris de glace, le \d{1,2} [a-zéû]+ \d{4}/);
    expect(moreau).toContain('Consentement\u00a0: non déclaré');
    const roles = bernard.getByRole('group', { name: 'Rôles de Dr Claire BERNARD' });
    expect(await roles.getByLabel('Médecin traitant').isChecked()).toBe(true);
    expect(await roles.getByLabel('Administrateur').isChecked()).toBe(false);
    // The roles reserved to another profession are not offered for a doctor.
    expect(await roles.getByLabel('Pharmacien correspondant').count()).toBe(0);
    // The guide says what each role sees before the patient gives one.
    expect(await main().getByText(/Il voit tous vos documents, y compris ceux qui sont masqués/).count()).toBeGreaterThan(0);
    await expectAccessible(page, 'care-team-fr');

    // Escape closes the confirmation without blocking, and gives focus back to the button.
    await bernard.getByRole('button', { name: 'Bloquer Dr Claire BERNARD' }).click();
    await dialog().waitFor();
    expect(await dialog().getByRole('heading').textContent()).toBe('Bloquer Dr Claire BERNARD ?');
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog().isVisible()).toBe(false);
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.textContent))
      .toBe('Bloquer Dr Claire BERNARD');
    expect((await careTeam()).find((m) => m.rpps === BERNARD.rpps)).toMatchObject({ blocked: false });
  });

  it('checks the RPPS number before sending it, and says in French when the directory does not know it', async () => {
    await submitRpps('12345', 'Bloquer ce professionnel');
    await expect.poll(() => rppsError().textContent()).toBe('Un numéro RPPS compte exactement 11 chiffres.');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('inputmode'))).toBe('numeric');

    await submitRpps(`${ROUX.rpps.slice(0, 10)}${(Number(ROUX.rpps.at(-1)) + 1) % 10}`, 'Bloquer ce professionnel');
    await expect.poll(() => rppsError().textContent()).toBe('Ce numéro RPPS n’est pas valide : vérifiez chaque chiffre.');
    expect(await dialog().isVisible()).toBe(false);

    await submitRpps(UNKNOWN_RPPS, 'Le déclarer comme administrateur de mon espace');
    await expect.poll(() => rppsError().textContent()).toBe(
      'Aucun professionnel n’a ce numéro RPPS dans l’annuaire. Vérifiez le numéro sur sa carte ou son ordonnance.',
    );
    await screenshot(page, 'care-team-rpps-unknown-fr');

    // The server refuses a pharmacist as treating doctor; the page says why.
    await submitRpps(ROUX.rpps, 'Le déclarer comme médecin traitant');
    await expect.poll(() => rppsError().textContent()).toBe(
      'Seul un médecin peut être votre médecin traitant : ce numéro RPPS est celui d’un autre professionnel.',
    );
    expect((await careTeam()).map((m) => m.rpps)).toEqual(FROM_THE_START);
  });

  it('blocks the pharmacist Sophie Roux by her RPPS number, after a confirmation that says what it means', async () => {
    await submitRpps(ROUX.rpps, 'Bloquer ce professionnel');
    await dialog().waitFor();
    expect(await dialog().getByRole('heading').textContent()).toBe('Bloquer le professionnel de numéro RPPS 10003456786 ?');
    expect(await dialog().textContent()).toContain('ne pourra plus consulter aucun document de votre espace, même en urgence');
    await expectAccessible(page, 'care-team-block-confirm-fr');

    // "Annuler" changes nothing.
    await dialog().getByRole('button', { name: 'Annuler' }).click();
    await expect.poll(() => dialog().isVisible()).toBe(false);
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Valider');
    expect((await careTeam()).map((m) => m.rpps)).toEqual(FROM_THE_START);

    await main().getByRole('button', { name: 'Valider' }).click();
    await dialog().getByRole('button', { name: 'Bloquer', exact: true }).click();
    await expect.poll(() => status().textContent()).toBe('Accès bloqué pour Sophie ROUX.');
    const roux = card('Sophie ROUX');
    expect(await roux.textContent()).toContain('Accès bloqué');
    expect(await roux.textContent()).toContain('ne peut consulter aucun de vos documents, même en urgence');
    expect(await rppsField().inputValue()).toBe('');
    expect((await careTeam()).find((m) => m.rpps === ROUX.rpps)).toMatchObject({ blocked: true, roles: [] });
    await expectAccessible(page, 'care-team-blocked-fr');
  });

  it('keeps her blocked after a reload, then unblocks her', async () => {
    await page.reload();
    await card('Sophie ROUX').waitFor();
    expect(await card('Sophie ROUX').textContent()).toContain('Accès bloqué');
    await card('Sophie ROUX').getByRole('button', { name: 'Débloquer Sophie ROUX' }).click();
    await expect.poll(() => status().textContent()).toBe('Accès débloqué pour Sophie ROUX.');
    // With no relationship left she leaves the list; focus lands on its heading.
    expect(await card('Sophie ROUX').count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Professionnels en lien avec votre espace');
    expect((await careTeam()).map((m) => m.rpps)).toEqual(FROM_THE_START);
  });

  it('names the nurse an administrator by his RPPS number, and takes the role back', async () => {
    await submitRpps(MOREAU.rpps, 'Le déclarer comme administrateur de mon espace');
    await expect.poll(() => status().textContent()).toBe('Rôle « Administrateur » déclaré pour Thomas MOREAU.');
    const roles = card('Thomas MOREAU').getByRole('group', { name: 'Rôles de Thomas MOREAU' });
    expect(await roles.getByLabel('Administrateur').isChecked()).toBe(true);
    // A nurse cannot be treating doctor, so the choice is not offered to him.
    expect(await roles.getByLabel('Médecin traitant').count()).toBe(0);
    await roles.locator('label', { hasText: 'Administrateur' }).click();
    await expect.poll(() => status().textContent()).toBe('Rôle « Administrateur » retiré à Thomas MOREAU.');
    expect((await careTeam()).map((m) => m.rpps)).toEqual(FROM_THE_START);
  });

  it('withdraws the consent Dr Bernard declared, after a confirmation', async () => {
    const bernard = card('Dr Claire BERNARD');
    await bernard.getByRole('button', { name: 'Retirer le consentement Dr Claire BERNARD' }).click();
    await dialog().waitFor();
    expect(await dialog().getByRole('heading').textContent()).toBe('Retirer le consentement déclaré par Dr Claire BERNARD ?');
    expect(await dialog().textContent()).toContain('ne pourra plus consulter vos documents, sauf en urgence');
    await dialog().getByRole('button', { name: 'Retirer le consentement', exact: true }).click();
    await expect.poll(() => status().textContent()).toBe('Le consentement déclaré par Dr Claire BERNARD est retiré.');
    expect(await bernard.textContent()).toContain('Consentement\u00a0: non déclaré');
    expect(await bernard.getByRole('button', { name: /Retirer le consentement/ }).count()).toBe(0);
    // Her button gone, focus lands on the list's heading rather than at the top of the page.
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.textContent))
      .toBe('Professionnels en lien avec votre espace');
    expect((await careTeam()).find((m) => m.rpps === BERNARD.rpps)).toMatchObject({ consentDeclaredAt: null, roles: ['MEDECIN_TRAITANT'] });
  });

  it('links the settings page to both pages and to the access history', async () => {
    await page.goto(`${carnet.url}/parametres`);
    await expect.poll(() => heading(page)).toBe('Paramètres');
    // The links come once the session is known.
    await main().getByRole('link', { name: 'Mes professionnels de santé' }).waitFor();
    for (const name of ['Historique des accès', 'Mes professionnels de santé', 'Accès en cas d’urgence']) {
      expect(await main().getByRole('link', { name }).count()).toBe(1);
    }
    await expectAccessible(page, 'settings-with-care-team-fr');
    await main().getByRole('link', { name: 'Accès en cas d’urgence' }).click();
    await expect.poll(() => heading(page)).toBe('Accès en cas d’urgence');
  });

  it('switches off break-the-glass and finds the choice saved after a reload', async () => {
    const samu = () => main().getByLabel('Autoriser le médecin régulateur du SAMU (centre 15) à consulter mon espace');
    const glass = () => main().getByLabel(/Autoriser les autres professionnels à consulter mon espace en urgence/);
    const masked = () => main().getByLabel('Montrer mes documents masqués en cas d’urgence');
    await glass().waitFor({ state: 'attached' });
    expect([await samu().isChecked(), await glass().isChecked(), await masked().isChecked()]).toEqual([true, true, false]);
    await expectAccessible(page, 'emergency-access-fr');

    // As a user does: a click on the switch's label (the DSFR label covers the input).
    await main().locator('label', { hasText: 'Autoriser les autres professionnels' }).click();
    await expect.poll(() => status().textContent()).toBe('Votre choix est enregistré.');
    await page.reload();
    await glass().waitFor({ state: 'attached' });
    expect([await samu().isChecked(), await glass().isChecked(), await masked().isChecked()]).toEqual([true, false, false]);
    const saved = await page.evaluate(async (id) => (await fetch(`/api/patients/${id}/emergency-access`)).json(), CAMILLE_ID);
    expect(saved).toEqual({ samuRegulation: 'permit', breakTheGlass: 'deny', maskedInEmergency: 'deny' });
    await expectAccessible(page, 'emergency-access-saved-fr');
  });

  it('shows both pages in English and on a phone-sized screen', async () => {
    await page.getByRole('button', { name: 'English' }).first().click();
    await expect.poll(() => heading(page)).toBe('Access in an emergency');
    await expectAccessible(page, 'emergency-access-en');
    await page.goto(`${carnet.url}/parametres/professionnels`);
    await expect.poll(() => heading(page)).toBe('My health professionals');
    await card('Dr Claire BERNARD').waitFor();
    expect(await card('Dr Claire BERNARD').textContent()).toContain('Treating doctor');
    await expectAccessible(page, 'care-team-en');
    await page.getByRole('button', { name: 'Français' }).first().click();
    await expect.poll(() => heading(page)).toBe('Mes professionnels de santé');
    await page.setViewportSize({ width: 390, height: 844 });
    await expectAccessible(page, 'care-team-mobile-fr');
    await page.setViewportSize({ width: 1280, height: 900 });
  });
});
