import { DOCUMENT_CATEGORIES, type DocumentCategory, type DocumentSummary } from '@carnet/shared/documents/patient-documents-api';
import { Type } from 'typebox';
import { PATIENT_ID } from '../patients/patient-route.ts';
import { LIST_PAGE_MAX } from './patient-documents.service.ts';

/** The request and response shapes of the patient app's documents API (shared/documents). */

const Uuid = Type.String({ pattern: `^${PATIENT_ID}$` });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
const Category = Type.Unsafe<DocumentCategory>(Type.Union(DOCUMENT_CATEGORIES.map((c) => Type.Literal(c))));

export const TITLE_MAX = 200;
const Title = Type.String({ minLength: 1, maxLength: TITLE_MAX, pattern: '\\S' });

export const DocumentParams = Type.Object({ patientId: Uuid, documentId: Uuid }, { additionalProperties: false });
export const FolderParams = Type.Object({ patientId: Uuid, folderId: Uuid }, { additionalProperties: false });
export const StayParams = Type.Object({ patientId: Uuid, stayId: Uuid }, { additionalProperties: false });

export const ListQuerystring = Type.Object(
  {
    category: Type.Optional(Category),
    folder: Type.Optional(Uuid),
    stay: Type.Optional(Uuid),
    q: Type.Optional(Type.String({ maxLength: 200 })),
    pinned: Type.Optional(Type.Boolean()),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: LIST_PAGE_MAX })),
  },
  { additionalProperties: false },
);

export const ContentQuerystring = Type.Object(
  { download: Type.Optional(Type.Union([Type.Literal('1'), Type.Literal('0')])) },
  { additionalProperties: false },
);

export const UploadQuerystring = Type.Object(
  { title: Title, category: Category, folderId: Type.Optional(Uuid) },
  { additionalProperties: false },
);

export const DocumentChangeBody = Type.Object(
  {
    title: Type.Optional(Title),
    category: Type.Optional(Category),
    folderId: Type.Optional(Nullable(Uuid)),
    stayId: Type.Optional(Nullable(Uuid)),
    pinned: Type.Optional(Type.Boolean()),
    masked: Type.Optional(Type.Boolean()),
    read: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const DocumentSummarySchema = Type.Object({
  id: Type.String(),
  title: Type.String(),
  category: Category,
  type: Type.Object({ code: Type.String(), display: Type.String() }),
  date: Type.String(),
  filedAt: Type.String(),
  author: Nullable(
    Type.Object({
      kind: Type.Union([Type.Literal('professional'), Type.Literal('patient'), Type.Literal('organization')]),
      name: Nullable(Type.String()),
    }),
  ),
  organization: Nullable(Type.String()),
  contentType: Type.String(),
  viewer: Type.Unsafe<DocumentSummary['viewer']>(Type.Union(['pdf', 'image', 'text', 'cda', 'download'].map((v) => Type.Literal(v)))),
  size: Type.Number(),
  unread: Type.Boolean(),
  pinned: Type.Boolean(),
  folderId: Nullable(Type.String()),
  stayId: Nullable(Type.String()),
  masked: Type.Boolean(),
  addedByPatient: Type.Boolean(),
});

export const DocumentListSchema = Type.Object({
  documents: Type.Array(DocumentSummarySchema),
  next: Nullable(Type.String()),
  counts: Type.Object(Object.fromEntries(DOCUMENT_CATEGORIES.map((c) => [c, Type.Integer()]))),
});

export const FolderBody = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' }) },
  { additionalProperties: false },
);

export const FolderSchema = Type.Object({ id: Type.String(), name: Type.String(), documentCount: Type.Integer() });

export const StayBody = Type.Object(
  {
    label: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' }),
    start: Type.String({ format: 'date' }),
    end: Type.Optional(Nullable(Type.String({ format: 'date' }))),
  },
  { additionalProperties: false },
);

export const StaySchema = Type.Object({
  id: Type.String(),
  label: Type.String(),
  start: Type.String(),
  end: Nullable(Type.String()),
  documentCount: Type.Integer(),
});

export const CdaViewSchema = Type.Object({
  html: Type.String(),
  embedded: Nullable(Type.Object({ contentType: Type.String(), viewer: DocumentSummarySchema.properties.viewer })),
});
