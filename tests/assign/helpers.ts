/** Running /assign through the router on in-memory storage with an injected clock. */
import type { Actor } from '../../src/core/command.ts';
import type { Reply } from '../../src/core/reply.ts';
import { type DocStorage, memoryStorage } from '../../src/store/doc/index.ts';
import { CHANNEL, testApp, textInvocation } from '../helpers/deps.ts';
import { quizContent } from '../helpers/quiz-content.ts';

export const WS = { platform: CHANNEL.platform, workspaceId: CHANNEL.workspaceId };

export function person(id: string, name: string, host = false): Actor {
  return {
    user: { platform: 'console', id, displayName: name },
    channel: CHANNEL,
    isAdmin: false,
    isHost: host,
    inServer: true,
  };
}

export const TEACHER = person('t1', 'Teacher', true);

export function assignApp(start = '2026-03-09T10:00:00Z', storage: DocStorage = memoryStorage()) {
  let now = new Date(start);
  const built = testApp({ content: quizContent(), storage, now: () => now });
  const run = (line: string, who: Actor = TEACHER) => built.router.handle(textInvocation(line, who));
  const press = async (id: string, who: Actor) =>
    (await built.router.handleAction({ ...who, actionId: id })).reply;
  const setNow = (iso: string) => {
    now = new Date(iso);
  };
  return { ...built, storage, run, press, setNow, now: () => now };
}

/** The A-D button with the right (or a wrong) option of a question card. */
export function option(card: Reply, right: boolean): string {
  const lines = (card.text ?? '').split('\n').filter((l) => /^\*\*[A-D]\.\*\*/.test(l));
  const index = lines.findIndex((l) => l.includes('right'));
  if (index < 0) throw new Error(`no options on ${card.title}: ${card.text}`);
  const id = card.actions?.[right ? index : (index + 1) % 4]?.id;
  if (!id) throw new Error(`no option on ${card.title}`);
  return id;
}

export function button(card: Reply, label: string): string {
  const id = card.actions?.find((a) => a.label === label)?.id;
  if (!id) throw new Error(`no ${label} on ${card.title}: ${card.text}`);
  return id;
}

/** Answers the learner's next `n` questions, right or wrong by `pattern`, from a question card. */
export async function answerAll(
  app: ReturnType<typeof assignApp>,
  first: Reply,
  who: Actor,
  pattern: boolean[],
): Promise<Reply> {
  let card = first;
  for (const [i, right] of pattern.entries()) {
    const after = await app.press(option(card, right), who);
    if (i === pattern.length - 1) return after;
    card = await app.press(button(after, 'Next'), who);
  }
  return card;
}
