import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, expectAccessible, launchBrowser } from './browser.ts';
import { type E2eCarnet, startE2eCarnet } from './carnet.ts';

let carnet: E2eCarnet;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  carnet = await startE2eCarnet();
  browser = await launchBrowser();
  page = await browser.context.newPage();
});
afterAll(async () => {
  await browser?.close();
  await carnet?.close();
});

const SECTIONS = [
  { fr: 'Documents', en: 'Documents', path: '/documents' },
  { fr: 'Profil médical', en: 'Medical profile', path: '/profil' },
  { fr: 'Messagerie', en: 'Messages', path: '/messagerie' },
  { fr: 'Agenda', en: 'Agenda', path: '/agenda' },
  { fr: 'Catalogue', en: 'Catalogue', path: '/catalogue' },
  { fr: 'Paramètres', en: 'Settings', path: '/parametres' },
];

describe('the patient app in a browser', () => {
  it('opens in French on the home page with the menu of every section', async () => {
    await page.goto(carnet.url);
    await expect.poll(() => page.locator('main h1').textContent()).toBe('Bienvenue sur Carnet');
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');
    expect(await page.title()).toBe('Carnet');
    const menu = page.getByRole('navigation', { name: 'Menu principal' });
    for (const section of SECTIONS) {
      expect(await menu.getByRole('link', { name: section.fr, exact: true }).count()).toBe(1);
    }
    await expectAccessible(page, 'home-fr');
  });

  it('goes to each section from the menu, with its title, heading, URL and a way to log in', async () => {
    for (const section of SECTIONS) {
      await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: section.fr, exact: true }).click();
      await expect.poll(() => page.locator('main h1').textContent()).toBe(section.fr);
      expect(new URL(page.url()).pathname).toBe(section.path);
      expect(await page.title()).toBe(`${section.fr} — Carnet`);
      // Focus moves to the new heading, so a screen reader announces the page.
      expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
      // Nobody is logged in: the section asks to log in, and the login comes back here.
      const logIn = page.getByRole('main').getByRole('link', { name: 'Se connecter' });
      expect(await logIn.getAttribute('href')).toBe(`/connexion?retour=${encodeURIComponent(section.path)}`);
      await expectAccessible(page, `section-${section.path.slice(1)}-fr`);
    }
  });

  it('opens a section directly from its address, as a shared link or a reload would', async () => {
    await page.goto(`${carnet.url}/messagerie`);
    await expect.poll(() => page.locator('main h1').textContent()).toBe('Messagerie');
    await page.reload();
    await expect.poll(() => page.locator('main h1').textContent()).toBe('Messagerie');
  });

  it('switches to English, keeps the choice after a reload, and switches back', async () => {
    await page.goto(`${carnet.url}/profil`);
    await page.getByRole('button', { name: 'English' }).first().click();
    await expect.poll(() => page.locator('main h1').textContent()).toBe('Medical profile');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await page.reload();
    await expect.poll(() => page.locator('main h1').textContent()).toBe('Medical profile');
    await page.goto(carnet.url);
    await expect.poll(() => page.locator('main h1').textContent()).toBe('Welcome to Carnet');
    await expectAccessible(page, 'home-en');
    await page.getByRole('button', { name: 'Français' }).first().click();
    await expect.poll(() => page.locator('main h1').textContent()).toBe('Bienvenue sur Carnet');
  });

  it('shows a page-not-found page for an unknown address, with a way home', async () => {
    await page.goto(`${carnet.url}/nulle-part`);
    await expect.poll(() => page.locator('main h1').textContent()).toBe('Page non trouvée');
    await expectAccessible(page, 'not-found-fr');
    await page.getByRole('link', { name: 'Retour à l’accueil' }).click();
    await expect.poll(() => page.locator('main h1').textContent()).toBe('Bienvenue sur Carnet');
  });

  it('works on a phone-sized screen, with the menu behind a button', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(carnet.url);
    await page.getByRole('button', { name: 'Menu' }).click();
    await page.getByRole('dialog').getByRole('link', { name: 'Agenda', exact: true }).click();
    await expect.poll(() => page.locator('main h1').textContent()).toBe('Agenda');
    await expectAccessible(page, 'agenda-mobile-fr');
    await page.setViewportSize({ width: 1280, height: 900 });
  });
});
