import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { Deps } from '../deps.ts';
import { accessContext, PatientParams, patientIdOf } from '../patients/patient-route.ts';
import { documentContentHeaders } from './content-headers.ts';
import { createFolder, createStay, deleteFolder, deleteStay, listFolders, listStays, renameFolder, updateStay } from './folders-and-stays.service.ts';
import {
  CdaViewSchema,
  ContentQuerystring,
  DocumentChangeBody,
  DocumentListSchema,
  DocumentParams,
  DocumentSummarySchema,
  FolderBody,
  FolderParams,
  FolderSchema,
  ListQuerystring,
  StayBody,
  StayParams,
  StaySchema,
  UploadQuerystring,
} from './patient-documents.schemas.ts';
import {
  changeDocument,
  deleteOwnDocument,
  listDocuments,
  readDocument,
  readDocumentContent,
  readEmbeddedContent,
  uploadDocument,
  viewCdaDocument,
} from './patient-documents.service.ts';

const documentIdOf = (params: { documentId: string }) => params.documentId.toLowerCase();

/**
 * The patient app's documents API under /api/patients/:patientId (shared/documents/patient-documents-api.ts):
 * the holder lists, reads, views, adds and organises the documents of their space. Every route asks
 * the policy module and is audited (patient-documents.service.ts).
 */
export async function patientDocumentRoutes(fastify: FastifyInstance, { deps }: { deps: Deps }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const context = (request: Parameters<typeof accessContext>[1]) => accessContext(deps, request);

  app.get(
    '/:patientId/documents',
    { config: { auth: 'full' }, schema: { params: PatientParams, querystring: ListQuerystring, response: { 200: DocumentListSchema } } },
    async (request) => listDocuments(context(request), patientIdOf(request.params), request.query),
  );
  app.get(
    '/:patientId/documents/:documentId',
    { config: { auth: 'full' }, schema: { params: DocumentParams, response: { 200: DocumentSummarySchema } } },
    async (request) => readDocument(context(request), patientIdOf(request.params), documentIdOf(request.params)),
  );
  app.patch(
    '/:patientId/documents/:documentId',
    {
      config: { auth: 'full' },
      bodyLimit: 4096,
      schema: { params: DocumentParams, body: DocumentChangeBody, response: { 200: DocumentSummarySchema } },
    },
    async (request) =>
      changeDocument(context(request), patientIdOf(request.params), documentIdOf(request.params), request.body),
  );
  app.delete(
    '/:patientId/documents/:documentId',
    { config: { auth: 'full' }, schema: { params: DocumentParams } },
    async (request, reply) => {
      await deleteOwnDocument(context(request), patientIdOf(request.params), documentIdOf(request.params));
      return reply.code(204).send();
    },
  );
  app.get(
    '/:patientId/documents/:documentId/content',
    { config: { auth: 'full' }, schema: { params: DocumentParams, querystring: ContentQuerystring } },
    async (request, reply) => {
      const { document, bytes } = await readDocumentContent(
        deps,
        context(request),
        patientIdOf(request.params),
        documentIdOf(request.params),
      );
      return reply.headers(documentContentHeaders(document, request.query.download === '1')).send(bytes);
    },
  );
  app.get(
    '/:patientId/documents/:documentId/view',
    { config: { auth: 'full' }, schema: { params: DocumentParams, response: { 200: CdaViewSchema } } },
    async (request) => viewCdaDocument(deps, context(request), patientIdOf(request.params), documentIdOf(request.params)),
  );
  app.get(
    '/:patientId/documents/:documentId/view/embedded',
    { config: { auth: 'full' }, schema: { params: DocumentParams, querystring: ContentQuerystring } },
    async (request, reply) => {
      const embedded = await readEmbeddedContent(deps, context(request), patientIdOf(request.params), documentIdOf(request.params));
      const headers = documentContentHeaders(
        { title: embedded.title, content_type: embedded.contentType, size: String(embedded.bytes.length) },
        request.query.download === '1',
      );
      return reply.headers(headers).send(embedded.bytes);
    },
  );

  // The upload takes the file's bytes as they are, under their declared type: no multipart parsing,
  // and nothing but the file in the body. The bytes decide the type (patient-upload.ts).
  await app.register(async (uploads) => {
    uploads.removeAllContentTypeParsers();
    uploads.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: deps.config.documentMaxBytes }, (_request, body, done) =>
      done(null, body),
    );
    uploads.withTypeProvider<TypeBoxTypeProvider>().post(
      '/:patientId/documents',
      {
        config: { auth: 'full' },
        bodyLimit: deps.config.documentMaxBytes,
        schema: { params: PatientParams, querystring: UploadQuerystring, response: { 201: DocumentSummarySchema } },
      },
      async (request, reply) => {
        const summary = await uploadDocument(deps, context(request), patientIdOf(request.params), {
          bytes: Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0),
          declaredType: request.headers['content-type'],
          title: request.query.title,
          category: request.query.category,
          folderId: request.query.folderId?.toLowerCase(),
        });
        return reply.code(201).send(summary);
      },
    );
  });

  app.get(
    '/:patientId/folders',
    { config: { auth: 'full' }, schema: { params: PatientParams, response: { 200: Type.Array(FolderSchema) } } },
    async (request) => listFolders(context(request), patientIdOf(request.params)),
  );
  app.post(
    '/:patientId/folders',
    { config: { auth: 'full' }, bodyLimit: 4096, schema: { params: PatientParams, body: FolderBody, response: { 201: FolderSchema } } },
    async (request, reply) => reply.code(201).send(await createFolder(context(request), patientIdOf(request.params), request.body.name)),
  );
  app.patch(
    '/:patientId/folders/:folderId',
    { config: { auth: 'full' }, bodyLimit: 4096, schema: { params: FolderParams, body: FolderBody, response: { 200: FolderSchema } } },
    async (request) =>
      renameFolder(context(request), patientIdOf(request.params), request.params.folderId.toLowerCase(), request.body.name),
  );
  app.delete(
    '/:patientId/folders/:folderId',
    { config: { auth: 'full' }, schema: { params: FolderParams } },
    async (request, reply) => {
      await deleteFolder(context(request), patientIdOf(request.params), request.params.folderId.toLowerCase());
      return reply.code(204).send();
    },
  );

  app.get(
    '/:patientId/stays',
    { config: { auth: 'full' }, schema: { params: PatientParams, response: { 200: Type.Array(StaySchema) } } },
    async (request) => listStays(context(request), patientIdOf(request.params)),
  );
  app.post(
    '/:patientId/stays',
    { config: { auth: 'full' }, bodyLimit: 4096, schema: { params: PatientParams, body: StayBody, response: { 201: StaySchema } } },
    async (request, reply) =>
      reply.code(201).send(await createStay(context(request), patientIdOf(request.params), { ...request.body, end: request.body.end ?? null })),
  );
  app.patch(
    '/:patientId/stays/:stayId',
    { config: { auth: 'full' }, bodyLimit: 4096, schema: { params: StayParams, body: StayBody, response: { 200: StaySchema } } },
    async (request) =>
      updateStay(context(request), patientIdOf(request.params), request.params.stayId.toLowerCase(), {
        ...request.body,
        end: request.body.end ?? null,
      }),
  );
  app.delete(
    '/:patientId/stays/:stayId',
    { config: { auth: 'full' }, schema: { params: StayParams } },
    async (request, reply) => {
      await deleteStay(context(request), patientIdOf(request.params), request.params.stayId.toLowerCase());
      return reply.code(204).send();
    },
  );
}
