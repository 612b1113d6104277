import * as vscode from 'vscode';
import { parseDraftDocument } from '../../core/draft/draftDocument';
import { TicketKind } from '../../core/model/ticketKind';
import { type AnalyzedStatement, analyzeSql } from '../../core/rules/analyzeSql';
import type { RiskSeverity } from '../../core/rules/riskLints';
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

/**
 * The precheck in the editor: every open SQL document carries its statements' risks as diagnostics on their
 * exact ranges, updated shortly after each edit.
 */
export function registerSqlDiagnostics(context: vscode.ExtensionContext): void {
  const collection = vscode.languages.createDiagnosticCollection('db-tickets');
  const pending = new Map<string, NodeJS.Timeout>();
  const isSql = (document: vscode.TextDocument) => /sql/i.test(document.languageId);
  const update = (document: vscode.TextDocument) => {
    if (!isSql(document) || document.isClosed) return;
    collection.set(document.uri, riskDiagnostics(analyzeDocument(document)));
  };
  const soon = (document: vscode.TextDocument) => {
    const key = document.uri.toString();
    clearTimeout(pending.get(key));
    pending.set(key, setTimeout(() => {
      pending.delete(key);
      update(document);
    }, 250));
  };
  // SQL already open is analyzed just after activation rather than during it.
  vscode.workspace.textDocuments.filter(isSql).forEach(soon);
  context.subscriptions.push(
    collection,
    vscode.workspace.onDidOpenTextDocument(update),
    vscode.workspace.onDidChangeTextDocument((event) => soon(event.document)),
    vscode.workspace.onDidCloseTextDocument((document) => {
      clearTimeout(pending.get(document.uri.toString()));
      collection.delete(document.uri);
    }),
    { dispose: () => pending.forEach(clearTimeout) },
  );
}
