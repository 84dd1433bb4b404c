import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Deps } from '../deps.ts';
import { actorOf } from '../sessions/authentication.ts';
import type { AccessContext } from './patient-access.ts';

/** A patient's id: a UUID, in any case (PostgreSQL prints it in lower case). */
export const PATIENT_ID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';

/** `:patientId` in a route. */
export const PatientParams = Type.Object({ patientId: Type.String({ pattern: `^${PATIENT_ID}$` }) }, { additionalProperties: false });

/** The patient id of the path as the database and the policy compare it. */
export const patientIdOf = (params: { patientId: string }) => params.patientId.toLowerCase();

/** The access context of a request to a route declared with `config: { auth: 'full' }`. */
export function accessContext(deps: Deps, request: FastifyRequest): AccessContext {
  return { db: deps.db, actor: actorOf(request), sourceIp: request.ip, clock: deps.clock };
}
