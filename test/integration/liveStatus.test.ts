import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { Backend } from '../../src/core/backend/backend';
import { Backends } from '../../src/vscode/profiles/backends';
import { activateExtension, stubWindow, hostContext, useLocalStore } from './stubs';


async function eventually<T>(what: string, probe: () => T | undefined): Promise<T> {
  for (let waited = 0; waited < 30_000; waited += 100) {
    const value = probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return assert.fail(`timed out waiting for ${what}`);
}

describe('live status of tickets already seen', function () {
  this.timeout(120_000);
  const folder = mkdtempSync(join(tmpdir(), 'db-tickets-live-'));
  const restores: Array<() => void> = [];
  let backends: Backends;
  let backend: Backend;

  before(async () => {
    await activateExtension();
    await useLocalStore(join(folder, 'store'));
    backends = new Backends(hostContext(folder));
    backend = await backends.get(backends.profiles()[0]);
    await vscode.commands.executeCommand('dbTickets.tickets.focus');
  });
  after(async () => {
    // Hide the view again: its background refresh pauses, so later suites' tickets raise no notifications.
    await vscode.commands.executeCommand('workbench.view.explorer');
    restores.splice(0).forEach((restore) => restore());
    backends.dispose();
    await useLocalStore(undefined);
  });

  it('stays quiet on the first look, then says when a seen ticket moves, offering the next step', async () => {
    const info = stubWindow('showInformationMessage', (async () => undefined) as typeof vscode.window.showInformationMessage);
    restores.push(info.restore);
    const { id } = await backend.submit({
      id: randomUUID(), title: 'Export products', kind: 'DATA_EXPORT', sql: 'SELECT id, name FROM products ORDER BY id LIMIT 3',
      database: 'demo', reason: 'live status test', stakeholders: [], attachments: [], backendFields: {},
    });

    // The view lists the new ticket: seen for the first time, so no notification.
    await vscode.commands.executeCommand('dbTickets.refresh');
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    assert.deepEqual(info.calls, []);

    await backend.act(id, { action: 'approve', comment: 'ok' });
    await vscode.commands.executeCommand('dbTickets.refresh');
    const call = await eventually('the approval notification', () => info.calls.find((c) => String(c[0]).startsWith(`Ticket #${id}`)));
    assert.deepEqual(call, [`Ticket #${id} "Export products" is now approved`, 'Execute', 'Open']);
  });

  it('keeps quiet about the moves the user made from the view, and still tells of the next one made elsewhere', async () => {
    const info = stubWindow('showInformationMessage', (async () => undefined) as typeof vscode.window.showInformationMessage);
    const comment = stubWindow('showInputBox', (async () => 'fine by me') as typeof vscode.window.showInputBox);
    restores.push(info.restore, comment.restore);
    const ticket = await backend.submit({
      id: randomUUID(), title: 'Export categories', kind: 'DATA_EXPORT', sql: 'SELECT DISTINCT category FROM products ORDER BY 1 LIMIT 5',
      database: 'demo', reason: 'live status test', stakeholders: [], attachments: [], backendFields: {},
    });
    await vscode.commands.executeCommand('dbTickets.refresh');
    await new Promise((resolve) => setTimeout(resolve, 2_000));

    const node = { type: 'ticket', profile: backends.profiles()[0], ticket };
    await vscode.commands.executeCommand('dbTickets.approve', node);
    assert.deepEqual(info.calls.map((c) => c[0]), [`Ticket #${ticket.id}: approved`]);
    // The looks after the action show the approval the user made: no news.
    await vscode.commands.executeCommand('dbTickets.refresh');
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    assert.deepEqual(info.calls.map((c) => c[0]), [`Ticket #${ticket.id}: approved`]);

    await backend.act(ticket.id, { action: 'execute' });
    await vscode.commands.executeCommand('dbTickets.refresh');
    const call = await eventually('the execution notification', () => info.calls.find((c) => String(c[0]).includes('is now')));
    assert.deepEqual(call, [`Ticket #${ticket.id} "Export categories" is now succeeded`, 'Download', 'Open']);
  });
});
