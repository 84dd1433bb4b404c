import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { type Static, Type } from 'typebox';
import type { Deps } from '../deps.ts';
import { accessContext, PATIENT_ID, patientIdOf } from '../patients/patient-route.ts';
import type { CareRole, EmergencyMode } from '../policy/record-facts.ts';
import {
  listCareTeam,
  readEmergencySettings,
  setBlocked,
  setRole,
  withdrawConsent,
  writeEmergencySettings,
} from './care-team.service.ts';
import { declareConsent, MAX_REASON_LENGTH, openEmergencyAccess } from './professional-access.service.ts';

const patientId = Type.String({ pattern: `^${PATIENT_ID}$` });
const rpps = Type.String({ pattern: '^[0-9]{11}$', description: 'RPPS number (11 digits)' });
const Role = Type.Union([
  Type.Literal('MEDECIN_TRAITANT'),
  Type.Literal('SAGE_FEMME_REFERENTE'),
  Type.Literal('PHARMACIEN_CORRESPONDANT'),
  Type.Literal('ADMINISTRATEUR'),
]);
// The schemas spell the lists out (TypeBox needs literals); these checks keep them in step.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const sameRoles: Same<Static<typeof Role>, CareRole> = true;
const ProfessionalParams = Type.Object({ patientId, rpps }, { additionalProperties: false });
const RoleParams = Type.Object({ patientId, rpps, role: Role }, { additionalProperties: false });
const PatientParams = Type.Object({ patientId }, { additionalProperties: false });

const Permission = Type.Union([Type.Literal('permit'), Type.Literal('deny')]);
const EmergencySwitches = Type.Object(
  { samuRegulation: Permission, breakTheGlass: Permission, maskedInEmergency: Permission },
  { additionalProperties: false },
);

const Member = Type.Object({
  rpps: Type.String(),
  name: Type.Union([Type.Object({ family: Type.String(), given: Type.String() }), Type.Null()]),
  profession: Type.Union([Type.Object({ code: Type.String(), display: Type.Union([Type.String(), Type.Null()]) }), Type.Null()]),
  specialtyCode: Type.Union([Type.String(), Type.Null()]),
  blocked: Type.Boolean(),
  roles: Type.Array(Role),
  consentDeclaredAt: Type.Union([Type.String(), Type.Null()]),
  lastEmergencyAccess: Type.Union([
    Type.Object({ mode: Type.String(), startedAt: Type.String(), expiresAt: Type.String() }),
    Type.Null(),
  ]),
});

const EmergencyAccessBody = Type.Object(
  {
    mode: Type.Union([Type.Literal('break-the-glass'), Type.Literal('samu-regulation')]),
    reason: Type.Optional(Type.String({ maxLength: MAX_REASON_LENGTH * 2 })),
  },
  { additionalProperties: false },
);

const sameModes: Same<Static<typeof EmergencyAccessBody>['mode'], EmergencyMode> = true;
void [sameRoles, sameModes];

const noContent = { 204: Type.Null() };

/**
 * The holder's controls over professionals, under /api/patients/:patientId: the professionals they
 * have a relationship with, blocks, roles, withdrawing a consent declaration, emergency switches.
 */
export async function careTeamRoutes(fastify: FastifyInstance, { deps }: { deps: Deps }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const auth = { auth: 'full' as const };

  app.get(
    '/:patientId/professionals',
    { config: auth, schema: { params: PatientParams, response: { 200: Type.Object({ professionals: Type.Array(Member) }) } } },
    async (request) => ({ professionals: await listCareTeam(accessContext(deps, request), patientIdOf(request.params)) }),
  );
  for (const [method, blocked] of [['PUT', true], ['DELETE', false]] as const) {
    app.route({
      method,
      url: '/:patientId/professionals/:rpps/block',
      config: auth,
      schema: { params: ProfessionalParams, response: noContent },
      handler: async (request, reply) => {
        await setBlocked(accessContext(deps, request), patientIdOf(request.params), request.params.rpps, blocked);
        return reply.code(204).send(null);
      },
    });
  }
  for (const [method, granted] of [['PUT', true], ['DELETE', false]] as const) {
    app.route({
      method,
      url: '/:patientId/professionals/:rpps/roles/:role',
      config: auth,
      schema: { params: RoleParams, response: noContent },
      handler: async (request, reply) => {
        const { rpps, role } = request.params;
        await setRole(accessContext(deps, request), patientIdOf(request.params), rpps, role, granted);
        return reply.code(204).send(null);
      },
    });
  }
  app.delete(
    '/:patientId/professionals/:rpps/consent',
    { config: auth, schema: { params: ProfessionalParams, response: noContent } },
    async (request, reply) => {
      await withdrawConsent(accessContext(deps, request), patientIdOf(request.params), request.params.rpps);
      return reply.code(204).send(null);
    },
  );
  app.get(
    '/:patientId/emergency-access',
    { config: auth, schema: { params: PatientParams, response: { 200: EmergencySwitches } } },
    async (request) => readEmergencySettings(accessContext(deps, request), patientIdOf(request.params)),
  );
  app.put(
    '/:patientId/emergency-access',
    { config: auth, bodyLimit: 4096, schema: { params: PatientParams, body: EmergencySwitches, response: { 200: EmergencySwitches } } },
    async (request) => writeEmergencySettings(accessContext(deps, request), patientIdOf(request.params), request.body),
  );
}

/**
 * A professional's declarations, under /api/professional/patients/:patientId (web session, or the
 * bearer token of their software): the patient's consent, an emergency access.
 */
export async function professionalAccessRoutes(fastify: FastifyInstance, { deps }: { deps: Deps }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.post(
    '/:patientId/consent',
    {
      config: { auth: 'full' },
      bodyLimit: 1024,
      schema: { params: PatientParams, response: { 201: Type.Object({ declaredAt: Type.String() }) } },
    },
    async (request, reply) => reply.code(201).send(await declareConsent(accessContext(deps, request), patientIdOf(request.params))),
  );
  app.post(
    '/:patientId/emergency-access',
    {
      config: { auth: 'full' },
      bodyLimit: 4096,
      schema: {
        params: PatientParams,
        body: EmergencyAccessBody,
        response: {
          201: Type.Object({ id: Type.String(), mode: Type.String(), startedAt: Type.String(), expiresAt: Type.String() }),
        },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          await openEmergencyAccess(
            accessContext(deps, request),
            patientIdOf(request.params),
            request.body,
            deps.config.emergencyAccessMinutes,
          ),
        ),
  );
}
