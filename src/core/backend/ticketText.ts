import type { Page, TicketDetail, TicketHeadline, TicketSummary } from './backend';
import { statusLabel } from '../model/ticketStatus';

/** One line per ticket: `#12  pending approval  DATA_EXPORT  demo  Export customers`. */
export function formatList(page: Page<TicketSummary>): string {
  if (page.items.length === 0) return 'No tickets.\n';
  const rows = page.items.map((t) => [`#${t.id}`, statusLabel(t.status), t.kind ?? '?', t.database ?? '', t.needsYou ? '●' : '', t.title]);
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  const lines = rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ').trimEnd());
  const more = page.nextCursor ? `\n(more tickets: run again with --cursor ${page.nextCursor})` : '';
  return `${lines.join('\n')}${more}\n`;
}

export function formatSummary(ticket: TicketHeadline): string {
  const native = ticket.status.native === ticket.status.state ? '' : ` [${ticket.status.native}]`;
  return `#${ticket.id} ${ticket.title} — ${statusLabel(ticket.status)}${native}\n`;
}

export function formatDetail(ticket: TicketDetail): string {
  const out: string[] = [formatSummary(ticket).trimEnd()];
  const field = (name: string, value: string | number | undefined) => {
    if (value !== undefined && value !== '') out.push(`${`${name}:`.padEnd(11)}${value}`);
  };
  field('Kind', ticket.kind ?? 'other');
  field('Filed as', ticket.filedAs);
  field('Database', ticket.database);
  field('Submitter', ticket.submitter?.name);
  field('Reason', ticket.reason);
  field('Est. rows', ticket.estimatedRows);
  field('Created', ticket.createdAt);
  field('Updated', ticket.updatedAt);
  field('Actions', ticket.actions.join(', '));
  field('URL', ticket.webUrl);
  if (ticket.precheck) {
    out.push('', `Precheck: ${ticket.precheck.passed ? 'passed' : 'failed'}`);
    for (const item of ticket.precheck.items) out.push(`  ${item.status.padEnd(7)} ${item.check}: ${item.message}`);
  }
  if (ticket.execution) {
    const e = ticket.execution;
    out.push('', `Execution: ${[e.rows !== undefined ? `${e.rows} rows` : '', e.message ?? '', e.hasResult ? 'result available (db-tickets download)' : ''].filter(Boolean).join('; ')}`);
    for (const s of e.statements ?? []) out.push(`  statement ${s.index}: ${s.status}${s.rows !== undefined ? `, ${s.rows} rows` : ''}${s.message ? ` — ${s.message}` : ''}`);
  }
  out.push('', 'SQL:', ...ticket.sql.trimEnd().split(/\r?\n/).map((line) => `  ${line}`));
  if (ticket.history.length > 0) {
    out.push('', 'History:');
    for (const event of ticket.history) out.push(`  ${event.at}  ${event.actor.name}  ${event.action}${event.comment ? ` — ${event.comment}` : ''}`);
  }
  return `${out.join('\n')}\n`;
}

/** The checks a ticket's precheck failed, each as `check: message`. */
export function failedChecks(precheck: TicketDetail['precheck'] | undefined): string[] {
  return (precheck?.items ?? []).filter((item) => item.status === 'failed').map((item) => `${item.check}: ${item.message}`);
}
