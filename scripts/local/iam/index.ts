export {
  AccessDenied,
  LocalIam,
  type LocalIamOptions,
  SignatureRefused,
  type TrustStatement,
} from './local-iam.js';
export { serveSts } from './sts-endpoint.js';
