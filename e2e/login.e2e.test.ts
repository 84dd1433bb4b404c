import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, expectAccessible, launchBrowser } from './browser.ts';
import { type E2eCarnet, startE2eCarnet } from './carnet.ts';
import { CAMILLE, CLAIRE, codeFor, enrolTotp, heading, logInWithPassword } from './login-helpers.ts';

let carnet: E2eCarnet;
let browser: Browser;
let phone: Browser;
let page: Page;

beforeAll(async () => {
  carnet = await startE2eCarnet();
  browser = await launchBrowser();
  page = await browser.context.newPage();
});
afterAll(async () => {
  await phone?.close();
  await browser?.close();
  await carnet?.close();
});

describe('logging in through the browser', () => {
  let camilleSecret: string;

  it('shows accessible login pages for patients, professionals and operators', async () => {
    for (const [path, title, shot] of [
      ['/connexion', 'Connexion à votre espace santé', 'login-patient-fr'],
      ['/pro/connexion', 'Connexion des professionnels de santé', 'login-professional-fr'],
      ['/operateur/connexion', 'Connexion des opérateurs', 'login-operator-fr'],
    ] as const) {
      await page.goto(`${carnet.url}${path}`);
      await expect.poll(() => heading(page)).toBe(title);
      await expectAccessible(page, shot);
    }
  });

  it('tells a wrong password without saying whether the account exists', async () => {
    await page.goto(`${carnet.url}/connexion`);
    await page.getByLabel('Adresse e-mail').fill(CAMILLE);
    await page.getByLabel('Mot de passe', { exact: true }).fill('ce n’est pas le bon');
    await page.getByRole('button', { name: 'Se connecter', exact: true }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('L’adresse e-mail ou le mot de passe est incorrect.');
    await expectAccessible(page, 'login-error-fr');
  });

  it('logs a demo patient in with password and a new authenticator app, and lands on her space', async () => {
    await logInWithPassword(page, `${carnet.url}/connexion`, CAMILLE);
    camilleSecret = await enrolTotp(page, (step) => expectAccessible(page, `patient-enrol-${step}-fr`));
    await expect.poll(() => heading(page)).toBe('Bienvenue sur Carnet');
    expect(new URL(page.url()).pathname).toBe('/');
    expect(await page.getByRole('link', { name: 'Mon compte' }).count()).toBeGreaterThan(0);
    // The session is an HttpOnly cookie and the CSRF token lives in memory: neither is readable
    // from page storage (ASVS 5.0 14.3.3), where only display preferences are kept.
    expect(await page.evaluate(() => document.cookie)).toBe('');
    const session = (await browser.context.cookies()).find((c) => c.name === 'carnet_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    const csrfToken = await page.evaluate(async () => ((await (await fetch('/api/me')).json()) as { csrfToken: string }).csrfToken);
    const stored = await page.evaluate(() =>
      JSON.stringify([{ ...localStorage }, { ...sessionStorage }]),
    );
    expect(stored).not.toContain(session!.value);
    expect(stored).not.toContain(csrfToken);
  });

  it('shows her account and its one session', async () => {
    await page.goto(`${carnet.url}/compte`);
    await expect.poll(() => heading(page)).toBe('Mon compte');
    await expect.poll(() => page.locator('tbody tr').count()).toBe(1);
    expect(await page.getByText('Camille Durand').count()).toBeGreaterThan(0);
    expect(await page.locator('tbody tr').first().textContent()).toContain('Cette session');
    await expectAccessible(page, 'account-sessions-fr');
  });

  it('logs her in on a second device with her app, then ends that session from the first', async () => {
    phone = await launchBrowser();
    const phonePage = await phone.context.newPage();
    await logInWithPassword(phonePage, `${carnet.url}/connexion`, CAMILLE);
    await expect.poll(() => heading(phonePage)).toBe('Confirmez votre connexion');
    await expectAccessible(phonePage, 'second-factor-fr');
    // The code of the next 30-second step: the current one was used at enrolment (single use).
    await phonePage.getByLabel('Code de votre application d’authentification').fill(codeFor(camilleSecret, 30_000));
    await phonePage.getByRole('button', { name: 'Confirmer' }).click();
    await expect.poll(() => heading(phonePage)).toBe('Bienvenue sur Carnet');

    await page.goto(`${carnet.url}/compte`);
    await expect.poll(() => page.locator('tbody tr').count()).toBe(2);
    await expectAccessible(page, 'account-two-sessions-fr');
    await page.getByRole('button', { name: /^Mettre fin à la session ouverte le/ }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('La session a été fermée.');
    await expect.poll(() => page.locator('tbody tr').count()).toBe(1);

    await phonePage.goto(`${carnet.url}/compte`);
    await expect.poll(() => phonePage.getByText('Vous n’êtes pas connecté.').count()).toBe(1);
  });

  it('logs her out from the header', async () => {
    await page.getByRole('button', { name: 'Se déconnecter' }).first().click();
    await expect.poll(() => heading(page)).toBe('Connexion à votre espace santé');
    await page.goto(`${carnet.url}/compte`);
    await expect.poll(() => page.getByText('Vous n’êtes pas connecté.').count()).toBe(1);
  });

  it('logs a demo professional in on the professional page, with password and authenticator app', async () => {
    await logInWithPassword(page, `${carnet.url}/pro/connexion`, CLAIRE);
    await enrolTotp(page, (step) => expectAccessible(page, `professional-enrol-${step}-fr`));
    await expect.poll(() => heading(page)).toBe('Mon compte');
    await expect.poll(() => page.getByText('10001234565').count()).toBe(1);
    expect(await page.getByText('Dr Claire Bernard').count()).toBeGreaterThan(0);
    await expect.poll(() => page.locator('tbody tr').count()).toBe(1);
    await expectAccessible(page, 'professional-account-fr');
    await page.getByRole('button', { name: 'Se déconnecter' }).first().click();
  });

  it('asks for a reset link with the same answer for any address', async () => {
    await page.goto(`${carnet.url}/mot-de-passe-oublie?profil=patient`);
    await expect.poll(() => heading(page)).toBe('Mot de passe oublié');
    await expectAccessible(page, 'forgot-password-fr');
    await page.getByLabel('Adresse e-mail').fill('personne@exemple.test');
    await page.getByRole('button', { name: 'Envoyer le lien' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Si un compte utilise cette adresse');
    await page.goto(`${carnet.url}/nouveau-mot-de-passe`);
    await expect.poll(() => heading(page)).toBe('Choisissez un nouveau mot de passe');
    await expectAccessible(page, 'new-password-no-link-fr');
  });

  it('shows the login page in English too', async () => {
    await page.goto(`${carnet.url}/connexion`);
    await page.getByRole('button', { name: 'English' }).first().click();
    await expect.poll(() => heading(page)).toBe('Log in to your health space');
    await expectAccessible(page, 'login-patient-en');
    await page.getByRole('button', { name: 'Français' }).first().click();
  });
});
