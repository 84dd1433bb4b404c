import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../deps.ts';
import { accessContext, PatientParams, patientIdOf } from './patient-route.ts';
import { patientView } from './patient.views.ts';
import { readPatient } from './patients.service.ts';

/** GET /api/patients/:patientId: whose space this is (the INS identity). */
export async function patientRoutes(fastify: FastifyInstance, { deps }: { deps: Deps }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get('/:patientId', { config: { auth: 'full' }, schema: { params: PatientParams } }, async (request) =>
    patientView(await readPatient(accessContext(deps, request), patientIdOf(request.params))),
  );
}
