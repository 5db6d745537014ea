import { commands } from '../commands/index.ts';
import type { ContentIndex } from './content/index.ts';
import type { Command, Deps } from './core/command.ts';
import type { Logger } from './core/log.ts';
import { Router } from './core/router.ts';
import type { Store } from './store/types.ts';

export interface AppParts {
  content: ContentIndex;
  store: Store;
  log: Logger;
  now?: () => Date;
  random?: () => number;
  commands?: readonly Command[];
}

/** Builds the shared services once: the same Deps and Router serve every adapter. */
export function buildApp(parts: AppParts): { deps: Deps; router: Router } {
  const deps: Deps = {
    content: parts.content,
    store: parts.store,
    log: parts.log,
    now: parts.now ?? (() => new Date()),
    random: parts.random ?? Math.random,
    commands: parts.commands ?? commands,
  };
  return { deps, router: new Router(deps) };
}
