import * as z from '../../core/zod';
import { nonBlank, optionalField } from '../profileField';

const executeTimesMessage = 'request.executeTimes must be a whole number, 1 or more.';

/** The ticket request every ticket carries: which ZStack API the approval runs, with `{{placeholders}}` in its strings. */
export const ZStackRequestTemplate = z.lazySchema(() =>
  z.object({
    requestName: optionalField('Display name of the request; default: the ticket title.', z.string({ error: 'request.requestName must be text.' })),
    apiName: nonBlank('request.apiName is missing: give the API message class a ticket type of the server covers, e.g. org.zstack.header.database.APIExecuteDatabaseChangeMsg (db-tickets check lists the ticket types).'),
    apiBody: optionalField('The API\'s parameters; strings may hold {{sql}}, {{database}}, {{title}}, {{reason}}, {{kind}}, {{draftId}}.', z.record(z.string(), z.unknown(), { error: 'request.apiBody must be a JSON object of the API\'s parameters.' })),
    executeTimes: optionalField('How many times the API runs on final approval (default 1).', z.int({ error: executeTimesMessage }).check(z.gte(1, { error: executeTimesMessage }))),
  }),
);
export type ZStackRequestTemplate = z.infer<typeof ZStackRequestTemplate>;

/** The fields of a `"backend": "zstack"` profile. The password is never here: secret `password`, or ZSTACK_PASSWORD. */
export const ZStackProfile = z.lazySchema(() =>
  z
    .looseObject({
      name: z.string(),
      backend: z.literal('zstack'),
      endpoint: nonBlank('endpoint is missing: give the management node address, e.g. http://zstack.example.com:8080 (a path such as /zstack is the context path).').check(
        z.describe('The management node, e.g. http://zstack.example.com:8080; a path is the context path (default /zstack).'),
      ),
      loginAs: z.enum(['iam2', 'account', 'user'], { error: 'loginAs must be "iam2" (an IAM2 virtual ID), "account" or "user" (a user of an account).' }).check(
        z.describe('How to log in: iam2 (an IAM2 virtual ID, who submits tickets), account, or user (a user of an account).'),
      ),
      username: nonBlank('username is missing: give the virtual ID, account or user name to log in as.').check(z.describe('The virtual ID, account or user name to log in as.')),
      accountName: optionalField('The account of the user (loginAs user).', nonBlank('accountName is empty: give the account the user belongs to, or remove the field.')),
      project: optionalField('The IAM2 project tickets are filed in, by name or uuid (loginAs iam2).', nonBlank('project is empty: give the IAM2 project name or uuid, or remove the field.')),
      flowCollectionUuid: optionalField(
        "The approval flow collection of new tickets; default: the project's matching or default one.",
        nonBlank('flowCollectionUuid is empty: give a flow collection uuid (db-tickets check lists it), or remove the field.'),
      ),
      request: optionalField(
        'The ticket request every ticket carries: {"requestName", "apiName", "apiBody", "executeTimes"}; strings may hold {{sql}}, {{database}}, {{title}}, {{reason}}, {{kind}}, {{draftId}}.',
        ZStackRequestTemplate,
      ),
    })
    .check(
      z.refine((p) => p.loginAs !== 'user' || p.accountName !== undefined, { error: 'accountName is missing: a user logs in with the name of its account; add "accountName".', path: ['accountName'] }),
      z.refine((p) => p.loginAs !== 'iam2' || p.project !== undefined, { error: 'project is missing: an IAM2 virtual ID files tickets in a project; add "project" (its name or uuid).', path: ['project'] }),
    ),
);
export type ZStackProfile = z.infer<typeof ZStackProfile>;

/** `<scheme>://<host>:<port><context path>/v1`, from the endpoint; the context path defaults to /zstack. */
export function apiBaseOf(endpoint: string): URL {
  const given = endpoint.trim();
  let url: URL;
  try {
    url = new URL(/^[a-z]+:\/\//i.test(given) ? given : `http://${given}`);
  } catch {
    throw new Error(`endpoint "${given}" is not an address: give one such as http://zstack.example.com:8080.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`endpoint ${given} is not an http:// or https:// address.`);
  if (url.search || url.hash) throw new Error(`endpoint ${given} has a query: give the scheme, host, port and at most a context path, e.g. http://zstack.example.com:8080/zstack.`);
  let path = url.pathname.replace(/\/+$/, '');
  if (path.endsWith('/v1')) path = path.slice(0, -3);
  if (path === '') path = '/zstack';
  return new URL(`${url.origin}${path}/v1`);
}
