import type { types } from '@slack/bolt';
import { fitLabel, type Reply, type ReplyAction, truncate } from '../../core/reply.ts';
import { markdownToMrkdwn, mrkdwnLink, plainText, safeText, splitMrkdwn, truncateMrkdwn } from './mrkdwn.ts';
import { inSlackWords } from './words.ts';

type Block = types.KnownBlock;
type Button = types.Button;

/** Block Kit limits (docs.slack.dev/reference/block-kit). */
export const SLACK_LIMITS = {
  blocks: 50,
  headerText: 150,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  contextElements: 10,
  contextText: 3000,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  /** Slack truncates longer `text`; keep the fallback well under its 4,000 characters. */
  fallbackText: 3000,
} as const;

export interface SlackMessage {
  /** Plain fallback for notifications and screen readers (mentions neutralised, escaped). */
  text: string;
  blocks: Block[];
}

/** Turns a portable reply into Block Kit plus a plain `text` fallback, within Slack's limits. */
export function renderReply(portable: Reply): SlackMessage {
  const reply = inSlackWords(portable);
  const header: Block[] = [];
  if (reply.title) {
    header.push({
      type: 'header',
      text: {
        type: 'plain_text',
        text: truncate(plainText(reply.title), SLACK_LIMITS.headerText),
        emoji: true,
      },
    });
  }

  const body: Block[] = [];
  const mention = groupMention(reply);
  if (mention) body.push({ type: 'section', text: { type: 'mrkdwn', text: mention } });
  if (reply.text?.trim()) {
    for (const piece of splitMrkdwn(markdownToMrkdwn(reply.text), SLACK_LIMITS.sectionText)) {
      body.push({ type: 'section', text: { type: 'mrkdwn', text: piece } });
    }
  }
  const fields = (reply.fields ?? []).map((f) => ({
    type: 'mrkdwn' as const,
    text: truncateMrkdwn(
      `*${safeText(f.label)}*\n${markdownToMrkdwn(f.value) || '-'}`,
      SLACK_LIMITS.fieldText,
    ),
  }));
  for (let i = 0; i < fields.length; i += SLACK_LIMITS.sectionFields) {
    body.push({ type: 'section', fields: fields.slice(i, i + SLACK_LIMITS.sectionFields) });
  }

  const tail: Block[] = [];
  if (reply.countdown) tail.push(countdownBlock(reply.countdown.endsAt, reply.countdown.label));
  if (reply.sources?.length) tail.push(sourcesBlock(reply.sources));
  tail.push(...actionBlocks(reply.actions ?? []));

  // Over 50 blocks: keep the title, the controls and the sources; shorten the body and say so.
  const room = SLACK_LIMITS.blocks - header.length - tail.length;
  let kept = body;
  if (body.length > room) {
    kept = body.slice(0, Math.max(0, room - 1));
    kept.push({ type: 'context', elements: [{ type: 'mrkdwn', text: '_(shortened to fit Slack)_' }] });
  }
  const blocks = [...header, ...kept, ...tail].slice(0, SLACK_LIMITS.blocks);
  return { text: fallbackText(reply), blocks };
}

/** The message-level `text`: Slack parses it as mrkdwn, so it is escaped and mention-free. */
export function fallbackText(reply: Reply): string {
  let text = reply.fallbackText || reply.title || 'thawbot';
  if (reply.countdown) text = `${text} (${reply.countdown.label}: ${clockUtc(reply.countdown.endsAt)})`;
  const mention = groupMention(reply);
  const safe = truncateMrkdwn(safeText(text), SLACK_LIMITS.fallbackText - (mention ? mention.length + 1 : 0));
  return mention ? `${mention} ${safe}` : safe;
}

/**
 * The one ping the bot sends: the user group a host configured for quiz-night reminders, written
 * from its id alone (`<!subteam^S...>`), so no text from a reply can turn into a mention.
 */
function groupMention(reply: Reply): string | undefined {
  const id = reply.mention?.id;
  return id && /^S[A-Z0-9]{2,30}$/.test(id) ? `<!subteam^${id}>` : undefined;
}

/** `<!date^unix^{time}|fallback>`: each reader sees the time in their own zone. */
export function slackDate(epochMs: number, format = '{time}'): string {
  const unix = Math.floor(epochMs / 1000);
  return `<!date^${unix}^${format}|${clockUtc(epochMs)}>`;
}

function clockUtc(epochMs: number): string {
  const d = new Date(epochMs);
  return `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')} UTC`;
}

function countdownBlock(endsAt: number, label: string): Block {
  return {
    type: 'context',
    elements: [{ type: 'mrkdwn', text: `:hourglass_flowing_sand: ${safeText(label)}: ${slackDate(endsAt)}` }],
  };
}

/** Sources as a context block: "Sources:" then one element each, grouped when over ten. */
function sourcesBlock(sources: NonNullable<Reply['sources']>): Block {
  const links = sources.map((s) => mrkdwnLink(s.url, s.label));
  const slots = SLACK_LIMITS.contextElements - 1;
  const perSlot = Math.ceil(links.length / slots);
  const elements: { type: 'mrkdwn'; text: string }[] = [{ type: 'mrkdwn', text: '*Sources:*' }];
  for (let i = 0; i < links.length; i += perSlot) {
    elements.push({
      type: 'mrkdwn',
      text: truncateMrkdwn(links.slice(i, i + perSlot).join(' · '), SLACK_LIMITS.contextText),
    });
  }
  return { type: 'context', elements };
}

function actionBlocks(actions: readonly ReplyAction[]): Block[] {
  const seen = new Map<string, number>();
  const buttons: Button[] = actions.map((action) => {
    // action_id must be unique within a block; the core id travels in `value`.
    const n = seen.get(action.id) ?? 0;
    seen.set(action.id, n + 1);
    const button: Button = {
      type: 'button',
      action_id: (n === 0 ? action.id : `${action.id}#${n}`).slice(0, SLACK_LIMITS.actionId),
      text: {
        type: 'plain_text',
        text: fitLabel(plainText(action.label), SLACK_LIMITS.buttonText),
        emoji: true,
      },
      value: action.id.slice(0, SLACK_LIMITS.buttonValue),
    };
    if (action.style === 'primary' || action.style === 'danger') button.style = action.style;
    return button;
  });
  const blocks: Block[] = [];
  for (let i = 0; i < buttons.length; i += SLACK_LIMITS.actionsElements) {
    blocks.push({
      type: 'actions',
      block_id: `actions-${i / SLACK_LIMITS.actionsElements}`,
      elements: buttons.slice(i, i + SLACK_LIMITS.actionsElements),
    });
  }
  return blocks;
}

/** The core action id a clicked button stands for. */
export function actionIdOf(action: { action_id: string; value?: string }): string {
  return action.value ?? action.action_id.replace(/#\d+$/, '');
}
