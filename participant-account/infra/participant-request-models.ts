import * as apigw from 'aws-cdk-lib/aws-apigateway';

/** The content types a testing-data upload may declare (JSONL, or plain text holding JSONL). */
export const UPLOAD_CONTENT_TYPES = [
  'application/x-ndjson',
  'application/jsonl',
  'application/json',
  'text/plain',
] as const;

/**
 * The Participant API's POST bodies, as API Gateway checks them before any Lambda runs (JSON Schema
 * draft 4, API Gateway's dialect). The handlers still parse every body with zod: these reject junk
 * early and cheaply; the handlers give the precise errors.
 */
export const PARTICIPANT_REQUEST_SCHEMAS = {
  /** `POST /testing-data/uploads`: asks for a presigned POST for one testing-data file. */
  TestingDataUploadRequest: {
    schema: apigw.JsonSchemaVersion.DRAFT4,
    title: 'TestingDataUploadRequest',
    type: apigw.JsonSchemaType.OBJECT,
    properties: {
      fileName: { type: apigw.JsonSchemaType.STRING, minLength: 1, maxLength: 200 },
      contentType: { type: apigw.JsonSchemaType.STRING, enum: [...UPLOAD_CONTENT_TYPES] },
      size: { type: apigw.JsonSchemaType.INTEGER, minimum: 1 },
    },
    required: ['fileName', 'contentType', 'size'],
  },
  /** `POST /inference`: one prompt to the team's model. */
  InferenceRequest: {
    schema: apigw.JsonSchemaVersion.DRAFT4,
    title: 'InferenceRequest',
    type: apigw.JsonSchemaType.OBJECT,
    properties: { prompt: { type: apigw.JsonSchemaType.STRING, minLength: 1, maxLength: 32_768 } },
    required: ['prompt'],
  },
  /** `POST /inference-runs`: runs the team's model over one validated testing-data file. */
  InferenceRunRequest: {
    schema: apigw.JsonSchemaVersion.DRAFT4,
    title: 'InferenceRunRequest',
    type: apigw.JsonSchemaType.OBJECT,
    properties: { testingDataId: { type: apigw.JsonSchemaType.STRING, minLength: 1 } },
    required: ['testingDataId'],
  },
  /** `POST /submissions`: submits one inference run's results to the Judge API. */
  SubmissionRequest: {
    schema: apigw.JsonSchemaVersion.DRAFT4,
    title: 'SubmissionRequest',
    type: apigw.JsonSchemaType.OBJECT,
    properties: {
      runId: { type: apigw.JsonSchemaType.STRING, minLength: 1 },
      modelName: { type: apigw.JsonSchemaType.STRING },
    },
    required: ['runId'],
  },
} as const satisfies Record<string, apigw.JsonSchema>;

export type ParticipantRequestModelName = keyof typeof PARTICIPANT_REQUEST_SCHEMAS;
