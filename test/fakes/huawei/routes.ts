import type { Operation } from './faults';

/** The OSM v2 and IAM paths exactly as the spec lists them (no trailing slashes, no guessed aliases). */

export type ServerKind = 'osm' | 'iam';

interface Route {
  server: ServerKind;
  method: string;
  pattern: RegExp;
  operation: Operation;
}

const SR = '/v2/servicerequest';
const ID = '([^/]{1,64})';
const route = (server: ServerKind, method: string, path: string, operation: Operation): Route => ({ server, method, pattern: new RegExp(`^${path}$`), operation });

/** Literal paths come before `{case_id}` ones, so /cases/count is not read as a case id. */
const routes: Route[] = [
  route('osm', 'POST', `${SR}/cases`, 'createCase'),
  route('osm', 'GET', `${SR}/cases`, 'listCases'),
  route('osm', 'GET', `${SR}/cases/count`, 'countCases'),
  route('osm', 'GET', `${SR}/cases/instant-messages/unread`, 'unreadMessages'),
  route('osm', 'GET', `${SR}/cases/${ID}`, 'showCase'),
  route('osm', 'GET', `${SR}/cases/${ID}/status`, 'showCaseStatus'),
  route('osm', 'POST', `${SR}/cases/${ID}/action`, 'action'),
  route('osm', 'POST', `${SR}/cases/${ID}/score`, 'score'),
  route('osm', 'PUT', `${SR}/cases/${ID}/contact-info`, 'updateContactInfo'),
  route('osm', 'GET', `${SR}/cases/${ID}/operate-logs`, 'operateLogs'),
  route('osm', 'GET', `${SR}/cases/${ID}/messages`, 'listMessages'),
  route('osm', 'POST', `${SR}/cases/${ID}/message`, 'addMessage'),
  route('osm', 'POST', `${SR}/cases/${ID}/instant-messages/unread`, 'markMessagesRead'),
  route('osm', 'POST', `${SR}/cases/${ID}/relations`, 'addRelations'),
  route('osm', 'GET', `${SR}/cases/${ID}/relations`, 'listRelations'),
  route('osm', 'DELETE', `${SR}/cases/${ID}/relations`, 'deleteRelation'),
  route('osm', 'POST', `${SR}/accessorys`, 'uploadAttachment'),
  route('osm', 'POST', `${SR}/accessorys/json-format-content`, 'uploadAttachmentJson'),
  route('osm', 'GET', `${SR}/accessorys/limits`, 'attachmentLimits'),
  route('osm', 'GET', `${SR}/accessorys/${ID}`, 'downloadAttachment'),
  route('osm', 'DELETE', `${SR}/accessorys/${ID}`, 'deleteAttachment'),
  route('osm', 'GET', `${SR}/config/categories`, 'listCategories'),
  route('osm', 'GET', `${SR}/config/product-categories`, 'listProducts'),
  route('osm', 'GET', `${SR}/config/problems`, 'listProblemTypes'),
  route('osm', 'GET', `${SR}/config/templates`, 'listTemplates'),
  route('osm', 'GET', `${SR}/config/regions`, 'listRegions'),
  route('osm', 'GET', `${SR}/config/severities`, 'listSeverities'),
  route('osm', 'GET', `${SR}/config/extends-map`, 'listExtendsParams'),
  route('osm', 'GET', `${SR}/config/satisfaction-dimensions`, 'listSatisfactionDimensions'),
  route('osm', 'GET', `${SR}/config/limits`, 'configLimits'),
  route('iam', 'POST', '/v3/auth/tokens', 'iamToken'),
  route('iam', 'GET', '/v3/auth/domains', 'iamDomains'),
];

export type Resolved = { operation: Operation; id?: string } | { missing: 'path' | 'method' };

export function resolve(server: ServerKind, method: string, path: string): Resolved {
  const onPath = routes.filter((r) => r.server === server && r.pattern.test(path));
  // A literal route shadows the `{id}` one with the same shape only for its own method (GET /accessorys/limits).
  const hit = onPath.find((r) => r.method === method);
  if (!hit) return { missing: onPath.length > 0 ? 'method' : 'path' };
  const id = hit.pattern.exec(path)?.[1];
  return { operation: hit.operation, ...(id === undefined ? {} : { id: decodeSafely(id) }) };
}

function decodeSafely(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
