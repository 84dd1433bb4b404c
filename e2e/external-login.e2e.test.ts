import { Secret, TOTP } from 'otpauth';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../packages/server/test/carnet-process.ts';
import { type OidcTestProvider, startOidcTestProvider } from '../packages/server/test/oidc-test-provider.ts';
import { type Browser, expectAccessible, launchBrowser } from './browser.ts';
import { type E2eCarnet, startE2eCarnet } from './carnet.ts';

let idp: OidcTestProvider;
let carnet: E2eCarnet;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  // Carnet's port is chosen first: the provider must know its redirect URI, Carnet its issuer.
  const port = await freePort();
  idp = await startOidcTestProvider({ redirectUris: [`http://127.0.0.1:${port}/api/auth/oidc/patient/callback`] });
  carnet = await startE2eCarnet(
    {
      CARNET_OIDC_PATIENT_ISSUER: idp.issuer,
      CARNET_OIDC_PATIENT_CLIENT_ID: idp.clientId,
      CARNET_OIDC_PATIENT_CLIENT_SECRET: idp.clientSecret,
    },
    port,
  );
  browser = await launchBrowser();
  page = await browser.context.newPage();
});
afterAll(async () => {
  await browser?.close();
  await carnet?.close();
  await idp?.close();
});

const heading = () => page.locator('main h1').textContent();
const franceConnect = () => page.getByRole('link', { name: /S’identifier avec\s*FranceConnect/ });

describe('external login with a FranceConnect-style identity provider, in the browser', () => {
  it('links a patient’s identity from her account, after a local login', async () => {
    await page.goto(`${carnet.url}/connexion`);
    await page.getByLabel('Adresse e-mail').fill('lucas.martin@demo.carnet.test');
    await page.getByLabel('Mot de passe', { exact: true }).fill('carnet-demo-2026');
    await page.getByRole('button', { name: 'Se connecter', exact: true }).click();
    await page.getByRole('button', { name: 'Utiliser une application' }).click();
    const secret = (await page.getByTestId('totp-secret').textContent())!.replace(/\s+/g, '');
    const code = TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: Date.now() });
    await page.getByLabel('Code de votre application d’authentification').fill(code);
    await page.getByRole('button', { name: 'Activer et me connecter' }).click();
    await expect.poll(heading).toBe('Bienvenue sur Carnet');

    await page.goto(`${carnet.url}/compte`);
    idp.next = { subject: 'fc-lucas-martin', acr: 'eidas2', email: 'lucas.martin@demo.carnet.test' };
    await page.getByRole('button', { name: 'Relier mon compte FranceConnect' }).click();
    await expect.poll(() => page.getByText('Votre identité numérique est reliée à votre compte.').count()).toBe(1);
    expect(new URL(page.url()).pathname).toBe('/compte');
    await expectAccessible(page, 'account-identity-linked-fr');
    await page.getByRole('button', { name: 'Se déconnecter' }).first().click();
    await expect.poll(heading).toBe('Connexion à votre espace santé');
  });

  it('logs her in with the provider’s button: authorization code, PKCE, state, nonce, acr', async () => {
    await expect.poll(() => franceConnect().count()).toBe(1);
    await expectAccessible(page, 'login-patient-franceconnect-fr');
    await franceConnect().click();
    await expect.poll(heading).toBe('Bienvenue sur Carnet');
    const asked = idp.authorizationRequests.at(-1)!;
    expect(asked.get('code_challenge_method')).toBe('S256');
    expect(asked.get('acr_values')).toBe('eidas2');
    await page.goto(`${carnet.url}/compte`);
    await expect.poll(() => page.getByText('Lucas Martin').count()).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Se déconnecter' }).first().click();
  });

  it('refuses an identity linked to no account, with a message saying what to do', async () => {
    idp.next = { subject: 'fc-nobody', acr: 'eidas2', email: 'lucas.martin@demo.carnet.test' };
    await page.goto(`${carnet.url}/connexion`);
    await franceConnect().click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('n’est reliée à aucun compte Carnet');
    expect(new URL(page.url()).pathname).toBe('/connexion');
    await expectAccessible(page, 'login-oidc-unlinked-fr');
  });

  it('refuses a login at a weaker level than required', async () => {
    idp.next = { subject: 'fc-lucas-martin', acr: 'eidas1' };
    await page.goto(`${carnet.url}/connexion`);
    await franceConnect().click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('niveau exigé');
  });
});
