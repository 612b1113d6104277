import * as z from '../../core/zod';
import { isSecureOrLoopback } from '../formChecks';
import { nonBlank, optionalField } from '../profileField';

/** The service endpoints of the two sites (the OSM API pages of each). */
export const sitePresets = {
  cn: { endpoint: 'https://osm.cn-south-1.myhuaweicloud.com', iamEndpoint: 'https://iam.myhuaweicloud.com' },
  // The global IAM endpoint serves both sites; the intl site's regional one is used there [inferred].
  intl: { endpoint: 'https://osm.ap-southeast-3.myhuaweicloud.com', iamEndpoint: 'https://iam.ap-southeast-3.myhuaweicloud.com' },
} as const;

const urlMessage = (field: string) =>
  `${field} must be an https:// address (plain http:// only on this computer), e.g. ${field === 'endpoint' ? sitePresets.cn.endpoint : sitePresets.cn.iamEndpoint}.`;
const url = (field: string) =>
  nonBlank(urlMessage(field)).check(
    z.refine((value) => {
      try {
        return isSecureOrLoopback(new URL(value.trim()));
      } catch {
        return false;
      }
    }, { error: urlMessage(field) }),
  );

/**
 * The fields of a `"backend": "huawei"` profile: Huawei Cloud service tickets (工单, OSM API v2). Keys are never here:
 * secrets `accessKeyId`, `secretAccessKey`, `securityToken`, `password`, or the HUAWEICLOUD_SDK_* variables.
 */
export const HuaweiProfile = z.lazySchema(() =>
  z
    .looseObject({
      name: z.string(),
      backend: z.literal('huawei'),
      site: optionalField(
        'The Huawei Cloud site: cn (China, the default) or intl (International); picks the ticket service endpoint.',
        z.enum(['cn', 'intl'], { error: 'site must be "cn" (the China site) or "intl" (the International site).' }),
      ),
      endpoint: optionalField('A custom ticket service endpoint; overrides the site, e.g. https://osm.cn-south-1.myhuaweicloud.com.', url('endpoint')),
      iamEndpoint: optionalField('A custom IAM endpoint for token login and the account lookup, e.g. https://iam.myhuaweicloud.com.', url('iamEndpoint')),
      auth: optionalField(
        'How to authenticate: aksk (an access key, the default) or token (an IAM user and password).',
        z.enum(['aksk', 'token'], { error: 'auth must be "aksk" (access key signing) or "token" (IAM user name and password).' }),
      ),
      domainId: optionalField('The account (domain) id; when absent, HUAWEICLOUD_SDK_DOMAIN_ID or a lookup through IAM.', nonBlank('domainId is empty: give the account id (My Credentials in the console), or remove the field.')),
      domainName: optionalField('The account name the IAM user belongs to (auth token).', nonBlank('domainName is empty: give the account name of the IAM user, or remove the field.')),
      userName: optionalField('The IAM user name to log in with (auth token).', nonBlank('userName is empty: give the IAM user name, or remove the field.')),
      productCategoryId: optionalField('The product category id of new cases (db-tickets check lists them).', nonBlank('productCategoryId is empty: give a product category id (db-tickets check lists them), or remove the field.')),
      businessTypeId: optionalField('The problem type id of new cases; required to submit (db-tickets check lists them).', nonBlank('businessTypeId is empty: give a problem type id (db-tickets check lists them), or remove the field.')),
      regionId: optionalField('The region of new cases, e.g. cn-north-4; required by a fault-report problem type.', nonBlank('regionId is empty: give a region id such as cn-north-4, or remove the field.')),
      severityId: optionalField('The severity id of new cases (the service lists them per problem type).', nonBlank('severityId is empty: give a severity id, or remove the field.')),
      remindMail: optionalField('The mail address to notify about new cases; default: the account\'s.', nonBlank('remindMail is empty: give a mail address, or remove the field.')),
      remindMobile: optionalField('The mobile number to notify about new cases; default: the account\'s.', nonBlank('remindMobile is empty: give a mobile number, or remove the field.')),
    })
    .check(
      z.refine((p) => p.auth !== 'token' || p.userName !== undefined, { error: 'userName is missing: token login needs the IAM user name; add "userName".', path: ['userName'] }),
      z.refine((p) => p.auth !== 'token' || p.domainName !== undefined, { error: 'domainName is missing: token login needs the account name of the IAM user; add "domainName".', path: ['domainName'] }),
    ),
);
export type HuaweiProfile = z.infer<typeof HuaweiProfile>;

/** The ticket service and IAM addresses of a profile: its overrides, else its site's presets. */
export function endpointsOf(profile: HuaweiProfile): { osm: URL; iam: URL } {
  const preset = sitePresets[profile.site ?? 'cn'];
  const clean = (text: string) => new URL(text.trim().replace(/\/+$/, ''));
  return { osm: clean(profile.endpoint ?? preset.endpoint), iam: clean(profile.iamEndpoint ?? preset.iamEndpoint) };
}
