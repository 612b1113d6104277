import { randomUUID } from 'node:crypto';

/**
 * The fake DMS's attachment upload jobs (spec §3.2): CreateUploadOSSFileJob and CreateUploadFileJob start a job that
 * fetches a file from OSS or a URL; GetUserUploadFileJob reports it, INIT then RUNNING for `pollsBeforeDone` polls,
 * then SUCCESS with an AttachmentKey (`upload_<uuid>_<FileName>`) or FAIL when the file cannot be read. The keys are
 * registered with their content, for the create calls' `AttachmentKey` and `Param.AttachmentName`.
 */

export type ObjectReader = (endpoint: string, bucket: string, object: string) => Buffer | undefined;

type Reply = { status?: number; json: Record<string, unknown> };

export interface StoredAttachment {
  key: string;
  fileName: string;
  fileSource: string;
  content: Buffer;
}

interface UploadJob {
  JobKey: string;
  FileSource: string;
  FileName: string;
  UploadType: 'OSS' | 'URL';
  UploadURL?: string;
  UploadOSSParam?: { Endpoint: string; BucketName: string; ObjectName: string };
  polls: number;
  JobStatus: string;
  JobStatusDesc: string;
  AttachmentKey?: string;
  FileSize?: number;
}

const fileSources = ['datacorrect', 'order_info_attachment', 'big-file', 'sqlreview'];

export class UploadJobs {
  /** How DMS reads an OSS object: the fake OSS's `reader()`; nothing is readable by default. */
  readObject: ObjectReader = () => undefined;
  /** How DMS fetches a URL (CreateUploadFileJob); nothing by default. */
  readUrl: (url: string) => Buffer | undefined = () => undefined;
  /** How many polls a job stays unfinished. */
  pollsBeforeDone = 1;
  readonly jobs = new Map<string, UploadJob>();
  readonly attachmentKeys = new Set<string>();
  readonly attachments = new Map<string, StoredAttachment>();

  answer(action: string, params: Map<string, string>): Reply {
    switch (action) {
      case 'CreateUploadOSSFileJob': {
        const problem = fileProblem(params);
        if (problem) return refuse(problem);
        let target: Record<string, unknown>;
        try {
          target = JSON.parse(params.get('UploadTarget')!);
        } catch {
          return refuse('UploadTarget is not valid JSON.');
        }
        const { Endpoint, BucketName, ObjectName } = target ?? {};
        if (typeof Endpoint !== 'string' || typeof BucketName !== 'string' || typeof ObjectName !== 'string' || !BucketName || !ObjectName) {
          return refuse('UploadTarget must give Endpoint, BucketName and ObjectName.');
        }
        if (!/^https?:\/\//.test(Endpoint)) return refuse('Unsupported endpoint scheme, scheme must be https or http');
        return this.start(params, { UploadType: 'OSS', UploadOSSParam: { Endpoint, BucketName, ObjectName } });
      }
      case 'CreateUploadFileJob': {
        const problem = fileProblem(params);
        if (problem) return refuse(problem);
        const url = params.get('UploadURL')!;
        if (!/^https?:\/\//.test(url)) return refuse(`Unsupported url scheme : ${/^([a-z]+):/i.exec(url)?.[1] ?? 'null'}, scheme must be https or http`);
        return this.start(params, { UploadType: 'URL', UploadURL: url });
      }
      case 'GetUserUploadFileJob': {
        const job = this.jobs.get(params.get('JobKey')!);
        if (!job) return refuse(`The upload job ${params.get('JobKey')} does not exist.`);
        this.progress(job);
        const { polls: _polls, ...detail } = job;
        return { json: { UploadFileJobDetail: { ...detail, UploadedSize: job.FileSize } } };
      }
      default:
        return { status: 404, json: { Code: 'InvalidApi.NotFound', Message: 'Specified api is not found.' } };
    }
  }

  /**
   * What is wrong with the files a create call names: a `Param` (CreateDataCorrectOrder) with SqlType ATTACHMENT
   * must name a registered AttachmentName, and an `AttachmentKey` must be registered.
   */
  problemWith(param: Record<string, unknown> | undefined, attachmentKey: string | undefined): string | undefined {
    if (param && param.SqlType !== 'TEXT' && param.SqlType !== 'ATTACHMENT') return 'Param.SqlType must be TEXT or ATTACHMENT.';
    if (param?.SqlType === 'ATTACHMENT' && !this.attachmentKeys.has(String(param.AttachmentName))) return `Param.AttachmentName ${String(param.AttachmentName)} is not an uploaded attachment.`;
    if (attachmentKey !== undefined && !this.attachmentKeys.has(attachmentKey)) return `AttachmentKey ${attachmentKey} is not an uploaded attachment.`;
    return undefined;
  }

  /** The SQL of a data change filed with SqlType ATTACHMENT. */
  sqlOf(param: Record<string, unknown>): string | undefined {
    return param.SqlType === 'ATTACHMENT' ? this.attachments.get(String(param.AttachmentName))?.content.toString('utf8') : undefined;
  }

  private start(params: Map<string, string>, how: Pick<UploadJob, 'UploadType' | 'UploadURL' | 'UploadOSSParam'>): Reply {
    const JobKey = randomUUID().replace(/-/g, '').slice(0, 25);
    this.jobs.set(JobKey, { JobKey, FileSource: params.get('FileSource')!, FileName: params.get('FileName')!, ...how, polls: 0, JobStatus: 'INIT', JobStatusDesc: 'init' });
    return { json: { JobKey } };
  }

  private progress(job: UploadJob): void {
    if (job.JobStatus === 'SUCCESS' || job.JobStatus === 'FAIL') return;
    job.polls += 1;
    if (job.polls <= this.pollsBeforeDone) {
      Object.assign(job, job.polls === 1 ? { JobStatus: 'INIT', JobStatusDesc: 'init' } : { JobStatus: 'RUNNING', JobStatusDesc: 'running' });
      return;
    }
    const oss = job.UploadOSSParam;
    const content = oss ? this.readObject(oss.Endpoint, oss.BucketName, oss.ObjectName) : this.readUrl(job.UploadURL!);
    if (!content) {
      Object.assign(job, { JobStatus: 'FAIL', JobStatusDesc: oss ? `Failed to read oss://${oss.BucketName}/${oss.ObjectName}` : `Failed to download ${job.UploadURL}` });
      return;
    }
    const key = `upload_${randomUUID()}_${job.FileName}`;
    this.attachmentKeys.add(key);
    this.attachments.set(key, { key, fileName: job.FileName, fileSource: job.FileSource, content });
    Object.assign(job, { JobStatus: 'SUCCESS', JobStatusDesc: 'success', AttachmentKey: key, FileSize: content.length });
  }
}

function fileProblem(params: Map<string, string>): string | undefined {
  if (!fileSources.includes(params.get('FileSource')!)) return `FileSource must be one of ${fileSources.join(', ')}.`;
  if (!/\.(sql|txt)$/.test(params.get('FileName')!)) return 'FileName must end with .sql or .txt.';
  return undefined;
}

function refuse(message: string): Reply {
  return { json: { Success: false, ErrorCode: 'InvalidParameterValid', ErrorMessage: message } };
}
