/** A local Lambda invoke endpoint for `@aws-sdk/client-lambda`'s `InvokeCommand`. */
export {
  type LocalFunction,
  type LocalLambda,
  type LocalLambdaOptions,
  startLocalLambda,
} from './local-lambda.js';
