import * as vscode from 'vscode';
import { ViewIds } from './commandIds';

/** A node of the Tickets tree. Backends fill it in; until one lists tickets the view shows its welcome. */
export interface TicketNode {
  id: string;
  label: string;
}

export class TicketsTreeProvider implements vscode.TreeDataProvider<TicketNode> {
  private readonly changed = new vscode.EventEmitter<TicketNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  refresh(): void {
    this.changed.fire(undefined);
  }

  getTreeItem(node: TicketNode): vscode.TreeItem {
    const item = new vscode.TreeItem(node.label);
    item.id = node.id;
    item.contextValue = 'ticket';
    return item;
  }

  getChildren(): TicketNode[] {
    return [];
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export function createTicketsView(context: vscode.ExtensionContext): TicketsTreeProvider {
  const provider = new TicketsTreeProvider();
  const view = vscode.window.createTreeView(ViewIds.tickets, { treeDataProvider: provider, showCollapseAll: true });
  context.subscriptions.push(view, provider);
  return provider;
}
