import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Browserish, createTestAccount, headersOf, loginFully, type TestAccount } from '../../test/identity.ts';
import { startTestApp, type TestApp } from '../../test/test-app.ts';
import { listAuditEntries } from '../audit/audit.service.ts';

let t: TestApp;
let holder: TestAccount;
let session: Browserish;

beforeAll(async () => {
  t = await startTestApp();
  holder = await createTestAccount(t, { kind: 'patient' });
  session = await loginFully(t, holder);
});
afterAll(() => t.close());

const url = () => `/api/patients/${holder.patientId}/settings`;
const read = async () => (await t.app.inject({ url: url(), headers: headersOf(session) })).json();
const write = (payload: unknown) => t.app.inject({ method: 'PUT', url: url(), headers: headersOf(session), payload: payload as object });

it('starts with every e-mail notification on, and keeps what the holder chooses', async () => {
  expect(await read()).toEqual({
    notifications: { newDocument: true, newMessage: true, reminders: true, professionalAccess: true },
    documents: { maskNewDocuments: false },
  });
  const res = await write({ notifications: { newDocument: false, newMessage: true, reminders: false, professionalAccess: false } });
  expect(res.statusCode).toBe(200);
  expect(await read()).toEqual({
    notifications: { newDocument: false, newMessage: true, reminders: false, professionalAccess: false },
    documents: { maskNewDocuments: false },
  });
  const [entry] = await listAuditEntries(t.deps.db, holder.patientId!, { limit: 1 });
  expect(entry).toMatchObject({ action: 'settings.read' });
  const writes = (await listAuditEntries(t.deps.db, holder.patientId!, { limit: 100 })).filter((e) => e.action === 'settings.write');
  expect(writes).toHaveLength(1);
});

it('masks every new document by default when the holder asks, and keeps that choice when a change leaves it out', async () => {
  const notifications = { newDocument: true, newMessage: true, reminders: true, professionalAccess: true };
  expect((await write({ notifications, documents: { maskNewDocuments: true } })).statusCode).toBe(200);
  expect(await read()).toEqual({ notifications, documents: { maskNewDocuments: true } });
  const res = await write({ notifications: { ...notifications, reminders: false } });
  expect(res.json()).toEqual({ notifications: { ...notifications, reminders: false }, documents: { maskNewDocuments: true } });
  expect((await read()).documents).toEqual({ maskNewDocuments: true });
  expect((await write({ notifications, documents: { maskNewDocuments: 'yes' } })).statusCode).toBe(400);
  expect((await read()).documents).toEqual({ maskNewDocuments: true });
});

it('refuses an incomplete, misspelt or mistyped change with 400 naming the problem, and changes nothing', async () => {
  const before = await read();
  for (const payload of [
    { notifications: { newDocument: true, newMessage: true, reminders: true } },
    { notifications: { newDocument: true, newMessage: true, reminders: true, professionalAccess: true, sms: true } },
    { notifications: { newDocument: 'yes', newMessage: true, reminders: true, professionalAccess: true } },
    { notifications: { newDocument: true, newMessage: true, reminders: true, professionalAccess: 'no' } },
    { notifications: { newDocument: true, newMessage: true, reminders: true, professionalAccess: true }, patientId: holder.patientId },
  ]) {
    const res = await write(payload);
    expect(res.statusCode, JSON.stringify(payload)).toBe(400);
    expect(res.json().detail).toMatch(/^Invalid body: /);
  }
  expect(await read()).toEqual(before);
});

it('refuses a change without the session’s CSRF token', async () => {
  const res = await t.app.inject({
    method: 'PUT',
    url: url(),
    headers: { cookie: headersOf(session).cookie },
    payload: { notifications: { newDocument: true, newMessage: true, reminders: true, professionalAccess: true } },
  });
  expect(res.statusCode).toBe(403);
});
