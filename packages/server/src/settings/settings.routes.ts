import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { Deps } from '../deps.ts';
import { accessContext, PatientParams, patientIdOf } from '../patients/patient-route.ts';
import { readSettings, writeSettings } from './settings.service.ts';

const Settings = Type.Object(
  {
    notifications: Type.Object(
      { newDocument: Type.Boolean(), newMessage: Type.Boolean(), reminders: Type.Boolean(), professionalAccess: Type.Boolean() },
      { additionalProperties: false },
    ),
    documents: Type.Object({ maskNewDocuments: Type.Boolean() }, { additionalProperties: false }),
  },
  { additionalProperties: false },
);

/** A change may leave out `documents` (older clients): the holder's document default stays as it is. */
const SettingsChange = Type.Object(
  { notifications: Settings.properties.notifications, documents: Type.Optional(Settings.properties.documents) },
  { additionalProperties: false },
);

/** GET and PUT /api/patients/:patientId/settings: the holder's own choices. */
export async function settingsRoutes(fastify: FastifyInstance, { deps }: { deps: Deps }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/:patientId/settings',
    { config: { auth: 'full' }, schema: { params: PatientParams, response: { 200: Settings } } },
    async (request) => readSettings(accessContext(deps, request), patientIdOf(request.params)),
  );
  app.put(
    '/:patientId/settings',
    { config: { auth: 'full' }, bodyLimit: 4096, schema: { params: PatientParams, body: SettingsChange, response: { 200: Settings } } },
    async (request) =>
      writeSettings({ ...accessContext(deps, request), clock: deps.clock }, patientIdOf(request.params), request.body),
  );
}
