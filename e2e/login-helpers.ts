import { Secret, TOTP } from 'otpauth';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

// The demo accounts of README.md.
export const PASSWORD = 'carnet-demo-2026';
export const CAMILLE = 'camille.durand@demo.carnet.test';
export const CLAIRE = 'claire.bernard@demo.carnet.test';

export const heading = (p: Page) => p.locator('main h1').textContent();

/** What an authenticator app shows for this secret, `offsetMs` from now. */
export const codeFor = (secret: string, offsetMs = 0) =>
  TOTP.generate({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1', timestamp: Date.now() + offsetMs });

/** Fills in the login form on the page with the demo password, and sends it. */
export async function submitPassword(p: Page, email: string) {
  await p.getByLabel('Adresse e-mail').fill(email);
  await p.getByLabel('Mot de passe', { exact: true }).fill(PASSWORD);
  await p.getByRole('button', { name: 'Se connecter', exact: true }).click();
}

export async function logInWithPassword(p: Page, loginUrl: string, email: string) {
  await p.goto(loginUrl);
  await submitPassword(p, email);
}

/**
 * First login of a demo account, after its password: enrols an authenticator app with the key the
 * page shows, and returns that key. `checkpoint` runs on the choice page and on the QR code page.
 */
export async function enrolTotp(p: Page, checkpoint: (step: 'choice' | 'totp') => Promise<void> = async () => {}): Promise<string> {
  await expect.poll(() => heading(p)).toBe('Activez la double authentification');
  await checkpoint('choice');
  await p.getByRole('button', { name: 'Utiliser une application' }).click();
  const secretText = p.getByTestId('totp-secret');
  await secretText.waitFor();
  const secret = (await secretText.textContent())!.replace(/\s+/g, '');
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  expect(await p.getByRole('img', { name: 'QR code à scanner avec votre application d’authentification' }).count()).toBe(1);
  await checkpoint('totp');
  await p.getByLabel('Code de votre application d’authentification').fill(codeFor(secret));
  await p.getByRole('button', { name: 'Activer et me connecter' }).click();
  return secret;
}
