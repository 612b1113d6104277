import { randomUUID } from 'node:crypto';
import { type Answer, business, OSM, ok, osmFramework } from './errors';

/**
 * Attachments ("accessorys", sic; spec §2.7): multipart or JSON upload checked against the limits the service
 * publishes, download, and delete while not yet bound to a case or message.
 */

export interface AttachmentLimits {
  /** At most this many attachments per case or message. */
  limitCount: number;
  /** Per file, in MB. */
  limitSizeMb: number;
  /** Accepted extensions, lower case without the dot (the v1 doc's list; `.sql` is not among them). */
  fileTypes: string[];
  /** Total uploaded per account per day before OSM.01010005. */
  dailyBytes: number;
}

export const defaultLimits: AttachmentLimits = {
  limitCount: 5,
  limitSizeMb: 2,
  fileTypes: ['jpg', 'jpeg', 'bmp', 'png', 'gif', 'txt', 'doc', 'docx', 'rar', 'zip', 'pdf', 'xls', 'xlsx'],
  dailyBytes: 20 * 1024 * 1024,
};

export interface FakeAttachment {
  accessory_id: string;
  domainId: string;
  name: string;
  data: Buffer;
  from: 'incident' | 'message';
  uploadType: number;
  uploadedAt: number;
  /** The case or message it was attached to; it can no longer be deleted then. */
  boundTo?: string;
}

export interface Part {
  name: string;
  filename?: string;
  contentType?: string;
  data: Buffer;
}

/** A small multipart/form-data reader (enough for what form-data and undici send). */
export function parseMultipart(body: Buffer, contentType: string): Part[] | undefined {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  if (!boundary) return undefined;
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2].trim()}`);
  const parts: Part[] = [];
  let at = body.indexOf(delimiter);
  if (at < 0) return undefined;
  for (;;) {
    const start = at + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') return parts;
    const next = body.indexOf(delimiter, start);
    if (next < 0) return undefined;
    const chunk = body.subarray(start + 2, next - 2); // CRLF after the delimiter, CRLF before the next
    const split = chunk.indexOf('\r\n\r\n');
    if (split < 0) return undefined;
    const head = chunk.subarray(0, split).toString('utf8');
    const disposition = /content-disposition:[^\r\n]*/i.exec(head)?.[0] ?? '';
    const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
    if (name === undefined) return undefined;
    const filename = /\bfilename="([^"]*)"/i.exec(disposition)?.[1];
    const type = /content-type:\s*([^\r\n]+)/i.exec(head)?.[1];
    parts.push({ name, filename, contentType: type, data: chunk.subarray(split + 4) });
    at = next;
  }
}

const DAY_MS = 24 * 3600_000;

export class Attachments {
  readonly items = new Map<string, FakeAttachment>();

  constructor(public limits: AttachmentLimits) {}

  limitsAnswer(): Answer {
    const l = this.limits;
    return ok({ accessory_limit: { limit_count: String(l.limitCount), limit_size: String(l.limitSizeMb), limit_file_type: l.fileTypes.join(',') } });
  }

  uploadMultipart(body: Buffer, contentType: string, domainId: string, now: number): Answer {
    if (!/^multipart\/form-data/i.test(contentType)) return osmFramework(400, 'the upload must be multipart/form-data');
    const parts = parseMultipart(body, contentType);
    if (!parts) return osmFramework(400, 'the multipart body cannot be read');
    const file = parts.find((p) => p.name === 'file');
    const form = parts.find((p) => p.name === 'form_data');
    if (!file || !form) return business(OSM.paramInvalid, 'the parts file and form_data are required');
    let meta: { fileName?: unknown; accessoryFrom?: unknown; uploadType?: unknown };
    try {
      meta = JSON.parse(form.data.toString('utf8'));
    } catch {
      return business(OSM.paramInvalid, 'form_data is not a JSON string');
    }
    const name = typeof meta.fileName === 'string' ? meta.fileName : file.filename;
    return this.store(name, meta.accessoryFrom, meta.uploadType, file.data, domainId, now);
  }

  uploadJson(body: Record<string, unknown>, domainId: string, now: number): Answer {
    const { accessory_name: name, accessory_from: from, upload_type: uploadType, accessory_data: data } = body;
    if (typeof name !== 'string' || name.length > 512) return business(OSM.paramInvalid, 'accessory_name is required, at most 512 characters');
    if (typeof data !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(data)) return business(OSM.paramInvalid, 'accessory_data must be base64');
    return this.store(name, from, uploadType, Buffer.from(data, 'base64'), domainId, now);
  }

  private store(name: string | undefined, from: unknown, uploadType: unknown, data: Buffer, domainId: string, now: number): Answer {
    if (!name) return business(OSM.paramInvalid, 'the file name is required');
    if (from !== 'incident' && from !== 'message') return business(OSM.paramInvalid, 'accessoryFrom must be incident or message');
    if (uploadType !== undefined && uploadType !== 0 && uploadType !== 1) return business(OSM.paramInvalid, 'uploadType must be 0 or 1');
    const extension = /\.([^.]+)$/.exec(name)?.[1]?.toLowerCase() ?? '';
    if (!this.limits.fileTypes.includes(extension)) return business(OSM.paramInvalid, `the file type .${extension} is not allowed; allowed: ${this.limits.fileTypes.join(',')}`);
    if (data.length === 0) return business(OSM.paramInvalid, 'the file is empty');
    if (data.length > this.limits.limitSizeMb * 1024 * 1024) return business(OSM.paramInvalid, `the file exceeds ${this.limits.limitSizeMb} MB`);
    const today = [...this.items.values()].filter((a) => a.domainId === domainId && Math.floor(a.uploadedAt / DAY_MS) === Math.floor(now / DAY_MS)).reduce((sum, a) => sum + a.data.length, 0);
    if (today + data.length > this.limits.dailyBytes) return business(OSM.dailyAttachmentLimit);
    const id = randomUUID().replace(/-/g, '');
    this.items.set(id, { accessory_id: id, domainId, name, data, from, uploadType: (uploadType as number | undefined) ?? 0, uploadedAt: now });
    return ok({ accessory_id: id });
  }

  /** Checks ids for a new case or message (own, unbound, not too many); binds them when `bindTo` is given. */
  claim(ids: unknown, domainId: string, bindTo?: string): Answer | undefined {
    if (ids === undefined || ids === null) return undefined;
    if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string')) return business(OSM.paramInvalid, 'accessory_ids must be an array of strings');
    if (ids.length > this.limits.limitCount) return business(OSM.paramInvalid, `at most ${this.limits.limitCount} attachments`);
    for (const id of ids as string[]) {
      const item = this.items.get(id);
      if (!item || item.domainId !== domainId) return business(OSM.paramInvalid, `accessory ${id} does not exist`);
      if (item.boundTo) return business(OSM.paramInvalid, `accessory ${id} is already attached`);
    }
    if (bindTo) for (const id of ids as string[]) this.items.get(id)!.boundTo = bindTo;
    return undefined;
  }

  download(id: string, domainId: string): Answer {
    const item = this.items.get(id);
    if (!item || item.domainId !== domainId) return business(OSM.paramInvalid, `accessory ${id} does not exist`);
    return {
      status: 200,
      raw: item.data,
      headers: { 'Content-Type': 'application/octet-stream', 'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(item.name)}` },
    };
  }

  delete(id: string, domainId: string): Answer {
    const item = this.items.get(id);
    if (!item || item.domainId !== domainId) return business(OSM.paramInvalid, `accessory ${id} does not exist`);
    if (item.boundTo) return business(OSM.operationFail, 'the attachment is bound to a case or message');
    this.items.delete(id);
    return ok({});
  }

  list(ids: string[]): Array<{ accessory_id: string; file_actual_name: string }> {
    return ids.map((id) => ({ accessory_id: id, file_actual_name: this.items.get(id)?.name ?? '' }));
  }
}
