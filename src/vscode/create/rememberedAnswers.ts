import type * as vscode from 'vscode';

interface Answers {
  profile?: string;
  databases?: Record<string, string>;
  stakeholders?: Record<string, string[]>;
}

const key = 'dbTickets.create.lastAnswers';

/** The create flow's previous answers (profile; database and stakeholders per profile), offered first next time. */
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

  async remember(profile: string, database: string, stakeholders: readonly string[]): Promise<void> {
    const answers = this.answers;
    await this.memento.update(key, {
      profile,
      databases: { ...answers.databases, [profile]: database },
      stakeholders: { ...answers.stakeholders, [profile]: [...stakeholders] },
    } satisfies Answers);
  }
}
