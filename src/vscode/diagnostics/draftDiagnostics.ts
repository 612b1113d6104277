import * as vscode from 'vscode';
import { checkDraftHeader, type DraftIssue } from '../../core/draft/checkDraft';
import { draftIdOf } from '../drafts/draftFiles';
import { translate } from '../profiles/profileForm';

/**
 * The problems of ticket drafts as errors on their lines (source "DB Tickets"). As the user types, the header's:
 * fields mistyped, missing or not valid — no backend is asked and the SQL is left to the risk diagnostics. After a
 * refused submit, every problem of that check the risk diagnostics do not show (e.g. a statement the kind does not
 * take), until the next edit checks the header again.
 */
export class DraftDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('db-tickets-drafts');
  private readonly closing = vscode.workspace.onDidCloseTextDocument((document) => this.collection.delete(document.uri));

  /** Checks a draft's header; other documents get nothing. */
  update(document: vscode.TextDocument): void {
    const id = draftIdOf(document.uri);
    if (!id || document.isClosed) return;
    this.show(document, checkDraftHeader(document.getText(), id));
  }

  /** Marks the problems a submit was refused for; those found by a risk lint are marked by the risk diagnostics. */
  showRefusal(document: vscode.TextDocument, problems: readonly DraftIssue[]): void {
    this.show(document, problems.filter((problem) => !problem.rule));
  }

  /** Drops a draft's marks: it was submitted or discarded, or its last editor closed. */
  clear(uri: vscode.Uri): void {
    this.collection.delete(uri);
  }

  private show(document: vscode.TextDocument, problems: readonly DraftIssue[]): void {
    this.collection.set(
      document.uri,
      problems.filter((problem) => problem.line).map((problem) => {
        const diagnostic = new vscode.Diagnostic(lineRange(document, problem.line! - 1), translate(problem.message), vscode.DiagnosticSeverity.Error);
        diagnostic.source = 'DB Tickets';
        diagnostic.code = 'draft';
        return diagnostic;
      }),
    );
  }

  dispose(): void {
    this.closing.dispose();
    this.collection.dispose();
  }
}

/** The text of a line, without its indentation; a line past the end is the last one. */
function lineRange(document: vscode.TextDocument, line: number): vscode.Range {
  const { text, range, firstNonWhitespaceCharacterIndex } = document.lineAt(Math.min(line, document.lineCount - 1));
  return text.trim() === '' ? range : new vscode.Range(range.start.line, firstNonWhitespaceCharacterIndex, range.end.line, range.end.character);
}
