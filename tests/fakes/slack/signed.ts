import { createHmac, randomUUID } from 'node:crypto';

/**
 * Sends requests to a Bolt app exactly as Slack does: form-encoded bodies signed with the signing
 * secret (`v0=` HMAC-SHA256 of `v0:{timestamp}:{body}`).
 */

export function sign(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface SignedRequest {
  body: string;
  headers: Record<string, string>;
}

export interface SignOptions {
  /** Seconds since the epoch; defaults to now. */
  timestamp?: number;
  /** Replaces the computed signature (to test refusals). */
  signature?: string;
}

export function signedRequest(secret: string, body: string, options: SignOptions = {}): SignedRequest {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  return {
    body,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': options.signature ?? sign(secret, timestamp, body),
    },
  };
}

export interface SendResult {
  status: number;
  text: string;
  /** Milliseconds from sending to the full response (the ack). */
  ms: number;
}

export async function send(url: string, request: SignedRequest): Promise<SendResult> {
  const started = performance.now();
  const res = await fetch(url, { method: 'POST', headers: request.headers, body: request.body });
  const text = await res.text();
  return { status: res.status, text, ms: performance.now() - started };
}

export interface SlashCommandFields {
  command: string;
  text?: string;
  userId?: string;
  userName?: string;
  teamId?: string;
  channelId?: string;
  channelName?: string;
  responseUrl: string;
}

/** The payload Slack sends for a slash command. */
export function slashCommand(fields: SlashCommandFields): Record<string, string> {
  return {
    token: 'legacy-verification-token',
    team_id: fields.teamId ?? 'T0TEST',
    team_domain: 'thaw-test',
    channel_id: fields.channelId ?? 'C0GENERAL',
    channel_name: fields.channelName ?? 'general',
    user_id: fields.userId ?? 'U0MARIA',
    user_name: fields.userName ?? 'maria',
    command: fields.command.startsWith('/') ? fields.command : `/${fields.command}`,
    text: fields.text ?? '',
    api_app_id: 'A0TEST',
    is_enterprise_install: 'false',
    response_url: fields.responseUrl,
    trigger_id: `${Date.now()}.${randomUUID()}`,
  };
}

export function slashCommandBody(fields: SlashCommandFields): string {
  return new URLSearchParams(slashCommand(fields)).toString();
}

export interface BlockActionFields {
  actionId: string;
  value?: string;
  userId?: string;
  teamId?: string;
  channelId?: string;
  messageTs?: string;
  isEphemeral?: boolean;
  responseUrl: string;
}

/** The payload Slack sends when a button is clicked. */
export function blockAction(fields: BlockActionFields): Record<string, unknown> {
  const teamId = fields.teamId ?? 'T0TEST';
  const channelId = fields.channelId ?? 'C0GENERAL';
  const messageTs = fields.messageTs ?? '1700000000.000100';
  return {
    type: 'block_actions',
    user: { id: fields.userId ?? 'U0MARIA', username: 'maria', name: 'maria', team_id: teamId },
    api_app_id: 'A0TEST',
    token: 'legacy-verification-token',
    container: {
      type: 'message',
      message_ts: messageTs,
      channel_id: channelId,
      is_ephemeral: fields.isEphemeral ?? false,
    },
    trigger_id: `${Date.now()}.${randomUUID()}`,
    team: { id: teamId, domain: 'thaw-test' },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: channelId, name: 'general' },
    message: fields.isEphemeral
      ? undefined
      : { type: 'message', ts: messageTs, text: 'earlier message', blocks: [] },
    state: { values: {} },
    response_url: fields.responseUrl,
    actions: [
      {
        action_id: fields.actionId,
        block_id: 'actions',
        text: { type: 'plain_text', text: 'Button', emoji: true },
        value: fields.value ?? fields.actionId,
        type: 'button',
        action_ts: `${Date.now() / 1000}`,
      },
    ],
  };
}

export function blockActionBody(fields: BlockActionFields): string {
  return new URLSearchParams({ payload: JSON.stringify(blockAction(fields)) }).toString();
}

/** An Events API callback as Slack sends it over HTTP (a JSON body, signed like the rest). */
export function eventCallback(event: Record<string, unknown>, teamId = 'T0TEST'): Record<string, unknown> {
  return {
    token: 'legacy-verification-token',
    team_id: teamId,
    api_app_id: 'A0TEST',
    event: { event_ts: `${Date.now() / 1000}`, ...event },
    type: 'event_callback',
    event_id: `Ev${randomUUID().replaceAll('-', '').slice(0, 10).toUpperCase()}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: teamId, user_id: 'U0BOT', is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
  };
}

/** A signed Events API request: JSON body and content type. */
export function signedEvent(secret: string, payload: Record<string, unknown>, options: SignOptions = {}) {
  const request = signedRequest(secret, JSON.stringify(payload), options);
  return { ...request, headers: { ...request.headers, 'content-type': 'application/json' } };
}

export interface ViewSubmissionFields {
  /** The view as the bot opened it (callback_id, private_metadata). */
  view: { callback_id: string; private_metadata?: string };
  /** state.values: block id -> action id -> value. */
  values: Record<string, Record<string, Record<string, unknown>>>;
  userId?: string;
  teamId?: string;
}

/** The payload Slack sends when a modal is submitted (`view_submission`). */
export function viewSubmission(fields: ViewSubmissionFields): Record<string, unknown> {
  const teamId = fields.teamId ?? 'T0TEST';
  return {
    type: 'view_submission',
    team: { id: teamId, domain: 'thaw-test' },
    user: { id: fields.userId ?? 'U0MARIA', username: 'maria', name: 'maria', team_id: teamId },
    api_app_id: 'A0TEST',
    token: 'legacy-verification-token',
    trigger_id: `${Date.now()}.${randomUUID()}`,
    view: {
      id: 'V0VIEW',
      team_id: teamId,
      type: 'modal',
      callback_id: fields.view.callback_id,
      private_metadata: fields.view.private_metadata ?? '',
      blocks: [],
      state: { values: fields.values },
      hash: '1700000000.abc',
      title: { type: 'plain_text', text: 'Form' },
      app_id: 'A0TEST',
      bot_id: 'B0BOT',
    },
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
}

export function viewSubmissionBody(fields: ViewSubmissionFields): string {
  return new URLSearchParams({ payload: JSON.stringify(viewSubmission(fields)) }).toString();
}
