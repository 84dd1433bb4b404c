import { createHash } from 'node:crypto';
import type { DocumentReference } from '@medplum/fhirtypes';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentTypeOf, patientCategoryOf } from '../packages/server/src/codes/document-types.ts';
import { DEMO_PATIENTS, DEMO_PROFESSIONALS } from '../packages/server/src/demo/demo.data.ts';
import { buildCdaN3, CONSULTATION_SECTIONS, freshOid } from '../packages/server/src/document-content/fixtures/cda-builder.ts';
import { buildPdf } from '../packages/server/src/document-content/fixtures/pdf-builder.ts';
import { tinyPng } from '../packages/server/src/document-content/fixtures/image-builder.ts';
import { fileDocuments, type NewDocument } from '../packages/server/src/documents/document-filing.ts';
import { findResource } from '../packages/server/src/fhir-store/resource-store.service.ts';
import type { ProfessionalActor } from '../packages/server/src/policy/actor.ts';
import { type Browser, expectAccessible, launchBrowser, screenshot } from './browser.ts';
import { type E2eCarnet, startE2eCarnet } from './carnet.ts';
import { CAMILLE, enrolTotp, heading, submitPassword } from './login-helpers.ts';

const CAMILLE_ID = DEMO_PATIENTS.find((p) => p.first_names === 'CAMILLE ANNE')!.patient_id;
const BERNARD = DEMO_PROFESSIONALS.find((p) => p.family_name === 'BERNARD')!;

let carnet: E2eCarnet;
let browser: Browser;
let page: Page;

/** Dr Bernard's hospital software, filing through the same service as the MHD endpoint. */
const hospitalSoftware: ProfessionalActor = {
  kind: 'professional',
  accountId: 'software:logiciel-demo',
  professionalId: BERNARD.professional_id,
  rpps: BERNARD.rpps,
  professionCode: BERNARD.profession_code,
  specialtyCode: BERNARD.specialty_code,
  organizationId: BERNARD.organization_id,
  software: { clientId: 'logiciel-demo', organizationId: BERNARD.organization_id },
};

function professionalDocument(given: { typeCode: string; title: string; bytes: Uint8Array; contentType: string; date: string }): NewDocument {
  const type = documentTypeOf(given.typeCode)!;
  return {
    resource: {
      resourceType: 'DocumentReference',
      type: { coding: [{ system: type.system, code: type.code, display: type.display }] },
      date: given.date,
      description: given.title,
      content: [{ attachment: { contentType: given.contentType, title: given.title } }],
    },
    content: { bytes: given.bytes, contentType: given.contentType, sha1: createHash('sha1').update(given.bytes).digest('base64') },
    masterIdentifier: freshOid(),
    title: given.title,
    type: { ...type, category: patientCategoryOf(type.code, type.classCode)! },
    documentDate: given.date,
    securityLabels: ['N'],
    authorName: 'Dr Claire BERNARD',
    organizationName: 'Centre hospitalier de démonstration',
  };
}

// The demo documents (mhd/demo-documents.ts).
const CONSULTATION_PDF = 'Consultation du 12 janvier 2026';
const PRESCRIPTION_PDF = 'Ordonnance du 12 janvier 2026';
const LAB_CDA = 'Résultats de biologie du 3 février 2026';
const CDA_TITLE = 'Compte rendu de consultation de cardiologie';

beforeAll(async () => {
  carnet = await startE2eCarnet();
  const { deps } = carnet.carnet;
  // The demo seeds three documents of Dr Bernard's software through ITI-65 (a consultation PDF, a
  // prescription PDF, a level 1 CDA of lab results); a structured (level 3) CDA joins them here.
  await fileDocuments(deps, { db: deps.db, actor: hospitalSoftware, clock: deps.clock }, {
    patientId: CAMILLE_ID,
    documents: [
      professionalDocument({
        typeCode: '11488-4',
        title: CDA_TITLE,
        bytes: new TextEncoder().encode(buildCdaN3({ title: CDA_TITLE, sections: CONSULTATION_SECTIONS })),
        contentType: 'text/xml',
        date: '2026-03-10T14:30:00.000Z',
      }),
    ],
  });
  browser = await launchBrowser();
  page = await browser.context.newPage();
});
afterAll(async () => {
  await browser?.close();
  await carnet?.close();
});

const rows = () => page.locator('main tbody tr');
const rowTitles = async () => (await page.locator('main tbody tr td:first-child a').allTextContents()).map((t) => t.replace(/ \(non lu\)$/, ''));
const sideMenu = () => page.getByRole('navigation', { name: 'Trier mes documents' });
const folderMenu = () => page.getByRole('navigation', { name: 'Mes dossiers' });

describe('the patient’s documents, in the browser', () => {
  it('shows Camille, once logged in, the documents her doctor’s software filed, newest first, as new', async () => {
    await page.goto(`${carnet.url}/documents`);
    await page.getByRole('main').getByRole('link', { name: 'Se connecter' }).click();
    await submitPassword(page, CAMILLE);
    await enrolTotp(page);
    await expect.poll(() => heading(page)).toBe('Documents');
    await expect.poll(() => rows().count()).toBe(4);
    expect(await rowTitles()).toEqual([CDA_TITLE, LAB_CDA, PRESCRIPTION_PDF, CONSULTATION_PDF]);
    const first = (await rows().first().textContent())!;
    expect(first).toContain('Nouveau');
    expect(first).toContain('Comptes rendus');
    expect(first).toContain('Dr Claire BERNARD');
    expect(first).toContain('Centre hospitalier de démonstration');
    expect(first).toContain('10 mars 2026');
    for (const name of ['Tous les documents (4)', 'Biologie (1)', 'Comptes rendus (2)', 'Ordonnances et soins (1)', 'Certificats (0)']) {
      expect(await sideMenu().getByRole('link', { name }).count(), name).toBe(1);
    }
    await expectAccessible(page, 'documents-list-fr');
  });

  it('files each document in its category', async () => {
    await sideMenu().getByRole('link', { name: 'Biologie (1)' }).click();
    await expect.poll(() => page.locator('main h2').first().textContent()).toBe('Biologie');
    await expect.poll(() => rowTitles()).toEqual([LAB_CDA]);
    expect(new URL(page.url()).search).toBe('?categorie=BIOLOGIE');
    await sideMenu().getByRole('link', { name: 'Ordonnances et soins (1)' }).click();
    await expect.poll(() => rowTitles()).toEqual([PRESCRIPTION_PDF]);
    await sideMenu().getByRole('link', { name: 'Comptes rendus (2)' }).click();
    await expect.poll(() => rowTitles()).toEqual([CDA_TITLE, CONSULTATION_PDF]);
    await sideMenu().getByRole('link', { name: 'Tous les documents (4)' }).click();
    await expect.poll(() => rows().count()).toBe(4);
  });

  it('opens a PDF in the page, with its metadata and a download link, and it is no longer new', async () => {
    const content = page.waitForResponse((res) => res.url().endsWith('/content'));
    await page.getByRole('link', { name: CONSULTATION_PDF }).click();
    await expect.poll(() => heading(page)).toBe(CONSULTATION_PDF);
    const response = await content;
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toBe('application/pdf');
    expect(await page.locator(`iframe[title="Contenu du document « ${CONSULTATION_PDF} »"]`).count()).toBe(1);
    const metadata = await page.getByRole('region', { name: 'Informations sur le document' }).innerText();
    expect(metadata).toContain('Dr Claire BERNARD');
    expect(metadata).toContain('Centre hospitalier de démonstration');
    expect(metadata).toContain('12 janvier 2026');
    const download = page.getByRole('link', { name: /Télécharger le document/ });
    expect(await download.getAttribute('href')).toMatch(/\/content\?download=1$/);
    await expectAccessible(page, 'document-pdf-fr');
    await page.getByRole('navigation', { name: 'vous êtes ici :' }).getByRole('link', { name: 'Documents' }).click();
    await expect.poll(() => rows().count()).toBe(4);
    expect(await rows().nth(3).getAttribute('data-unread')).toBe('false');
  });

  it('opens the CDA of lab results: the PDF it wraps, in the page', async () => {
    const embedded = page.waitForResponse((res) => res.url().endsWith('/view/embedded'));
    await page.getByRole('link', { name: LAB_CDA }).click();
    await expect.poll(() => heading(page)).toBe(LAB_CDA);
    const response = await embedded;
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toBe('application/pdf');
    const metadata = await page.getByRole('region', { name: 'Informations sur le document' }).innerText();
    expect(metadata).toContain('Biologie');
    expect(metadata).toContain('Document médical structuré (CDA)');
    await expectAccessible(page, 'document-cda-n1-fr');
  });

  it('masks it from professionals, saying who still sees it, and the DocumentReference says so too', async () => {
    const toggle = page.getByRole('checkbox', { name: 'Masquer ce document aux professionnels de santé' });
    expect(await toggle.isChecked()).toBe(false);
    await page.getByText('Masquer ce document aux professionnels de santé').click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Le document est maintenant masqué' }).count()).toBe(1);
    expect(await toggle.isChecked()).toBe(true);
    expect(await page.getByText('Il reste visible par l’auteur, votre médecin traitant et les professionnels administrateurs.').count()).toBe(1);
    const documentId = new URL(page.url()).pathname.split('/').at(-1)!;
    const stored = await findResource<DocumentReference>(carnet.carnet.deps.db, { resourceType: 'DocumentReference', id: documentId, patientId: CAMILLE_ID });
    expect(stored?.resource.securityLabel?.flatMap((l) => l.coding?.map((c) => c.code) ?? [])).toContain('MASQUE_PS');
    await expectAccessible(page, 'document-masked-fr');
    await page.getByRole('navigation', { name: 'vous êtes ici :' }).getByRole('link', { name: 'Documents' }).click();
    await expect.poll(() => rows().nth(1).textContent()).toContain('Masqué aux professionnels');
  });

  it('opens a structured CDA as readable text, in a frame where nothing can run', async () => {
    await page.getByRole('link', { name: CDA_TITLE }).click();
    await expect.poll(() => heading(page)).toBe(CDA_TITLE);
    await page.locator('iframe[sandbox=""]').waitFor();
    const body = page.frameLocator('iframe[sandbox=""]').locator('body');
    await expect.poll(() => body.innerText()).toContain(CONSULTATION_SECTIONS[0]!.title);
    await expectAccessible(page, 'document-cda-fr');
  });

  it('refuses, in French, an image presented as a PDF', async () => {
    await page.getByRole('navigation', { name: 'vous êtes ici :' }).getByRole('link', { name: 'Documents' }).click();
    await page.getByRole('link', { name: 'Ajouter un document' }).click();
    await expect.poll(() => heading(page)).toBe('Ajouter un document');
    await page.locator('input[type="file"]').setInputFiles({ name: 'ordonnance.pdf', mimeType: 'application/pdf', buffer: Buffer.from(tinyPng()) });
    await page.getByLabel('Catégorie').selectOption({ label: 'Ordonnances et soins' });
    await page.getByRole('button', { name: 'Ajouter le document' }).click();
    await expect.poll(() => page.getByRole('alert').innerText()).toContain('Ce fichier n’est pas accepté');
    await expectAccessible(page, 'document-upload-refused-fr');
  });

  it('adds a PDF of her own, with a title and a category', async () => {
    await page.locator('input[type="file"]').setInputFiles({
      name: 'ordonnance-kine.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from(buildPdf(['Ordonnance', 'Dix séances de kinésithérapie'])),
    });
    await page.getByLabel('Titre du document').fill('Ordonnance de kinésithérapie');
    await page.getByRole('button', { name: 'Ajouter le document' }).click();
    await expect.poll(() => heading(page)).toBe('Ordonnance de kinésithérapie');
    const metadata = await page.getByRole('region', { name: 'Informations sur le document' }).innerText();
    expect(metadata).toContain('Ordonnances et soins');
    expect(metadata).toContain('Vous');
    await expectAccessible(page, 'document-own-fr');
  });

  it('creates a folder and files her document in it', async () => {
    await page.getByRole('navigation', { name: 'vous êtes ici :' }).getByRole('link', { name: 'Documents' }).click();
    await expect.poll(() => rows().count()).toBe(5);
    await page.getByRole('button', { name: 'Créer un dossier' }).click();
    await page.getByLabel('Nom du nouveau dossier').fill('Kinésithérapie');
    await page.getByRole('button', { name: 'Créer le dossier' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Le dossier « Kinésithérapie » a été créé.' }).count()).toBe(1);
    await screenshot(page, 'documents-folder-created-fr');
    await expect.poll(() => folderMenu().getByRole('link', { name: 'Kinésithérapie (0)' }).count()).toBe(1);
    await page.getByRole('link', { name: 'Ordonnance de kinésithérapie' }).click();
    await expect.poll(() => heading(page)).toBe('Ordonnance de kinésithérapie');
    await page.getByLabel('Ranger dans un dossier').selectOption({ label: 'Kinésithérapie' });
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Modification enregistrée.' }).count()).toBe(1);
    await page.getByRole('navigation', { name: 'vous êtes ici :' }).getByRole('link', { name: 'Documents' }).click();
    await folderMenu().getByRole('link', { name: 'Kinésithérapie (1)' }).click();
    await expect.poll(() => rowTitles()).toEqual(['Ordonnance de kinésithérapie']);
    await expectAccessible(page, 'documents-folder-fr');
  });

  it('searches her documents in French, by a word of a title whatever its inflection, and of their text', async () => {
    await sideMenu().getByRole('link', { name: /^Tous les documents/ }).click();
    await page.getByRole('searchbox', { name: 'Rechercher dans mes documents' }).fill('ordonnances');
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await expect.poll(() => rowTitles()).toEqual(['Ordonnance de kinésithérapie', PRESCRIPTION_PDF]);
    expect(await page.locator('main h2').first().textContent()).toBe('Résultats pour « ordonnances »');
    await expectAccessible(page, 'documents-search-fr');
    // A word only the PDF's text holds, once the extraction job has read it.
    await page.getByRole('searchbox', { name: 'Rechercher dans mes documents' }).fill('paracétamol');
    await page.getByRole('button', { name: 'Rechercher' }).click();
    // The job runs in the background: wait for it as a user would, reloading (a bound, not a speed claim).
    await expect
      .poll(
        async () => {
          await page.reload();
          await page.getByRole('status').filter({ hasText: /affiché|Aucun/ }).waitFor();
          return rowTitles();
        },
        { timeout: 30_000, interval: 500 },
      )
      .toEqual([PRESCRIPTION_PDF]);
  });

  it('masks every new document by default when she asks for it in the settings', async () => {
    await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Paramètres' }).click();
    await expect.poll(() => heading(page)).toBe('Paramètres');
    const toggle = page.getByRole('checkbox', { name: 'Masquer par défaut les nouveaux documents aux professionnels de santé' });
    await toggle.waitFor({ state: 'attached' });
    expect(await toggle.isChecked()).toBe(false);
    await page.getByText('Masquer par défaut les nouveaux documents aux professionnels de santé').click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Votre choix est enregistré.' }).count()).toBe(1);
    await page.reload();
    await expect.poll(() => toggle.isChecked()).toBe(true);
    await expectAccessible(page, 'settings-mask-by-default-fr');
    await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Documents' }).click();
    await page.getByRole('searchbox', { name: 'Rechercher dans mes documents' }).fill('cardiologie');
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await expect.poll(() => rowTitles()).toEqual([CDA_TITLE]);
  });

  it('reads on a phone-sized screen, and in English', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await expectAccessible(page, 'documents-search-mobile-fr');
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.getByRole('button', { name: 'English' }).first().click();
    await expect.poll(() => page.locator('main h2').first().textContent()).toBe('Results for “cardiologie”');
    await screenshot(page, 'documents-search-en');
    await page.getByRole('button', { name: 'Français' }).first().click();
  });
});
