import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import { LoopbackServers } from '../loopback';

/**
 * A loopback OSS for tests, written from Alibaba's OSS documentation ("Include a V1 signature in the Authorization
 * header"): PutObject, GetObject and HeadObject, addressed path-style (`/bucket/object` on the server's own
 * address) or virtual-host style (`Host: bucket.<endpoint>`), every request's V1 signature verified with its own
 * code, STS tokens checked, Content-MD5 checked when sent, and OSS's XML errors with a RequestId.
 *
 * Signature V1 as documented:
 *   Authorization = "OSS " + AccessKeyId + ":" + base64(hmac-sha1(AccessKeySecret,
 *     VERB + "\n" + Content-MD5 + "\n" + Content-Type + "\n" + Date + "\n" + CanonicalizedOSSHeaders + CanonicalizedResource))
 * Date is the x-oss-date header when present, else Date; more than 15 minutes off the server's clock is refused.
 * CanonicalizedOSSHeaders: every x-oss-* header, name lower-cased, sorted by name, "name:value\n" with the value
 * trimmed (x-oss-security-token included for STS). CanonicalizedResource: "/bucket/object" ("/bucket/" without an
 * object), then the sub-resources of the query string, sorted, joined with "&" after "?".
 */

export interface OssCredential {
  secret: string;
  /** An STS AccessKey: requests must carry this as x-oss-security-token. */
  securityToken?: string;
}

export interface FakeBucket {
  objects: Map<string, { content: Buffer; contentType: string; etag: string }>;
  /** AccessKey ids refused with AccessDenied. */
  denied: Set<string>;
  /** Whether DMS may read its objects (see `reader`). */
  dmsCanRead: boolean;
}

export interface OssRequestRecord {
  method: string;
  host: string;
  path: string;
  bucket?: string;
  object?: string;
  accessKeyId?: string;
  headers: Record<string, string>;
  status: number;
  code?: string;
  requestId: string;
}

/** Sub-resources that belong to the CanonicalizedResource (the documented list). */
const subResources = new Set(
  (
    'acl,uploads,location,cors,logging,website,referer,lifecycle,delete,append,tagging,objectMeta,uploadId,partNumber,security-token,position,img,style,' +
    'styleName,replication,replicationProgress,replicationLocation,cname,bucketInfo,comp,qos,live,status,vod,startTime,endTime,symlink,x-oss-process,' +
    'response-content-type,response-content-language,response-expires,response-cache-control,response-content-disposition,response-content-encoding'
  ).split(','),
);

const skewMs = 15 * 60_000;

class OssError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, string> = {},
  ) {
    super(message);
  }
}

export class FakeOss {
  readonly credentials = new Map<string, OssCredential>();
  readonly buckets = new Map<string, FakeBucket>();
  readonly requests: OssRequestRecord[] = [];
  clock: () => Date = () => new Date();
  url = '';
  private readonly servers = new LoopbackServers();

  addAccessKey(id: string, credential: OssCredential): void {
    this.credentials.set(id, credential);
  }

  addBucket(name: string, options: { dmsCanRead?: boolean } = {}): FakeBucket {
    const bucket: FakeBucket = { objects: new Map(), denied: new Set(), dmsCanRead: options.dmsCanRead ?? true };
    this.buckets.set(name, bucket);
    return bucket;
  }

  object(bucket: string, name: string): Buffer | undefined {
    return this.buckets.get(bucket)?.objects.get(name)?.content;
  }

  /** Requests that stored an object. */
  puts(): OssRequestRecord[] {
    return this.requests.filter((r) => r.method === 'PUT' && r.status === 200);
  }

  /**
   * How DMS reads an object it is told about (the fake DMS's upload jobs): only at this server's address, from a
   * bucket DMS may read.
   */
  reader(): (endpoint: string, bucket: string, object: string) => Buffer | undefined {
    return (endpoint, bucket, object) => {
      if (new URL(endpoint).origin !== this.url || !this.buckets.get(bucket)?.dmsCanRead) return undefined;
      return this.object(bucket, object);
    };
  }

  async start(): Promise<string> {
    this.url = await this.servers.listen((req, res) => void this.handle(req, res));
    return this.url;
  }

  async stop(): Promise<void> {
    await this.servers.close();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const requestId = randomBytes(12).toString('hex').toUpperCase();
    const headers = joinedHeaders(req.rawHeaders);
    const target = new URL(req.url ?? '/', 'http://fake');
    const record: OssRequestRecord = { method: req.method ?? '', host: headers.host ?? '', path: target.pathname, headers, status: 200, requestId };
    this.requests.push(record);
    try {
      const { bucket, object } = address(headers.host ?? '', target.pathname);
      Object.assign(record, { bucket, object });
      record.accessKeyId = this.authenticate(req.method ?? '', headers, bucket, object, target.searchParams);
      const stored = this.buckets.get(bucket);
      if (!stored) throw new OssError(404, 'NoSuchBucket', 'The specified bucket does not exist.', { BucketName: bucket });
      if (stored.denied.has(record.accessKeyId)) throw new OssError(403, 'AccessDenied', 'You have no right to access this object because of bucket acl.');
      if (!object) throw new OssError(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
      const found = stored.objects.get(object);
      switch (req.method) {
        case 'PUT': {
          const md5 = createHash('md5').update(body);
          const given = headers['content-md5'];
          if (given !== undefined && given !== md5.copy().digest('base64')) throw new OssError(400, 'InvalidDigest', 'The Content-MD5 you specified is not valid.');
          const etag = `"${md5.digest('hex').toUpperCase()}"`;
          stored.objects.set(object, { content: body, contentType: headers['content-type'] ?? 'application/octet-stream', etag });
          res.writeHead(200, { 'x-oss-request-id': requestId, etag, 'content-length': '0' });
          return void res.end();
        }
        case 'GET':
        case 'HEAD': {
          if (!found) throw new OssError(404, 'NoSuchKey', 'The specified key does not exist.', { Key: object });
          res.writeHead(200, { 'x-oss-request-id': requestId, etag: found.etag, 'content-type': found.contentType, 'content-length': String(found.content.length) });
          return void res.end(req.method === 'GET' ? found.content : undefined);
        }
        default:
          throw new OssError(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
      }
    } catch (error) {
      if (!(error instanceof OssError)) throw error;
      record.status = error.status;
      record.code = error.code;
      const fields = { Code: error.code, Message: error.message, RequestId: requestId, HostId: headers.host ?? '', ...error.extra };
      const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<Error>\n${Object.entries(fields).map(([k, v]) => `  <${k}>${escapeXml(v)}</${k}>`).join('\n')}\n</Error>\n`;
      res.writeHead(error.status, { 'x-oss-request-id': requestId, 'content-type': 'application/xml', 'content-length': String(Buffer.byteLength(xml)) });
      res.end(req.method === 'HEAD' ? undefined : xml);
    }
  }

  /** Checks the V1 Authorization header; returns the AccessKey id. */
  private authenticate(method: string, headers: Record<string, string>, bucket: string, object: string, query: URLSearchParams): string {
    const authorization = headers.authorization;
    if (!authorization) throw new OssError(403, 'AccessDenied', 'You have no right to access this object because of bucket acl.');
    const match = /^OSS ([^:\s]+):(\S+)$/.exec(authorization);
    if (!match) throw new OssError(400, 'InvalidArgument', 'Authorization header is invalid.');
    const [, accessKeyId, signature] = match;
    const credential = this.credentials.get(accessKeyId);
    if (!credential) throw new OssError(403, 'InvalidAccessKeyId', 'The OSS Access Key Id you provided does not exist in our records.', { OSSAccessKeyId: accessKeyId });
    if ((credential.securityToken ?? '') !== (headers['x-oss-security-token'] ?? '')) {
      throw new OssError(403, 'InvalidAccessKeyId', 'The security token you provided is invalid.', { OSSAccessKeyId: accessKeyId });
    }
    const date = headers['x-oss-date'] ?? headers.date;
    const time = date ? Date.parse(date) : NaN;
    if (Number.isNaN(time)) throw new OssError(403, 'AccessDenied', 'OSS authentication requires a valid Date.');
    if (Math.abs(time - this.clock().getTime()) > skewMs) throw new OssError(403, 'RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.');
    const ossHeaders = Object.keys(headers)
      .filter((name) => name.startsWith('x-oss-'))
      .sort()
      .map((name) => `${name}:${headers[name].trim()}\n`)
      .join('');
    const subs = [...query.keys()].filter((k) => subResources.has(k)).sort().map((k) => (query.get(k) ? `${k}=${query.get(k)}` : k));
    const resource = `/${bucket}/${object}${subs.length ? `?${subs.join('&')}` : ''}`;
    const stringToSign = `${method}\n${headers['content-md5'] ?? ''}\n${headers['content-type'] ?? ''}\n${date}\n${ossHeaders}${resource}`;
    const expected = createHmac('sha1', credential.secret).update(stringToSign, 'utf8').digest();
    const given = Buffer.from(signature, 'base64');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new OssError(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.', {
        OSSAccessKeyId: accessKeyId,
        StringToSign: stringToSign,
      });
    }
    return accessKeyId;
  }
}

/**
 * Bucket and object of a request: virtual-host style when the Host names a bucket before the endpoint
 * (`bucket.oss-cn-hangzhou.aliyuncs.com`), path-style (`/bucket/object`) when it is this server's address.
 */
function address(host: string, path: string): { bucket: string; object: string } {
  const hostname = host.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  const segments = path.split('/').slice(1);
  const decode = (parts: string[]) => parts.map((p) => decodeURIComponent(p)).join('/');
  if (isIP(hostname) || hostname === 'localhost') return { bucket: decodeURIComponent(segments[0] ?? ''), object: decode(segments.slice(1)) };
  return { bucket: hostname.split('.')[0], object: decode(segments) };
}

/** Header names lower-cased; repeated headers joined with ",". */
function joinedHeaders(raw: string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i].toLowerCase();
    headers[name] = name in headers ? `${headers[name]},${raw[i + 1]}` : raw[i + 1];
  }
  return headers;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
