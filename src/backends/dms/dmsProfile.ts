import * as z from '../../core/zod';

import { loopbackHosts } from '../formChecks';
import { nonBlank, optionalField } from '../profileField';

const regionPattern = /^[a-z]{2,}(-[a-z0-9]+)+$/;
const regionId = (field: string) => z.string({ error: `${field} must be a region id such as cn-hangzhou.` }).check(z.regex(regionPattern, { error: `${field} must be a region id such as cn-hangzhou.` }));
const timeoutMessage = 'timeoutMs must be a whole number of milliseconds, 1000 or more.';
const ossStagingMessage =
  'ossStaging must be an OSS location written oss://bucket/prefix/, e.g. oss://my-bucket/db-tickets/ (bucket: 3-63 lowercase letters, digits and hyphens, not starting or ending with a hyphen).';

/** The fields of a `"backend": "dms"` profile. Secrets are never here: see `credentials.ts`. */
export const DmsProfile = z.lazySchema(() =>
  z
    .looseObject({
      name: z.string(),
      backend: z.literal('dms'),
      region: optionalField('The DMS region, e.g. cn-hangzhou; required unless endpoint is given or ALIBABA_CLOUD_REGION_ID is set.', regionId('region')),
      regionId: optionalField('Another name for region, as Alibaba Cloud\'s own tools call it; give one of the two.', regionId('regionId')),
      endpoint: optionalField(
        'A custom API endpoint, e.g. https://dms-enterprise.cn-hangzhou.aliyuncs.com; overrides region.',
        nonBlank('endpoint is empty: give the DMS API address, e.g. https://dms-enterprise.cn-hangzhou.aliyuncs.com, or remove the field.'),
      ),
      vpc: optionalField('Use the region\'s VPC endpoint (dms-enterprise-vpc.<region>.aliyuncs.com), from inside an Alibaba Cloud VPC.', z.boolean({ error: 'vpc must be true or false.' })),
      tid: optionalField('The DMS tenant id; when absent, your active tenant (see db-tickets check).', z.int({ error: 'tid must be the DMS tenant id, a whole number (see db-tickets check).' })),
      signatureVersion: optionalField(
        'Request signature: v3 (ACS3-HMAC-SHA256, the default) or v1 (HMAC-SHA1).',
        z.enum(['v3', 'v1'], { error: 'signatureVersion must be "v3" (ACS3-HMAC-SHA256, the default) or "v1" (HMAC-SHA1).' }),
      ),
      consoleUrl: optionalField(
        'Address of a ticket in the DMS console for Open in Browser; {id} is replaced by the ticket id, e.g. https://dms.aliyun.com/?orderId={id}.',
        nonBlank('consoleUrl is empty: give the console address with {id} where the ticket id goes, or remove the field.').check(
          z.refine((url) => url.includes('{id}'), { error: 'consoleUrl must contain {id} where the ticket id goes, e.g. https://dms.aliyun.com/?orderId={id}.' }),
        ),
      ),
      schemaChangeAs: optionalField(
        'How a schema change is filed: NDDL (a schema design ticket, the default) or DATA_CORRECT (a regular data change ticket).',
        z.enum(['NDDL', 'DATA_CORRECT'], { error: 'schemaChangeAs must be "NDDL" (schema design ticket) or "DATA_CORRECT" (regular data change ticket).' }),
      ),
      timeoutMs: optionalField(
        'How long one DMS call may take, in milliseconds (default 15000).',
        z.int({ error: timeoutMessage }).check(z.gte(1000, { error: timeoutMessage })),
      ),
      aliyunProfile: optionalField(
        "The Aliyun CLI profile (~/.aliyun/config.json) to read credentials from when none are stored or in the environment; default: the CLI's current one.",
        nonBlank('aliyunProfile is empty: name a profile of ~/.aliyun/config.json, or remove the field.'),
      ),
      ossStaging: optionalField(
        'An OSS location, oss://bucket/prefix/, where SQL too long for one DMS request and ticket attachments are uploaded for DMS to take (same AccessKey; it needs oss:PutObject there).',
        z.string({ error: ossStagingMessage }).check(z.refine((value) => parseOssLocation(value) !== undefined, { error: ossStagingMessage })),
      ),
      ossEndpoint: optionalField(
        'The OSS endpoint for ossStaging; default https://oss-<region>.aliyuncs.com, or https://oss-<region>-internal.aliyuncs.com with vpc.',
        nonBlank('ossEndpoint is empty: give the OSS address, e.g. https://oss-cn-hangzhou.aliyuncs.com, or remove the field.'),
      ),
    })
    .check(
      z.refine((profile) => profile.region === undefined || profile.regionId === undefined || profile.region === profile.regionId, {
        error: 'region and regionId name different regions: they are the same setting, so keep one of the two.',
        path: ['regionId'],
      }),
    ),
);
export type DmsProfile = z.infer<typeof DmsProfile>;

/** How long one DMS call may take when the profile does not say. */
export const dmsDefaultTimeoutMs = 15_000;

/**
 * The profile's region: `region`, or its other name `regionId`, or else the environment's ALIBABA_CLOUD_REGION_ID
 * (the variable Alibaba Cloud's tools read); undefined when none is given.
 */
export function regionOf(profile: DmsProfile, env: NodeJS.ProcessEnv = {}): string | undefined {
  const given = profile.region ?? profile.regionId;
  if (given) return given;
  const fromEnv = env.ALIBABA_CLOUD_REGION_ID?.trim();
  if (!fromEnv) return undefined;
  if (!regionPattern.test(fromEnv)) throw new Error(`ALIBABA_CLOUD_REGION_ID is "${fromEnv}", not a region id such as cn-hangzhou: correct the variable, or give "region" in the profile.`);
  return fromEnv;
}

/**
 * The API base URL: the custom endpoint, or the region's public or VPC endpoint (the region as `regionOf` finds it).
 * Plain HTTP only on this machine.
 */
export function endpointOf(profile: DmsProfile, env: NodeJS.ProcessEnv = {}): URL {
  const given = profile.endpoint?.trim();
  let raw: string;
  if (given) raw = /^[a-z]+:\/\//i.test(given) ? given : `https://${given}`;
  else {
    const region = regionOf(profile, env);
    if (!region) throw new Error('region is missing: give the DMS region in the profile, e.g. "region": "cn-hangzhou" (or set ALIBABA_CLOUD_REGION_ID), or a custom endpoint.');
    raw = `https://dms-enterprise${profile.vpc ? '-vpc' : ''}.${region}.aliyuncs.com`;
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`endpoint "${given}" is not an address: give one such as https://dms-enterprise.cn-hangzhou.aliyuncs.com.`);
  }
  if (url.protocol === 'http:' && !loopbackHosts.has(url.hostname)) {
    throw new Error(`endpoint ${url.origin} uses plain HTTP, which would expose your requests: use https://.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`endpoint ${url.origin} is not an HTTPS address: use https://.`);
  if (url.pathname !== '/' || url.search) throw new Error(`endpoint ${given} has a path or query: give only the scheme and host, e.g. https://dms-enterprise.cn-hangzhou.aliyuncs.com.`);
  return url;
}

/** Where drafts' files are staged in OSS: a bucket and a key prefix that is empty or ends with "/". */
export interface OssLocation {
  bucket: string;
  prefix: string;
}

/** `oss://bucket/prefix/` as bucket and prefix (a prefix without its final "/" gets one); undefined when malformed. */
export function parseOssLocation(text: string): OssLocation | undefined {
  const match = /^oss:\/\/([a-z0-9][a-z0-9-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(text.trim());
  if (!match) return undefined;
  const path = match[2] ?? '';
  if (path.startsWith('/') || path.includes('//') || path.includes('\\') || path.length > 900) return undefined;
  return { bucket: match[1], prefix: path && !path.endsWith('/') ? `${path}/` : path };
}

/** The OSS endpoint: ossEndpoint, or the region's public or internal (vpc) one. Plain HTTP only on this machine. */
export function ossEndpointOf(profile: DmsProfile, env: NodeJS.ProcessEnv = {}): URL {
  const given = profile.ossEndpoint?.trim();
  const region = regionOf(profile, env);
  if (!given && !region) throw new Error('ossStaging needs the OSS endpoint: give the region, e.g. "region": "cn-hangzhou" (or set ALIBABA_CLOUD_REGION_ID), or ossEndpoint.');
  const raw = given ? (/^[a-z]+:\/\//i.test(given) ? given : `https://${given}`) : `https://oss-${region}${profile.vpc ? '-internal' : ''}.aliyuncs.com`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`ossEndpoint "${given}" is not an address: give one such as https://oss-cn-hangzhou.aliyuncs.com.`);
  }
  if (url.protocol === 'http:' && !loopbackHosts.has(url.hostname)) {
    throw new Error(`ossEndpoint ${url.origin} uses plain HTTP, which would expose your files: use https://.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`ossEndpoint ${url.origin} is not an HTTPS address: use https://.`);
  if (url.pathname !== '/' || url.search) throw new Error(`ossEndpoint ${given} has a path or query: give only the scheme and host, e.g. https://oss-cn-hangzhou.aliyuncs.com.`);
  return url;
}
