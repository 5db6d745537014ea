/**
 * Slack's own words: the core says "server" (Discord's word), Slack users know a "workspace". Applied
 * to every reply the Slack adapter renders and to the manifest's command descriptions.
 */
import type { Reply } from '../../core/reply.ts';

const SERVER = /\b(this|the|a|This|The|A) server('s)?\b/g;

/** "this server" -> "this workspace", "the server's" -> "the workspace's", "a server" -> "a workspace". */
export function slackWords(text: string): string {
  return text.replace(SERVER, (_, article: string, possessive = '') => `${article} workspace${possessive}`);
}

/** The reply with Slack's words in everything people read. */
export function inSlackWords(reply: Reply): Reply {
  return {
    ...reply,
    ...(reply.title !== undefined ? { title: slackWords(reply.title) } : {}),
    ...(reply.text !== undefined ? { text: slackWords(reply.text) } : {}),
    ...(reply.fields
      ? {
          fields: reply.fields.map((f) => ({ ...f, label: slackWords(f.label), value: slackWords(f.value) })),
        }
      : {}),
    fallbackText: slackWords(reply.fallbackText),
  };
}
