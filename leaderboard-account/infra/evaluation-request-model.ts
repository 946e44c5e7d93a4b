import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as z from 'zod';
import { EvaluationRequest } from '../../shared/contracts/evaluation.js';

/** The subset of JSON Schema the contract produces today; anything else fails the synth, loudly. */
const StringProperty = z.strictObject({
  type: z.literal('string'),
  pattern: z.string().optional(),
  minLength: z.number().optional(),
  maxLength: z.number().optional(),
  format: z.string().optional(),
});
const ObjectSchema = z.object({
  type: z.literal('object'),
  properties: z.record(z.string(), StringProperty),
  required: z.array(z.string()),
});

/**
 * The Judge API's request model for `POST /evaluations`, generated from the zod contract in
 * `shared/contracts/evaluation.ts` (draft 4, API Gateway's dialect), so the gateway and the handler
 * can never disagree on the body's shape. The handler still parses it: this rejects junk early.
 */
export function evaluationRequestSchema(): apigw.JsonSchema {
  const generated = ObjectSchema.parse(z.toJSONSchema(EvaluationRequest, { target: 'draft-4', io: 'input' }));
  const properties: Record<string, apigw.JsonSchema> = {};
  for (const [name, property] of Object.entries(generated.properties)) {
    properties[name] = { ...property, type: apigw.JsonSchemaType.STRING };
  }
  return {
    schema: apigw.JsonSchemaVersion.DRAFT4,
    title: 'EvaluationRequest',
    type: apigw.JsonSchemaType.OBJECT,
    properties,
    required: generated.required,
  };
}
