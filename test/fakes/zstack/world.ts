import type { FakeZStack } from './fakeZStack';

/**
 * The default world: the admin account, a tenant account with a user, an IAM2 project with a submitter and two
 * approvers, an outsider in another project, the built-in VM ticket type plus a database-change type, and a
 * two-step flow collection (team lead, then DBA). Fixed uuids, so tests and clients can name them.
 */

export const VM_CREATE_API = 'org.zstack.header.vm.APICreateVmInstanceMsg';
/** The API class of the world's database-change ticket type (a site-defined type, not a built-in one). */
export const DB_CHANGE_API = 'org.zstack.header.database.APIExecuteDatabaseChangeMsg';
/** Real API classes the service knows but no ticket type covers. */
export const UNTYPED_APIS = ['org.zstack.header.vm.APIDestroyVmInstanceMsg', 'org.zstack.header.vm.APIStopVmInstanceMsg'];

export const WORLD = {
  admin: { name: 'admin', password: 'password', uuid: '36c27e8ff05c4780bf6d2fa65700f22e' },
  account: { name: 'dbteam', password: 'dbteam-Passw0rd', uuid: 'a1f3c9d2b4e54f6a8b7c0d1e2f3a4b5c' },
  user: { account: 'dbteam', name: 'ops', password: 'ops-Passw0rd', uuid: 'b2e4d6f8a0c24e6b9d1f3a5c7e9b1d3f' },
  project: { name: 'db-changes', uuid: '28c9a199e3e842d28c9805eb89be56cb' },
  otherProject: { name: 'analytics', uuid: 'a497d61cc2d848f2a1101ebd7bc7362f' },
  submitter: { name: 'alice', password: 'alice-Passw0rd', uuid: '1c255722caf34cb888b57d11a744248c' },
  lead: { name: 'bob', password: 'bob-Passw0rd', uuid: 'c0df7a66330f4cc3b83d1c3695aac291' },
  dba: { name: 'carol', password: 'carol-Passw0rd', uuid: 'cd120a6130884e4ca80a01b10e59de86' },
  outsider: { name: 'dave', password: 'dave-Passw0rd', uuid: 'bf3198f5680341ac88f54d59e94ad7ab' },
  vmTicketType: { name: 'CREATE_VM_INSTANCE_TICKET_TYPE', uuid: '3b933e9aaf2d49b9a3dcf0c92867790f' },
  dbTicketType: { name: 'DATABASE_CHANGE_TICKET_TYPE', uuid: '5d2e8f0a1b3c4d5e6f708192a3b4c5d6' },
  flowCollection: { name: 'two-step review', uuid: '629c222d0b834ec3aa3af9f5a0e5d986', flows: ['team-lead', 'dba'] },
  otherFlowCollection: { name: 'analytics review', uuid: '01ce66b048c5477195b5d6e43507239c' },
} as const;

export function seedDefaultWorld(fake: FakeZStack): void {
  const w = WORLD;
  fake.addAccount({ ...w.admin, type: 'SystemAdmin' });
  fake.addAccount(w.account);
  fake.addUser(w.user);
  fake.addProject({ ...w.project, linkedAccount: w.account.name });
  fake.addProject({ ...w.otherProject, linkedAccount: w.account.name });
  fake.addVirtualId({ ...w.submitter, projects: [w.project.name] });
  fake.addVirtualId({ ...w.lead, projects: [w.project.name] });
  fake.addVirtualId({ ...w.dba, projects: [w.project.name] });
  fake.addVirtualId({ ...w.outsider, projects: [w.otherProject.name] });
  fake.addKnownApi(...UNTYPED_APIS);
  fake.addTicketType({ ...w.vmTicketType, apiNames: [VM_CREATE_API], description: 'create a VM instance' });
  fake.addTicketType({ ...w.dbTicketType, apiNames: [DB_CHANGE_API], description: 'database change' });
  fake.addFlowCollection({
    name: w.flowCollection.name,
    uuid: w.flowCollection.uuid,
    project: w.project.name,
    approvers: [
      { approver: w.lead.name, name: w.flowCollection.flows[0], title: 'team lead' },
      { approver: w.dba.name, name: w.flowCollection.flows[1], title: 'DBA' },
    ],
    isDefault: true,
  });
  fake.addFlowCollection({ name: w.otherFlowCollection.name, uuid: w.otherFlowCollection.uuid, project: w.otherProject.name, approvers: [w.admin.name], isDefault: true });
}
