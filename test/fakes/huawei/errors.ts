/**
 * How the service and its gateway answer errors (spec §4): API Gateway `APIGW.*` codes with their HTTP statuses and
 * a `request_id` in the body; service framework errors `OSM.000x` as 4xx/5xx; business errors `OSM.0101xxxx` as
 * HTTP 200 with `error_code`/`error_msg`.
 */

export interface Answer {
  status: number;
  /** A JSON body; `raw` wins when both are set. */
  json?: unknown;
  raw?: Buffer | string;
  headers?: Record<string, string>;
}

export const ok = (json: unknown = {}, status = 200): Answer => ({ status, json });

/** A gateway refusal; the request id is filled in when the answer is sent. */
export const gateway = (status: number, code: string, message: string): Answer => ({ status, json: { error_code: code, error_msg: message, request_id: '' } });

export const apiNotFound = () => gateway(404, 'APIGW.0101', 'The API does not exist or has not been published in the environment');
export const methodNotFound = () => gateway(404, 'APIGW.0101', 'The API does not exist');
export const authFailed = (message: string) => gateway(401, 'APIGW.0301', message);
export const throttled = () => gateway(429, 'APIGW.0308', 'The throttling threshold has been reached: policy user over ratelimit,limit:20,time:1 minute');
export const backendUnavailable = (status: number) =>
  status === 504 ? gateway(504, 'APIGW.0203', 'Backend timeout') : gateway(status, 'APIGW.0202', 'Backend unavailable');

/** The service's own framework errors (ticket_api_20001). */
export const osmFramework = (status: 400 | 401 | 403 | 500, message?: string): Answer => {
  const code = { 400: 'OSM.0001', 401: 'OSM.0002', 403: 'OSM.0003', 500: 'OSM.0004' }[status];
  const text = { 400: 'Failed', 401: 'Unauthorized', 403: 'Forbidden', 500: 'Internal error' }[status];
  return { status, json: { error_code: code, error_msg: message ? `${text}: ${message}` : text } };
};

/** Business error codes (ErrorCode page), all answered with HTTP 200. */
export const OSM = {
  paramInvalid: 'OSM.01010001',
  noPermission: 'OSM.01010002',
  urgedTooOften: 'OSM.01010004',
  dailyAttachmentLimit: 'OSM.01010005',
  severityMissing: 'OSM.01010006',
  badAction: 'OSM.01010013',
  internal: 'OSM.01010014',
  caseMissing: 'OSM.01010015',
  operationFail: 'OSM.01010017',
} as const;

const messages: Record<string, string> = {
  [OSM.paramInvalid]: 'Param validation failed',
  [OSM.noPermission]: 'No operation permission',
  [OSM.urgedTooOften]: 'The case has been urged too frequently',
  [OSM.dailyAttachmentLimit]: 'The total size of attachments uploaded today exceeds the limit',
  [OSM.severityMissing]: 'Severity Id does not exist',
  [OSM.badAction]: '操作类型必须是取消、关闭、催单或者删除',
  [OSM.internal]: 'Operation fail.',
  [OSM.caseMissing]: 'This case does not exist.',
  [OSM.operationFail]: 'Operation fail',
};

export const business = (code: string, detail?: string): Answer => ({ status: 200, json: { error_code: code, error_msg: detail ? `${messages[code] ?? code}: ${detail}` : (messages[code] ?? code) } });
