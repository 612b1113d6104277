import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type OSS from 'ali-oss';
import { request, type Dispatcher } from 'undici';
import type { OperationContext } from '../../core/backend/backend';
import { DbTicketsError, type ErrorKind } from '../../core/errors';
import type { TicketDraft } from '../../core/model/ticketDraft';
import { certificateAdvice } from '../../net/dispatcher';
import { flatHeaders } from '../../net/httpClient';
import { pause } from '../../net/retry';
import { type TransportError, toTransportError } from '../../net/transportError';
import type { AccessKey } from './credentials';
import type { OssLocation } from './dmsProfile';
import type { RpcClient } from './rpcClient';

/**
 * Files DMS cannot take inline (SQL too long for the URL query of a create call, a ticket's attachment) are put in
 * OSS with the profile's AccessKey, then handed to DMS with an upload job (CreateUploadOSSFileJob, polled with
 * GetUserUploadFileJob) whose AttachmentKey the create call names. Object names derive from the draft id, so a
 * retried submit overwrites the same objects.
 */

export type FileSource = 'datacorrect' | 'order_info_attachment';

export interface OssStagerOptions {
  location: OssLocation;
  endpoint: URL;
  /** The profile's region: ali-oss derives the Host of requests to an IP endpoint from it. */
  region?: string;
  accessKey: () => Promise<AccessKey>;
  /** The backend's connection pool: OSS requests go through the same proxy and certificate settings as DMS's. */
  dispatcher: Dispatcher;
  client: Pick<RpcClient, 'call'>;
  profileName: string;
  /** How long one upload may take. */
  timeoutMs: number;
  /** Between polls of an upload job. */
  pollMs?: number;
  /** How long to wait for DMS to take a file. */
  jobWaitMs?: number;
}

export interface StagedFile {
  /** The object name, prefix included. */
  objectName: string;
  /** The file's name in DMS: ends with .sql or .txt. */
  fileName: string;
  fileSource: FileSource;
  content: Buffer;
  /** For messages, e.g. `the SQL of "Fix prices"`. */
  what: string;
}

/** The AttachmentKeys of what a draft had staged. */
export interface StagedDraft {
  /** The SQL, for `Param.AttachmentName` with `SqlType` ATTACHMENT. */
  sql?: string;
  /** The draft's attachment, for the create call's `AttachmentKey`. */
  attachment?: string;
}

interface UploadFileJobDetail {
  JobStatus?: string;
  JobStatusDesc?: string;
  AttachmentKey?: string;
}

export class OssStager {
  constructor(private readonly options: OssStagerOptions) {}

  /** Where a file goes, e.g. oss://bucket/prefix/draft-1a2b/sql.sql. */
  url(objectName: string): string {
    return `oss://${this.options.location.bucket}/${objectName}`;
  }

  /**
   * Stages what the draft needs: its SQL when `sql` (too long inline), and its attachment, after checking that DMS
   * takes it (one file, .sql or .txt) so that nothing is uploaded for a draft DMS would refuse.
   */
  async stageDraft(draft: TicketDraft, sql: boolean, ctx: OperationContext): Promise<StagedDraft> {
    const [attachment, ...more] = draft.attachments;
    if (more.length > 0) {
      throw new DbTicketsError('usage', `DMS takes one attachment per ticket, and "${draft.title}" names ${draft.attachments.length}: put them in one .sql or .txt file, or remove all but one.`);
    }
    if (attachment && !/\.(sql|txt)$/i.test(attachment.name)) {
      throw new DbTicketsError('usage', `DMS takes only .sql or .txt attachments, and "${draft.title}" names ${attachment.name}: attach a .sql or .txt file, or remove it.`);
    }
    const folder = `${this.options.location.prefix}${draftFolder(draft.id)}/`;
    const staged: StagedDraft = {};
    if (sql) {
      staged.sql = await this.stage({ objectName: `${folder}sql.sql`, fileName: `${draftFolder(draft.id)}.sql`, fileSource: 'datacorrect', content: Buffer.from(draft.sql, 'utf8'), what: `the SQL of "${draft.title}"` }, ctx);
    }
    if (attachment) {
      let content: Buffer;
      try {
        content = await readFile(attachment.path);
      } catch (error) {
        throw new DbTicketsError('usage', `The attachment ${attachment.path} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}): check the "-- Attachments:" line of "${draft.title}".`, { cause: error });
      }
      const name = safeName(attachment.name);
      staged.attachment = await this.stage({ objectName: `${folder}attachment-${name}`, fileName: name, fileSource: 'order_info_attachment', content, what: `the attachment ${attachment.name}` }, ctx);
    }
    return staged;
  }

  /** Uploads one file and has DMS take it; returns its AttachmentKey. */
  async stage(file: StagedFile, ctx: OperationContext): Promise<string> {
    await this.upload(file, ctx);
    const jobKey = await this.createJob(file, ctx);
    return this.awaitJob(jobKey, file, ctx);
  }

  private async upload(file: StagedFile, ctx: OperationContext): Promise<void> {
    const { location, endpoint, region, timeoutMs } = this.options;
    const where = this.url(file.objectName);
    ctx.onProgress?.({ message: `Uploading ${file.what} to ${where}`, done: 0, total: file.content.length });
    const key = await this.options.accessKey();
    const transport: { failure?: TransportError } = {};
    // Loaded here, not at the top: only a submit that stages a file pays for ali-oss.
    const { default: Client } = await import('ali-oss');
    const client = new Client({
      accessKeyId: key.accessKeyId,
      accessKeySecret: key.accessKeySecret,
      stsToken: key.securityToken,
      // Given with the token so that ali-oss neither warns about its absence nor keeps a stale token.
      refreshSTSToken: key.securityToken ? async () => this.freshToken() : undefined,
      bucket: location.bucket,
      endpoint: endpoint.origin,
      secure: endpoint.protocol === 'https:',
      region: region ? `oss-${region}` : undefined,
      timeout: timeoutMs,
      urllib: urllibOn(this.options.dispatcher, ctx.signal, transport),
    } as OSS.Options);
    try {
      await client.put(file.objectName, file.content, { mime: 'text/plain; charset=utf-8' });
    } catch (error) {
      if (ctx.signal?.aborted) throw new DbTicketsError('cancelled', `Uploading ${file.what} to ${where} was cancelled; no DMS ticket was created.`, { cause: error });
      if (transport.failure) {
        throw new DbTicketsError('unavailable', `Uploading ${file.what} to ${where} failed: ${transport.failure.message} reaching ${endpoint.origin}. ${transport.failure.failure === 'tls' ? `${certificateAdvice} Then submit again` : `Check the network (proxy settings) and "ossEndpoint" of profile "${this.options.profileName}", then submit again`}; no DMS ticket was created.`, { cause: transport.failure });
      }
      throw ossError(error, file, where, this.options);
    }
    ctx.onProgress?.({ message: `Uploaded ${file.what} to ${where}`, done: file.content.length, total: file.content.length });
  }

  private async freshToken(): Promise<{ accessKeyId: string; accessKeySecret: string; stsToken: string }> {
    const key = await this.options.accessKey();
    return { accessKeyId: key.accessKeyId, accessKeySecret: key.accessKeySecret, stsToken: key.securityToken ?? '' };
  }

  private async createJob(file: StagedFile, ctx: OperationContext): Promise<string> {
    const { location, endpoint } = this.options;
    ctx.onProgress?.({ message: `Handing ${file.what} to DMS` });
    const response = await this.options.client.call<{ JobKey?: string }>(
      'CreateUploadOSSFileJob',
      { FileSource: file.fileSource, FileName: file.fileName, UploadTarget: { Endpoint: endpoint.origin, BucketName: location.bucket, ObjectName: file.objectName } },
      ctx,
    );
    if (!response.JobKey) throw new DbTicketsError('unavailable', `DMS accepted the upload job for ${file.what} but gave no JobKey: submit again.`, { requestId: response.RequestId });
    return response.JobKey;
  }

  private async awaitJob(jobKey: string, file: StagedFile, ctx: OperationContext): Promise<string> {
    const deadline = Date.now() + (this.options.jobWaitMs ?? 300_000);
    const where = this.url(file.objectName);
    for (let poll = 0; ; poll++) {
      const response = await this.options.client.call<{ UploadFileJobDetail?: UploadFileJobDetail }>('GetUserUploadFileJob', { JobKey: jobKey }, ctx);
      const job = response.UploadFileJobDetail ?? {};
      const status = (job.JobStatus ?? '').toUpperCase();
      if (status === 'SUCCESS') {
        if (job.AttachmentKey) return job.AttachmentKey;
        throw new DbTicketsError('unavailable', `DMS took ${file.what} (job ${jobKey}) but gave no AttachmentKey: submit again.`, { requestId: response.RequestId });
      }
      if (status === 'FAIL') {
        throw new DbTicketsError(
          'failed',
          `DMS could not take ${file.what} from ${where} (job ${jobKey}${job.JobStatusDesc ? `: ${job.JobStatusDesc}` : ''}): DMS must be able to read the object — keep the bucket in the DMS region and let DMS read it (a bucket policy granting oss:GetObject on it), then submit again. No DMS ticket was created.`,
          { requestId: response.RequestId },
        );
      }
      if (Date.now() >= deadline) {
        throw new DbTicketsError('unavailable', `DMS has not taken ${file.what} from ${where} yet (job ${jobKey} is ${status || 'unknown'}): submit again later; the file is uploaded to the same place. No DMS ticket was created.`);
      }
      ctx.onProgress?.({ message: `Waiting for DMS to take ${file.what} (${status || 'pending'})` });
      await pause(Math.min((this.options.pollMs ?? 1_000) * 2 ** Math.min(poll, 3), 5_000), ctx.signal, `Stopped waiting for DMS to take ${file.what}; no DMS ticket was created. Submit the same draft again to continue.`);
    }
  }
}

/** A draft's folder under the prefix: its id made safe for object names, with a hash so that distinct ids stay distinct. */
export function draftFolder(draftId: string): string {
  const readable = draftId.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._-]+/, '').slice(0, 64) || 'draft';
  return `${readable}-${createHash('sha256').update(draftId, 'utf8').digest('hex').slice(0, 10)}`;
}

/** A file name reduced to letters, digits, ".", "_" and "-". */
function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._-]+/, '').slice(-100) || 'attachment.txt';
}

interface OssFailure {
  code?: string;
  status?: number;
  requestId?: string;
  message?: string;
}

const ossAdvice: Array<{ codes: string[]; kind: ErrorKind; advice: (bucket: string, prefix: string, profile: string) => string }> = [
  { codes: ['AccessDenied'], kind: 'auth', advice: (bucket, prefix) => `the AccessKey may not write there: grant it oss:PutObject on acs:oss:*:*:${bucket}/${prefix}*` },
  { codes: ['NoSuchBucket'], kind: 'config', advice: (bucket, _prefix, profile) => `there is no bucket ${bucket} at this endpoint: check "ossStaging" of profile "${profile}", and "ossEndpoint" or "region" (the bucket's region)` },
  { codes: ['InvalidAccessKeyId', 'SignatureDoesNotMatch', 'SecurityTokenExpired', 'InvalidSecurityToken'], kind: 'auth', advice: () => 'OSS did not accept the AccessKey of the DMS profile: check it, or get a new STS token' },
  { codes: ['RequestTimeTooSkewed'], kind: 'config', advice: () => "this computer's clock is more than 15 minutes off: correct it (turn on automatic time)" },
  { codes: ['InvalidDigest', 'BadDigest'], kind: 'unavailable', advice: () => 'the file changed on its way: submit again' },
];

function ossError(error: unknown, file: StagedFile, where: string, options: OssStagerOptions): DbTicketsError {
  const failure = (error ?? {}) as OssFailure;
  const code = failure.code ?? 'unknown error';
  const rule = ossAdvice.find((r) => r.codes.includes(code));
  const advice = rule ? rule.advice(options.location.bucket, options.location.prefix, options.profileName) : 'check the bucket and its permissions';
  const said = failure.message && failure.message !== code ? `${code}: ${failure.message}` : code;
  const requestId = failure.requestId;
  return new DbTicketsError(
    rule?.kind ?? 'failed',
    `OSS refused the upload of ${file.what} to ${where} (${said}${failure.status ? `, HTTP ${failure.status}` : ''}): ${advice}. No DMS ticket was created.${requestId ? ` (OSS RequestId ${requestId})` : ''}`,
    { requestId, cause: error },
  );
}

interface UrllibParams {
  method: string;
  content?: Buffer | string;
  headers?: Record<string, string>;
  timeout?: number | number[];
}

/**
 * The part of urllib's `request` that ali-oss calls (its `urllib` option), over the backend's undici dispatcher:
 * OSS requests then use the extension's proxy and certificate settings, and the operation's cancellation.
 */
function urllibOn(dispatcher: Dispatcher, signal: AbortSignal | undefined, transport: { failure?: TransportError }) {
  return {
    async request(url: string, params: UrllibParams) {
      const timeoutMs = Array.isArray(params.timeout) ? params.timeout.reduce((a, b) => a + b, 0) : (params.timeout ?? 60_000);
      const timeout = AbortSignal.timeout(timeoutMs);
      try {
        const response = await request(url, {
          dispatcher,
          method: params.method as Dispatcher.HttpMethod,
          headers: params.headers,
          body: params.content,
          signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
        });
        const data = Buffer.from(await response.body.arrayBuffer());
        const headers = flatHeaders(response.headers);
        const res = { status: response.statusCode, statusCode: response.statusCode, headers, size: data.length, requestUrls: [url] };
        return { status: response.statusCode, headers, data, res };
      } catch (error) {
        transport.failure = toTransportError(error, timeout.aborted, signal?.aborted ?? false);
        throw Object.assign(new Error(transport.failure.message), { status: -1, name: 'RequestError' });
      }
    },
  };
}
