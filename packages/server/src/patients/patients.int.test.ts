import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browserish, createTestAccount, headersOf, loginFully, type TestAccount } from '../../test/identity.ts';
import { startTestApp, type TestApp } from '../../test/test-app.ts';
import { listAuditEntries } from '../audit/audit.service.ts';

let t: TestApp;
let holder: TestAccount;
let other: TestAccount;
let patient: Browserish;
let professional: Browserish;
let operator: Browserish;
let ins: string;

beforeAll(async () => {
  t = await startTestApp();
  holder = await createTestAccount(t, { kind: 'patient' });
  other = await createTestAccount(t, { kind: 'patient' });
  patient = await loginFully(t, holder);
  professional = await loginFully(t, await createTestAccount(t, { kind: 'professional' }));
  operator = await loginFully(t, await createTestAccount(t, { kind: 'operator' }));
  ({ ins_matricule: ins } = await t.deps.db
    .selectFrom('patient')
    .select('ins_matricule')
    .where('patient_id', '=', holder.patientId!)
    .executeTakeFirstOrThrow());
  await t.deps.db.insertInto('patient_ins').values({ ins_matricule: ins, patient_id: holder.patientId! }).execute();
});
afterAll(() => t.close());

const get = (url: string, as?: Browserish) => t.app.inject({ url, headers: as === undefined ? {} : headersOf(as) });
const chain = (patientId: string) => listAuditEntries(t.deps.db, patientId, { limit: 100 });

describe('GET /api/patients/:patientId', () => {
  it("gives the holder the identity on their INS, whatever the case of the id, and never lets it be cached", async () => {
    const res = await get(`/api/patients/${holder.patientId!.toUpperCase()}`, patient);
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.json()).toEqual({
      id: holder.patientId,
      ins: { matricule: ins, oid: '1.2.250.1.213.1.4.10' },
      birthFamilyName: 'ESSAI',
      firstNames: 'ALIX',
      birthDate: '1990-01-01',
      sex: 'F',
      birthplaceCode: '75056',
    });
  });

  it('answers a space that does not exist as one the caller may not see, and starts no audit chain for it', async () => {
    const unknown = '3f2b8c1e-9d4a-4c6b-8e2f-1a2b3c4d5e6f';
    const res = await get(`/api/patients/${unknown}`, professional);
    expect(res.statusCode).toBe(404);
    expect(res.json().detail).toBe((await get(`/api/patients/${other.patientId}`, patient)).json().detail);
    expect(await chain(unknown)).toEqual([]);
  });

  it('refuses an id that is not a UUID with 400, and anyone not logged in with 401', async () => {
    expect((await get('/api/patients/12', patient)).statusCode).toBe(400);
    const anonymous = await get(`/api/patients/${holder.patientId}`);
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().code).toBe('not_authenticated');
  });
});

describe('FHIR Patient', () => {
  it('reads the holder as a FHIR R4 Patient with the INS as official identifier', async () => {
    const res = await get(`/fhir/R4/Patient/${holder.patientId}`, patient);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/fhir+json; charset=utf-8');
    expect(res.json()).toMatchObject({
      resourceType: 'Patient',
      id: holder.patientId,
      identifier: [{ use: 'official', system: 'urn:oid:1.2.250.1.213.1.4.10', value: ins, type: { coding: [{ code: 'INS-NIR-TEST' }] } }],
      name: [{ use: 'official', family: 'ESSAI', given: ['ALIX'] }],
      gender: 'female',
      birthDate: '1990-01-01',
    });
  });

  it('answers an id that is not Carnet’s with an OperationOutcome 404, and anonymous callers with 401', async () => {
    const res = await get('/fhir/R4/Patient/not-a-uuid', patient);
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'not-found' }] });
    const anonymous = await get(`/fhir/R4/Patient/${holder.patientId}`);
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json()).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'login' }] });
  });

  it("finds the patient by INS for a professional's software, and records the look-up in the patient's history", async () => {
    const res = await get(`/fhir/R4/Patient?identifier=${encodeURIComponent(`urn:oid:1.2.250.1.213.1.4.10|${ins}`)}`, professional);
    expect(res.statusCode).toBe(200);
    const bundle = res.json();
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total: 1 });
    expect(bundle.entry[0]).toMatchObject({
      fullUrl: `${t.deps.config.baseUrl}/fhir/R4/Patient/${holder.patientId}`,
      resource: { id: holder.patientId },
      search: { mode: 'match' },
    });
    const [latest] = await chain(holder.patientId!);
    expect(latest).toMatchObject({ actorType: 'professional', action: 'patient.read', outcome: 'permit', purpose: 'care' });
  });

  it('finds nothing, without telling why, for another OID, an unknown INS, another patient or an operator', async () => {
    const search = async (identifier: string, as: Browserish) => {
      const res = await get(`/fhir/R4/Patient?identifier=${encodeURIComponent(identifier)}`, as);
      expect(res.statusCode).toBe(200);
      return res.json();
    };
    const empty = { resourceType: 'Bundle', type: 'searchset', total: 0, entry: [] };
    expect(await search(`urn:oid:1.2.250.1.213.1.4.8|${ins}`, professional)).toMatchObject(empty);
    expect(await search(`http://example.org/ins|${ins}`, professional)).toMatchObject(empty);
    expect(await search('284037511201238', professional)).toMatchObject(empty);
    expect(await search(ins, operator)).toMatchObject(empty);
    const otherSession = await loginFully(t, other);
    expect(await search(ins, otherSession)).toMatchObject(empty);
    // The refusals are in the holder's history, as attempts to reach their record.
    const refused = (await chain(holder.patientId!)).filter((e) => e.outcome === 'deny').map((e) => e.reason);
    expect(refused).toEqual(expect.arrayContaining(['not-own-record', 'operator-no-health-data']));
  });

  it('refuses an identifier that cannot be an INS with 400 naming the parameter, and unknown parameters', async () => {
    const res = await get('/fhir/R4/Patient?identifier=urn:oid:1.2.250.1.213.1.4.8|12', professional);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'invalid', expression: ['identifier'] }] });
    expect((await get(`/fhir/R4/Patient?identifier=${ins}&name=ESSAI`, professional)).statusCode).toBe(400);
  });

  it('declares Patient read and search by identifier, and AuditEvent search by patient, in its CapabilityStatement', async () => {
    const statement = (await get('/fhir/R4/metadata')).json();
    expect(statement.rest[0].resource).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'Patient', interaction: [{ code: 'read' }, { code: 'search-type' }], searchParam: [expect.objectContaining({ name: 'identifier' })] }),
        expect.objectContaining({ type: 'AuditEvent', interaction: [{ code: 'search-type' }] }),
      ]),
    );
  });
});
