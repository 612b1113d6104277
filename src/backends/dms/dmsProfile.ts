import { z } from '../../core/zod';

const text = (message: string) => z.string({ error: message }).check(z.trim(), z.minLength(1, { error: message }));

/** The fields of a `"backend": "dms"` profile. Secrets are never here: see `credentials.ts`. */
export const DmsProfile = z
  .looseObject({
    name: z.string(),
    backend: z.literal('dms'),
    /** e.g. cn-hangzhou; required unless `endpoint` is given. */
    region: z.optional(
      z.string({ error: 'region must be a region id such as cn-hangzhou.' }).check(z.regex(/^[a-z]{2,}(-[a-z0-9]+)+$/, { error: 'region must be a region id such as cn-hangzhou.' })),
    ),
    /** A custom endpoint, e.g. https://dms-enterprise.cn-hangzhou.aliyuncs.com; overrides region. */
    endpoint: z.optional(text('endpoint is empty: give the DMS API address, e.g. https://dms-enterprise.cn-hangzhou.aliyuncs.com, or remove the field.')),
    /** Use the VPC endpoint variant of the region (dms-enterprise-vpc.<region>.aliyuncs.com). */
    vpc: z.optional(z.boolean({ error: 'vpc must be true or false.' })),
    /** The DMS tenant id; when absent the user's active tenant is used. */
    tid: z.optional(z.int({ error: 'tid must be the DMS tenant id, a whole number (see db-tickets check).' })),
    signatureVersion: z.optional(z.enum(['v3', 'v1'], { error: 'signatureVersion must be "v3" (ACS3-HMAC-SHA256, the default) or "v1" (HMAC-SHA1).' })),
    /** "Open in browser" address; {id} is replaced by the ticket id. */
    consoleUrl: z.optional(
      text('consoleUrl is empty: give the console address with {id} where the ticket id goes, or remove the field.').check(
        z.refine((url) => url.includes('{id}'), { error: 'consoleUrl must contain {id} where the ticket id goes, e.g. https://dms.aliyun.com/?orderId={id}.' }),
      ),
    ),
    /** How a schema change is filed: a schema-design ticket (NDDL, the default) or a regular data-change ticket. */
    schemaChangeAs: z.optional(z.enum(['NDDL', 'DATA_CORRECT'], { error: 'schemaChangeAs must be "NDDL" (schema design ticket) or "DATA_CORRECT" (regular data change ticket).' })),
    timeoutMs: z.optional(z.int({ error: 'timeoutMs must be a whole number of milliseconds, 1000 or more.' }).check(z.gte(1000, { error: 'timeoutMs must be a whole number of milliseconds, 1000 or more.' }))),
    /** The Aliyun CLI profile to read when no other credential is found; else the CLI's current one. */
    aliyunProfile: z.optional(text('aliyunProfile is empty: name a profile of ~/.aliyun/config.json, or remove the field.')),
  })
  .check(
    z.refine((profile) => profile.region !== undefined || profile.endpoint !== undefined, {
      error: 'region is missing: give the DMS region, e.g. "cn-hangzhou", or a custom endpoint.',
      path: ['region'],
    }),
  );
export type DmsProfile = z.infer<typeof DmsProfile>;

/** The secret fields a DMS profile keeps in the host's secure storage. */
export const dmsSecretFields = ['accessKeyId', 'accessKeySecret', 'securityToken'] as const;

/** How long one DMS call may take when the profile does not say. */
export const dmsDefaultTimeoutMs = 15_000;

const loopback = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The API base URL: the custom endpoint, or the region's public or VPC endpoint. Plain HTTP only on this machine. */
export function endpointOf(profile: DmsProfile): URL {
  const given = profile.endpoint?.trim();
  const raw = given ? (/^[a-z]+:\/\//i.test(given) ? given : `https://${given}`) : `https://dms-enterprise${profile.vpc ? '-vpc' : ''}.${profile.region}.aliyuncs.com`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`endpoint "${given}" is not an address: give one such as https://dms-enterprise.cn-hangzhou.aliyuncs.com.`);
  }
  if (url.protocol === 'http:' && !loopback.has(url.hostname)) {
    throw new Error(`endpoint ${url.origin} uses plain HTTP, which would expose your requests: use https://.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`endpoint ${url.origin} is not an HTTPS address: use https://.`);
  if (url.pathname !== '/' || url.search) throw new Error(`endpoint ${given} has a path or query: give only the scheme and host, e.g. https://dms-enterprise.cn-hangzhou.aliyuncs.com.`);
  return url;
}
