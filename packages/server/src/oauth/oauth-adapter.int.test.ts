import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/test-app.ts';
import { createOAuthAdapter } from './oauth-adapter.ts';
import { createTestSoftware } from './oauth.test-support.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe("oidc-provider's state in PostgreSQL", () => {
  it('keeps a model until it expires or is destroyed, found by id, uid or user code', async () => {
    const adapter = createOAuthAdapter(t.deps.db);
    const sessions = adapter('Session');
    await sessions.upsert('s1', { uid: 'u1', accountId: 'a1' }, 60);
    expect(await sessions.find('s1')).toEqual({ uid: 'u1', accountId: 'a1' });
    expect(await sessions.findByUid('u1')).toEqual({ uid: 'u1', accountId: 'a1' });
    // Models are apart: the same id in another model is another row.
    expect(await adapter('Interaction').find('s1')).toBeUndefined();
    await sessions.upsert('s1', { uid: 'u1', accountId: 'a2' }, 60);
    expect((await sessions.find('s1'))?.accountId).toBe('a2');
    await sessions.destroy('s1');
    expect(await sessions.find('s1')).toBeUndefined();

    const devices = adapter('DeviceCode');
    await devices.upsert('d1', { userCode: 'ABCD-EFGH' }, 60);
    expect(await devices.findByUserCode('ABCD-EFGH')).toEqual({ userCode: 'ABCD-EFGH' });

    await sessions.upsert('gone', { uid: 'u2' }, -1);
    expect(await sessions.find('gone')).toBeUndefined();
  });

  it('marks a code consumed, and revokes everything of a grant at once', async () => {
    const adapter = createOAuthAdapter(t.deps.db);
    const codes = adapter('AuthorizationCode');
    await codes.upsert('c1', { grantId: 'g1' }, 60);
    expect((await codes.find('c1'))?.consumed).toBeUndefined();
    await codes.consume('c1');
    expect((await codes.find('c1'))?.consumed).toBeTypeOf('number');
    await adapter('RefreshToken').upsert('r1', { grantId: 'g1' }, 3600);
    await adapter('RefreshToken').upsert('r2', { grantId: 'g2' }, 3600);
    await codes.revokeByGrantId('g1');
    expect(await codes.find('c1')).toBeUndefined();
    expect(await adapter('RefreshToken').find('r1')).toBeUndefined();
    expect(await adapter('RefreshToken').find('r2')).toEqual({ grantId: 'g2' });
  });

  it('knows clients from the software_client table only while they are not revoked', async () => {
    const software = await createTestSoftware(t);
    const clients = createOAuthAdapter(t.deps.db)('Client');
    expect(await clients.find(software.clientId)).toMatchObject({ client_id: software.clientId, token_endpoint_auth_method: 'private_key_jwt' });
    await t.deps.db.updateTable('software_client').set({ revoked_at: new Date() }).where('client_id', '=', software.clientId).execute();
    expect(await clients.find(software.clientId)).toBeUndefined();
    await expect(clients.upsert('x', {}, 60)).rejects.toThrow(/registered through Carnet/);
  });
});
