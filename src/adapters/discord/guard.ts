/**
 * Gateway interactions that discord.js cannot build (no `data`, a button without its message, no
 * user) make it throw inside its packet handler, where nothing of ours can catch it. They are
 * checked here first, from the raw packet: a malformed one gets a polite answer when it can be
 * answered at all, and is then withheld from discord.js.
 */
import { type Client, Events, MessageFlags, Routes } from 'discord.js';
import { z } from 'zod';
import type { Logger } from '../../core/log.ts';

const id = z.string().min(1);
const named = z.object({ name: z.string(), type: z.number().optional() });
const base = z.object({
  id,
  token: z.string().min(1),
  application_id: id,
  type: z.number(),
  user: z.object({ id }).optional(),
  member: z.object({ user: z.object({ id }) }).optional(),
});

/** What discord.js reads unconditionally for each kind it handles. */
const byType: Record<number, z.ZodType> = {
  2: z.object({ data: named.extend({ type: z.number() }) }),
  3: z.object({
    data: z.object({ custom_id: z.string(), component_type: z.number() }),
    message: z.object({ id, channel_id: id }),
  }),
  4: z.object({ data: named }),
  5: z.object({ data: z.object({ custom_id: z.string(), components: z.array(z.unknown()) }) }),
};

export const UNREADABLE = 'Sorry, thawbot could not read that request. Please try the command again.';

/** Why discord.js could not handle this INTERACTION_CREATE payload, or undefined when it can. */
export function malformedInteraction(d: unknown): string | undefined {
  const head = base.safeParse(d);
  if (!head.success) return head.error.issues.map(describeIssue).join('; ');
  if (!head.data.user && !head.data.member) return 'neither user nor member';
  const shape = byType[head.data.type];
  if (!shape) return undefined; // unknown kinds are ignored by discord.js itself
  const rest = shape.safeParse(d);
  if (!rest.success) return rest.error.issues.map(describeIssue).join('; ');
  // Context menus (user 2, message 3) are built from their resolved target.
  const data = (d as { data: { type?: number; target_id?: unknown; resolved?: unknown } }).data;
  if (head.data.type === 2 && (data.type === 2 || data.type === 3))
    if (typeof data.target_id !== 'string' || typeof data.resolved !== 'object' || data.resolved === null)
      return 'data: a context menu without its resolved target';
  return undefined;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  return `${issue.path.join('.') || 'payload'}: ${issue.message}`;
}

/**
 * Checks every interaction packet before discord.js handles it (the raw event is emitted first,
 * synchronously, with the same object). A malformed one is answered if it has an id and token, and
 * its event name is changed so that discord.js skips it.
 */
export function guardInteractions(client: Client, log: Logger): void {
  client.on(Events.Raw, (packet: { t?: string | null; d?: unknown }) => {
    if (packet?.t !== 'INTERACTION_CREATE') return;
    const problem = malformedInteraction(packet.d);
    if (!problem) return;
    packet.t = 'INTERACTION_CREATE_MALFORMED';
    const d = (packet.d ?? {}) as { id?: unknown; token?: unknown; type?: unknown };
    log.warn({ id: d.id, type: d.type, problem }, 'malformed interaction dropped');
    // A ping (type 1) is answered only over HTTP; anything else with an id and token can be.
    if (typeof d.id !== 'string' || typeof d.token !== 'string' || d.type === 1) return;
    client.rest
      .post(Routes.interactionCallback(d.id, d.token), {
        auth: false,
        body: {
          type: 4,
          data: { content: UNREADABLE, flags: MessageFlags.Ephemeral, allowed_mentions: { parse: [] } },
        },
      })
      .catch((err: unknown) => log.debug({ err, id: d.id }, 'could not answer a malformed interaction'));
  });
}
