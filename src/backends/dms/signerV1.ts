import { createHmac } from 'node:crypto';
import { canonicalQuery, percentEncode } from './percentEncode';

/**
 * The V1.0 RPC string to sign: every parameter (query and form body together, without `Signature`), sorted and
 * encoded, behind the method and the encoded "/".
 */
export function stringToSignV1(method: string, params: Readonly<Record<string, string>>): string {
  return `${method}&${percentEncode('/')}&${percentEncode(canonicalQuery(params))}`;
}

/** The `Signature` parameter: base64 HMAC-SHA1 keyed with the secret and "&". */
export function signatureV1(method: string, params: Readonly<Record<string, string>>, accessKeySecret: string): string {
  return createHmac('sha1', `${accessKeySecret}&`).update(stringToSignV1(method, params), 'utf8').digest('base64');
}
