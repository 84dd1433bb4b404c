import Fastify, { type FastifyInstance } from 'fastify';
import { accessHistoryRoutes } from './access-history/access-history.routes.ts';
import { auditEventFhir } from './access-history/audit-event.fhir-routes.ts';
import { registerIdentity } from './accounts/identity.ts';
import { careTeamRoutes, professionalAccessRoutes } from './care-team/care-team.routes.ts';
import type { Deps } from './deps.ts';
import type { FhirResourceModule } from './fhir/fhir-resource.ts';
import { FHIR_JSON, fhirRoutes } from './fhir/fhir.routes.ts';
import { FHIR_PREFIX } from './http/error-response.ts';
import { registerDrainOnClose } from './http/drain-on-close.ts';
import { registerErrorHandler, registerNotFoundHandler } from './http/errors.plugin.ts';
import { registerHealthRoutes } from './http/health.routes.ts';
import { loggerOptions } from './http/logger.ts';
import { registerMetrics } from './http/metrics.ts';
import { RouteTable } from './http/route-table.ts';
import { registerSecurityHeaders } from './http/security-headers.ts';
import { registerWebApp } from './http/web-app.ts';
import { binaryFhir, documentReferenceFhir, provideDocumentBundleHandler, submissionSetFhir } from './mhd/mhd.fhir-routes.ts';
import { OAUTH_PREFIX } from './oauth/oauth-runtime.ts';
import { oauthRoutes } from './oauth/oauth.routes.ts';
import { softwareClientRoutes } from './oauth/software-clients.routes.ts';
import { patientDocumentRoutes } from './patient-documents/patient-documents.routes.ts';
import { patientFhir } from './patients/patient.fhir-routes.ts';
import { patientRoutes } from './patients/patients.routes.ts';
import { settingsRoutes } from './settings/settings.routes.ts';
import { CARNET_VERSION } from './version.ts';

declare module 'fastify' {
  interface FastifyInstance {
    routeTable: RouteTable;
  }
}

/**
 * Builds the HTTP application on its dependencies, without listening: tests call it through
 * `inject()`, `main.ts` through a socket. Registration order is deliberate and visible here.
 */
export async function buildApp(
  deps: Deps,
  // fhirResources: served under /fhir/R4 instead of the application's types and transaction
  // handlers (tests of the FHIR store serve test-only ones).
  options: { logStream?: NodeJS.WritableStream; fhirResources?: readonly FhirResourceModule[] } = {},
): Promise<FastifyInstance> {
  const { config } = deps;
  const app = Fastify({
    logger: { ...loggerOptions(config.logLevel), ...(options.logStream ? { stream: options.logStream } : {}) },
    bodyLimit: config.bodyLimitBytes,
    // Requests ids are for correlating log lines; clients may not choose them.
    requestIdHeader: false,
    return503OnClosing: true,
    routerOptions: { ignoreTrailingSlash: true },
    // Fastify's default strips properties a schema does not list; Carnet refuses them, so that a
    // misspelt field or a smuggled one (mass assignment, API3:2023) is an error the caller sees.
    ajv: { customOptions: { removeAdditional: false } },
    // The client address (request.ip) that rate limits count by, through the proxies trusted here.
    // (Fastify's overloads reject the union type; false, a hop count and addresses are all valid.)
    trustProxy: config.trustProxy as boolean,
  });

  // FHIR R4 http.html#mime-type: application/fhir+json bodies, parsed like JSON (and with the
  // same protection against prototype poisoning).
  app.addContentTypeParser(FHIR_JSON, { parseAs: 'string' }, app.getDefaultJsonParser('error', 'error'));

  registerErrorHandler(app, config.bodyLimitBytes);
  const routes = new RouteTable();
  routes.attach(app);
  app.decorate('routeTable', routes);
  registerSecurityHeaders(app);
  registerDrainOnClose(app);
  registerMetrics(app, deps.metrics, config.metricsToken);
  // Before any feature route: cookie → session → request.actor, CSRF checks, then login routes.
  await registerIdentity(app, deps);
  registerHealthRoutes(app, deps);
  // Carnet's OAuth server (oidc-provider) for professionals' software, and their registration.
  await app.register(oauthRoutes, { prefix: OAUTH_PREFIX, deps });
  await app.register(softwareClientRoutes, { prefix: '/api/professional/software-clients', deps });
  // A patient's space: every route here asks the policy module (policy/) and is audited.
  for (const routes of [patientRoutes, accessHistoryRoutes, settingsRoutes, careTeamRoutes, patientDocumentRoutes]) {
    await app.register(routes, { prefix: '/api/patients', deps });
  }
  // What a professional declares to read a record: the patient's consent, an emergency.
  await app.register(professionalAccessRoutes, { prefix: '/api/professional/patients', deps });
  await app.register(fhirRoutes, {
    prefix: FHIR_PREFIX,
    deps,
    version: CARNET_VERSION,
    resources: options.fhirResources ?? [patientFhir, auditEventFhir, documentReferenceFhir, binaryFhir, submissionSetFhir],
    // IHE MHD ITI-65 (mhd/): a transaction with a SubmissionSet files documents.
    transactionHandlers: options.fhirResources === undefined ? [provideDocumentBundleHandler] : [],
  });
  const spaFallback = await registerWebApp(app, config.webDir);
  registerNotFoundHandler(app, routes, spaFallback);

  return app;
}
