import type * as vscode from 'vscode';

interface Answers {
  profile?: string;
  databases?: Record<string, string>;
  stakeholders?: Record<string, string[]>;
  reasons?: Record<string, string>;
}

const key = 'dbTickets.create.lastAnswers';

/** The create flow's previous answers (profile; database, reason and stakeholders per profile), offered first next time. */
export class RememberedAnswers {
  constructor(private readonly memento: vscode.Memento) {}

  private get answers(): Answers {
    return this.memento.get<Answers>(key) ?? {};
  }

  profile(): string | undefined {
    return this.answers.profile;
  }

  database(profile: string): string | undefined {
    return this.answers.databases?.[profile];
  }

  stakeholders(profile: string): string[] {
    return this.answers.stakeholders?.[profile] ?? [];
  }

  reason(profile: string): string | undefined {
    return this.answers.reasons?.[profile];
  }

  async remember(profile: string, answers: { database: string; reason: string; stakeholders: readonly string[] }): Promise<void> {
    const previous = this.answers;
    await this.memento.update(key, {
      profile,
      databases: { ...previous.databases, [profile]: answers.database },
      reasons: { ...previous.reasons, [profile]: answers.reason },
      stakeholders: { ...previous.stakeholders, [profile]: [...answers.stakeholders] },
    } satisfies Answers);
  }
}
