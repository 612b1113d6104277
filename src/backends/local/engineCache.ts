import type { DatabaseEngine } from './db/engine';

export type EngineFactory = (connectionName: string) => Promise<DatabaseEngine>;

/** One engine per connection for the backend's lifetime (the demo database lives in its engine); a failed open is retried next time. */
export class EngineCache {
  private readonly engines = new Map<string, Promise<DatabaseEngine>>();

  constructor(private readonly open: EngineFactory) {}

  get(name: string): Promise<DatabaseEngine> {
    let engine = this.engines.get(name);
    if (!engine) {
      engine = this.open(name);
      this.engines.set(name, engine);
      engine.catch(() => this.engines.delete(name));
    }
    return engine;
  }

  async closeAll(): Promise<void> {
    const engines = [...this.engines.values()];
    this.engines.clear();
    await Promise.all(engines.map(async (engine) => (await engine.catch(() => undefined))?.close()));
  }
}
