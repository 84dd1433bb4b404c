import { readFile } from 'node:fs/promises';
import { importJWK, type JWK } from 'jose';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS, DEMO_PATIENTS, DEMO_PROFESSIONALS } from '../packages/server/src/demo/demo.data.ts';
import { buildCdaN3 } from '../packages/server/src/document-content/fixtures/cda-builder.ts';
import { buildPdf } from '../packages/server/src/document-content/fixtures/pdf-builder.ts';
import { buildProvideBundle } from '../packages/server/src/mhd/provide-bundle.fixture.ts';
import { requestSoftwareToken } from '../packages/server/src/oauth/client-assertion.ts';
import { type SmtpSink, startSmtpSink } from '../packages/server/test/smtp-sink.ts';
import { type Browser, expectAccessible, launchBrowser } from './browser.ts';
import { type E2eCarnet, startE2eCarnet } from './carnet.ts';
import { CAMILLE, enrolTotp, heading, submitPassword } from './login-helpers.ts';

/**
 * The issue's journey, end to end: a professional's software files a PDF and a CDA document for
 * Camille through IHE MHD; Camille finds and opens them in the browser and masks one; a nurse no
 * longer finds it, her treating doctor still does; she sees both accesses and got the e-mails.
 */
const camille = DEMO_PATIENTS.find((p) => p.first_names === 'CAMILLE ANNE')!;
const camilleEmail = DEMO_ACCOUNTS.find((a) => a.patient_id === camille.patient_id)!.email;
const claire = DEMO_PROFESSIONALS.find((p) => p.family_name === 'BERNARD')!;
const thomas = DEMO_PROFESSIONALS.find((p) => p.family_name === 'MOREAU')!;
const SCOPES = 'system/Patient.rs system/DocumentReference.cruds system/Binary.cr system/List.crs';
const PDF_TITLE = 'Compte rendu de consultation de cardiologie';
const CDA_TITLE = 'Compte rendu de consultation structuré';

let carnet: E2eCarnet;
let sink: SmtpSink;
let browser: Browser;
let page: Page;
let claireToken: string;
let thomasToken: string;

beforeAll(async () => {
  sink = await startSmtpSink();
  carnet = await startE2eCarnet({ SMTP_RELAY_URL: sink.url });
  browser = await launchBrowser();
  page = await browser.context.newPage();
  claireToken = await softwareToken(claire.rpps);
  thomasToken = await softwareToken(thomas.rpps);
});
afterAll(async () => {
  await browser?.close();
  await carnet?.close();
  await sink?.close();
});

/** A token of the demo software client acting for `rpps`, as docs/interop.md obtains one. */
async function softwareToken(rpps: string): Promise<string> {
  const demo = JSON.parse(await readFile(new URL('../packages/server/src/demo/demo-software-client.key.json', import.meta.url), 'utf8')) as {
    clientId: string;
    privateJwk: JWK & { kid: string; alg: string };
  };
  const key = { clientId: demo.clientId, kid: demo.privateJwk.kid, alg: demo.privateJwk.alg, key: await importJWK(demo.privateJwk, demo.privateJwk.alg) };
  return requestSoftwareToken(carnet.url, key, { practitioner: rpps, scope: SCOPES });
}

const fhir = (token: string, path: string, init: RequestInit = {}) =>
  fetch(`${carnet.url}/fhir/R4/${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, accept: 'application/fhir+json', ...(init.headers ?? {}) },
  });

/** ITI-67 as the professional of `token`: the titles of Camille's current documents they may see. */
async function titlesFoundBy(token: string): Promise<string[]> {
  const res = await fhir(token, `DocumentReference?patient.identifier=urn:oid:${camille.ins_oid}|${camille.ins_matricule}&status=current&_count=100`);
  expect(res.status).toBe(200);
  const bundle = (await res.json()) as { entry?: { resource: { content: { attachment: { title: string } }[] } }[] };
  return (bundle.entry ?? []).map((e) => e.resource.content[0]!.attachment.title);
}

describe('the shared medical record, end to end', () => {
  it('files a PDF and a CDA document through ITI-65 from the software of Dr Bernard', async () => {
    const cda = buildCdaN3({
      title: CDA_TITLE,
      patient: { insOid: camille.ins_oid, matricule: camille.ins_matricule },
      author: { rpps: claire.rpps, familyName: claire.family_name, givenName: claire.given_name },
    });
    const uniqueId = /<id root="([^"]+)"(?: extension="([^"]+)")?\/>/.exec(cda)!;
    const bundle = buildProvideBundle({
      ins: { oid: camille.ins_oid, matricule: camille.ins_matricule },
      author: { rpps: claire.rpps, given: claire.given_name, family: claire.family_name },
      documents: [
        { bytes: buildPdf([PDF_TITLE, 'Examen cardiovasculaire normal.']), title: PDF_TITLE },
        {
          bytes: Buffer.from(cda),
          contentType: 'text/xml',
          title: CDA_TITLE,
          masterIdentifier: `urn:oid:${uniqueId[1]}${uniqueId[2] === undefined ? '' : `^${uniqueId[2]}`}`,
          formatCode: 'urn:asipSante:modelesHorsProfils:2011',
        },
      ],
    });
    const res = await fhir(claireToken, '', { method: 'POST', body: JSON.stringify(bundle), headers: { 'content-type': 'application/fhir+json' } });
    expect(res.status, await res.clone().text()).toBe(200);
    const response = (await res.json()) as { entry: { response: { status: string } }[] };
    expect(response.entry.every((e) => e.response.status.startsWith('201'))).toBe(true);
    // The new documents are announced to Camille, without a word of what they are.
    const mail = await sink.next(camilleEmail, 30_000);
    expect(mail.text).not.toContain('cardiologie');
    expect(mail.text).not.toContain('BERNARD');
  });

  it('shows Camille both documents in their category; she opens them and masks the PDF', async () => {
    // She goes to her documents, is asked to log in, and comes back to them.
    await page.goto(`${carnet.url}/documents`);
    await page.getByRole('main').getByRole('link', { name: 'Se connecter' }).click();
    await submitPassword(page, CAMILLE);
    await enrolTotp(page);
    await expect.poll(() => heading(page)).toBe('Documents');
    expect(new URL(page.url()).pathname).toBe('/documents');
    await page.getByRole('navigation', { name: 'Trier mes documents' }).getByRole('link', { name: /^Comptes rendus \(\d+\)$/ }).click();
    await expect.poll(() => page.getByRole('link', { name: new RegExp(PDF_TITLE) }).count()).toBe(1);
    await expect.poll(() => page.getByRole('link', { name: new RegExp(CDA_TITLE) }).count()).toBe(1);
    await expectAccessible(page, 'shared-record-list-fr');

    await page.getByRole('link', { name: new RegExp(CDA_TITLE) }).click();
    await expect.poll(() => heading(page)).toBe(CDA_TITLE);
    // The CDA narrative, rendered by the server's whitelist, in a frame without scripts.
    const narrative = page.frameLocator('iframe').first();
    await expect.poll(() => narrative.locator('body').textContent(), { timeout: 15_000 }).toMatch(/\S/);
    await expectAccessible(page, 'shared-record-cda-fr');

    await page.goBack();
    await page.getByRole('link', { name: new RegExp(PDF_TITLE) }).click();
    await expect.poll(() => heading(page)).toBe(PDF_TITLE);
    const toggle = page.getByRole('checkbox', { name: 'Masquer ce document aux professionnels de santé' });
    expect(await toggle.isChecked()).toBe(false);
    // The DSFR switch draws its own control over the checkbox: click its label, as a person does.
    await page.getByText('Masquer ce document aux professionnels de santé').click();
    await expect.poll(() => toggle.isChecked()).toBe(true);
    await expect.poll(() => page.getByText('Le document est maintenant masqué aux professionnels de santé.').count()).toBe(1);
    await expectAccessible(page, 'shared-record-masked-fr');
  });

  it('hides the masked PDF from a nurse with consent, not from the treating doctor', async () => {
    for (const token of [claireToken, thomasToken]) {
      const res = await fetch(`${carnet.url}/api/professional/patients/${camille.patient_id}/consent`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.status, await res.clone().text()).toBe(201);
    }
    const nurse = await titlesFoundBy(thomasToken);
    expect(nurse).toContain(CDA_TITLE);
    expect(nurse).not.toContain(PDF_TITLE);
    const doctor = await titlesFoundBy(claireToken);
    expect(doctor).toEqual(expect.arrayContaining([CDA_TITLE, PDF_TITLE]));
  });

  it('shows Camille both professionals’ accesses in her history, and e-mailed her about them', async () => {
    await page.goto(`${carnet.url}/parametres/historique`);
    await expect.poll(() => heading(page)).toBe('Historique des accès');
    const history = page.locator('main tbody');
    await expect.poll(() => history.textContent()).toContain('Dr Claire Bernard');
    await expect.poll(() => history.textContent()).toContain('Thomas Moreau');
    await expectAccessible(page, 'shared-record-history-fr');
    await expect
      .poll(() => sink.received.filter((m) => m.to.includes(camilleEmail) && /a accédé à votre espace/.test(m.subject)).length, { timeout: 30_000 })
      .toBeGreaterThanOrEqual(2);
  });
});
