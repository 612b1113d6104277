import * as vscode from 'vscode';
import { parseDraftDocument } from '../../core/draft/draftDocument';
import { TicketKind } from '../../core/model/ticketKind';
import { type AnalyzedStatement, analyzeSql } from '../../core/rules/analyzeSql';
import type { RiskSeverity } from '../../core/rules/riskLints';
import type { DraftDiagnostics } from './draftDiagnostics';
import { dialectOf } from './sqlDialect';

const severities: Record<RiskSeverity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

/** A statement's range in the editor (the analysis counts lines and columns from 1, its end exclusive). */
export function statementRange(statement: AnalyzedStatement): vscode.Range {
  return new vscode.Range(statement.start.line - 1, statement.start.column - 1, statement.end.line - 1, statement.end.column - 1);
}

/** Analyzes a SQL document; a draft is linted for the kind its header names. */
export function analyzeDocument(document: vscode.TextDocument): AnalyzedStatement[] {
  const text = document.getText();
  const kind = TicketKind.safeParse(parseDraftDocument(text).kind);
  return analyzeSql(text, { dialect: dialectOf(document.languageId), ticketKind: kind.success ? kind.data : undefined }).statements;
}

export function riskDiagnostics(statements: readonly AnalyzedStatement[]): vscode.Diagnostic[] {
  return statements.flatMap((statement) =>
    statement.risks.map((risk) => {
      const diagnostic = new vscode.Diagnostic(statementRange(statement), risk.message, severities[risk.severity]);
      diagnostic.code = risk.rule;
      diagnostic.source = 'DB Tickets';
      return diagnostic;
    }),
  );
}

/** The precheck's marks, for whoever knows better than VS Code's document events when they apply. */
export interface SqlDiagnostics {
  /** Drops a document's marks now, and an update still pending: its last editor closed, or its draft is gone. */
  clear(uri: vscode.Uri): void;
  /** Marks a document again: an editor shows it once more after `clear`. */
  check(document: vscode.TextDocument): void;
}

/**
 * The precheck in the editor: every open SQL document carries its statements' risks as diagnostics on their
 * exact ranges, updated shortly after each edit; a draft also its header's problems.
 */
export function registerSqlDiagnostics(context: vscode.ExtensionContext, drafts: DraftDiagnostics): SqlDiagnostics {
  const collection = vscode.languages.createDiagnosticCollection('db-tickets');
  const pending = new Map<string, NodeJS.Timeout>();
  const isSql = (document: vscode.TextDocument) => /sql/i.test(document.languageId);
  const update = (document: vscode.TextDocument) => {
    if (!isSql(document) || document.isClosed) return;
    collection.set(document.uri, riskDiagnostics(analyzeDocument(document)));
    drafts.update(document);
  };
  const soon = (document: vscode.TextDocument) => {
    const key = document.uri.toString();
    clearTimeout(pending.get(key));
    pending.set(key, setTimeout(() => {
      pending.delete(key);
      update(document);
    }, 250));
  };
  const clear = (uri: vscode.Uri) => {
    clearTimeout(pending.get(uri.toString()));
    pending.delete(uri.toString());
    collection.delete(uri);
    drafts.clear(uri);
  };
  // SQL already open is analyzed just after activation rather than during it.
  vscode.workspace.textDocuments.filter(isSql).forEach(soon);
  context.subscriptions.push(
    collection,
    vscode.workspace.onDidOpenTextDocument(update),
    vscode.workspace.onDidChangeTextDocument((event) => soon(event.document)),
    vscode.workspace.onDidCloseTextDocument((document) => clear(document.uri)),
    { dispose: () => pending.forEach(clearTimeout) },
  );
  return { clear, check: update };
}
