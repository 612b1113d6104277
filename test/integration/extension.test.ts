import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { CommandIds } from '../../src/vscode/commands/commandIds';
import { activateExtension } from './stubs';

describe('extension in VS Code', () => {
  it('activates', async () => {
    const extension = await activateExtension();
    assert.equal(extension.isActive, true);
  });

  it('registers exactly the commands package.json declares', async () => {
    const extension = await activateExtension();
    const declared = (extension.packageJSON.contributes.commands as Array<{ command: string }>).map((c) => c.command).sort();
    assert.deepEqual(declared, Object.values(CommandIds).sort(), 'package.json commands and CommandIds differ');
    // The view contributes its own `dbTickets.tickets.*` commands (focus, reset location, …): not ours to declare.
    const registered = (await vscode.commands.getCommands(true))
      .filter((id) => id.startsWith('dbTickets.') && !id.startsWith('dbTickets.tickets.'))
      .sort();
    assert.deepEqual(registered, declared, 'registered commands and package.json commands differ');
  });

  it('shows the Tickets view in its own activity-bar container', async () => {
    await activateExtension();
    await vscode.commands.executeCommand('workbench.view.extension.dbTickets');
    await vscode.commands.executeCommand('dbTickets.tickets.focus');
    const registered = await vscode.commands.getCommands(true);
    assert.ok(registered.includes('dbTickets.tickets.focus'), 'the Tickets view is not registered');
  });
});
