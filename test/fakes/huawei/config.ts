/**
 * The create-case form's lookups (spec §2.8), seeded with realistic sample data in Chinese and English; names follow
 * the request's X-Language (zh-cn by default).
 */

export type Language = 'zh-cn' | 'en-us';
type Named = { zh: string; en: string };
const pick = (name: Named, language: Language) => (language === 'en-us' ? name.en : name.zh);

export interface Product {
  id: string;
  name: Named;
  acronym: string;
  subTypeId: string;
}

export interface ProblemType {
  id: string;
  productId: string;
  name: Named;
  /** "0" consultation, "5" fault report (then region_id is required). */
  caseType: '0' | '5';
}

export const SOURCE_ID = '83aeb0f2834c4df49826c781d32a963e';

export const subTypes = [
  { id: '2c9a1e5f7b3d4c8e9f0a1b2c3d4e5f60', name: { zh: '技术类', en: 'Technical' } },
  { id: '5b7d9f1a3c5e4b6d8f0a2c4e6a8b0c11', name: { zh: '账户与计费', en: 'Account and billing' } },
];

export const products: Product[] = [
  { id: 'a1f3c5e7b9d24f6e8a0c2e4f6a8c0e21', name: { zh: '云数据库 RDS', en: 'Relational Database Service' }, acronym: 'RDS', subTypeId: subTypes[0].id },
  { id: 'b2e4d6f8a0c24e6f8b1d3f5a7c9e1f32', name: { zh: '云数据库 GaussDB', en: 'GaussDB' }, acronym: 'GaussDB', subTypeId: subTypes[0].id },
  { id: 'c3d5e7f9b1d34a7c9e2f4b6d8f0a2b43', name: { zh: '数据管理服务 DAS', en: 'Data Admin Service' }, acronym: 'DAS', subTypeId: subTypes[0].id },
  { id: 'd4c6e8a0c2e44b8d0f3a5c7e9b1d3c54', name: { zh: '费用中心', en: 'Billing Center' }, acronym: 'Billing', subTypeId: subTypes[1].id },
];

export const problemTypes: ProblemType[] = [
  { id: '0f1e2d3c4b5a49687766554433221101', productId: products[0].id, name: { zh: 'SQL 执行与变更', en: 'SQL execution and changes' }, caseType: '0' },
  { id: '0f1e2d3c4b5a49687766554433221102', productId: products[0].id, name: { zh: '实例故障报修', en: 'Instance fault report' }, caseType: '5' },
  { id: '0f1e2d3c4b5a49687766554433221103', productId: products[0].id, name: { zh: '参数与配置咨询', en: 'Parameters and configuration' }, caseType: '0' },
  { id: '0f1e2d3c4b5a49687766554433221201', productId: products[1].id, name: { zh: '数据迁移与导出', en: 'Data migration and export' }, caseType: '0' },
  { id: '0f1e2d3c4b5a49687766554433221202', productId: products[1].id, name: { zh: '集群不可用', en: 'Cluster unavailable' }, caseType: '5' },
  { id: '0f1e2d3c4b5a49687766554433221301', productId: products[2].id, name: { zh: '数据库变更工单', en: 'Database change ticket' }, caseType: '0' },
  { id: '0f1e2d3c4b5a49687766554433221401', productId: products[3].id, name: { zh: '发票与退款', en: 'Invoices and refunds' }, caseType: '0' },
];

export const regions = [
  { type: 0, region_id: 'cn-north-4', name: { zh: '华北-北京四', en: 'CN North-Beijing4' }, is_sensitive: false },
  { type: 0, region_id: 'cn-east-3', name: { zh: '华东-上海一', en: 'CN East-Shanghai1' }, is_sensitive: false },
  { type: 0, region_id: 'cn-south-1', name: { zh: '华南-广州', en: 'CN South-Guangzhou' }, is_sensitive: false },
  { type: 1, region_id: 'ap-southeast-3', name: { zh: '亚太-新加坡', en: 'AP-Singapore' }, is_sensitive: false },
];

export const severities = [
  { id: 'sev-1', name: { zh: '一般', en: 'Normal' } },
  { id: 'sev-2', name: { zh: '重要', en: 'Important' } },
  { id: 'sev-3', name: { zh: '紧急', en: 'Urgent' } },
];

export const satisfactionDimensions = [
  { satisfaction_id: 1, name: { zh: '服务态度', en: 'Service attitude' } },
  { satisfaction_id: 2, name: { zh: '响应速度', en: 'Response speed' } },
  { satisfaction_id: 3, name: { zh: '解决效果', en: 'Resolution' } },
];

export const templates = [
  { incident_template_id: 't-rds-sql', businessTypeId: problemTypes[0].id, name: { zh: 'SQL 变更申请', en: 'SQL change request' }, content: { zh: '实例名称：\n数据库：\nSQL：\n期望执行时间：', en: 'Instance:\nDatabase:\nSQL:\nPreferred time:' } },
];

export const findProblemType = (id: string) => problemTypes.find((p) => p.id === id);

export function categories(language: Language) {
  const list = subTypes.map((s) => ({
    incident_sub_type_id: s.id,
    incident_sub_type_name: pick(s.name, language),
    incident_product_category_list: products.filter((p) => p.subTypeId === s.id).map((p) => productRow(p, language)),
  }));
  return { total_count: list.length, incident_sub_type_list: list };
}

function productRow(p: Product, language: Language) {
  return { incident_product_category_id: p.id, incident_product_category_name: pick(p.name, language), incident_product_category_desc: pick(p.name, language), incident_product_category_acronym: p.acronym, can_use_support_plan: true };
}

export function productList(nameFilter: string | null, language: Language) {
  const list = products.filter((p) => !nameFilter || pick(p.name, language).toLowerCase().includes(nameFilter.toLowerCase()) || p.acronym.toLowerCase().includes(nameFilter.toLowerCase()));
  return { total_count: list.length, incident_product_category_list: list.map((p) => productRow(p, language)) };
}

export function problemList(productId: string | null, language: Language) {
  const list = problemTypes
    .filter((p) => !productId || p.productId === productId)
    .map((p) => ({ business_type_id: p.id, business_type_name: pick(p.name, language), case_type: p.caseType, can_use_support_plan: true }));
  return { total_count: list.length, incident_business_type_list: list };
}

export function templateList(businessTypeId: string | null, language: Language) {
  const list = templates
    .filter((t) => !businessTypeId || t.businessTypeId === businessTypeId)
    .map((t) => ({ incident_template_id: t.incident_template_id, incident_template_name: pick(t.name, language), incident_template_content: pick(t.content, language) }));
  return { total_count: list.length, incident_template_list: list };
}

export function regionList(language: Language) {
  return { total_count: regions.length, data_center_list: regions.map((r) => ({ type: r.type, region_id: r.region_id, region_name: pick(r.name, language), is_sensitive: r.is_sensitive })) };
}

export function severityList(language: Language) {
  return { show: true, severity_list: severities.map((s) => ({ language, severity_name: pick(s.name, language), severity_id: s.id })) };
}

export function satisfactionList(language: Language) {
  return satisfactionDimensions.map((d) => ({ satisfaction_id: d.satisfaction_id, satisfaction_name: pick(d.name, language), satisfaction_desc: pick(d.name, language), value: '5', per_value: '1', sat_category_id: 'sat-1' }));
}

export function extendsParams(language: Language) {
  return {
    extends_params: [
      { param_key: 'instance_id', param_name: language === 'en-us' ? 'Instance ID' : '实例 ID', param_type: 0, param_desc: '', tips: '', required: 0, length: 64, default_value: '', max_value: '', min_value: '', select_item: '', is_show: 1, is_sensitive: 0, language },
    ],
    common_params: [{ param_key: 'remind_mobile', param_name: language === 'en-us' ? 'Mobile' : '手机号码', is_show: 1, is_required: 0 }],
  };
}

export const nameOf = (named: Named, language: Language) => pick(named, language);
